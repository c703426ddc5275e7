"""``bench diff``: ranking of items, texts and entities shown, errors, escaping."""

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.report.diff_format import markdown_safe
from benchmark.textshow import LINES, escape, preview
from report_runs import ITEMS, S, make_run, write_corpus  # tests/ is on sys.path

runner = CliRunner()


def bench(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def two_runs(tmp_path):
    corpus = write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "results"
    return (make_run(out, corpus, "lead-1", "--metrics", "rouge,entities"),
            make_run(out, corpus, "lead-3", "--metrics", "rouge,entities"))


def test_items_ranked_by_absolute_difference(two_runs):
    result = bench("diff", *two_runs, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["metric"] == "rouge2_f" and payload["shared"] == 3
    assert [item["id"] for item in payload["items"]] == ["three", "two", "one"]
    three, two, one = payload["items"]
    assert three["b"]["score"] == 100 and two["b"]["score"] == 100  # x100 scale
    assert three["difference"] < two["difference"] < 0
    assert one["a"]["score"] == one["b"]["score"] == 100 and one["difference"] == 0
    assert three["bullets"] == S[:3]
    assert three["a"]["prediction"] == S[0] + "."
    # lead-1 leaves out the reference's 'five million' and 'Homs'; lead-3 misses nothing.
    assert three["b"]["missed"] == [] and three["b"]["invented"] == []
    assert three["a"]["missed"] and all(":" in entity for entity in three["a"]["missed"])


def test_top_and_text_format(two_runs):
    result = bench("diff", *two_runs, "--top", "1")
    assert result.exit_code == 0, result.output
    assert "1. three" in result.output and "2. two" not in result.output
    assert "reference:" in result.output and f"- {S[2]}" in result.output
    assert "entities missed:" in result.output


def test_runs_without_entities_show_none(tmp_path):
    corpus = write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "results"
    a, b = make_run(out, corpus, "lead-1"), make_run(out, corpus, "lead-3")
    payload = json.loads(bench("diff", a, b, "--format", "json").output)
    assert payload["items"][0]["a"]["missed"] is None
    assert "missed:" not in bench("diff", a, b).output


def test_different_datasets_is_one_line_error(tmp_path):
    out = tmp_path / "results"
    a = make_run(out, write_corpus(tmp_path / "news.jsonl"), "lead-1")
    b = make_run(out, write_corpus(tmp_path / "other.jsonl", ITEMS[:2]), "lead-3")
    result = bench("diff", a, b)
    assert result.exit_code == 2
    assert "scored news@sha256:" in result.output and "scored other@sha256:" in result.output
    assert "same dataset" in result.output and "Traceback" not in result.output


def test_missing_metric_is_one_line_error(two_runs):
    result = bench("diff", *two_runs, "--metric", "chrf")
    assert result.exit_code == 2
    assert "metric 'chrf' is not in this run" in result.output
    assert "rouge2_f" in result.output  # the metrics it has


def test_moved_dataset_says_how_to_fix(two_runs, tmp_path):
    (tmp_path / "moved").mkdir()
    (tmp_path / "news.jsonl").rename(tmp_path / "moved" / "news.jsonl")
    result = bench("diff", *two_runs)
    assert result.exit_code == 2 and "--dataset-path" in result.output
    # Same records, same file name: the same dataset, found where it now is.
    result = bench("diff", *two_runs, "--dataset-path", tmp_path / "moved" / "news.jsonl")
    assert result.exit_code == 0, result.output
    # Other records under the same name: not the data the runs scored.
    write_corpus(tmp_path / "moved" / "news.jsonl", ITEMS[:2])
    result = bench("diff", *two_runs, "--dataset-path", tmp_path / "moved" / "news.jsonl")
    assert result.exit_code == 2 and "but the run scored news@sha256:" in result.output


def test_hostile_prediction_is_escaped_in_text_and_markdown(tmp_path):
    corpus = write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "results"
    a = make_run(out, corpus, "lead-1")
    hostile = "\x1b[31mred\x1b[0m <script>alert(1)</script> | *bold* & [link](x)"
    predictions = tmp_path / "hostile.jsonl"
    predictions.write_text("".join(json.dumps({"id": item["id"], "prediction": hostile + " "
                                               + S[0]}) + "\n" for item in ITEMS))
    result = bench("score", "--predictions", predictions, "--dataset", corpus,
                   "--output-dir", out, "--name", "x|<b>")
    assert result.exit_code == 0, result.output
    (b,) = {p for p in out.iterdir() if not p.name.startswith(".")} - {a}
    text = bench("diff", a, b).output
    assert "\x1b" not in text and "\\x1b[31mred" in text
    md = bench("diff", a, b, "--format", "md").output
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\\| \\*bold\\* \\& \\[link\\]\\(x\\)" in md
    assert "x\\|\\<b\\>" in md


@pytest.mark.parametrize("raw,terminal,markdown", [
    ("plain عربي", "plain عربي", "plain عربي"),  # nothing to escape
    ("a\x07b\x9bc", "a\\x07b\\x9bc", "a\\\\x07b\\\\x9bc"),  # BEL, CSI shown, not sent
    ("a\u202eb", "a\\u202eb", "a\\\\u202eb"),  # an override shown, cannot reorder
    ("line1\nline2\ttab", "line1\nline2\ttab", "line1\nline2\ttab"),  # layout kept
    ("# h | <i> `c` _u_", "# h | <i> `c` _u_", "\\# h \\| \\<i\\> \\`c\\` \\_u\\_"),
])
def test_escaping_table(raw, terminal, markdown):
    assert escape(raw, keep=LINES) == terminal
    assert markdown_safe(raw) == markdown


def test_excerpt_cuts_at_a_space():
    assert preview("one two three four", 9) == "one two …"
    assert preview("short  text\n", 50) == "short text"


@given(st.text())
def test_escaped_text_carries_no_control_or_markup(text):
    shown = escape(text, keep=LINES)
    assert not any(ord(c) < 32 and c not in "\n\t" or 0x7f <= ord(c) <= 0x9f
                   or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069 for c in shown)
    # In Markdown every markup character is preceded by a backslash (an escaped one).
    md = markdown_safe(text)
    unescaped = re.sub(r"\\.", "", md, flags=re.S)
    assert not set(unescaped) & set("\\`*_{}[]<>()#+!|~&-")
