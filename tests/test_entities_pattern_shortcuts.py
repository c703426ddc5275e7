"""Shortcuts in the number and date patterns find what the patterns found before, on
texts built to hit their edges and at every place the rules try them in BBC.

- The number pattern reads a numeral once (`numbers.PATTERN`, `numbers.match_kind`,
  read again by `numbers.THREE_BRANCHES` where the numeral stops before a digit): the
  same kind and span as the pattern with a numeral in each of its money, percent and
  number branches.
- The date pattern looks for a bare year ahead before it looks behind for the
  preposition (`dates._BARE_YEAR_AHEAD`): the same groups as without."""

from __future__ import annotations

import itertools
import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import dates, numbers, stream
from benchmark.entities.patterns import PROCLITICS, WORD_END, WORD_START

# The pattern as it was written before: the numeral in each branch, tried up to three
# times at a number (for a currency after each of its readings, then a percent, then
# alone).
BEFORE = regex.compile(
    rf"{WORD_START}{PROCLITICS}\u0640*{numbers._ARTICLE_ON_DIGITS}(?:"
    rf"(?P<money>(?P<sym>[$€£])\s*{numbers.NUMERAL}"
    rf"|{numbers.NUMERAL}\s*(?:[$€£]|{numbers._CURRENCY}))"
    rf"|(?P<percent>[%٪]\s*{numbers.NUMERAL}"
    rf"|{numbers.NUMERAL}\s*(?:[%٪]|{numbers._PERCENT_WORDS}{WORD_END}))"
    rf"|(?P<num>{numbers.NUMERAL}))")


def _before_reading(match: regex.Match | None) -> tuple | None:
    if match is None:
        return None
    kind = "money" if match.group("money") else "percent" if match.group("percent") \
        else "num"
    return match.span(), (kind, *match.span(kind))


def _reading(match: regex.Match | None) -> tuple | None:
    """What `numbers._numbers` reads of a match of `numbers.PATTERN` (read again where
    its numeral stops before a digit, as `PatternStarts.finditer` does)."""
    if match is None:
        return None
    match = numbers._read_again(match)
    return match.span(), numbers.match_kind(match)


# The date pattern as it was written before: the preposition looked for first.
DATES_BEFORE = regex.compile(dates.PATTERN.pattern.replace(dates._BARE_YEAR_AHEAD, "", 1))


def _groups(match: regex.Match | None) -> tuple | None:
    if match is None:
        return None
    return match.span(), tuple(sorted((name, match.span(name)) for name in match.groupdict()))


def test_the_date_pattern_before_is_another_pattern() -> None:
    # why: else the date comparisons below would compare a pattern with itself.
    assert DATES_BEFORE.pattern != dates.PATTERN.pattern
    assert dates._BARE_YEAR_AHEAD in dates.PATTERN.pattern


@pytest.mark.parametrize("text, year, why", [
    ("منذ 2018", "2018", "after a preposition"),
    ("في و2018", "2018", "a proclitic on the year"),
    ("منذ 1850", None, "not 19xx or 20xx"),
    ("قال 2018", None, "no preposition before it"),
])
def test_bare_years(text, year, why) -> None:
    found = [text[m.start("byear"):m.end("byear")] for m in dates.PATTERN.finditer(text)
             if m.group("byear")]
    assert found == ([year] if year else []), why


@pytest.mark.parametrize("text, kind, surface, why", [
    ("دفع 5 دولارات", "money", "5 دولارات", "a currency word after the numeral"),
    ("دفع 5 ملايين دولار", "money", "5 ملايين دولار", "after the numeral's multiplier"),
    ("دفع $5", "money", "$5", "a sign before the numeral"),
    ("5$", "money", "5$", "a sign after it"),
    ("نحو 20 في المئة", "percent", "20 في المئة", "percent words after the numeral"),
    ("20٪", "percent", "20٪", "a percent sign after it"),
    ("٪ 20", "percent", "٪ 20", "a percent sign before it"),
    ("قتل 20 شخصا", "num", "20", "nothing after it: a number"),
    ("بخمسة آلاف جنيه", "money", "خمسة آلاف جنيه", "a proclitic stays outside the span"),
    ("وخمسة", "num", "خمسة", "a proclitic on a number word"),
    ("1,2345 $", "money", "1,2345 $", "the grouped reading 1,234 stops before a digit: "
     "read again, the plain reading 1,2345 takes the sign"),
    ("1,2345 شخصا", "num", "1,234", "read again, no currency: the first reading"),
])
def test_kinds_and_spans(text, kind, surface, why) -> None:
    match = next(numbers._NUMBER_STARTS.finditer(text))
    found, start, end = numbers.match_kind(match)
    assert (found, text[start:end]) == (kind, surface), why


