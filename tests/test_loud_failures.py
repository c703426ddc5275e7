"""Failures are loud and the status is true (issue 17, part 3).

- A metric that scored no item (a judge whose server is dead) makes the run ``failed``,
  exits 3 and names the metric and its first error; a metric failing on some items is
  counted in ``run.json`` and shown, and the run is ``complete``.
- An error that stops a run after its folder exists (a model folder that cannot load,
  a tokenizer that loses the text) leaves it ``failed`` with the reason, never
  ``running``; a mistake found before (an unknown option) leaves no folder at all.
(Ctrl-C and SIGTERM: tests/test_harness.py sends both to a real process.)
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402
from marked_items import marker, write_marked_dataset  # noqa: E402

runner = CliRunner()
ANSWER = json.dumps({"faithfulness": 4, "coverage": 3, "fluency": 5, "conciseness": 4,
                     "justification": "ملخص أمين"}, ensure_ascii=False)
FAST = ["--judge-option", "max_retries=0", "--judge-option", "concurrency=1"]


def dead_url() -> str:
    """A local address where nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def only_run(out: Path) -> dict:
    folders = [path for path in out.iterdir() if not path.name.startswith(".")]
    assert len(folders) == 1, folders
    return json.loads((folders[0] / "run.json").read_text(encoding="utf-8"))


def run(*args) -> object:
    return runner.invoke(app, ["run", *map(str, args)])


def test_a_dead_judge_makes_the_run_failed_with_its_first_error(tmp_path):
    dataset = write_marked_dataset(tmp_path / "d.jsonl", 3)
    out = tmp_path / "results"
    result = run("--model", "lead-3", "--dataset", dataset, "--output-dir", out,
                 "--metrics", "rouge,judge", "--judge", "openai:fake", "--judge-base-url",
                 dead_url(), "--judge-api-key-env", "none", *FAST)
    assert result.exit_code == 3, result.output  # before: 0, "complete", no word
    assert "warning: metric judge failed on all 3 scored items (first error: " in result.output
    assert "error: the run failed: judge scored no item" in result.output
    record = only_run(out)
    assert record["status"] == "failed"
    assert record["failures"]["metrics"]["judge"]["count"] == 3
    assert "connection" in record["failures"]["metrics"]["judge"]["first"].lower()


def test_a_judge_failing_on_some_items_is_counted_and_shown(tmp_path):
    dataset = write_marked_dataset(tmp_path / "d.jsonl", 5)
    out = tmp_path / "results"
    with FakeOpenAIServer(reply=lambda message: ANSWER) as server:
        server.inject(marker(1), "500")  # every request about item 1 fails
        server.inject(marker(3), "500")
        result = run("--model", "lead-3", "--dataset", dataset, "--output-dir", out,
                     "--metrics", "rouge,judge", "--judge", "openai:fake",
                     "--judge-base-url", server.url, "--judge-api-key-env", "none", *FAST)
    assert result.exit_code == 0, result.output
    assert "warning: metric judge failed on 2 of 5 scored items (first error: " \
        in result.output
    record = only_run(out)
    assert record["status"] == "complete"
    assert record["failures"]["metrics"] == {"judge": {
        "count": 2, "first": record["failures"]["metrics"]["judge"]["first"]}}
    assert "500" in record["failures"]["metrics"]["judge"]["first"]
    assert record["aggregates"]["judge_overall"]["n"] == 3


def test_a_run_without_metric_errors_has_no_metric_failures(tmp_path):
    out = tmp_path / "results"
    assert run("--model", "lead-3", "--output-dir", out).exit_code == 0
    record = only_run(out)
    assert record["status"] == "complete" and "metrics" not in record["failures"]


def test_an_unknown_option_leaves_no_run_folder(tmp_path):
    out = tmp_path / "results"
    result = run("--model", "lead-3", "-o", "sentense=2", "--output-dir", out)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_a_model_folder_that_cannot_load_leaves_a_failed_run(tmp_path):
    pytest.importorskip("transformers")
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")  # no model_type
    out = tmp_path / "results"
    result = run("--model", f"hf:{folder}", "--output-dir", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    record = only_run(out)
    assert record["status"] == "failed"  # before: "running", which compare calls unfinished
    assert "cannot load" in record["failed"]["error"]


def test_an_error_while_scoring_leaves_a_failed_run_that_resumes(tmp_path, monkeypatch):
    (tmp_path / "lossy_tokenizer.py").write_text(
        "class LosesEverything:\n    def tokenize(self, text):\n        return []\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # py: names and tokenizers import from the current folder
    out = tmp_path / "results"
    result = run("--model", "lead-3", "--tokenizer", "lossy_tokenizer:LosesEverything",
                 "--output-dir", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    record = only_run(out)
    assert record["status"] == "failed" and record["failed"]["error"]
