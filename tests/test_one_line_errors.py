"""Tracebacks that were, now one-line errors; compare's silent drops, now said; terminal
control sequences from names, now shown instead of obeyed."""

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.textshow import LINES, escape
from test_harness import write_corpus

TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def importable(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS))


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def one_error_line(result, code=2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and result.exception is None or \
        isinstance(result.exception, SystemExit), result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.output
    return errors[0]


def two_runs(tmp_path) -> tuple[Path, list[Path]]:
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    out = tmp_path / "r"
    for model in ("lead-1", "lead-3"):
        assert bench("run", "--model", model, "--dataset", corpus, "--output-dir", out).exit_code == 0
    return out, sorted(p for p in out.iterdir() if (p / "run.json").exists())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_compare_output_to_a_read_only_folder(tmp_path):
    out, _ = two_runs(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        line = one_error_line(bench("compare", "--results", out, "--output", locked / "t.md"))
    finally:
        locked.chmod(0o700)
    assert "t.md: Permission denied" in line


def test_compare_output_onto_a_folder(tmp_path):
    out, _ = two_runs(tmp_path)
    line = one_error_line(bench("compare", "--results", out, "--output", out))
    assert "Is a directory" in line


def test_compare_output_into_a_missing_folder(tmp_path):
    out, _ = two_runs(tmp_path)
    line = one_error_line(bench("compare", "--results", out, "--output",
                                tmp_path / "nowhere" / "t.md"))
    assert "t.md: No such file or directory" in line


def test_items_line_that_is_json_but_not_an_object(tmp_path):
    out, runs = two_runs(tmp_path)
    items = runs[0] / "items.jsonl"
    lines = items.read_text(encoding="utf-8").splitlines()
    lines[1] = "[1, 2, 3]"
    items.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = one_error_line(bench("compare", "--results", out))
    assert "items.jsonl:2: expected a JSON object, found an array" in line


def test_unfinished_run_with_an_item_without_id(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 4)
    out = tmp_path / "r"
    args = ("run", "--model", "py:counting_summarizer:Counting", "-o", f"log={tmp_path / 'log'}",
            "--dataset", corpus, "--output-dir", out)
    assert bench(*args).exit_code == 0
    (run_dir,) = [p for p in out.iterdir() if (p / "run.json").exists()]
    record = json.loads((run_dir / "run.json").read_text())
    record["status"] = "running"
    (run_dir / "run.json").write_text(json.dumps(record))
    (run_dir / "items.jsonl").write_text('{"prediction": "x", "error": null}\n')
    line = one_error_line(bench(*args))
    assert "items.jsonl:1: no 'id' in this line" in line and "delete the run folder" in line


def test_cache_line_without_id(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    out = tmp_path / "r"
    args = ("run", "--model", "py:counting_summarizer:Counting", "-o", f"log={tmp_path / 'log'}",
            "--dataset", corpus, "--output-dir", out)
    assert bench(*args).exit_code == 0
    (cache_file,) = (out / ".cache").glob("*.jsonl")
    cache_file.write_text('{"article_sha": "x", "text": "y"}\n')
    line = one_error_line(bench(*args))
    assert ".jsonl:1: no 'id' in this line" in line and "delete it" in line


def test_compare_names_a_run_with_a_damaged_run_json(tmp_path):
    """Defect: such a run was left out without a word."""
    out, runs = two_runs(tmp_path)
    (runs[0] / "run.json").write_text('{"schema_version": 1, "status": "compl', encoding="utf-8")
    result = bench("compare", "--results", out)
    assert result.exit_code == 0, result.output
    assert f"unreadable ({runs[0] / 'run.json'}: not valid JSON" in result.output


def test_compare_refuses_a_torn_items_file_that_disagrees_with_n(tmp_path):
    """Defect: a torn last line removed an item from the paired tests while the table's
    n still counted it."""
    out, runs = two_runs(tmp_path)
    items = runs[1] / "items.jsonl"
    items.write_bytes(items.read_bytes()[:-20])
    line = one_error_line(bench("compare", "--results", out))
    assert "items.jsonl: 4 scored items, but run.json counts 5; its last line is cut off" in line


@pytest.mark.parametrize("text, shown", [
    ("evil\x1b]0;pwned\x07", "evil\\x1b]0;pwned\\x07"),
    ("a\rb\x9bc", "a\\x0db\\x9bc"),
    ("سطر\tو\nسطر", "سطر\tو\nسطر"),  # tab, newline and Arabic untouched
])
def test_terminal_safe(text, shown):
    assert escape(text, keep=LINES) == shown


def test_control_sequences_in_a_model_name_are_not_printed_raw(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 2)
    preds = tmp_path / "p.jsonl"
    preds.write_text('{"id": "n000", "prediction": "الخبر"}\n', encoding="utf-8")
    result = bench("score", "--predictions", preds, "--dataset", corpus, "--name",
                   "evil\x1b[2J\x1b]0;title\x07", "--output-dir", tmp_path / "r")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "evil\\x1b[2J" in result.output
