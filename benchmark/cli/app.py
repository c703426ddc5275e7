"""The ``bench`` command: one Typer app, one module per command.

Modules here import nothing heavy at the top, so ``bench --help`` stays instant.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark import __version__
from benchmark.cli import (compare, data, diff, human, judge, listing, meta, ner, report, run,
                           score)
from benchmark.cli.common import fail

app = typer.Typer(
    help="Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # keys and texts stay out of tracebacks
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,  # plain help: "--cache / --no-cache", no "<bool>" column
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"bench {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="Folder with your models.yaml, endpoints.yaml and prompts/ "
        "(default: $BENCH_CONFIG, else your user config folder). They add names to the "
        "package's; a ./configs folder is read only when named here.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_print_version,
                                          is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage."""
    if config is not None:
        if not config.is_dir():
            raise fail(f"--config {config}: no such folder")
        os.environ["BENCH_CONFIG"] = str(config.resolve())  # read by benchmark.paths
app.command("run")(run.run)
app.command("score")(score.score)
app.command("compare")(compare.compare)
app.command("report")(report.report)
app.command("diff")(diff.diff)
app.command("judge")(judge.judge)
app.command("meta")(meta.meta)
app.add_typer(listing.app, name="list")
app.add_typer(data.app, name="data")
app.add_typer(ner.app, name="ner")
app.add_typer(human.app, name="human")


def main() -> None:
    app()
