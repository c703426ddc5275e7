"""Command-line mistakes (a misspelled option, a missing value) on one line.

Click answers a usage error with three lines (usage, a help hint, the error); ``bench``
answers every mistake with one: ``error: bench run: no such option --modle; did you
mean --model? (bench run -h lists them)``, exit code 2. The root group of the app is a
`OneLineGroup`; every command is parsed and invoked inside it.
"""

from __future__ import annotations

import contextlib
import difflib
from typing import Any, Iterator

import typer
from typer.core import TyperGroup


try:  # recent typer carries its own copy of click; older ones use click itself
    from typer._click import exceptions as click_errors
    from typer._click import globals as click_globals
    from typer._click.core import Context
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_errors  # type: ignore[no-redef]
    from click import globals as click_globals  # type: ignore[no-redef]
    from click.core import Context  # type: ignore[no-redef]


def current_context() -> Any:
    """The context of the command being run (None outside one)."""
    return click_globals.get_current_context(silent=True)


class OneLineUsageError(click_errors.UsageError):
    """A usage error already worded as one line."""

    def show(self, file=None) -> None:
        from benchmark.textshow import escape  # only when there is a mistake to show

        typer.echo(escape(f"error: {self.message}"), err=True, file=file)


class OneLineGroup(TyperGroup):
    """The root command group: usage errors of any command become one line."""

    def make_context(self, info_name, args, parent=None, **extra):
        with one_line_usage_errors(None):
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Context):
        with one_line_usage_errors(ctx):
            return super().invoke(ctx)


@contextlib.contextmanager
def one_line_usage_errors(group: Context | None) -> Iterator[None]:
    """Usage errors raised within as `OneLineUsageError`; `group` is the context of the
    group whose subcommand is being parsed (the parser names no context itself)."""
    try:
        yield
    except OneLineUsageError:
        raise
    except click_errors.NoArgsIsHelpError:  # `bench` alone prints its help
        raise
    except click_errors.UsageError as exc:
        command = (exc.ctx.command_path if exc.ctx is not None
                   else f"{group.command_path} {group.invoked_subcommand}"
                   if group is not None and group.invoked_subcommand else
                   group.command_path if group is not None else "bench")
        raise OneLineUsageError(usage_line(exc, command), ctx=exc.ctx) from None


def usage_line(exc: click_errors.UsageError, command: str) -> str:
    """``bench run: no such option --modle; did you mean --model? (bench run -h ...)``."""
    if isinstance(exc, click_errors.NoSuchOption):
        guess = _closest(exc.option_name, exc.possibilities or _options(exc.ctx))
        return (f"{command}: no such option {exc.option_name}"
                + (f"; did you mean {guess}?" if guess else "")
                + f" ({command} -h lists the options)")
    message = exc.format_message().strip().rstrip(".")
    if message.startswith("No such command"):
        name = message.split("'")[1] if message.count("'") >= 2 else ""
        guess = _closest(name, _commands(exc.ctx))
        return (f"{command}: no such command {name!r}"
                + (f"; did you mean {guess!r}?" if guess else "")
                + f" ({command} -h lists the commands)")
    return f"{command}: {message[:1].lower()}{message[1:]} (see {command} -h)"


def _closest(name: str, candidates) -> str | None:
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None


def _options(ctx: Context | None) -> list[str]:
    if ctx is None:
        return []
    return [opt for param in ctx.command.params for opt in getattr(param, "opts", [])
            if opt.startswith("--")]


def _commands(ctx: Context | None) -> list[str]:
    command = ctx.command if ctx is not None else None
    if command is not None and hasattr(command, "list_commands"):
        return list(command.list_commands(ctx))  # commands not yet imported too
    return []
