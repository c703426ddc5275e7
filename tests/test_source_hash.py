"""Defect: editing a ``py:`` summarizer's class and rerunning silently reused the old
predictions (the cache key did not change with the code), and the terminal did not say
that predictions came from the cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.summarizers.base import source_hash
from benchmark.summarizers.registry import create_summarizer

SUMMARIZER = '''
from benchmark.summarizers.base import Prediction, Summarizer


class Fixed(Summarizer):
    def summarize(self, examples):
        return [Prediction("{text}") for _ in examples]
'''


def write_module(folder: Path, text: str) -> None:
    (folder / "my_fixed_summarizer.py").write_text(SUMMARIZER.replace("{text}", text),
                                                   encoding="utf-8")
    sys.modules.pop("my_fixed_summarizer", None)  # as a new process would import it


def run(folder: Path, corpus: Path) -> tuple[list[str], str]:
    result = CliRunner().invoke(app, ["run", "--model", "py:my_fixed_summarizer:Fixed",
                                      "--dataset", str(corpus), "--output-dir",
                                      str(folder / "results")])
    assert result.exit_code == 0, result.output
    newest = max((p for p in (folder / "results").iterdir() if (p / "run.json").exists()),
                 key=lambda p: p.stat().st_mtime_ns)
    lines = (newest / "items.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["prediction"] for line in lines], result.output


def test_editing_a_py_summarizer_invalidates_its_cached_predictions(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "article": f"خبر {i}.",
                                          "summary": "خبر"}, ensure_ascii=False) + "\n"
                              for i in range(2)), encoding="utf-8")
    write_module(tmp_path, "القديم")
    first, output = run(tmp_path, corpus)
    assert first == ["القديم"] * 2 and "predictions: 0 of 2 from the cache" in output
    again, output = run(tmp_path, corpus)
    assert again == ["القديم"] * 2 and "predictions: 2 of 2 from the cache" in output
    write_module(tmp_path, "الجديد")
    edited, output = run(tmp_path, corpus)
    assert edited == ["الجديد"] * 2 and "predictions: 0 of 2 from the cache" in output


def test_only_code_outside_the_package_is_hashed(tmp_path, monkeypatch):
    assert source_hash(type(create_summarizer("lead-3"))) is None
    assert create_summarizer("lead-3").signature().get("src") is None
    monkeypatch.syspath_prepend(str(tmp_path))
    write_module(tmp_path, "x")
    summarizer = create_summarizer("py:my_fixed_summarizer:Fixed")
    assert summarizer.signature().get("src") == source_hash(type(summarizer))


def test_a_baseline_run_says_it_is_not_cached(tmp_path):
    result = CliRunner().invoke(app, ["run", "--model", "lead-3", "--output-dir",
                                      str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ("predictions: all 1 computed (lead-3 is never cached: it is cheaper to "
            "recompute)") in result.output
    assert "caching is off" not in result.output  # the user did not turn it off
