"""``bench report``: one standalone HTML file with the table, plots, tests, data and diffs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import user_errors


def report(
    runs: Annotated[Optional[list[Path]], typer.Argument(help="Run folders (default: the "
                                                         "newest run per model under "
                                                         "--results).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")]
        = Path("report.html"),
    results: Annotated[Path, typer.Option(help="Folder holding run folders.")] = Path("results"),
    dataset: Annotated[Optional[str], typer.Option(help="With no RUNS: the dataset (name, "
                                                   "identity or sha prefix).")] = None,
    metric: Annotated[Optional[list[str]], typer.Option(help="Metric key to show "
                                                        "(repeatable; the first is the "
                                                        "main one).")] = None,
    baseline: Annotated[Optional[str], typer.Option(help="Test every model against this "
                                                    "one.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Show runs together even when their "
                                        "dataset or metric signatures differ.")] = False,
    dataset_path: Annotated[Optional[Path], typer.Option(
        help="The reference data the runs scored, when it moved since the runs.")] = None,
    top: Annotated[int, typer.Option(min=1, help="Items in the diff of the top pair.")] = 10,
) -> None:
    """Write a standalone HTML report: ranked table with CIs and groups, a plot per
    metric, the pairwise significance matrix, score distributions, the dataset card,
    every signature and the items where the top two systems differ most."""
    # REPLACE with the reworked compare's selection + contract function (issue 7).
    from benchmark.report.build_report import build_report
    from benchmark.report.contract_adapter import select_and_compare

    with user_errors():
        contract = select_and_compare(runs, results=results, dataset=dataset,
                                      metrics=metric, baseline=baseline, force=force)
        page = build_report(contract, dataset_path=dataset_path, diff_top=top,
                            main=metric[0] if metric else None)
        output.write_text(page, encoding="utf-8")
    for note in contract["notes"]:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"wrote {output} ({len(contract['rows'])} runs, {contract['dataset']['identity']})",
               err=True)
