"""The ``rules`` backend: what it finds in sentences, offsets, clitics, aliases, edge
cases (empty, Latin-only, 100,000 words) and invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import extract_entities as api_extract
from benchmark.entities import Entity, entity_key, extract_entities, get_backend
from benchmark.entities.registry import BACKENDS
from benchmark.errors import ConfigError, UnknownNameError

SEED = Path(__file__).resolve().parents[1] / "datasets" / "000_04dacd3f9b1a1c24.txt"


def found(text, **kwargs):
    return [(e.type, e.text) for e in extract_entities(text, **kwargs)
            if e.type != "MISC"]


@pytest.mark.parametrize("text,expected", [
    # Title + portfolio + nisba are skipped; the name (with particle أبو) is kept.
    ("قال وزير الدفاع السوري مرهف أبو قصرة إن", [("PERS", "مرهف أبو قصرة")]),
    # A title followed by a place, then the name: both found.
    ("ملكة إسبانيا ليتيسيا", [("LOC", "إسبانيا"), ("PERS", "ليتيسيا")]),
    # A given name is evidence on its own; the particle بن belongs to the name; the
    # proclitic ل is outside the span.
    ("الحارس الشخصي لأسامة بن لادن", [("PERS", "أسامة بن لادن")]),
    # Coordinated names after a title; و is outside the second span.
    ("الوزيرين أسعد الشيباني وأبو قصرة", [("PERS", "أسعد الشيباني"), ("PERS", "أبو قصرة")]),
    # Country variants and clitics: بسورية -> سورية; لل restores the article in the key.
    ("في بسورية وللأمم المتحدة", [("LOC", "سورية"), ("ORG", "لأمم المتحدة")]),
    # Included head with idafa and nisba; a describing head is left out of the span.
    ("أعلنت وزارة العدل الأمريكية أن شركة غوغل", [("ORG", "وزارة العدل الأمريكية"),
                                                ("ORG", "غوغل")]),
    # A nisba closes an organization's name; an evaluative adjective is not part of it.
    ("وفق وكالة الأنباء السورية الرسمية", [("ORG", "وكالة الأنباء السورية")]),
    # Indefinite bodies are not names.
    ("قضت محكمة عسكرية مصرية", []),
    # Multiword gazetteer entries win over their parts.
    ("الولايات المتحدة الأمريكية وكوريا الشمالية", [("LOC", "الولايات المتحدة الأمريكية"),
                                                   ("LOC", "كوريا الشمالية")]),
    # The preposition على is not the name علي.
    ("وعلى الصعيد السياسي", []),
])
def test_sentences(text, expected):
    assert found(text) == expected


def test_keys_are_normalized_citation_forms():
    entities = extract_entities("وللأمم المتحدة في بسورية")
    keys = {(e.type, e.key) for e in entities}
    assert ("ORG", "الامم المتحده") in keys  # لل -> ال, alef and taa marbuta folded
    assert ("LOC", "سوريه") in keys


def test_surname_and_acronym_aliases_propagate():
    text = ("أعلن وزير الخارجية أسعد الشيباني ذلك، وفق وكالة الأنباء القطرية (قنا). "
            "وقال الشيباني إن قنا نشرت الخبر.")
    types = found(text)
    assert types.count(("PERS", "الشيباني")) == 1  # surname seen with its full form
    assert types.count(("ORG", "قنا")) == 2  # acronym in parentheses, then alone


def test_known_entities_from_the_article_are_recognized():
    # Without known=, a bare unfamiliar surname is not a name; with the article's
    # entities it is.
    article = extract_entities("وكان وزير الدفاع مرهف أبو قصرة في موسكو")
    assert ("PERS", "قصرة") not in found("تحدث قصرة")
    assert found("ناقش أبو قصرة الأمر", known=article) == [("PERS", "أبو قصرة")]


def test_nisba_is_misc_linked_to_its_country():
    entities = extract_entities("العلاقات السورية الروسية")
    assert [(e.type, e.key) for e in entities] == [("MISC", "السوريه"), ("MISC", "الروسيه")]


def test_seed_article_offsets_and_known_people():
    text = SEED.read_text(encoding="utf-8")
    entities = extract_entities(text)
    for entity in entities:
        assert text[entity.start:entity.end] == entity.text
    persons = {e.key for e in entities if e.type == "PERS"}
    assert {"اسعد الشيباني", "سيرغي لافروف", "فلاديمير بوتين", "مرهف ابو قصره",
            "هاكان فيدان", "احمد الشرع"} <= persons


@pytest.mark.parametrize("text", ["", "   \n ", "Reuters reported on Monday.", "!!!"])
def test_empty_and_latin_texts(text):
    assert [e for e in extract_entities(text) if e.type not in ("NUM", "DATE")] == []


def test_latin_digits_inside_latin_text_are_numbers():
    assert found("GDP grew 3% in 2024") == [("PERCENT", "3%"), ("NUM", "2024")]


def test_hundred_thousand_words_scale_with_the_text():
    # Every copy of the article yields the same entities (no cross-copy state), so the
    # output for n copies is exactly n times one copy's. Time per token is measured in
    # benchmarks/bench_entities.py, not asserted here.
    article = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    copies = 100_000 // len(article.split()) + 1
    one = extract_entities(article)
    many = extract_entities("\n".join([article] * copies))
    assert len(article.split()) * copies >= 100_000
    names = [e for e in one if e.type not in ("PERS",)]
    many_names = [e for e in many if e.type not in ("PERS",)]
    assert len(many_names) == copies * len(names)


def test_public_api_and_registry():
    assert api_extract is extract_entities
    assert "rules" in BACKENDS
    assert get_backend("rules").signature() == "ner:rules.v1|gaz:2026.11"
    with pytest.raises(UnknownNameError, match="did you mean rules"):
        extract_entities("نص", backend="rulez")
    with pytest.raises(ConfigError, match="needs a model id"):
        extract_entities("نص", backend="hf:")


def test_entity_key():
    assert entity_key("«الأمم المتحدة»") == "الامم المتحده"
    assert entity_key("أكتوبر/ تشرين الأول") == "اكتوبر/تشرين الاول"
    assert entity_key("لأمم المتحدة", restore_article=True) == "الامم المتحده"
    assert Entity("PERS", "بوتين", 0, 5, "بوتين").label() == "PERS:بوتين"


WORDS = ["الرئيس", "بوتين", "زار", "موسكو", "وسورية", "في", "١٢", "12%", "مليار", "دولار",
         "الأربعاء", "وزارة", "العدل", "،", ".", "(", ")", "أبو", "قصرة", "abc", "\n"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from([" ", "  ", "\n"]))
def test_offsets_types_and_determinism(words, separator):
    text = separator.join(words)
    first = extract_entities(text)
    assert first == extract_entities(text)  # deterministic
    for entity in first:
        assert text[entity.start:entity.end] == entity.text
        assert entity.type in ("PERS", "LOC", "ORG", "MISC", "DATE", "NUM", "PERCENT", "MONEY")
        assert entity.key == entity.key.strip() and entity.key
    spans = sorted((e.start, e.end) for e in first)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no overlaps
