"""What every CLI command shares: turning library errors into one line and an exit code."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator

import typer

from benchmark.errors import BenchmarkError
from benchmark.report.tables import plural  # noqa: F401  (the commands' one pluralizer)
from benchmark.textshow import LINES, escape

if TYPE_CHECKING:
    from benchmark.text import TextProfile

EXIT_USER_ERROR = 2
DEFAULT_WIDTH = 100  # columns of printed tables when no terminal says otherwise
# Where the configuration folder comes from when --config is not given, in order.
CONFIG_VARIABLES = ("BENCH_CONFIG", "BENCH_CONFIG_DIR")
VerboseOption = Annotated[bool, typer.Option(
    "--verbose/--no-verbose", "-v", help="Show signatures whole (the terminal shows them "
                                         "cut to its width).")]
# How the settings named in error hints are written on the command line.
CLI_FLAGS = {"skip_invalid": "--skip-invalid", "api_key_env": "--api-key-env",
             "metrics": "--metrics", "ner": "--ner", "output_dir": "--output-dir",
             "force": "--force", "base_url": "--base-url", "config": "--config",
             "max_article_chars": "--max-article-chars", "limit": "--limit",
             "judge": "--judge", "metric": "--metric", "dataset_path": "--dataset-path",
             "exclude": "--exclude", "dataset": "--dataset", "all_datasets": "--all-datasets",
             "executor": "--executor", "ray_address": "--ray-address", "name": "--name",
             "items": "--items", "annotators": "--annotators", "per_item": "--per-item",
             "criteria": "--criteria"}


def echo(message: str, *, err: bool = False) -> None:
    """`typer.echo` for every text a command prints: control characters (but newline
    and tab) and bidi controls from a model name, a file name, a dataset or a server's
    error shown as escapes instead of acted upon (`benchmark.textshow.escape`)."""
    typer.echo(escape(str(message), keep=LINES), err=err)


def config_folder_from(option: Path | None) -> tuple[Path | None, str | None]:
    """The configuration folder: ``--config``, else ``$BENCH_CONFIG`` (``$BENCH_CONFIG_DIR``
    is its older name), else none; with the one-line problem when it is not a folder."""
    named = (("--config", option),) if option is not None else tuple(
        (f"${variable}", Path(os.environ[variable]))
        for variable in CONFIG_VARIABLES if os.environ.get(variable))
    if not named:
        return None, None
    where, folder = named[0]
    folder = folder.expanduser()
    if not folder.is_dir():
        problem = "not a folder" if folder.exists() else "no such folder"
        return None, f"{where} {folder}: {problem}; name a folder holding models.yaml, " \
                     "datasets.yaml, endpoints.yaml or prompts/"
    return folder.resolve(), None


def config_folder() -> Path | None:
    """The configuration folder of this command (``bench --config``, ``$BENCH_CONFIG``)."""
    from benchmark.cli.usage import current_context

    context = current_context()
    return context.find_root().obj if context is not None else None


def fail(message: str, code: int = EXIT_USER_ERROR) -> typer.Exit:
    """Print ``error: <message>`` on stderr and return the Exit to raise."""
    echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn a `BenchmarkError` (a user's mistake) into one line on stderr and exit 2."""
    try:
        yield
    except BenchmarkError as exc:
        hint = exc.worded_hint(CLI_FLAGS)
        raise fail(f"{exc}; {hint}" if hint else str(exc)) from None
    except OSError as exc:  # an unwritable output folder, a full disk, ...
        where = f"{exc.filename}: " if exc.filename else ""
        raise fail(f"{where}{exc.strerror or exc}") from None
    except KeyboardInterrupt as exc:
        echo("interrupted; rerun the same command to continue", err=True)
        raise typer.Exit(exc.exit_code if isinstance(exc, Terminated) else 130) from None


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would be, so the run stops the same way."""

    exit_code = 128 + 15


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: SIGTERM stops the command as Ctrl-C does (the run's record says
    ``interrupted``) instead of killing it without a word."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def terminal_width() -> int:
    """Columns to fit printed tables in: the terminal's, ``$COLUMNS`` when set, else 100
    (a log file, a pipe)."""
    import shutil

    return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def print_run_summary(outcome, *, verbose: bool = False) -> None:
    """The summary table of a finished run (fitted to the terminal; signatures whole
    with `verbose`), then its timing and folder."""
    from benchmark.report.run_view import run_summary_table
    from benchmark.report.tables import render_text

    record = outcome.run.record
    echo(render_text(run_summary_table(record), width=terminal_width(),
                     full_signatures=verbose))
    speed = record.timing.items_per_second
    echo(f"wall {record.timing.wall_seconds:.1f}s"
         + (f", {speed:.1f} items/s" if speed else "")
         + f"; written to {outcome.run.path}")
    plan = record.timing.worker_plan
    if plan is not None and plan.requested > 1:  # why the processes asked for were (not) used
        echo(f"scoring processes: {record.timing.scoring_processes or 1} ({plan.reason})")


def parse_key_values(pairs: list[str] | None, *, option: str) -> dict[str, str]:
    """``["k=v", ...]`` from a repeatable option into a dict."""
    values: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise fail(f"{option} {pair!r}: expected KEY=VALUE")
        values[key.strip()] = value
    return values


def entity_options(ner: str | None, include_nisba: bool) -> dict[str, object]:
    """Scorer options from ``--ner`` and ``--include-nisba`` (only those given)."""
    options: dict[str, object] = {}
    if ner:
        options["ner"] = ner
    if include_nisba:
        options["include_nisba"] = True
    return options


def rouge_options(sentence_split: str | None) -> dict[str, object]:
    """Scorer options from ``--sentence-split`` (only if given)."""
    return {"sentence_split": sentence_split} if sentence_split else {}


def metric_options(pairs: list[str] | None) -> dict[str, dict[str, str]]:
    """``["bullets.threshold=0.6", ...]`` from ``--metric-option`` into
    ``{"bullets": {"threshold": "0.6"}}`` (each metric validates its own)."""
    options: dict[str, dict[str, str]] = {}
    for key, value in parse_key_values(pairs, option="--metric-option").items():
        metric, dot, name = key.partition(".")
        if not dot or not metric or not name:
            raise fail(f"--metric-option {key}={value}: expected METRIC.KEY=VALUE, "
                       "e.g. bullets.threshold=0.6")
        options.setdefault(metric, {})[name] = value
    return options


def text_profile(name: str, *, fold_hamza: bool, clitics: bool, stem: bool | None,
                 tokenizer: str | None) -> "TextProfile":
    """The text profile from ``--profile`` and its options, only those given (so a
    profile keeps its defaults: ``xlsum`` stems unless ``--no-stem``); raises
    `ConfigError`."""
    from benchmark.text import get_profile

    options: dict = {key: value for key, value in (("fold_hamza", fold_hamza),
                                                   ("clitics", clitics),
                                                   ("tokenizer", tokenizer)) if value}
    if stem is not None:
        options["stem"] = stem
    return get_profile(name, **options)


def judge_options(judge: str | None, base_url: str | None, api_key_env: str | None,
                  pairs: list[str] | None, *, results: Path) -> dict[str, object]:
    """Scorer options for the ``judge`` metric from ``--judge`` and its flags; its answers
    are cached under ``<results>/.cache/judge``."""
    if judge is None:
        if base_url is not None or api_key_env is not None or pairs:
            raise fail("--judge-base-url, --judge-api-key-env and --judge-option need "
                       "--judge MODEL")
        return {}
    options: dict[str, object] = dict(parse_key_values(pairs, option="--judge-option"))
    if base_url is not None:
        options["base_url"] = base_url
    if api_key_env is not None:
        options["api_key_env"] = api_key_env
    return {"judge": judge, "judge_options": options,
            "judge_cache_dir": str(results / ".cache" / "judge")}
