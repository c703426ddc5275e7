"""An error of `bench compare` or `bench report` never suggests a flag the command lacks
(`bench report` used to suggest `--all-datasets`, which only compare has). Each
selection mistake is made through both commands; every ``--flag`` in the message must be
one of that command's options, unless it belongs to another command the message quotes
(``'bench run ... --name LABEL'``)."""

from __future__ import annotations

import re
import shutil

import pytest
import typer
from typer.testing import CliRunner

from benchmark.cli.app import app
from fake_runs import on_disk  # tests/ is on sys.path

VALUES = {"rouge2_f": [0.1, 0.2, 0.3]}
QUOTED_COMMAND = re.compile(r"'bench [a-z]+ [^']*'")


def options_of(command: str) -> set[str]:
    group = typer.main.get_command(app)
    return {opt for param in group.get_command(None, command).params for opt in param.opts
            if opt.startswith("--")}


def flags_in(message: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]*", QUOTED_COMMAND.sub("", message)))


@pytest.fixture
def results(tmp_path):
    on_disk(tmp_path / "r", "a", "lead-3", VALUES)
    on_disk(tmp_path / "r", "b", "lead-1", VALUES, dataset="other", sha="cd" * 32)
    return tmp_path / "r"


def mistakes(results):
    twin = on_disk(results.parent / "twins", "t", "lead-3", VALUES)
    shutil.copytree(twin, results.parent / "twins" / "t2")
    return {
        "unknown dataset": ["--results", results, "--dataset", "nosuch"],
        "unknown metric": ["--results", results, "--dataset", "news", "--metric", "nosuch"],
        "two runs, one label": [twin, results.parent / "twins" / "t2"],
        "different datasets named": [results / "a", results / "b"],
        "every run excluded": [results / "a", "--exclude", "lead-3"],
    }


@pytest.mark.parametrize("command", ["compare", "report"])
def test_selection_errors_name_only_the_commands_own_flags(results, tmp_path, command):
    allowed = options_of(command)
    extra = ["-o", tmp_path / "x.html"] if command == "report" else []
    for what, args in mistakes(results).items():
        result = CliRunner().invoke(app, [command, *map(str, args), *map(str, extra)])
        assert result.exit_code == 2, (what, result.output)
        assert "Traceback" not in result.output
        assert flags_in(result.output) <= allowed, (what, result.output)


def test_compare_with_several_datasets_in_one_table_format_asks_for_dataset(results):
    result = CliRunner().invoke(app, ["compare", "--results", str(results), "--format", "csv"])
    assert result.exit_code == 2
    assert flags_in(result.output) == {"--dataset", "--format"}
    assert "--all-datasets" not in options_of("report")
