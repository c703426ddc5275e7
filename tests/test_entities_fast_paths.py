"""The speed work's shortcuts find what the plain forms find (issue 8): word lists as
tries in the patterns, and the `known` entities' overlay limited to the names a text
can start. `tests/test_entities_equivalence.py` checks the whole extractor on 500 BBC
items; these check each shortcut on texts built to hit its edges."""

from __future__ import annotations

import dataclasses
import gc
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmark
import benchmark.entities.patterns as patterns
from benchmark.entities import dates, numbers, rules, stream, tokens
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


def _add_every_known(overlay, known, tokens) -> set[str]:
    """Every known entity's phrases, as the rules added them before the speed work, and
    the tokens a reading of which starts one (what `rules._add_known` returns)."""
    for entity in known:
        for words in rules.known_names(entity.type, entity.key):
            overlay.add(Phrase(words, entity.type, entity.key))
    firsts = overlay.by_first.keys()
    return {token for token in tokens if not firsts.isdisjoint(clitic_readings(token))}


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
    scanner = rules.Scanner(text, stream.text_words(text), [False] * 3,
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


# --- issue 21, first-model speed: word facts, the split, keys, numbers, phrases -----

_MIXED = _LETTERS + "\u064b\u0640abcXY٠5 ،.-/()\n\t\u200c\u00a0€$%ﻻﺍ"


def _plain_facts(surfaces: list[str]) -> tuple[list[str], list[int], list[int]]:
    """What `stream._Facts.of` gives, word by word: the normalized form, the bits of the
    patterns that accept the word's key, and `list_bits` of the form."""
    bits = stream._pattern_bits()
    return (tuple(normalize_arabic(word) for word in surfaces),
            tuple(bits.get(word_key(word), 0) for word in surfaces),
            tuple(stream.list_bits(normalize_arabic(word)) for word in surfaces))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_LETTERS + "\u064b\u0651\u0640abcé", min_size=1, max_size=8)
                | st.sampled_from(["والسوري", "للامم", "وعبدالله", "ثلاثة", "الثالث", "مارس",
                                   "الإثنين", "ألف", "بالسورية"]), max_size=12))
def test_word_facts_learnt_together_are_those_of_each_word(surfaces) -> None:
    """`_Facts.of` learns a text's new words at once (one fold of the plain ones, the odd
    ones read apart, list bits asked only where a reading may be listed): the facts of
    each word, learnt or looked up."""
    facts = stream._Facts()
    assert facts.of(surfaces) == _plain_facts(surfaces)  # why: learnt
    assert facts.of(surfaces) == _plain_facts(surfaces)  # why: looked up


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_LETTERS + "\u064b\u0640ab", min_size=1, max_size=6),
                max_size=12), st.data())
def test_word_facts_of_words_some_seen_before(surfaces, data) -> None:
    """A text with words seen before and new ones: the new ones learnt, each row filled
    in at its place among the rows looked up."""
    facts = stream._Facts()
    seen = data.draw(st.lists(st.sampled_from(surfaces), max_size=len(surfaces))) \
        if surfaces else []
    facts.of(seen)
    assert facts.of(surfaces) == _plain_facts(surfaces)  # why: some learnt, some looked up


def test_word_facts_of_real_words(shared_dir) -> None:
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    surfaces: list[str] = []
    with corpus.open(encoding="utf-8") as handle:
        for _, line in zip(range(150), handle):
            surfaces += tokens.split_letters(json.loads(line)["article"])[1::2]
    assert stream._Facts().of(surfaces) == _plain_facts(surfaces)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_MIXED.replace("\n", ""), min_size=1, max_size=6),
                max_size=10))
def test_odd_runs_are_the_runs_with_a_character_fold_does_not_read(runs) -> None:
    assert stream._odd_runs("\n".join(runs)) == [
        k for k, run in enumerate(runs) if not arabic_letters_only(run)]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_MIXED + "\U0001f600\u4e00\u0900", max_size=40))
def test_the_split_by_re_is_the_split_by_regex(text) -> None:
    """On a text of the common ranges the letter split runs on `re` with the class
    spelled out from `regex`; elsewhere on `regex`: the same parts either way."""
    assert tokens.split_letters(text) == tokens._WORD_SPLIT.split(text)


def test_the_spelled_classes_hold_what_regex_classes_hold() -> None:
    # why: every code point of the common ranges, each class the rules spell out.
    chars = [chr(code) for low, high in tokens.COMMON_RANGES for code in range(low, high + 1)]
    for spelled in (r"[\p{L}\p{M}]", r"[\p{L}\p{M}\p{N}]"):
        fast = re.compile(tokens.common_class(spelled))
        assert [bool(fast.fullmatch(c)) for c in chars] == \
            [bool(regex.fullmatch(spelled, c)) for c in chars]
    assert tokens.in_common_ranges("قال 5 «أحمد» – ﻻ €") \
        and not tokens.in_common_ranges("قال \U0001f600")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" \t\n\u00a0\u200c\u3000،.-5x", max_size=4), max_size=8))
