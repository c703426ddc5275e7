"""Row formats: JSONL (corpora and XL-Sum), CSV and Parquet, with file:line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from benchmark.data.example import Example
from benchmark.data.invalid import InvalidRecordError
from benchmark.data.tabular import read_csv, read_jsonl, read_parquet
from benchmark.errors import DataError

CORPUS_ROW = {
    "id": "BB-world-1-20180301", "source_corpus": "ANT v2.1 / BBC Arabic",
    "article": "  الفقرة الأولى.\nالفقرة الثانية.  ", "summary": "جملة أولى. جملة ثانية.",
    "summary_bullets": ["جملة أولى.", "جملة ثانية."], "date": "2018-03-01",
    "url": "http://www.bbc.co.uk/arabic/world-1",
}
EXAMPLES = [
    Example(id="a", article="مقال أول.\nفقرة.", bullets=("نقطة 1", "نقطة 2"), date="2024-01-02",
            source="a.txt", meta={"headings": ["عنوان", "آخر"]}),
    Example(id="b", article="مقال ثان.", bullets=("نقطة وحيدة",), date=None, source=None,
            meta={"url": "http://x/b", "rank": 3}),
    Example(id="c", article="مقال ثالث.", bullets=("x", "y", "z"), date="2023-12-31",
            source="http://x/c", meta={}),
]


def jsonl(tmp_path: Path, lines: list[str | dict], name: str = "data.jsonl") -> Path:
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                     for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def examples_of(parsed) -> list[Example]:
    items = [item for _, item in parsed]
    for item in items:
        if isinstance(item, Exception):
            raise item
    return items


def test_corpus_row_uses_summary_bullets_and_keeps_url_and_corpus_in_meta(tmp_path):
    [example] = examples_of(read_jsonl(jsonl(tmp_path, [CORPUS_ROW]), shown="data.jsonl"))
    assert example == Example(
        id="BB-world-1-20180301",
        article="الفقرة الأولى.\nالفقرة الثانية.",  # outer whitespace trimmed only
        bullets=("جملة أولى.", "جملة ثانية."),  # summary_bullets wins over summary
        date="2018-03-01",
        source="http://www.bbc.co.uk/arabic/world-1",  # the url, since there is no source
        meta={"source_corpus": "ANT v2.1 / BBC Arabic",
              "url": "http://www.bbc.co.uk/arabic/world-1"},
    )


def test_xlsum_row_reads_text_as_article_and_keeps_title(tmp_path):
    row = {"id": "xl-1", "url": "https://www.bbc.com/arabic/x", "title": "العنوان",
           "summary": "الملخص في جملة.", "text": "نص المقال."}
    [example] = examples_of(read_jsonl(jsonl(tmp_path, [row]), shown="x"))
    assert example.article == "نص المقال."
    assert example.bullets == ("الملخص في جملة.",)
    assert example.meta == {"url": "https://www.bbc.com/arabic/x", "title": "العنوان"}
    assert example.source == "https://www.bbc.com/arabic/x"
    assert example.date is None


def test_summary_text_splits_into_bullets_at_newlines_and_missing_ids_use_stem_and_line(tmp_path):
    path = jsonl(tmp_path, [
        {"article": "م1", "summary": " أولى \n\n ثانية\n"},  # line 1
        "",  # line 2: blank lines are skipped
        "   ",  # line 3
        {"article": "م2", "bullets": ["ب1", " ", "ب2 "], "date": "2018-03-23T10:15:00Z"},  # 4
        {"id": 7, "article": "م3", "bullets": "ج1\r\nج2", "source": None},  # line 5
    ], name="mine.jsonl")
    first, second, third = examples_of(read_jsonl(path, shown=str(path)))
    assert (first.id, first.bullets, first.source) == ("mine-1", ("أولى", "ثانية"), "mine.jsonl")
    assert (second.id, second.bullets, second.date) == ("mine-4", ("ب1", "ب2"), "2018-03-23")
    # an integer id becomes text; an explicit null source stays None (no file name)
    assert (third.id, third.bullets, third.source) == ("7", ("ج1", "ج2"), None)


def test_bom_and_crlf_jsonl_is_accepted(tmp_path):
    path = tmp_path / "bom.jsonl"
    body = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in [CORPUS_ROW, {**CORPUS_ROW,
                                                                                "id": "2"}])
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8") + b"\r\n")
    assert [e.id for e in examples_of(read_jsonl(path, shown="bom.jsonl"))] == [
        "BB-world-1-20180301", "2"]


# Each bad line: (line, expected line number, words the message must contain).
BAD_LINES = {
    "not-json": ('{"article": "x", "summary": "y"', "not JSON"),
    "truncated-word": ("nul", "not JSON"),
    "array": ('["article", "summary"]', "expected a JSON object, found list"),
    "no-article": ({"id": "z", "summary": "y"}, "no 'article' field"),
    "empty-article": ({"article": "  ", "summary": "y"}, "empty 'article'"),
    "article-number": ({"article": 5, "summary": "y"}, "'article' is int, not text"),
    "no-summary": ({"article": "x"}, "no summary"),
    "empty-summary": ({"article": "x", "summary": "\n \n"}, "empty 'summary'"),
    "bullets-of-numbers": ({"article": "x", "bullets": [1, 2]}, "'bullets' must be text"),
    "bad-date": ({"article": "x", "summary": "y", "date": "23/03/2018"}, "bad date"),
    "impossible-date": ({"article": "x", "summary": "y", "date": "2018-02-30"}, "bad date"),
    "meta-not-object": ({"article": "x", "summary": "y", "meta": "[1]"}, "'meta' must be"),
}


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_bad_jsonl_line_is_reported_at_its_line_and_the_rest_still_reads(tmp_path, case):
    line, words = BAD_LINES[case]
    path = jsonl(tmp_path, [CORPUS_ROW, "", line, {**CORPUS_ROW, "id": "after"}])
    items = [item for _, item in read_jsonl(path, shown=str(path))]
    assert [type(item) for item in items] == [Example, InvalidRecordError, Example]
    error = items[1]
    assert (error.path, error.line) == (str(path), 3)  # line 2 is blank, the bad one is 3
    assert str(error).startswith(f"{path}:3: ") and words in str(error)
    assert "\n" not in str(error)


def test_non_utf8_jsonl_line_is_reported_at_its_line(tmp_path):
    path = tmp_path / "enc.jsonl"
    good = json.dumps(CORPUS_ROW, ensure_ascii=False).encode("utf-8")
    bad = '{"article": "مقال", "summary": "ملخص"}'.encode("cp1256")
    path.write_bytes(good + b"\n" + bad + b"\n")
    items = [item for _, item in read_jsonl(path, shown="enc.jsonl")]
    assert isinstance(items[1], InvalidRecordError)
    assert str(items[1]).startswith("enc.jsonl:2: not UTF-8 text")


def write_csv(path: Path, rows: list[dict], fields: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_csv_round_trip_of_records(tmp_path):
    fields = ["id", "date", "article", "summary", "source", "meta"]
    rows = []
    for example in EXAMPLES:
        record = example.to_record()
        record["meta"] = json.dumps(record["meta"], ensure_ascii=False)
        rows.append({key: record[key] for key in fields})
    path = write_csv(tmp_path / "records.csv", rows, fields)
    # CSV has no null: an empty date or source reads as None, as it was written.
    assert examples_of(read_csv(path, shown=str(path))) == EXAMPLES


def test_csv_lines_name_the_first_line_of_a_multiline_record(tmp_path):
    # Row 1 spans lines 2-4: two quoted fields hold one newline each.
    rows = [{"id": "1", "article": "سطر\nسطر آخر", "summary": "أ\nب"},
            {"id": "2", "article": "", "summary": "ج"},  # line 5: empty article
            {"id": "3", "article": "م", "summary": ""}]  # line 6: no summary
    path = write_csv(tmp_path / "multi.csv", rows, ["id", "article", "summary"])
    items = [item for _, item in read_csv(path, shown="multi.csv")]
    assert items[0].bullets == ("أ", "ب") and items[0].article == "سطر\nسطر آخر"
    assert str(items[1]) == "multi.csv:5: empty 'article'"
    assert str(items[2]).startswith("multi.csv:6: no summary")


def test_csv_extra_fields_and_unreadable_csv(tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("article,summary\nم,ملخص,زائد\n", encoding="utf-8")
    [(_, item)] = list(read_csv(path, shown="extra.csv"))
    assert str(item) == "extra.csv:2: 1 more field(s) than the header"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataError, match="empty CSV file"):
        list(read_csv(empty, shown="empty.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"article,summary\n\x00\x01")
    with pytest.raises(DataError, match=r"binary.csv:2: binary file") as caught:
        list(read_csv(binary, shown="binary.csv"))
    assert not isinstance(caught.value, InvalidRecordError)  # the whole file: not skippable


def test_parquet_round_trip_through_to_hf_dataset(tmp_path):
    from benchmark.data.hf_dataset import to_hf_dataset

    path = tmp_path / "records.parquet"
    to_hf_dataset(EXAMPLES).to_parquet(str(path))
    assert examples_of(read_parquet(path, shown=str(path))) == EXAMPLES


def test_parquet_with_plain_columns_and_a_bad_row(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "article": ["مقال 1", None, "مقال 3"],
        "summary": ["أ\nب", "ج", "د"],
        "date": [dt.date(2020, 5, 1), None, dt.date(2021, 1, 9)],
        "views": [10, 20, 30],
    })
    path = tmp_path / "plain.parquet"
    pq.write_table(table, path)
    first, bad, third = [item for _, item in read_parquet(path, shown="plain.parquet")]
    assert first == Example(id="plain-1", article="مقال 1", bullets=("أ", "ب"),
                            date="2020-05-01", source="plain.parquet", meta={"views": 10})
    assert str(bad) == "plain.parquet:2: empty 'article'"  # row 2 has a null article
    assert (third.id, third.date) == ("plain-3", "2021-01-09")


def test_damaged_parquet_is_a_data_error(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match="not a readable Parquet file"):
        list(read_parquet(path, shown=str(path)))


def test_empty_summary_bullets_fall_back_to_the_summary_text(tmp_path):
    """An empty list is no summary; the text column beside it is (one bullet per line)."""
    from benchmark.data import load_examples

    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x", "article": "نص.", "summary_bullets": [], '
                    '"summary": "أولى\\nثانية"}\n', encoding="utf-8")
    (example,) = load_examples(path).examples
    assert example.bullets == ("أولى", "ثانية")
