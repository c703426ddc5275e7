"""Gather what the HTML report shows, from the §10 contract and the run folders it names.

The contract gives the table, the pairs and the signatures; the run folders give the
per-item values (distributions), the model signatures and the dataset's path, which is
reread for the dataset card and the diff of the top pair. A dataset that moved or
changed does not stop the report: the card and the diff say why they are missing.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from benchmark.data.stats import dataset_stats
from benchmark.errors import BenchmarkError, DataError
from benchmark.report.diff import diff_runs
from benchmark.report.html_report import ReportParts, render_report
from benchmark.report.plots import (distribution_figure, figure_bytes, main_metric,
                                    means_figure, metric_keys)
from benchmark.report.run_dataset import load_run_dataset
from benchmark.report.tables import scale
from benchmark.runs.results import RunDir

DIFF_TOP = 10


def build_report(contract: Mapping[str, Any], *, dataset_path: Path | None = None,
                 diff_top: int = DIFF_TOP) -> str:
    """The standalone HTML report of ``contract`` (see `benchmark.report.html_report`);
    the diff of the top pair ranks items by the metric the table is ranked by."""
    rows = contract["rows"]
    metrics = metric_keys(contract)
    records = {row["label"]: RunDir(Path(row["run_dir"])).read_record() for row in rows}
    dataset = records[rows[0]["label"]].dataset
    loaded, card_note = None, None
    try:
        loaded = load_run_dataset(dataset, dataset_path)
    except DataError as exc:
        card_note = f"Length statistics and item texts unavailable: {exc}"
    card = {"name": dataset.name, "identity": dataset.identity, "items": dataset.covered,
            "path": dataset.path,
            "stats": dataset_stats(loaded.examples) if loaded else None, "note": card_note}
    values = _per_item_values(rows, metrics)
    diff, diff_note = _top_pair_diff(contract, main_metric(contract), loaded, card_note,
                                     diff_top)
    parts = ReportParts(
        contract=contract, metrics=metrics,
        mean_plots={m: figure_bytes(means_figure(contract, m), "svg") for m in metrics},
        distribution_plots={m: figure_bytes(distribution_figure(values[m], m), "svg")
                            for m in metrics},
        card=card,
        runs=[{"label": row["label"], "run_dir": row["run_dir"],
               "signature": records[row["label"]].model.signature or "-"}
              for row in rows],
        diff=diff, diff_note=diff_note,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    return render_report(parts)


def top_pair(contract: Mapping[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The two best-ranked real systems (upper bounds only when fewer than two)."""
    real = [row for row in contract["rows"] if not row["upper_bound"]]
    rows = real if len(real) >= 2 else list(contract["rows"])
    return (rows[0], rows[1]) if len(rows) >= 2 else None


def _per_item_values(rows, metrics) -> dict[str, dict[str, list[float]]]:
    """Per metric, each row's per-item values on the report scale, by shown label."""
    values: dict[str, dict[str, list[float]]] = {m: {} for m in metrics}
    for row in rows:
        shown = row["label"] + (" (upper bound)" if row["upper_bound"] else "")
        for m in metrics:
            values[m][shown] = []
        for item in RunDir(Path(row["run_dir"])).iter_items():
            if item.get("error"):
                continue
            for m in metrics:
                if isinstance(item.get(m), (int, float)):
                    values[m][shown].append(scale(m) * item[m])
    return values


def _top_pair_diff(contract, metric, loaded, card_note, top):
    pair = top_pair(contract)
    if pair is None:
        return None, "One run only: no pair to compare."
    if loaded is None:
        return None, card_note
    a, b = pair
    examples = {example.id: example for example in loaded.examples}
    try:
        diff = diff_runs(Path(a["run_dir"]), Path(b["run_dir"]), metric=metric, top=top,
                         labels=(a["label"], b["label"]), examples=examples)
    except BenchmarkError as exc:  # runs shown together with --force
        return None, f"No item diff: {exc}"
    return diff, None