def test_breaks_are_gaps_with_more_than_whitespace(gaps) -> None:
    breaks = stream.Breaks(gaps)
    assert [breaks[k] for k in range(len(gaps))] == [bool(gap.strip()) for gap in gaps]
    assert [breaks[k] for k in range(len(gaps))] == [bool(gap.strip()) for gap in gaps]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_MIXED + "أإآىةﻻ٫٬:", max_size=14))
def test_surface_keys_are_entity_keys(surface) -> None:
    """`surface_key` reads a plain surface (letters fold leaves, ASCII digits, single
    spaces) as its fold: what `entity_key` makes of it, and of every other surface."""
    assert tokens.surface_key(surface) == entity_key(surface)
    assert tokens.restored_key(surface) == entity_key(surface, restore_article=True)


def _plain_numbers(text: str, words=None):
    """`numbers._numbers` as written before its readings were remembered."""
    for match in numbers._NUMBER_STARTS.finditer(text, words):
        kind, start, end = numbers.match_kind(match)  # tests/test_entities_pattern_shortcuts.py
        surface = text[start:end]
        if kind == "num":
            norm = normalize_arabic(surface)
            if norm in numbers._LONE_HUNDRED or surface[:2] in ("وأ", "وإ", "وآ") \
                    or normalize_arabic(match.group()) in numbers._HOMOGRAPHS:
                continue
            if norm.removeprefix("ال") in numbers._ONE and (
                    norm.startswith("ال") or match.start() != start
                    or not numbers._counts_one(text, start, end)):
                continue
        value = numbers.parse_value(surface)
        if value is not None:
            yield numbers.NumericMatch(kind.upper(), start, end, value,
                                       numbers.money_currency(surface) if kind == "money"
                                       else None)


def _plain_ordinals(text: str) -> list[tuple]:
    found = []
    for match in numbers._ORDINAL_STARTS.pattern.finditer(text):
        start, end = match.span("ord")
        parts = normalize_arabic(text[start:end]).split()
        unit = parts[0].removeprefix("ال")
        value = numbers._ORDINAL_VALUES.get(unit) or numbers._ORDINAL_VALUES[unit[:-1]]
        if match.group("teen"):
            value += 10
        elif match.group("tens"):
            value += numbers._TENS_WORDS[parts[-1].removeprefix("و").removeprefix("ال")]
        found.append(("ORDINAL", start, end, float(value), None))
    return found


_COUNTING_WORDS = ["واحد", "واحدة", "الواحد", "وأحد", "كل", "يوم", "شخص", "من", "لست",
                   "في المئة", "المئة", "ثلاثمئة", "ألفا", "و200", "253", "جنيه", "دولار",
                   "الحادي عشر", "الخامسة والعشرين", "الثالثة", "الأول", *_NUMBER_WORDS]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_COUNTING_WORDS),
                          st.sampled_from([" ", " ", "", "،", "\n"])),
                max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_numbers_read_by_their_remembered_readings(text) -> None:
    """A number's value, currency and verdict remembered by its text (واحد still asks
    its context), the scale of a number and an ordinal's value too: the numbers and
    ordinals found as when each was read afresh."""
    found = list(numbers.find_numbers(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(numbers, "_numbers", _plain_numbers)
        patch.setattr(numbers, "_scale", lambda surface: numbers._SCALES.get(
            normalize_arabic(surface).split()[-1]))
        assert found == list(numbers.find_numbers(text))
    assert [tuple(m) for m in numbers.find_ordinals(text)] == _plain_ordinals(text)



def test_the_word_lists_are_out_of_the_collectors_sight() -> None:
    """Once loaded, the lists are frozen (`gc.freeze`): a full collection, which the
    rules' short-lived objects set off, no longer walks them."""
    gazetteer = load_gazetteer()
    assert gc.get_freeze_count() > 0
    # why: the index of list names holds lists, so the collector tracks it; frozen, it
    # is in none of the generations a collection walks.
    assert gc.is_tracked(gazetteer.phrases.by_first)
    assert not any(obj is gazetteer.phrases.by_first for obj in gc.get_objects())


def test_a_script_that_loads_the_lists_still_flushes_its_files_at_exit(tmp_path) -> None:
    """Frozen objects escape the collection at exit: a file kept alive by the cycle of
    a script's globals and its functions, opened before the lists load and never
    closed, would lose its last writes; the lists give them back at exit."""
    script = tmp_path / "script.py"
    script.write_text(
        "import sys\n"
        "out = open(sys.argv[1], 'w')\n"
        "def line(i):\n"
        "    return f'line {i}\\n'\n"
        "from benchmark.entities.gazetteer import load_gazetteer\n"
        "load_gazetteer()\n"
        "for i in range(20000):\n"
        "    out.write(line(i))\n", encoding="utf-8")
    written = tmp_path / "lines.txt"
    subprocess.run([sys.executable, str(script), str(written)], check=True, cwd=tmp_path,
                   env={**os.environ, "PYTHONPATH": str(Path(benchmark.__file__).parents[1])})
    assert len(written.read_text(encoding="utf-8").splitlines()) == 20000
