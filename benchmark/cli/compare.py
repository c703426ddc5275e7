"""``bench compare``: put runs of several models side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import VerboseOption, echo, fail, terminal_width, user_errors
from benchmark.cli.selection import (DatasetOption, ExcludeOption, ForceOption, ResultsOption,
                                     RunsArgument, make_selection)
from benchmark.paths import DEFAULT_RESULTS
from benchmark.report.tables import Format

DEFAULT_RESAMPLES = 10_000  # benchmark.report.compare's, without importing numpy here
DEFAULT_SEED = 12345


def compare(
    runs: RunsArgument = None,
    results: ResultsOption = DEFAULT_RESULTS,
    dataset: DatasetOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    metric: Annotated[Optional[list[str]], typer.Option(
        help="Metric key to show (repeatable); the first ranks the rows.")] = None,
    baseline: Annotated[Optional[str], typer.Option(
        help="Test every system against this label instead of all pairs.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    pairs: Annotated[bool, typer.Option("--pairs/--no-pairs", help="Also show every pairwise test "
                                        "(CSV: only them).")] = False,
    resamples: Annotated[int, typer.Option(min=1000, help="Bootstrap and randomization "
                                           "resamples.")] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = DEFAULT_SEED,
    all_datasets: Annotated[bool, typer.Option(
        "--all-datasets/--one-dataset", help="A leaderboard: labels x datasets for one --metric.")] = False,
    output: Annotated[Optional[Path], typer.Option(help="Write to this file.")] = None,
    plot: Annotated[Optional[Path], typer.Option(help="Also write the main plot (means "
                                                 "with 95% CIs) to this PNG.")] = None,
    verbose: VerboseOption = False,
) -> None:
    """One row per label: metric means with 95% CIs, ranked, with significance groups."""
    from benchmark.errors import IncompatibleRunsError

    selection = make_selection(runs, results=results, dataset=dataset, exclude=exclude)
    with user_errors():
        try:
            if all_datasets:
                if metric and len(metric) > 1:
                    raise fail("--all-datasets shows one --metric")
                text = _leaderboard(selection, metric[0] if metric else None, fmt=fmt,
                                    resamples=resamples, seed=seed)
            else:
                fit = {} if output else {"width": terminal_width(),
                                         "full_signatures": verbose}
                text = _comparison(selection, metric, fmt=fmt, pairs=pairs, force=force,
                                   resamples=resamples, seed=seed, baseline=baseline,
                                   plot=plot, fit=fit)
        except IncompatibleRunsError as exc:
            raise fail(f"{exc} (use --force to show them together anyway)") from None
    if output:
        with user_errors():  # a read-only or missing folder: one line, no traceback
            output.write_text(text + "\n", encoding="utf-8")
        echo(f"wrote {output}", err=True)
    else:
        echo(text)


def _comparison(selection, metric: list[str] | None, *, fmt: Format, pairs: bool,
                force: bool, resamples: int, seed: int, baseline: str | None,
                plot: Path | None, fit: dict) -> str:
    """The ranked table of each dataset's runs: the chosen dataset, or every dataset
    with runs, most runs first (and the plot of one, when asked for). Text is fitted
    as `fit` says (width, whole signatures)."""
    from benchmark.report.compare import compare_runs
    from benchmark.report.compare_view import render_result, render_results
    from benchmark.report.result import StatsSettings
    from benchmark.report.select import select_groups

    groups, left_out = select_groups(selection)
    if len(groups) > 1 and (fmt in (Format.json, Format.csv) or plot):
        what = "--plot" if plot else f"--format {fmt.value}"
        raise fail(f"runs under {selection.results} are on {len(groups)} datasets "
                   f"({datasets_named(groups)}); {what} shows one: choose it with "
                   "--dataset NAME")
    # The statistics (numpy) are imported once there are runs to compare.
    settings = StatsSettings(resamples=resamples, seed=seed, baseline=baseline)
    left = [f"left out: {x.describe()}" for x in left_out]
    if len(groups) > 1:
        results = [compare_runs(group.runs, metric, settings=settings, force=force)
                   for group in groups]
        closing = [f"runs on {len(groups)} datasets, one table each (most runs first); "
                   "choose one with --dataset NAME (its name, identity or sha prefix)"] + left
        return render_results(results, fmt, pairs=pairs, notes=closing, **fit)
    result = compare_runs(groups[0].runs, metric, settings=settings, force=force, notes=left)
    if plot:
        from benchmark.report.plots import write_main_plot

        write_main_plot(result, plot)
        echo(f"wrote {plot}", err=True)
    return render_result(result, fmt, pairs=pairs, **fit)


def datasets_named(groups) -> str:
    """``name@sha256:... (N runs), ...`` for the groups of `select_groups`."""
    return ", ".join(f"{group.dataset.identity} ({len(group.runs)} run"
                     + ("s" if len(group.runs) != 1 else "") + ")" for group in groups)


def _leaderboard(selection, metric: str | None, *, fmt: Format, resamples: int,
                 seed: int) -> str:
    """Labels x datasets for one metric (no tests across datasets)."""
    from benchmark.report.leaderboard import build_leaderboard, render_leaderboard
    from benchmark.report.result import StatsSettings
    from benchmark.report.select import select_all_datasets

    groups, left_out = select_all_datasets(selection)
    board = build_leaderboard(groups, metric, left_out=left_out,
                              settings=StatsSettings(resamples=resamples, seed=seed))
    return render_leaderboard(board, fmt)
