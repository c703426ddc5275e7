"""``bench diff``: the items where two runs differ most, with texts, scores and entities."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, user_errors


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def diff(
    run_a: Annotated[Path, typer.Argument(help="Run folder A.")],
    run_b: Annotated[Path, typer.Argument(help="Run folder B (same dataset as A).")],
    metric: Annotated[Optional[str], typer.Option(help="Per-item metric to rank by "
                                                  "(default: rouge2_f).")] = None,
    top: Annotated[int, typer.Option(min=1, help="How many items to show.")] = 10,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="Output format.")] =
        DiffFormat.text,
    dataset_path: Annotated[Optional[Path], typer.Option(
        help="The reference data the runs scored, when it moved since the run.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="Write to this file.")] = None,
) -> None:
    """Items where RUN_A and RUN_B differ most on one metric, with texts and entities.

    Each item: an article excerpt, the reference bullets, both predictions and scores,
    and the entities each prediction missed or invented (runs scored with entities)."""
    from benchmark.report.diff import diff_runs
    from benchmark.report.diff_format import render_diff
    from benchmark.runs.run import Run

    with user_errors():
        result = diff_runs(Run.open(run_a), Run.open(run_b), metric=metric, top=top,
                           dataset_path=dataset_path)
        text = render_diff(result, fmt.value)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
            echo(f"wrote {output}", err=True)
            return
    echo(text)
