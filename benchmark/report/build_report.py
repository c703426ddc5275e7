"""Gather what the HTML report shows, from a `CompareResult` and the runs it ranked.

The result gives the table, the pairs and the signatures; its runs give the per-item
values (distributions, read once per run for the comparison itself), the model
signatures and the dataset's path, which is reread for the dataset card and the diff
of the top pair. A dataset that moved or changed does not stop the report: the card
and the diff say why they are missing.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from benchmark.data.stats import dataset_stats
from benchmark.errors import BenchmarkError, DataError
from benchmark.report.diff import diff_runs
from benchmark.report.html_report import (DatasetCard, ReportParts, RunShown, render_report,
                                          render_reports)
from benchmark.report.plots import distribution_figure, figure_bytes, means_figure
from benchmark.report.result import CompareResult
from benchmark.report.run_dataset import load_run_dataset

DIFF_TOP = 10


def build_report(result: CompareResult, *, dataset_path: Path | None = None,
                 diff_top: int = DIFF_TOP, ratings: Path | None = None) -> str:
    """The standalone HTML report of `result` (see `benchmark.report.html_report`);
    the diff of the top pair ranks items by the metric the table is ranked by. With
    `ratings` (human judgments of these runs' summaries, as `bench meta` reads them),
    the report gains the section "Agreement with people"."""
    return render_report(report_parts(result, dataset_path=dataset_path, diff_top=diff_top,
                                      ratings=ratings))


def build_reports(results: Sequence[CompareResult], *, dataset_path: Path | None = None,
                  diff_top: int = DIFF_TOP, notes: Sequence[str] = (),
                  ratings: Path | None = None) -> str:
    """One page with a section per comparison (one per dataset), `notes` on top; with
    one comparison and no notes, `build_report`'s page. ``dataset_path`` and
    ``ratings`` are for one dataset only."""
    one = len(results) == 1
    return render_reports([report_parts(r, dataset_path=dataset_path if one else None,
                                        diff_top=diff_top, ratings=ratings if one else None)
                           for r in results], notes=notes)


def report_parts(result: CompareResult, *, dataset_path: Path | None, diff_top: int,
                 ratings: Path | None = None) -> ReportParts:
    """Everything the page shows of `result`, computed (with "Agreement with people"
    when `ratings` are given)."""
    metrics = result.keys
    first = result.run_of(result.rows[0])
    dataset = first.record.dataset
    loaded, card_note = None, None
    try:
        loaded = load_run_dataset(first, dataset_path)
    except DataError as exc:
        card_note = f"Length statistics and item texts unavailable: {exc}"
    card = DatasetCard(dataset.name, dataset.identity, dataset.covered, dataset.path,
                       stats=dataset_stats(loaded.examples) if loaded else None,
                       note=card_note)
    values = _per_item_values(result)
    diff, diff_note = _top_pair_diff(result, loaded, card_note, diff_top)
    parts = ReportParts(
        result=result, metrics=metrics,
        mean_plots={m: figure_bytes(means_figure(result, m), "svg") for m in metrics},
        distribution_plots={m: figure_bytes(distribution_figure(values[m], m,
                                                                scale=result.scales[m]),
                                            "svg")
                            for m in metrics},
        card=card,
        runs=[RunShown(row.label, row.run_dir, result.run_of(row).record.model.signature or "-")
              for row in result.rows],
        diff=diff, diff_note=diff_note,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        extra_sections=[agreement_with_people(result, ratings)] if ratings else [])
    return parts


def agreement_with_people(result: CompareResult, ratings: Path) -> tuple[str, str, str]:
    """The "Agreement with people" section (id, title, HTML): `bench meta` over the
    report's runs and the ratings of their summaries."""
    from benchmark.report.meta import meta_evaluate
    from benchmark.report.meta_html import SECTION_ID, agreement_section
    from benchmark.report.meta_ratings import read_ratings
    from benchmark.report.meta_runs import MetaRun

    meta = meta_evaluate(read_ratings(ratings), [MetaRun(run) for run in result.runs.values()])
    return SECTION_ID, "Agreement with people", agreement_section(meta.to_json_dict())


def _per_item_values(result: CompareResult) -> dict[str, dict[str, list[float]]]:
    """Per metric, each row's per-item values on the report scale, by shown label, in
    the order of the run's items."""
    values: dict[str, dict[str, list[float]]] = {m: {} for m in result.keys}
    for row in result.rows:
        for m in result.keys:
            factor = result.scales[m]
            values[m][row.shown_label] = [factor * v
                                          for v in result.values(row.label, m).values()]
    return values


def _top_pair_diff(result: CompareResult, loaded, card_note, top):
    pair = result.top_pair()
    if pair is None:
        return None, "One run only: no pair to compare."
    if loaded is None:
        return None, card_note
    a, b = pair
    examples = {example.id: example for example in loaded.examples}
    try:
        diff = diff_runs(result.run_of(a), result.run_of(b), metric=result.rank_by, top=top,
                         labels=(a.label, b.label), examples=examples)
    except BenchmarkError as exc:  # runs shown together with --force
        return None, f"No item diff: {exc}"
    return diff, None