_WORDS = ["5", "12", "٢٠", "2018", "3.5", "1,000", "1,2345", "$", "€", "£", "%", "٪",
          "ثلاثة", "خمسة", "عشر", "وعشرين", "ألف", "ألفين", "آلاف", "مليون", "ملايين",
          "مليار", "دولار", "دولارات", "ين", "الين", "ليرة", "سورية", "أمريكي", "في",
          "المئة", "بالمئة", "الـ", "و", "ب", "ال", "\u0640"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_WORDS),
                          st.sampled_from([" ", " ", "", "  ", ".", ",", "،", "\n"])),
                max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_the_numeral_read_once_matches_as_three_branches(text) -> None:
    for start in range(len(text)):
        assert _reading(numbers.PATTERN.match(text, start)) == \
            _before_reading(BEFORE.match(text, start))


_DATE_WORDS = ["5", "12", "٢٠", "2018", "١٩٩٠", "1850", "20", "منذ", "في", "عام", "حتى",
               "مارس", "آذار", "الثاني", "و", "ب", "ل", "من", "م", "هـ", "/", "-", "%"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DATE_WORDS),
                          st.sampled_from([" ", " ", "", "  ", ".", "/", "،", "\n"])),
                max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_the_date_pattern_matches_as_before(text) -> None:
    for start in range(len(text)):
        assert _groups(dates.PATTERN.match(text, start)) == \
            _groups(DATES_BEFORE.match(text, start))


def test_alike_at_every_place_tried_in_bbc(shared_dir) -> None:
    """At each place the rules try the number and the date pattern in 1,000 BBC
    articles and summaries (and, for numbers, at every word with a sign): the same
    kind and span, the same groups."""
    tried = 0
    number_bit, date_bit = numbers._NUMBER_STARTS.bit, dates._DATE_STARTS.bit
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in itertools.islice(handle, 1000):
            record = json.loads(line)
            for text in (record["article"], record["summary"]):
                candidates = stream.text_words(text).candidates
                starts = {start for start, bits in candidates if bits & number_bit} \
                    | set(numbers._NUMBER_STARTS._starts(text))
                for start in starts:
                    tried += 1
                    assert _reading(numbers.PATTERN.match(text, start)) == \
                        _before_reading(BEFORE.match(text, start)), text[start:]
                for start in (start for start, bits in candidates if bits & date_bit):
                    tried += 1
                    assert _groups(dates.PATTERN.match(text, start)) == \
                        _groups(DATES_BEFORE.match(text, start)), text[start:]
    assert tried > 10000  # why: the comparison covers many places, not a handful


def test_a_patterns_start_words_are_each_first_word_behind_each_proclitic_prefix():
    """The words a pattern may begin at: each first word folded once and put behind the
    twelve proclitic prefixes (the same set as folding it behind each prefix)."""
    from benchmark.entities import dates
    from benchmark.entities.patterns import _DIGIT_KEY, _PROCLITIC_PREFIXES, fold_written

    # why: by hand, الساعة folds to الساعه behind "", و, ف and each of ب, ل, ك
    assert dates._CLOCK_STARTS.keys == {
        "الساعه", "بالساعه", "لالساعه", "كالساعه", "والساعه", "وبالساعه", "ولالساعه",
        "وكالساعه", "فالساعه", "فبالساعه", "فلالساعه", "فكالساعه", _DIGIT_KEY}
    words = [*dates.WEEKDAYS, "الإثنين", *dates.DAY_ORDINALS, *dates.GREGORIAN,
             *dates.HIJRI, *dates._YEAR_WORDS]
    assert dates._DATE_STARTS.keys == {prefix + fold_written(word.split()[0])
                                       for prefix in _PROCLITIC_PREFIXES
                                       for word in words} | {_DIGIT_KEY}
