"""The run-selection options that `bench compare` and `bench report` share."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from benchmark.paths import DEFAULT_RESULTS

if TYPE_CHECKING:
    from benchmark.report.select import Selection

RunsArgument = Annotated[Optional[list[Path]], typer.Argument(
    help="Run folders to use as they are (default: the newest complete run per label "
         "under --results).", show_default=False)]
ResultsOption = Annotated[Path, typer.Option(help="Folder holding run folders.")]
DatasetOption = Annotated[Optional[str], typer.Option(
    help="The dataset whose runs to use: name, identity (name@sha256:...) or sha prefix "
         "(default: every dataset with runs under --results, one table each).")]
ExcludeOption = Annotated[Optional[list[str]], typer.Option(
    "--exclude", help="Leave out the runs with this label (repeatable).")]
ForceOption = Annotated[bool, typer.Option(
    "--force/--no-force", help="Show runs together even when their dataset, items or signatures "
                    "differ (the differences are listed in the notes).")]


def make_selection(runs: list[Path] | None, *, results: Path = DEFAULT_RESULTS,
                   dataset: str | None = None, exclude: list[str] | None = None) -> "Selection":
    from benchmark.report.select import Selection  # pydantic models: not at start-up

    return Selection(run_dirs=tuple(runs or ()), results=results, dataset=dataset,
                     exclude=tuple(exclude or ()))
