"""The speed work's shortcuts find what the plain forms find (issue 8): word lists as
tries in the patterns, and the `known` entities' overlay limited to the names a text
can start. `tests/test_entities_equivalence.py` checks the whole extractor on 500 BBC
items; these check each shortcut on texts built to hit its edges."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import sys

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmark.entities.patterns as patterns
from benchmark.entities import dates, numbers, rules, stream
from benchmark.entities.gazetteer import NAME_STARTERS, Phrase, joined_abd, load_gazetteer
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.patterns import WORD_END, alternation, plain_alternation, word_key
from benchmark.entities.rules import RulesBackend
from benchmark.entities.tokens import (arabic_letters_only, clitic_forms, clitic_readings,
                                       clitic_spellings, fold_letters, normalized_word)
from benchmark.text import normalize_arabic

# --- tries -------------------------------------------------------------------------

_LISTS = {
    "units": list(numbers.UNITS), "teens": list(numbers.TEEN_UNITS),
    "multipliers": list(numbers.MULTIPLIERS), "currencies": list(numbers.CURRENCY_WORDS),
    "months": [*dates.GREGORIAN, *dates.HIJRI], "day ordinals": list(dates.DAY_ORDINALS),
    "weekdays": [*dates.WEEKDAYS, "الإثنين"], "prepositions": list(dates._PREPOSITIONS),
    "ordinals": [*numbers._TEEN_ORDINALS, *numbers.ORDINALS],
    "regnal": ["الاول", "الاولي", "الثاني", "الثانيه"], "hours": list(dates.HOUR_WORDS),
    # Words that are prefixes of one another, with and without a space: the trie must
    # still try the longest first.
    "prefixes": ["اب", "ابر", "ابري", "ابريل", "اب ريل", "ا", "كانون", "كانون الثاني"],
}
# What may follow the alternation in a pattern, including continuations that read a
# mark or a space (where a trie and a plain alternation could backtrack differently).
_CONTEXTS = ["", WORD_END, rf"[هة]?{WORD_END}", r"\s+\S", "\u0640", "[\u064b-\u065f]",
             r"\s*و", "(?:ال)?"]
_MARKS = ["", "", "", "\u064e", "\u0651\u064e", "\u0640", "\u0640\u0640"]
_VARIANT_OF = {"ا": "اأإآٱ", "ي": "يىی", "ه": "هة", "ك": "كک"}


@st.composite
def _written_word(draw, words: list[str]) -> str:
    """A word of the list, a prefix of one or a word run into the next, as it may be
    written: letter variants, marks and tatweel between letters, spaces doubled."""
    word = draw(st.sampled_from(words))
    word = word[:draw(st.integers(0, len(word)))] if draw(st.booleans()) else word
    out = []
    for char in word:
        if char == " ":
            out.append(draw(st.sampled_from([" ", "  ", "\n"])))
        else:
            out.append(draw(st.sampled_from(_VARIANT_OF.get(char, char))))
            out.append(draw(st.sampled_from(_MARKS)))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(_LISTS)), context=st.sampled_from(_CONTEXTS))
def test_a_trie_matches_what_the_plain_alternation_matches(data, name, context) -> None:
    words = _LISTS[name]
    glue = st.sampled_from(["", " ", "ه", "ة", "ين", "5", "،", "\u064e"])
    text = "".join(data.draw(st.lists(st.tuples(_written_word(words), glue).map("".join),
                                      min_size=1, max_size=4)))
    trie = regex.compile(alternation(words) + context)
    plain = regex.compile(plain_alternation(words) + context)
    for position in range(len(text) + 1):
        found, expected = trie.match(text, position), plain.match(text, position)
        assert (found and found.span()) == (expected and expected.span()), (text, position)


@pytest.mark.parametrize("words,expected", [
    # why: a word and its longer forms share their letters; the longer is tried first.
    (["ثلاث", "ثلاثه"], "(?:ث[M]*ل[M]*[اأإآٱ][M]*ث[M]*(?:[هة][M]*)?)"),
    # why: a space is \s+, and a one-word branch needs no group.
    (["كانون الثاني"], r"(?:[كک][M]*[اأإآٱ][M]*ن[M]*و[M]*ن[M]*\s+[اأإآٱ][M]*ل[M]*ث[M]*"
                       "[اأإآٱ][M]*ن[M]*[يىی][M]*)"),
    # why: الإثنين is a written form of الاثنين: it adds nothing.
    (["الاثنين", "الإثنين"], "(?:[اأإآٱ][M]*ل[M]*[اأإآٱ][M]*ث[M]*ن[M]*[يىی][M]*ن[M]*)"),
])
def test_trie_patterns(words, expected) -> None:
    assert alternation(words).replace(patterns._MARKS, "[M]*") == expected


def test_a_list_with_a_mark_keeps_the_plain_alternation() -> None:
    # why: a word with a mark written out is no fold of a listed word: no trie.
    assert alternation(["الف", "مائةٌ"]) == plain_alternation(["الف", "مائةٌ"])


def _module_with_plain_alternations(module, monkeypatch):
    """A fresh copy of `module` whose patterns are built with `plain_alternation`."""
    monkeypatch.setattr(patterns, "alternation", plain_alternation)
    spec = importlib.util.spec_from_file_location(f"{module.__name__}_plain", module.__file__)
    copy = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = copy  # dataclasses look their module up while being made
    try:
        spec.loader.exec_module(copy)
    finally:
        del sys.modules[spec.name]
    return copy


# Number and date words (letter variants, marks, tatweel), digits, signs and glue.
_NUMBER_WORDS = ["5", "12", "٢٠", "2018", "3.5", "1,000", "1,2345", "$", "€", "%", "٪",
                 "ثلاثة", "ثلاث", "ثلاثمائة", "ألف", "آلاف", "مليون", "ملايين", "بليون",
                 "عشر", "عشرة", "أحد", "اثنا", "وعشرين", "ثالث", "الخامسة", "مارس", "آذار",
                 "كانون", "الثاني", "شعبان", "الإثنين", "الجمعة", "عام", "منذ", "الساعة",
                 "صباحا", "دولار", "دولارا", "أمريكي", "ليرة", "سورية", "المئة", "في",
                 "بالمئة", "من", "يوم", "الـ", "بـ", "و", "ب", "ل", "ال", "ة", "ى", "م",
                 "هـ", "\u064e", "\u0651"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_NUMBER_WORDS),
                          st.sampled_from([" ", " ", "", "  ", "/", "-", ".", ":", "،"])),
                max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_number_and_date_patterns_match_as_with_plain_alternations(text) -> None:
    assert [_span_groups(m) for m in numbers.PATTERN.finditer(text)] == \
        [_span_groups(m) for m in _PLAIN["numbers"].PATTERN.finditer(text)]
    assert [_span_groups(m) for m in dates.PATTERN.finditer(text)] == \
        [_span_groups(m) for m in _PLAIN["dates"].PATTERN.finditer(text)]
    assert [_span_groups(m) for m in numbers.ORDINAL_PATTERN.finditer(text)] == \
        [_span_groups(m) for m in _PLAIN["numbers"].ORDINAL_PATTERN.finditer(text)]
    assert [_span_groups(m) for m in dates.CLOCK_PATTERN.finditer(text)] == \
        [_span_groups(m) for m in _PLAIN["dates"].CLOCK_PATTERN.finditer(text)]


def _span_groups(match: regex.Match) -> tuple:
    return match.span(), tuple(sorted((name, match.span(name)) for name in match.groupdict()))


_PLAIN: dict = {}


@pytest.fixture(autouse=True, scope="module")
def _plain_modules():
    with pytest.MonkeyPatch.context() as monkeypatch:
        _PLAIN["numbers"] = _module_with_plain_alternations(numbers, monkeypatch)
        _PLAIN["dates"] = _module_with_plain_alternations(dates, monkeypatch)
    yield


def test_the_plain_copies_are_built_otherwise() -> None:
    # why: else the comparison above would compare a pattern with itself.
    assert numbers.PATTERN.pattern != _PLAIN["numbers"].PATTERN.pattern
    assert len(numbers.PATTERN.pattern) < len(_PLAIN["numbers"].PATTERN.pattern) / 1.5


# --- the known entities' overlay ---------------------------------------------------


def _add_every_known(overlay, known, tokens) -> None:
    """Every known entity's phrases, as the rules added them before the speed work."""
    for entity in known:
        for words in rules.known_names(entity.type, entity.key):
            overlay.add(Phrase(words, entity.type, entity.key))


