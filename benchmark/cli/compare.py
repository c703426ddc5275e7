"""``bench compare``: put runs of several models side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, fail, terminal_safe, user_errors


def compare(
    runs: Annotated[Optional[list[Path]], typer.Argument(help="Run folders (default: the "
                                                         "newest run per model under "
                                                         "--results).")] = None,
    results: Annotated[Path, typer.Option(help="Folder holding run folders.")] = Path("results"),
    dataset: Annotated[Optional[str], typer.Option(help="With no RUNS: the dataset (name, "
                                                   "identity or sha prefix).")] = None,
    metric: Annotated[Optional[list[str]], typer.Option(help="Metric key to show "
                                                        "(repeatable).")] = None,
    baseline: Annotated[Optional[str], typer.Option(help="Test every model against this "
                                                    "one instead of the best.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, md, csv, json or html.")] = "text",
    force: Annotated[bool, typer.Option("--force/--no-force", help="Show runs together even when their "
                                        "dataset or metric signatures differ.")] = False,
    output: Annotated[Optional[Path], typer.Option(help="Write the table to this file.")] = None,
) -> None:
    """One row per model: metric means with 95% CIs, best marked, paired significance."""
    from benchmark.report.compare import build_table, check_compatible, find_runs, load_runs
    from benchmark.report.compare_format import FORMATS, render

    if fmt not in FORMATS:
        raise fail(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with user_errors():
        if runs:
            loaded = load_runs(runs)
        else:
            found = find_runs(results, dataset)
            loaded = found.runs
            for problem in found.unreadable:
                echo(f"note: left out {problem}", err=True)
            if found.left_out:
                typer.echo(f"note: {len(found.left_out)} run(s) on other datasets not shown "
                           f"({'; '.join(found.left_out[:5])}); choose with --dataset",
                           err=True)
        if not force:
            check_compatible(loaded)
        text = render(build_table(loaded, metric, baseline=baseline), fmt)
    if output:
        with user_errors():  # a read-only or missing folder: one line, no traceback
            output.write_text(text + "\n", encoding="utf-8")
        echo(f"wrote {output}", err=True)
    else:
        typer.echo(terminal_safe(text))
