"""``bench report``: one standalone HTML file with the table, plots, tests, data and diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, fail, user_errors
from benchmark.cli.selection import (DatasetOption, ExcludeOption, ForceOption, ResultsOption,
                                     RunsArgument, make_selection)
from benchmark.paths import DEFAULT_RESULTS

DEFAULT_RESAMPLES = 10_000  # benchmark.report.compare's, without importing numpy here
DEFAULT_SEED = 12345


def report(
    runs: RunsArgument = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")]
        = Path("report.html"),
    results: ResultsOption = DEFAULT_RESULTS,
    dataset: DatasetOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    metric: Annotated[Optional[list[str]], typer.Option(
        help="Metric key to show (repeatable); the first ranks the rows.")] = None,
    baseline: Annotated[Optional[str], typer.Option(
        help="Test every system against this label instead of all pairs.")] = None,
    resamples: Annotated[int, typer.Option(min=1000, help="Bootstrap and randomization "
                                           "resamples.")] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = DEFAULT_SEED,
    dataset_path: Annotated[Optional[Path], typer.Option(
        help="The reference data the runs scored, when it moved since the runs.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Items in the diff of the top pair.")] = 10,
    ratings: Annotated[Optional[Path], typer.Option(
        help="Human ratings of these runs' summaries (bench human export, or the format of "
             "docs/human.md): adds the section 'Agreement with people'.")] = None,
) -> None:
    """Write one standalone HTML report: table, plots, tests, dataset, signatures, diffs.

    The ranked table with CIs and groups, a plot per metric, the pairwise significance
    matrix, score distributions, the dataset card, every signature and the items where
    the top two systems differ most; with --ratings, how well each metric agrees with
    people."""
    from benchmark.errors import IncompatibleRunsError
    from benchmark.report.build_report import build_reports
    from benchmark.report.compare import compare_runs
    from benchmark.report.result import StatsSettings
    from benchmark.report.select import select_groups

    selection = make_selection(runs, results=results, dataset=dataset, exclude=exclude)
    settings = StatsSettings(resamples=resamples, seed=seed, baseline=baseline)
    with user_errors():
        groups, left_out_runs = select_groups(selection)
        left_out = [f"left out: {x.describe()}" for x in left_out_runs]
        several = len(groups) > 1
        try:
            compared = [compare_runs(group.runs, metric, settings=settings, force=force,
                                     notes=() if several else left_out) for group in groups]
        except IncompatibleRunsError as exc:
            raise fail(f"{exc} (use --force to show them together anyway)") from None
        if ratings is not None and several:
            raise fail(f"--ratings are about the runs of one dataset; these are on "
                       f"{len(groups)}: choose one with --dataset NAME")
        notes = ([f"runs on {len(groups)} datasets, one section each (most runs first); "
                  "choose one with --dataset NAME"] + left_out) if several else []
        page = build_reports(compared, dataset_path=dataset_path, diff_top=top, notes=notes,
                             ratings=ratings)
        output.write_text(page, encoding="utf-8")
    for note in left_out:
        echo(f"note: {note}", err=True)
    shown = "; ".join(f"{len(result.rows)} run" + ("s" if len(result.rows) != 1 else "")
                      + f" on {result.dataset_identity}" for result in compared)
    echo(f"wrote {output} ({shown})", err=True)
