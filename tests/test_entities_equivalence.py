"""The ``rules`` extractor finds exactly the entities recorded in
``tests/data/entities_bbc500.jsonl.gz`` (written by ``benchmarks/entities_fixture.py``
from the rules before the speed work): articles and summaries of the first 500 BBC
items, every type, offset, key and value. A speed change may not alter any of them."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import dates, numbers
from benchmark.entities.memo import WordMemo
from benchmark.entities.rules import RulesBackend
from benchmark.entities.stream import text_words

# The fixture's writer is a script in benchmarks/ (no package): load it by path, so one
# module owns the format.
_SPEC = importlib.util.spec_from_file_location(
    "entities_fixture", Path(__file__).resolve().parents[1] / "benchmarks" / "entities_fixture.py")
fixture_script = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(fixture_script)
FIXTURE, corpus_texts = fixture_script.FIXTURE, fixture_script.corpus_texts
entity_rows, text_digest = fixture_script.entity_rows, fixture_script.text_digest


def _fixture() -> tuple[dict, dict[tuple[str, str], dict]]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        header, *records = [json.loads(line) for line in handle]
    return header, {(r["id"], r["field"]): r for r in records}


def _rows(entities) -> list[list]:
    return json.loads(json.dumps(entity_rows(entities), ensure_ascii=False))


def test_rules_extract_the_fixture_entities(shared_dir: Path) -> None:
    header, expected = _fixture()
    backend = RulesBackend()
    assert header["extractor"] == backend.signature().format(), \
        "the rules changed version: regenerate the fixture from the rules before speed work"
    corpus = shared_dir / "corpora" / header["corpus"]
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    differences = []
    for item_id, article, summary in corpus_texts(corpus, header["items"]):
        found = backend.extract(article)
        for field, text, known in (("article", article, None), ("summary", summary, found)):
            record = expected[(item_id, field)]
            assert record["sha"] == text_digest(text), f"{item_id} {field}: corpus changed"
            entities = found if known is None else backend.extract(text, known=known)
            assert all(e.text == text[e.start:e.end] for e in entities)
            rows = _rows(entities)
            if rows != record["entities"]:
                missing = [r for r in record["entities"] if r not in rows]
                extra = [r for r in rows if r not in record["entities"]]
                differences.append(f"{item_id} {field}: lost {missing[:3]} new {extra[:3]}")
    assert not differences, f"{len(differences)} texts differ:\n" + "\n".join(differences[:10])


def test_fixture_holds_no_corpus_text() -> None:
    """Only ids, digests, offsets, types, keys and values: no field carries a text."""
    _, records = _fixture()
    assert len(records) == 1000
    assert all(set(r) == {"id", "field", "sha", "entities"} for r in records.values())
    assert FIXTURE.stat().st_size < 1_000_000


# Words that make the number and date patterns begin, end and fail in odd places:
# proclitics and articles before digits of three scripts, signs, and names of months,
# weekdays, numbers and ordinals (with letter variants, marks and tatweel), joined by
# spaces, punctuation or nothing.
_PREFIXES = ["", "", "و", "ف", "ب", "ل", "ك", "وب", "فل", "ال", "لل", "الـ", "بـ", "وال",
             "\u064e"]
_CORES = ["5", "12", "٢٠", "۱۹", "2018", "3.5", "1,000", "$", "€", "%", "٪", "ثلاثة",
          "ثلاثه", "ثلاث", "الف", "ألف", "آلاف", "مليون", "عشر", "عشرة", "أحد", "اثنا",
          "ثالث", "ثالثة", "خامس", "مارس", "آذار", "كانون", "الثاني", "شعبان", "الإثنين",
          "الاثنين", "الجمعة", "عام", "منذ", "الساعة", "صباحا", "مساء", "دولار", "المئة",
          "في", "من", "يوم", "شهر", "سنة", "ة", "ى", "م", "هـ", "a", "ـ", "\u0651",
          "\u200c", "²", "½"]
_GLUE = [" ", " ", " ", "", "", "  ", "\n", "/", " / ", "-", ".", ":", "،", "("]
_WORDS = st.tuples(st.sampled_from(_PREFIXES), st.sampled_from(_CORES),
                   st.sampled_from(_GLUE)).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_WORDS, max_size=8).map("".join))
def test_pattern_starts_find_what_the_patterns_find(text: str) -> None:
    """Trying the patterns only where `PatternStarts` says a match may begin finds the
    same matches as trying them at every character."""
    words = text_words(text)
    for starts in (dates._DATE_STARTS, dates._CLOCK_STARTS, numbers._NUMBER_STARTS,
                   numbers._ORDINAL_STARTS):
        expected = [m.span() for m in starts.pattern.finditer(text)]
        assert [m.span() for m in starts.finditer(text)] == expected
        # why: the starts of the one reading of the text (`stream.TextWords`) are
        # another superset of the match starts (numerals glued to letters: ½, ²).
        assert [m.span() for m in starts.finditer(text, words)] == expected


def test_word_memo_computes_each_distinct_word_once_and_stays_bounded() -> None:
    calls: list[str] = []
    memo = WordMemo(lambda word: calls.append(word) or word.upper(), limit=3)
    assert memo.values(["a", "b", "a"]) == ["A", "B", "A"]
    assert sorted(calls) == ["a", "b"]  # why: "a" twice in one text, computed once
    assert memo.values(["b", "c"]) == ["B", "C"] and sorted(calls) == ["a", "b", "c"]
    assert memo.values(["d", "e"]) == ["D", "E"]  # now 5 remembered: over the limit
    calls.clear()
    assert memo.values(["a", "e"]) == ["A", "E"]
    assert sorted(calls) == ["a", "e"]  # why: the full memo started afresh
