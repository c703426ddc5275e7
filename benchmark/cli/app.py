"""The ``bench`` command: one Typer app, one module per command.

Modules here import nothing heavy at the top, so ``bench --help`` stays instant.
"""

from __future__ import annotations

import typer

from benchmark.cli import compare, data, diff, judge, listing, ner, report, run, score

app = typer.Typer(
    help="Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # keys and texts stay out of tracebacks
)
app.command("run")(run.run)
app.command("score")(score.score)
app.command("compare")(compare.compare)
app.command("report")(report.report)
app.command("diff")(diff.diff)
app.command("judge")(judge.judge)
app.add_typer(listing.app, name="list")
app.add_typer(data.app, name="data")
app.add_typer(ner.app, name="ner")


def main() -> None:
    app()
