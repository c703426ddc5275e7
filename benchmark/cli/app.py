"""The ``bench`` command: one Typer app, one module per command.

Modules here import nothing heavy at the top, so ``bench --help`` stays instant; the
command modules themselves are imported only when their command is used (`COMMANDS`,
`benchmark.cli.lazy`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark import __version__
from benchmark.cli.lazy import Lazy, LazyGroup

# Every command in the order `bench --help` lists it: its module under benchmark.cli, the
# command function or Typer app there, and the first paragraph of its help on one line
# (what `bench --help` shows without importing the module; tests/test_cli_lazy.py checks
# it against the command's own help).
COMMANDS = {
    "run": Lazy("run", "run", "Summarize every article with MODEL, score the summaries and "
                "write the run."),
    "score": Lazy("score", "score", "Score the predictions in FILE and write a run folder "
                  "that 'bench compare' reads."),
    "compare": Lazy("compare", "compare", "One row per label: metric means with 95% CIs, "
                    "ranked, with significance groups."),
    "report": Lazy("report", "report", "Write one standalone HTML report: table, plots, "
                   "tests, dataset, signatures, diffs."),
    "diff": Lazy("diff", "diff", "Items where RUN_A and RUN_B differ most on one metric, "
                 "with texts and entities."),
    "judge": Lazy("judge", "judge", "Which run's summaries does the judge prefer? Both "
                  "orders, win/tie/loss with a CI."),
    "meta": Lazy("meta", "meta", "Correlate every metric with every human criterion (summary "
                 "and system level, with intervals over items and systems), the annotators' "
                 "agreement, the human ranking."),
    "list": Lazy("listing", "app", "List registered summarizers, metrics, NER backends and "
                 "datasets."),
    "data": Lazy("data", "app", "Inspect and validate reference datasets."),
    "ner": Lazy("ner", "app", "Entity extraction: evaluate backends on gold sets, show "
                "entities, train the learned backend."),
    "human": Lazy("human", "app", "Human judgments: make a study, serve it in the browser, "
                  "export it."),
}


class BenchGroup(LazyGroup):
    lazy = COMMANDS


app = typer.Typer(
    cls=BenchGroup,  # usage errors on one line; commands imported when used
    help="Benchmark Arabic news summarizers: Arabic-correct ROUGE and entity coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # keys and texts stay out of tracebacks
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,  # plain help: "--cache / --no-cache", no "<bool>" column
)


def _print_version(value: bool) -> None:
    if value:
        from benchmark.cli.common import echo

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
    from benchmark.cli.common import config_folder_from, fail

    folder, problem = config_folder_from(config)
    if problem:
        raise fail(problem)
    ctx.obj = folder  # what `benchmark.cli.common.config_folder` gives commands
    if folder is not None:
        # For library code that cannot take the folder as an argument yet.
        from benchmark.config.layers import config_in_effect

        ctx.with_resource(config_in_effect(folder))


def main() -> None:
    """The ``bench`` command (it ends in Typer's `SystemExit`, as usual)."""
    from benchmark.runs.blas_threads import one_blas_thread
    from benchmark.runs.collector import collect_less_often

    collect_less_often()  # this process is bench's own
    one_blas_thread()  # before any command imports numpy
    app()


def command() -> None:
    """The ``bench`` command as a process of its own (the console script, ``python -m
    benchmark.cli``): `main`, then the process ends without tearing its heap down
    (`benchmark.cli.ending`)."""
    from benchmark.cli.ending import end_process

    try:
        main()
    except SystemExit as stop:
        end_process(stop.code)
    end_process(0)
