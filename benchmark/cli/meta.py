"""``bench meta``: which automatic metric agrees with people (DESIGN §12)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, user_errors

DEFAULT_RESAMPLES = 1000  # benchmark.report.meta's, without importing numpy here
DEFAULT_SEED = 12345


class MetaFormat(str, enum.Enum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


def meta(
    runs: Annotated[list[Path], typer.Argument(
        help="The run folders of the rated systems (matched to the ratings by label).",
        show_default=False)],
    ratings: Annotated[Path, typer.Option(
        help="Rating lines (bench human export, or a file in the format of docs/human.md).",
        show_default=False)],
    metric: Annotated[Optional[list[str]], typer.Option(
        help="Metric key to correlate (repeatable; default: every metric the runs share, "
        "the per-entity-type ones aside).")]
        = None,
    fmt: Annotated[MetaFormat, typer.Option("--format", help="Output format.")] = MetaFormat.text,
    resamples: Annotated[int, typer.Option(min=100, help="Bootstrap resamples of items and "
                                           "systems.")] = DEFAULT_RESAMPLES,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = DEFAULT_SEED,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                   help="Write to this file.")] = None,
) -> None:
    """Correlate every metric with every human criterion (summary and system level,
    with intervals over items and systems), the annotators' agreement, the human
    ranking."""
    with user_errors():
        from benchmark.report.meta import meta_evaluate
        from benchmark.report.meta_ratings import read_ratings
        from benchmark.report.meta_runs import load_runs
        from benchmark.report.meta_view import render_meta

        loaded = read_ratings(ratings)
        result = meta_evaluate(loaded, load_runs(runs), metrics=metric, resamples=resamples,
                               seed=seed)
        text = render_meta(result, fmt.value)
        if output:
            output.write_text(text + "\n", encoding="utf-8")
    if output:
        echo(f"wrote {output}", err=True)
    else:
        echo(text)