def _known(*names: tuple[str, str]) -> list[Entity]:
    return [Entity(kind, text, 0, len(text), entity_key(text)) for kind, text in names]


_ARTICLE = _known(("PERS", "أحمد الشرع"), ("PERS", "مرهف أبو قصرة"), ("LOC", "دمشق"),
                  ("ORG", "وزارة الدفاع"), ("PERS", "أبو قصرة"), ("LOC", "قصرة"),
                  ("NUM", "5"), ("PERS", "بوتين"))


@pytest.mark.parametrize("text", [
    "قال الشرع إن أبو قصرة زار دمشق",  # surnames, a particle surname, a place
    "وقال أبو قصرة ولأبي قصرة وللشرع",  # clitics before known names
    "التقى بوتين وزير الدفاع في قصرة",  # a one-word person; a name also a place
    "لم يذكر أحد من هؤلاء",  # none of the names: an empty overlay
    "أحمد الشرع وأحمد الشرع (أش) الشرع",  # an alias the text adds itself
])
def test_a_limited_overlay_finds_what_every_known_name_finds(text, monkeypatch) -> None:
    backend = RulesBackend()
    found = backend.extract(text, known=_ARTICLE)
    monkeypatch.setattr(rules, "_add_known", _add_every_known)
    assert found == backend.extract(text, known=_ARTICLE)


