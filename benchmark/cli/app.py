"""The ``bench`` command: one Typer app, one module per command.

Modules here import nothing heavy at the top, so ``bench --help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark import __version__
from benchmark.cli import (compare, data, diff, human, judge, listing, meta, ner, report, run,
                           score)
from benchmark.cli.common import config_folder_from, echo, fail
from benchmark.cli.usage import OneLineGroup

app = typer.Typer(
    cls=OneLineGroup,  # usage errors on one line
    help="Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # keys and texts stay out of tracebacks
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,  # plain help: "--cache / --no-cache", no "<bool>" column
)


def _print_version(value: bool) -> None:
    if value:
        echo(f"bench {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="Folder with your models.yaml, datasets.yaml, endpoints.yaml and "
        "prompts/ (default: $BENCH_CONFIG). They add names to the package's and your user "
        "config folder's; a ./configs folder is read only when named here.")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_print_version,
                                          is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage."""
    folder, problem = config_folder_from(config)
    if problem:
        raise fail(problem)
    ctx.obj = folder  # what `benchmark.cli.common.config_folder` gives commands
    if folder is not None:
        # For library code that cannot take the folder as an argument yet.
        from benchmark.config.layers import config_in_effect

        ctx.with_resource(config_in_effect(folder))
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
