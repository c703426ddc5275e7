"""``bench data validate|stats`` through the real CLI, and `dataset_stats`' numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import Example, dataset_stats, load_examples

GOOD_SEED = "date 2024-03-05 - أ: جملة أولى. - ب: جملة ثانية.\n\nنص المقال.\n"
HINT = "; fix it or rerun with --skip-invalid"


def bench(*args: str):
    return CliRunner().invoke(app, list(args))


def make(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_validate_bundled_dataset_prints_count_identity_and_skipped():
    result = bench("data", "validate")
    assert result.exit_code == 0, result.output
    identity = load_examples().identity
    assert result.stdout.splitlines()[1:] == [f"identity: {identity}", "skipped: 0"]
    assert result.stdout.startswith("ok: 1 example in ")  # not "1 examples"


@pytest.mark.parametrize("content", [
    pytest.param("\ufeff" + GOOD_SEED, id="bom"),
    pytest.param(GOOD_SEED.replace("\n", "\r\n"), id="crlf"),
    pytest.param("\n\n  " + GOOD_SEED.replace("\n", "  \n\n\n"), id="blank-lines-and-spaces"),
])
def test_validate_accepts_tolerated_variations(tmp_path, content):
    result = bench("data", "validate", str(make(tmp_path, "x.txt", content)))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 1 example in ")


def _jsonl(*lines: str) -> str:
    return "\n".join(lines) + "\n"


GOOD_ROW = json.dumps({"article": "م", "summary": "ملخص"}, ensure_ascii=False)

# Every malformed case of DESIGN §4.1 and issue 2: (file name, content, line, message).
MALFORMED = {
    "no-date-line": ("a.txt", "أ: ب\n\nنص.\n", 1, "no date line"),
    "no-bullets": ("a.txt", "date 2024-03-05\n\nنص.\n", 1, "no bullets"),
    "empty-body": ("a.txt", "date 2024-03-05 - أ: ب\n", 2, "empty body"),
    "not-utf8": ("a.txt", "date 2024-03-05 - أ: ب\n\n".encode() + "نص".encode("cp1256"), 3,
                 "not UTF-8 text"),
    # a PNG header: its first NUL byte comes after two line ends, on line 3
    "binary": ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary file"),
    "jsonl-not-json": ("d.jsonl", _jsonl(GOOD_ROW, "{oops", GOOD_ROW), 2, "not JSON"),
    "jsonl-no-article": ("d.jsonl", _jsonl(GOOD_ROW, GOOD_ROW, '{"summary": "s"}'), 3,
                         "no 'article' field"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_validate_rejects_malformed_input_in_one_line(tmp_path, case):
    name, content, line, words = MALFORMED[case]
    path = make(tmp_path, name, content)
    result = bench("data", "validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    [message] = result.stderr.splitlines()  # exactly one line, no traceback
    assert message.startswith(f"error: {path}:{line}: ") and words in message
    assert message.endswith(HINT)
    assert "Traceback" not in result.output


def test_validate_rejects_an_empty_folder_without_the_skip_hint(tmp_path):
    (tmp_path / "empty").mkdir()
    result = bench("data", "validate", str(tmp_path / "empty"))
    assert result.exit_code == 2
    # skipping cannot help: no hint to rerun with --skip-invalid
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'empty'}: empty folder; expected a seed .txt file, .jsonl, .csv, "
        ".parquet, a folder of seed .txt files or a folder written by Dataset.save_to_disk"]


def test_skip_invalid_skips_counts_and_warns_with_the_first_reasons(tmp_path):
    folder = tmp_path / "mixed"
    make(folder, "1.txt", GOOD_SEED)
    make(folder, "2.txt", b"\x00")
    make(folder, "3.txt", GOOD_SEED)
    make(folder, "4.txt", "date 2024-03-05\n\nنص.\n")
    result = bench("data", "validate", str(folder), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"ok: 2 examples in {folder}"
    assert result.stdout.splitlines()[2] == "skipped: 2"
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"warning: skipped 2 invalid records of {folder}: "
                              f"{folder / '2.txt'}:1: binary file")
    assert f"{folder / '4.txt'}:1: no bullets" in warning


def test_skip_warning_shows_three_reasons_and_counts_the_rest(tmp_path):
    path = make(tmp_path, "d.jsonl", _jsonl(GOOD_ROW, *["{bad"] * 5))
    result = bench("data", "validate", str(path), "--skip-invalid")
    assert result.exit_code == 0
    assert "skipped: 5" in result.stdout
    [warning] = result.stderr.splitlines()
    assert re.findall(r"d\.jsonl:(\d+): not JSON", warning) == ["2", "3", "4"]
    assert warning.endswith("; and 2 more")


STATS_EXAMPLES = [
    Example(id="1", article="أ ب ج", bullets=("د ه", "و"), date="2020-01-05"),
    Example(id="2", article="كلمة", bullets=("ز",)),
    Example(id="3", article="ا ب ج د ه", bullets=("ح", "ط", "ي"), date="2019-12-31",
            references=(("ك",), ("ل", "م"))),  # three annotators' summaries
]


def test_dataset_stats_hand_computed():
    assert dataset_stats(STATS_EXAMPLES) == {
        "examples": 3,
        # words by whitespace: 3, 1, 5
        "article_words": {"mean": 3.0, "median": 3, "min": 1, "max": 5},
        # characters incl. spaces: "أ ب ج" 5, "كلمة" 4, "ا ب ج د ه" 9
        "article_chars": {"mean": 6.0, "median": 5, "min": 4, "max": 9},
        # summaries "د ه\nو", "ز", "ح\nط\nي": words 3, 1, 3
        "summary_words": {"mean": 7 / 3, "median": 3, "min": 1, "max": 3},
        # their characters, newlines included: 5, 1, 5
        "summary_chars": {"mean": 11 / 3, "median": 5, "min": 1, "max": 5},
        "bullets_per_summary": {"1": 1, "2": 1, "3": 1},  # of the first reference
        "references_per_item": {"1": 2, "3": 1},
        "dates": {"first": "2019-12-31", "last": "2020-01-05", "with_date": 2,
                  "without_date": 1},
    }


def _stats_file(tmp_path: Path) -> Path:
    rows = [{**{k: v for k, v in e.to_record().items() if k != "meta"}} for e in STATS_EXAMPLES]
    return make(tmp_path, "small.jsonl", _jsonl(*(json.dumps(r, ensure_ascii=False)
                                                  for r in rows)))


def test_stats_json_has_the_identity_and_the_numbers(tmp_path):
    path = _stats_file(tmp_path)
    result = bench("data", "stats", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    data = load_examples(path)
    assert report == {"name": "small", "path": str(path), "identity": data.identity,
                      "skipped": 0, **dataset_stats(STATS_EXAMPLES)}


def test_stats_text_table(tmp_path):
    result = bench("data", "stats", str(_stats_file(tmp_path)))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("dataset   small@sha256:") and lines[0].endswith("(3 examples)")
    assert lines[1].split() == ["measure", "mean", "median", "min", "max"]
    assert lines[3].split() == ["article", "words", "3.0", "3", "1", "5"]
    assert lines[6].split() == ["summary", "chars", "3.7", "5", "1", "5"]  # 11/3 = 3.67
    assert lines[7] == "bullets per summary  1: 1  2: 1  3: 1"
    assert lines[8] == "references per item  1: 2  3: 1"
    assert lines[9] == "dates     2019-12-31 .. 2020-01-05 (1 without a date)"


def test_stats_markdown_and_csv_show_the_same_numbers(tmp_path):
    path = str(_stats_file(tmp_path))
    md = bench("data", "stats", path, "--format", "md").stdout
    assert "| summary chars | 3.7 | 5 | 1 | 5 |" in md
    csv_lines = bench("data", "stats", path, "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "measure,mean,median,min,max"
    assert csv_lines[4] == "summary chars,3.7,5,1,5"


def test_stats_rejects_an_unknown_format(tmp_path):
    result = bench("data", "stats", str(_stats_file(tmp_path)), "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