def test_the_overlay_holds_only_names_a_token_may_start() -> None:
    text = "وقال الشرع إن"
    scanner = rules.Scanner(text, rules.word_tokens(text), [False] * 3,
                            rules.load_gazetteer())
    rules._add_known(scanner.overlay, _ARTICLE, scanner.norms)
    # why: the readings of the tokens are وقال، قال، الشرع، ان; of the article's names
    # only the surname of أحمد الشرع starts with one of them.
    assert set(scanner.overlay.by_first) == {"الشرع"}
    assert scanner.overlay.by_first["الشرع"] == [Phrase(("الشرع",), "PERS", "احمد الشرع")]


def test_known_names_of_an_entity() -> None:
    assert rules.known_names("PERS", "مرهف ابو قصره") == [
        ("مرهف", "ابو", "قصره"), ("ابو", "قصره")]  # why: particle + surname
    assert rules.known_names("PERS", "فلاديمير بوتين") == [("فلاديمير", "بوتين"), ("بوتين",)]
    assert rules.known_names("LOC", "دمشق") == [("دمشق",)]
    assert rules.known_names("NUM", "5") == []  # why: numbers name nobody
    assert rules.known_names("PERS", "احمد ال") == [("احمد", "ال")]  # why: under 3 letters


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("وفبلكاله"), max_size=4).map("".join),
       st.sampled_from(["", "ا", "ال", "لل", "للا", "دمشق", "الامم", "امم", "ل", "بوتين"]))
def test_clitic_spellings_hold_every_token_read_as_the_form(prefix, rest) -> None:
    token = prefix + rest
    for form in clitic_readings(token):
        assert token in clitic_spellings(form), (token, form)


# --- one reading of a text (stream.py) -----------------------------------------------

_LETTERS = "".join(map(chr, range(0x0621, 0x064B))) + "\u0651\u064e\u0670ٱکیa"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_LETTERS, min_size=1, max_size=8))
def test_word_forms_read_sooner_are_the_normalized_forms(word) -> None:
    """The shortcuts for words of plain or Arabic letters give what normalization and
    the patterns' folding give."""
    assert normalized_word(word) == normalize_arabic(word)
    if arabic_letters_only(word):
        assert fold_letters(word) == normalize_arabic(word) == word_key(word)


def _list_bits_from_every_reading(norm: str) -> int:
    """`stream.list_bits` written out: every clitic reading against every list."""
    gazetteer = load_gazetteer()
    heads = {head.split()[0] for head in gazetteer.org_heads}
    bits = 0
    for form in clitic_forms(norm):
        word = form.form
        bits |= (stream.TITLE * (word in gazetteer.titles.by_first)
                 | stream.PHRASE * (word in gazetteer.phrases.by_first)
                 | stream.EVENT * (word in gazetteer.event_heads)
                 | stream.ORG * (word in heads) | stream.PLACE * (word in gazetteer.place_heads))
        if not form.restored_article and (word in gazetteer.given_names
                                          or word in NAME_STARTERS or joined_abd(word)):
            bits |= stream.PERSON
    bare = norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 3 else norm
    if norm in gazetteer.nisba or bare in gazetteer.nisba:
        bits |= stream.NISBA
    return bits


def test_list_bits_are_those_of_every_reading(shared_dir) -> None:
    """The shortcut of `list_bits` (no reading made when the token less one or two
    letters is no listed word) gives the bits of every reading, on the words of real
    articles and on words built to start lists after proclitics."""
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    norms = {"للامم", "وللولايات", "فبالرئيس", "وكعبدالله", "عبدالرحمن", "والسوري",
             "بمطار", "وشركه", "كالملك", "لل", "و", "ال"}
    with corpus.open(encoding="utf-8") as handle:
        for _, line in zip(range(200), handle):
            norms.update(stream.text_words(json.loads(line)["article"]).norms)
    differing = [norm for norm in norms
                 if stream.list_bits(norm) != _list_bits_from_every_reading(norm)]
    assert not differing, differing[:10]


@pytest.mark.parametrize("text", [
    "قال الرئيس السوري بشار الأسد في دمشق إن شركة غوغل ومطار هيثرو",
    "وصل عبدالله بن سلمان إلى مدينة حلب، وقال وزير الخارجية الأمريكي",
    "أعلنت وزارة العدل الأمريكية أن أولمبياد طوكيو ونادي الهلال",
])
def test_the_first_pass_finds_what_every_rule_at_every_token_finds(text, monkeypatch) -> None:
    """Skipping the rules whose lists no reading of a token starts (`Scanner.lists`)
    finds what trying every rule at every token finds."""
    found = RulesBackend().extract(text)
    every = stream.TITLE | stream.PHRASE | stream.EVENT | stream.ORG | stream.PLACE \
        | stream.PERSON | stream.NISBA

    def every_list(text: str) -> stream.TextWords:
        words = stream.text_words(text)
        return dataclasses.replace(words, lists=[every] * len(words.lists))

    monkeypatch.setattr(rules, "text_words", every_list)
    assert RulesBackend().extract(text) == found
