"""The ``rules`` backend: what it finds in sentences, offsets, clitics, aliases, edge
cases (empty, Latin-only, 100,000 words) and invariants."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import extract_entities as api_extract
from benchmark.entities import Entity, entity_key, extract_entities, get_backend
from benchmark.entities.gazetteer import Phrase, PhraseIndex
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
    # Particles extend a name past its two plain words (حسين أمير + عبد اللهيان), and a
    # role word (نظيره) with a clitic (ب) introduces the second person.
    ("التقى وزير الخارجية فيصل بن فرحان بنظيره الإيراني حسين أمير عبد اللهيان",
     [("PERS", "فيصل بن فرحان"), ("PERS", "حسين أمير عبد اللهيان")]),
    ("قال الشيخ تميم بن حمد آل ثاني", [("PERS", "تميم بن حمد آل ثاني")]),
    # A particle's homograph before a verb (لا يريد) does not continue a name, and only
    # genealogical particles continue it past two plain words (not أم "or").
    ("قال محمد علي لا يريد", [("PERS", "محمد علي")]),
    ("قال محمد علي ام كلثوم", [("PERS", "محمد علي")]),
    # A listed name continues with particles: محمد بن سلمان + بن عبد العزيز.
    ("التقى محمد بن سلمان بن عبد العزيز", [("PERS", "محمد بن سلمان بن عبد العزيز")]),
    # المتحدث باسم is a role word; the organization after it is read on the way.
    ("وقال المتحدث باسم الكرملين ديمتري بيسكوف", [("ORG", "الكرملين"),
                                                ("PERS", "ديمتري بيسكوف")]),
    # An adjective between the title and the name is skipped (المفقود before جمال).
    ("خطيبة الصحفي السعودي المفقود جمال خاشقجي", [("PERS", "جمال خاشقجي")]),
    # ... but a name written with hamza (ألكسيس) is not a definite adjective.
    ("مهاجم مانشستر يونايتد الإنجليزي ألكسيس سانشيز يقبل", [("ORG", "مانشستر يونايتد"),
                                                         ("PERS", "ألكسيس سانشيز")]),
    # An idafa after a title is a noun phrase (مدير قسم الاتصالات; لحقوق الإنسان after
    # the organization), and و + a noun right after a title is a second role.
    ("طردت الشركة مدير قسم الاتصالات بها", []),
    ("الرئيسة السابقة للجمعية المغربية لحقوق الإنسان", [("ORG", "لجمعية المغربية")]),
    ("يوضح الدكتور ومقدم البرامج", []),
    # After a title and a comma, a clause opened by و is not a name.
    ("ملكة جمال بريطانيا، وتمثل البلاد", [("LOC", "بريطانيا")]),
    # A preposition on a verbal noun after a title is not a name (بفتح تحقيق).
    ("يأمر النائب العام بفتح تحقيق", []),
    # A second word that is an imperfect verb ends the name (يكتب), leaving one word.
    ("عبدالله يكتب مقالا", []),
    # After a describing head, a feminine adjective, a verbal noun, a verb or an
    # indefinite noun with ة is a description, not a name.
    ("أنشأ شركة خاصة", []),
    ("ينوون تنظيم مسيرة بالعاصمة واشنطن", [("LOC", "واشنطن")]),
    ("جماعة تمثل 13 فصيلا", [("NUM", "13")]),
    ("عملاق توفير خدمة مشاركة السكن", []),
    # ... but a transliterated name after it is kept, up to a preposition on a noun.
    ("شركة جنرال إلكتريك لصناعة المعدات", [("ORG", "جنرال إلكتريك")]),
    # A place after a settlement head, the head left out; a clitic on the head.
    ("في مدينة أكابولكو الساحلية", [("LOC", "أكابولكو")]),
    ("بولاية فلوريدا الأمريكية", [("LOC", "فلوريدا")]),
    ("في قرية خان الأحمر", [("LOC", "خان الأحمر")]),  # indefinite + definite: idafa
    ("بمدينة سان دييغو", [("LOC", "سان دييغو")]),  # a two-word name after سان
    # ... but not an adjective, an ordinal, a direction, a verb, or a definite word
    # after an ambiguous head (ولاية = a term of office, مقاطعة = a boycott).
    ("بنوا مدينة ساحلية", []),
    ("فاز بولاية ثالثة", [("ORDINAL", "ثالثة")]),  # an indefinite feminine ordinal
    ("في بلدة جنوب غربي البلاد", []),
    ("دعا لمقاطعة الانتخابات", []),
    ("في ولاية الرئيس", []),
    # سورية after an indefinite feminine adjective is the nisba (MISC), not the country.
    ("لاجئة كردية سورية", []),
    # Thousands, Arabic-Indic digits and multipliers next to names.
    ("خسرت أرامكو ١٬٢٥٠ مليون دولار في الرياض", [("ORG", "أرامكو"),
                                                 ("MONEY", "١٬٢٥٠ مليون دولار"),
                                                 ("LOC", "الرياض")]),
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


def test_son_particle_alias_is_recognized_in_both_spellings():
    # محمد بن سلمان introduces بن سلمان and ابن سلمان; neither is a name on its own.
    assert found("قال ابن سلمان") == []
    text = "التقى ولي العهد محمد بن سلمان الوفد. وقال ابن سلمان إن بن سلمان"
    assert found(text) == [("PERS", "محمد بن سلمان"), ("PERS", "ابن سلمان"),
                           ("PERS", "بن سلمان")]


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


@pytest.mark.parametrize("text", ["", "   \n ", "Reuters reported on Monday.", "!!!",
                                  "؟،؛…«»()", "\u200f\u200e\u202b\u202c", "ـــ",
                                  # A tatweel-only "word" after a title or a head
                                  # (found by the property test below: it crashed).
                                  "الرئيس ـ", "شركة ـ"])
def test_empty_latin_and_punctuation_only_texts_have_no_entities(text):
    assert extract_entities(text) == []


@pytest.mark.parametrize("text,expected", [
    # NBSP between words separates them like a space.
    ("قال\u00a0الرئيس\u00a0بوتين\u00a0في\u00a0موسكو", [("PERS", "بوتين"), ("LOC", "موسكو")]),
    # Bidi marks around words stay outside the spans.
    ("قال الرئيس \u200fبوتين\u200f في \u202bموسكو\u202c", [("PERS", "بوتين"),
                                                            ("LOC", "موسكو")]),
    # Tatweel and tashkeel inside a word stay inside its span (offsets into the text).
    ("قال الرئـــيس بوتيـــن", [("PERS", "بوتيـــن")]),
    ("زار بوتِينُ موسكوَ", [("PERS", "بوتِينُ"), ("LOC", "موسكوَ")]),
    # Digits glued to Latin letters or mixed Arabic-Indic and ASCII digits.
    ("١٢٣abc", [("NUM", "١٢٣")]),
    ("12٣4", [("NUM", "12٣4")]),
    # A quoted name after an organization's head ends at a number it would overlap
    # (found by the property test below: the name once took the number's word too).
    ("شركة « الرئيس مليار", [("ORG", "الرئيس"), ("NUM", "مليار")]),
    ("شركة « سامسونج 5 مليار »", [("ORG", "سامسونج"), ("NUM", "5 مليار")]),
    # A 100,000-letter token is one word and no entity.
    ("ب" * 100_000, []),
])
def test_odd_input(text, expected):
    entities = extract_entities(text)
    assert [(e.type, e.text) for e in entities if e.type != "MISC"] == expected
    assert all(text[e.start:e.end] == e.text for e in entities)


def test_latin_digits_inside_latin_text_are_numbers():
    assert found("GDP grew 3% in 2024") == [("PERCENT", "3%"), ("NUM", "2024")]


def test_hundred_thousand_words_scale_with_the_text():
    # Each copy of the article yields the same entities (aliases seen in one copy are
    # also introduced in it), so n copies give exactly n times one copy's entities, at
    # offsets into the long text. Time per token is measured in
    # benchmarks/bench_entities.py, not asserted here.
    article = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    copies = 100_000 // len(article.split()) + 1
    text = "\n".join([article] * copies)
    one = Counter((e.type, e.key) for e in extract_entities(article))
    many = extract_entities(text)
    assert len(text.split()) >= 100_000
    assert Counter((e.type, e.key) for e in many) == {k: n * copies for k, n in one.items()}
    assert all(text[e.start:e.end] == e.text for e in many)


def test_public_api_and_registry():
    assert api_extract is extract_entities
    assert "rules" in BACKENDS
    assert get_backend("rules").signature().format() == "ner:rules.v4|gaz:2026.12"
    with pytest.raises(UnknownNameError, match="did you mean rules"):
        extract_entities("نص", backend="rulez")
    with pytest.raises(ConfigError, match="names nothing after 'hf:'"):
        extract_entities("نص", backend="hf:")


def test_entity_key():
    assert entity_key("«الأمم المتحدة»") == "الامم المتحده"
    assert entity_key("أكتوبر/ تشرين الأول") == "اكتوبر/تشرين الاول"
    assert entity_key("لأمم المتحدة", restore_article=True) == "الامم المتحده"
    assert Entity("PERS", "بوتين", 0, 5, "بوتين").label() == "PERS:بوتين"


def test_phrase_index_candidates_by_first_two_words():
    index = PhraseIndex()
    for words in (("محمد", "علي"), ("محمد",), ("محمد", "علي", "باشا"), ("محمد", "صلاح")):
        assert index.add(Phrase(words, "PERS", " ".join(words)))
    assert not index.add(Phrase(("محمد", "علي"), "LOC", "x"))  # the first entry wins
    # Only phrases whose second word follows, longest first, then the one-word phrase.
    assert [p.tokens for p in index.candidates("محمد", "علي")] == [
        ("محمد", "علي", "باشا"), ("محمد", "علي"), ("محمد",)]
    assert [p.tokens for p in index.candidates("محمد", None)] == [("محمد",)]
    assert index.candidates("احمد", "علي") == []


WORDS = ["الرئيس", "بوتين", "زار", "موسكو", "وسورية", "في", "١٢", "12%", "مليار", "دولار",
         "الأربعاء", "وزارة", "العدل", "،", ".", "(", ")", "أبو", "قصرة", "abc", "\n",
         "الـ24", "\u00a0", "\u200f", "ـ", "2024/03/15", "بن", "آل", "مدينة", "شركة", "«"]


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
