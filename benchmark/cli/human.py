"""``bench human``: make a study from runs, serve it to annotators, export the ratings."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, fail, user_errors
from benchmark.cli.usage import OneLineGroup

app = typer.Typer(cls=OneLineGroup,
                  help="Human judgments: make a study, serve it in the browser, export it.",
                  no_args_is_help=True)


class Protocol(str, enum.Enum):
    likert = "likert"
    pairwise = "pairwise"
    units = "units"


class Units(str, enum.Enum):
    bullets = "bullets"
    sentences = "sentences"
    clauses = "clauses"


def _names(text: str, option: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise fail(f"{option} {text!r}: expected comma-separated names, e.g. a,b,c")
    return names


@app.command("new")
def new(
    study: Annotated[Path, typer.Argument(help="The study file to create (SQLite).",
                                          show_default=False)],
    runs: Annotated[list[Path], typer.Argument(help="Run folders of the systems to rate.",
                                               show_default=False)],
    items: Annotated[int, typer.Option(min=1, help="Items to rate (shared by the runs).")] = 50,
    protocol: Annotated[Protocol, typer.Option(help="likert (1-5 per criterion), pairwise "
                                               "(which of two) or units (content units).")]
        = Protocol.likert,
    annotators: Annotated[str, typer.Option(help="Comma-separated annotator names.")] = "a,b",
    per_item: Annotated[int, typer.Option(min=1, help="Annotators per item.")] = 2,
    criteria: Annotated[Optional[str], typer.Option(
        help="Comma-separated criteria of the rubric (default: all of them).")] = None,
    units: Annotated[Units, typer.Option(help="units: what a content unit is (bullets fall "
                                         "back to sentences for one-bullet references).")]
        = Units.bullets,
    rubric: Annotated[Optional[Path], typer.Option(
        help="A rubric YAML of your own (default: configs/rubrics/human-ar.yaml).")] = None,
    dataset_path: Annotated[Optional[Path], typer.Option(
        help="The reference data the runs scored, when it moved since the runs.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the sampling and shuffling.")] = 12345,
) -> None:
    """Sample items shared by the runs (stratified by article length), assign each to
    annotators, blind and shuffle the systems, and write the study file."""
    from benchmark.human.rubric import load_rubric, study_criteria
    from benchmark.human.sampling import ItemInput, SystemInput, make_plan
    from benchmark.human.store import create_study
    from benchmark.report.meta_runs import load_runs

    names = _names(annotators, "--annotators")
    chosen = _names(criteria, "--criteria") if criteria else None
    with user_errors():
        loaded = load_runs(runs)
        examples = loaded[0].examples(dataset_path)
        the_rubric = load_rubric(rubric)
        plan = make_plan(
            protocol=protocol.value, criteria=study_criteria(the_rubric, protocol.value, chosen),
            rubric=the_rubric, dataset=loaded[0].dataset_identity, n_items=items,
            systems=[SystemInput(run.label, str(run.path), run.predictions())
                     for run in loaded],
            examples={i: ItemInput(e.id, e.article, e.bullets) for i, e in examples.items()},
            annotators=names, per_item=per_item, seed=seed, units=units.value)
        create_study(study, plan)
    pages = len(plan.tasks)
    echo(f"wrote {study}: {len(plan.items)} items x {len(plan.systems)} systems, "
         f"{protocol.value}, {len(names)} annotators ({per_item} per item), {pages} pages; "
         f"serve it with: bench human serve {study}", err=True)


@app.command("serve")
def serve(
    study: Annotated[Path, typer.Argument(help="The study file.", show_default=False)],
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine "
                                      "only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8765,
) -> None:
    """Serve the annotation app; prints one private link per annotator and the admin link."""
    from benchmark.human.app import serve as run_server
    from benchmark.human.store import Study

    with user_errors():
        opened = Study(study)
        tokens = opened.tokens()
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{port}"
    for name, token in tokens.items():
        echo(f"{name}: {base}/a/{token}/")
    echo(f"admin: {base}/admin/{opened.admin_token}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(f"note: listening on {host}: anyone who can reach it and has a link can use "
             "it; share links privately", err=True)
    echo("Ctrl-C stops the server; answers are saved as they are given.", err=True)
    with user_errors():
        run_server(study, host=host, port=port, agreement=_agreement)


def _agreement(lines: list[dict], protocol: str) -> list[dict]:
    """Krippendorff's alpha per criterion, for the admin page."""
    from dataclasses import asdict

    from benchmark.report.meta import agreement_rows
    from benchmark.report.meta_ratings import ratings_from_lines

    return [asdict(row) for row in agreement_rows(ratings_from_lines(lines, protocol=protocol))]


@app.command("export")
def export(
    study: Annotated[Path, typer.Argument(help="The study file.", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="The rating lines to write "
                                         "(JSON Lines).")] = Path("ratings.jsonl"),
) -> None:
    """Write every answer as rating lines (docs/human.md), the input of 'bench meta'."""
    from benchmark.human.export import rating_lines, write_ratings
    from benchmark.human.store import Study

    with user_errors():
        exported = rating_lines(Study(study))
        write_ratings(output, exported.lines)
    left = []
    if exported.cannot_judge:
        left.append(f"{exported.cannot_judge} page(s) marked cannot judge")
    if exported.incomplete:
        left.append(f"{exported.incomplete} summary(ies) with units left unanswered")
    echo(f"wrote {output}: {len(exported.lines)} rating lines"
         + (f" (left out: {'; '.join(left)})" if left else ""), err=True)
