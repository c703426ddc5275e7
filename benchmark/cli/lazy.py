"""The root group of ``bench``: a command's module is imported only when it is needed.

``bench --help`` lists every command with its one-line help from a table (`COMMANDS`
in `benchmark.cli.app`) instead of importing the command modules (their imports are
about a third of the start-up). A command's module is imported, and its click command
built exactly as ``app.command(name)`` or ``app.add_typer(sub, name=name)`` would build
it, when the command runs, when its own ``--help`` is asked, or when anything asks the
group for it. tests/test_cli_lazy.py checks the table against the real commands.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import typer

from benchmark.cli.usage import OneLineGroup

try:  # recent typer carries its own copy of click; older ones use click itself
    from typer._click.utils import make_default_short_help
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.utils import make_default_short_help  # type: ignore[no-redef]


class Lazy(NamedTuple):
    """Where a command lives and the first paragraph of its help, on one line."""

    module: str  # under benchmark.cli
    attribute: str  # a command function or a Typer app (a group of commands)
    help: str


def build_command(name: str, where: Lazy) -> Any:
    """The click command `name`, built by Typer as the eager registration built it."""
    target = getattr(importlib.import_module(f"benchmark.cli.{where.module}"), where.attribute)
    holder = typer.Typer(rich_markup_mode=None, add_completion=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class LazyGroup(OneLineGroup):
    """A `OneLineGroup` whose commands are named in `lazy` and built on first use."""

    lazy: dict[str, Lazy] = {}

    def list_commands(self, ctx) -> list[str]:
        return [*self.lazy, *(name for name in self.commands if name not in self.lazy)]

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = build_command(cmd_name, self.lazy[cmd_name])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx, formatter) -> None:
        """As click writes the list, with the help of commands not yet built taken from
        the table (`make_default_short_help` is what `get_short_help_str` calls)."""
        names = [name for name in self.list_commands(ctx)
                 if name not in self.commands or not self.commands[name].hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, self.commands[name].get_short_help_str(limit)
                 if name in self.commands else
                 make_default_short_help(self.lazy[name].help, limit).strip())
                for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
