"""`bench` imports a command's module only when the command is used; nothing else changes.

The one-line helps `bench --help` shows come from a table (`benchmark.cli.app.COMMANDS`);
these tests fail when the table drifts from the commands' own docstrings, when the
listing differs from the one the built commands give, or when `bench --help` imports a
command module again.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from benchmark.cli.app import COMMANDS, app
from benchmark.cli.lazy import make_default_short_help

try:
    from typer._click.core import Context
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.core import Context  # type: ignore[no-redef]


def fresh_group():
    return typer.main.get_command(app)  # a new group: no command built yet


def help_at(group, width: int) -> str:
    ctx = Context(group, info_name="bench", terminal_width=width, max_content_width=width)
    return group.get_help(ctx)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_says_what_the_command_says(name):
    command = fresh_group().get_command(None, name)
    assert not command.short_help and not command.hidden and not command.deprecated
    first_paragraph = command.help.split("\n\n")[0]
    assert COMMANDS[name].help == " ".join(first_paragraph.split())
    for limit in range(1, 240):  # every terminal width cuts both the same way
        assert make_default_short_help(COMMANDS[name].help, limit).strip() \
            == command.get_short_help_str(limit), limit


@pytest.mark.parametrize("width", [30, 50, 80, 100, 140, 250])
def test_the_listing_is_the_one_the_built_commands_give(width):
    lazy, built = fresh_group(), fresh_group()
    for name in built.list_commands(None):
        built.get_command(None, name)
    assert set(built.commands) == set(COMMANDS)
    assert not lazy.commands
    assert help_at(lazy, width) == help_at(built, width)
    assert not lazy.commands  # listing them built none


def test_commands_are_listed_in_the_tables_order():
    result = CliRunner().invoke(app, ["--help"], terminal_width=100)
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:\n")[1].splitlines()
              if line.startswith("  ") and not line.startswith("   ")]
    assert listed == ["run", "score", "compare", "report", "diff", "judge", "meta", "list",
                      "data", "ner", "human"]


def modules_after(arguments: list[str]) -> list[str]:
    code = ("import json, sys\nfrom typer.testing import CliRunner\n"
            "from benchmark.cli.app import app\n"
            f"r = CliRunner().invoke(app, {arguments!r})\nassert r.exit_code == 0, r.output\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('benchmark.'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def test_bench_help_imports_no_command_module():
    assert modules_after(["--help"]) == ["benchmark.cli", "benchmark.cli.app",
                                         "benchmark.cli.lazy", "benchmark.cli.usage"]


def test_a_commands_help_imports_that_command_only():
    loaded = modules_after(["diff", "--help"])
    assert "benchmark.cli.diff" in loaded
    assert not {f"benchmark.cli.{where.module}" for name, where in COMMANDS.items()
                if name != "diff"} & set(loaded)


def test_a_misspelled_command_is_matched_against_commands_not_yet_imported():
    result = CliRunner().invoke(app, ["hman"])
    assert result.exit_code == 2
    assert "no such command 'hman'; did you mean 'human'?" in result.output
