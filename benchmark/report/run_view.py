"""One run's summary as a table (what ``bench run`` and ``bench score`` print)."""

from __future__ import annotations

from benchmark.report.tables import Column, Estimate, Table, fmt_number
from benchmark.runs.record import RunRecord


def scale_word(factor: float) -> str:
    """How a key's values are shown: ``x100`` (scores in [0, 1]) or ``as is``."""
    return "as is" if factor == 1.0 else f"x{factor:g}"


def run_summary_table(record: RunRecord) -> Table:
    """Each metric key with its mean, 95% CI, n and the scale it is shown on (from the
    metric's declared scale); keys no item has (entity_recall_MONEY on a dataset
    without money) are left out. One item has no interval, so none is shown."""
    scored = record.scored or 0
    rows = []
    for key, agg in record.aggregates.items():
        if agg.n == 0 and scored:
            continue
        factor = record.scale(key)
        low, high = (None if v is None or agg.n < 2 else factor * v for v in agg.ci95)
        mean = None if agg.mean is None else factor * agg.mean
        rows.append([key, Estimate(mean, low, high), agg.n, scale_word(factor)])
    notes = [f"{key}: {value}" if value is None or isinstance(value, int)
             else f"{key}: {fmt_number(record.scale(key) * value)}"
             for key, value in record.corpus.items()]
    if scored == 1:
        notes.append("one item: no confidence interval")
    label = record.shown_label
    title = record.model.name + (f"  [{label}]" if label != record.model.name else "")
    if record.model.label:
        title += f"  ({record.model.label})"
    title += (f" on {record.dataset.identity}  ({scored} scored, "
              f"{record.failures.count} failed)")
    columns = [Column("metric"), Column("mean", "mean [95% CI]", "right"),
               Column("n", align="right"), Column("scale")]
    return Table(columns, rows, notes, title=title,
                 signatures=dict(record.metrics.signatures))
