"""The conventions users expect: --version, -h, --flag/--no-flag, progress without a
terminal, hints apart from messages, long CSV fields, size limits, clear errors for
empty input and None, and the README's "Write your own summarizer" example, run."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark import Prediction, Scorer, Summarizer
from benchmark.cli.app import app
from benchmark.cli.progress import ProgressBar
from benchmark.data import load_examples
from benchmark.errors import ConfigError, InvalidRecordError, SummarizerError
from benchmark.llm.endpoints import Endpoint, read_api_key

ROOT = Path(__file__).resolve().parents[1]


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_version_and_short_help():
    assert bench("--version").output.strip() == "bench 0.1.0"
    for args in (["-h"], ["run", "-h"], ["ner", "eval", "-h"]):
        result = bench(*args)
        assert result.exit_code == 0 and "Usage:" in result.output, args


def test_boolean_flags_come_in_pairs_and_show_no_type():
    help_text = bench("run", "-h").output
    for pair in ("--cache / --no-cache", "--skip-invalid / --no-skip-invalid",
                 "--include-nisba / --no-include-nisba"):
        assert pair in help_text
    assert "<bool>" not in help_text
    assert "--force / --no-force" in bench("compare", "-h").output


def test_progress_lines_without_a_terminal(capsys):
    now = [100.0]
    bar = ProgressBar("lead-3", interval_s=10, clock=lambda: now[0], tty=False)

    class Run:
        path = Path("results/x")

    bar.start(Run(), 100, 0, False)
    for _ in range(10):  # 4 s per batch of 10: a line at 12, 24 and 36 s; none at 100%
        now[0] += 4
        bar.update(10)
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["run folder: results/x",
                     "lead-3: 30/100 items (30.0%), 2.5 items/s",
                     "lead-3: 60/100 items (60.0%), 2.5 items/s",
                     "lead-3: 90/100 items (90.0%), 2.5 items/s"]


def test_hints_name_settings_and_the_cli_words_them_as_flags():
    error = InvalidRecordError("bad", path="f.jsonl", line=3)
    assert str(error) == "f.jsonl:3: bad"
    assert error.worded_hint() == "fix it or rerun with skip_invalid=True"
    assert error.worded_hint({"skip_invalid": "--skip-invalid"}) == \
        "fix it or rerun with --skip-invalid"
    with pytest.raises(ConfigError) as caught:
        read_api_key(Endpoint("e", "http://u:pw@h/v1", "NO_SUCH_KEY_VAR"), owner="m",
                     environ={})
    assert "--" not in str(caught.value) and "pw" not in str(caught.value)
    assert "{api_key_env} VAR" in caught.value.hint


def test_install_hint_keeps_the_cpu_torch(monkeypatch):
    import importlib.util

    from benchmark.summarizers.hf import HFSummarizer

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real(name, *a))
    with pytest.raises(SummarizerError) as caught:
        HFSummarizer("hf:x/y")
    assert "torch first (the CPU build" in caught.value.hint


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "article", "summary"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_csv_fields_beyond_the_default_limit_and_the_right_line(tmp_path):
    """Defect: a field over 131,072 characters stopped the whole file, naming the wrong
    line, and --skip-invalid could not skip it."""
    long_article = ("كلمة " * 40_000).strip()  # 199,999 characters
    path = tmp_path / "big.csv"
    path.write_text(csv_text([
        {"id": "a", "article": "خبر أول.", "summary": "نقطة\nنقطة ثانية"},  # lines 2-3
        {"id": "b", "article": long_article, "summary": "طويل"},  # line 4
        {"id": "c", "article": "خبر ثالث.", "summary": "نقطة"},  # line 5
    ]), encoding="utf-8")
    assert [ex.id for ex in load_examples(path).examples] == ["a", "b", "c"]
    with pytest.raises(InvalidRecordError) as caught:
        load_examples(path, max_article_chars=100_000)
    assert str(caught.value).startswith(f"{path}:4: the article has 199,999 characters, "
                                        "more than the limit of 100,000")
    kept = load_examples(path, max_article_chars=100_000, skip_invalid=True)
    assert [ex.id for ex in kept.examples] == ["a", "c"] and len(kept.skipped) == 1
    result = bench("run", "--model", "lead-1", "--dataset", path, "--output-dir",
                   tmp_path / "r", "--max-article-chars", "100000")
    assert result.exit_code == 2
    assert "big.csv:4: the article has 199,999 characters" in result.output
    assert "raise the limit with --max-article-chars N" in result.output


def test_empty_text_for_ner_extract():
    result = bench("ner", "extract", "")
    assert result.exit_code == 2 and "error: the text is empty" in result.output


@pytest.mark.parametrize("predictions, message", [
    ([None], "item 0: a prediction must be a string, got NoneType"),
    (["نص", 3], "item 1: a prediction must be a string, got int"),
])
def test_python_api_rejects_non_string_predictions(predictions, message):
    with pytest.raises(ConfigError, match=message):
        Scorer(["rouge"]).score(predictions=predictions, references=["نص"] * len(predictions))


def test_a_runaway_answer_fails_its_item():
    pytest.importorskip("openai")
    from fake_openai import FakeOpenAIServer
    from test_summarizer_openai import examples, make

    with FakeOpenAIServer() as server:
        server.reply = lambda user: "- " + "كلمة " * 100
        summarizer = make(server, max_response_chars=50)
        [prediction] = summarizer.summarize(examples(1))
        summarizer.close()
    assert "more than max_response_chars 50" in prediction.error
    assert len(server.requests) == 1  # not retried


def readme_example() -> str:
    """The summarizer the README's tour asks the reader to save as my_summarizer.py."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- readme-test: save my_summarizer.py -->", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_summarizer_example_runs(tmp_path, monkeypatch):
    code = readme_example()
    assert len([line for line in code.splitlines() if line.strip()]) <= 15
    (tmp_path / "my_summarizer.py").write_text(code, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # found from the current folder, as the README says
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", ".")])
    result = bench("run", "--model", "py:my_summarizer:FirstWords", "-o", "words=4",
                   "--output-dir", tmp_path / "r")
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in (tmp_path / "r").iterdir() if (p / "run.json").exists()]
    [item] = [json.loads(line) for line in (run_dir / "items.jsonl").read_text().splitlines()]
    assert len(item["prediction"].split()) == 4
    assert bench("run", "--model", "py:my_summarizer:FirstWords", "-o", "lines=2",
                 "--output-dir", tmp_path / "r").exit_code == 2  # typed options
    assert issubclass(Summarizer, object) and Prediction("x").text == "x"
