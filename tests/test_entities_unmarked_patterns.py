"""The number, ordinal, date and clock patterns without their runs of optional marks,
their optional groups written as alternatives (`PatternStarts.plain`), match as the
patterns do wherever `PatternStarts.finditer` uses them: at a start outside every
stretch between two barriers that holds a mark or a tatweel
(`patterns.marked_stretches`). Checked at every place of texts built of marks,
barriers, numerals and the patterns' words, and at every place the rules try in BBC."""

from __future__ import annotations

import itertools
import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import dates, numbers, patterns, stream  # noqa: F401  (they register)

_RULES = (numbers.PATTERN, numbers.ORDINAL_PATTERN, dates.PATTERN, dates.CLOCK_PATTERN)
# The rules' four (other tests may register patterns of their own).
REGISTERED = [starts for starts in patterns.REGISTERED
              if any(starts.pattern is pattern for pattern in _RULES)]


def _groups(match: regex.Match | None) -> tuple | None:
    if match is None:
        return None
    return match.span(), tuple(sorted((name, match.span(name)) for name in match.groupdict()))


def _chosen(starts: patterns.PatternStarts, text: str, start: int) -> regex.Match | None:
    """The match `finditer` makes at `start`: the plain pattern outside the marked
    stretches, the pattern inside them."""
    marked = patterns.marked_stretches(text)
    inside = marked is not None and patterns._within(marked, start)
    return (starts.pattern if inside else starts.plain).match(text, start)


def test_four_patterns_are_tried_by_their_starts() -> None:
    # why: else the checks below would cover fewer patterns than the rules try.
    assert len(REGISTERED) == 4


def test_the_plain_patterns_leave_out_every_run_of_marks_and_nothing_else() -> None:
    for starts in REGISTERED:
        full, plain = starts.pattern.pattern, starts.plain.pattern
        assert patterns._MARKS in full and patterns._MARKS not in plain  # why: not vacuous
        assert "\\u0640*" not in plain
        assert plain == patterns.optionals_as_alternatives(
            full.replace(patterns._MARKS, "").replace("\\u0640*", ""))


@pytest.mark.parametrize("pattern, written, why", [
    ("(?:ab)?c", "(?:(?:ab)|)c", "an optional group"),
    ("(?P<x>a)?", "(?:(?P<x>a)|)", "a named group stays whole: unset when not taken"),
    ("[هة]?x", "(?:[هة]|)x", "an optional class"),
    ("(?:[وف]?[بلك]?)?", "(?:(?:(?:[وف]|)(?:[بلك]|))|)", "nested"),
    ("x(?:a(?:b)?)?", "x(?:(?:a(?:(?:b)|))|)", "nested groups"),
    ("a?b", "a?b", "a single character: left"),
    ("(a)??", "(a)??", "lazy: left"),
    ("(a)?+", "(a)?+", "possessive: left"),
    ("\\(a\\)?", "\\(a\\)?", "an escaped parenthesis is a character"),
    ("[)]?", "(?:[)]|)", "a parenthesis in a class"),
])
def test_optionals_as_alternatives(pattern, written, why) -> None:
    assert patterns.optionals_as_alternatives(pattern) == written, why
    for text in ("", "ab", "abc", "c", "هx", "x", "وب", "xab", "xa", ")", "(a)"):
        for start in range(len(text) + 1):
            assert _groups(regex.compile(written).match(text, start)) == \
                _groups(regex.compile(pattern).match(text, start)), (why, text, start)


def _unescaped_outside_classes(pattern: str) -> str:
    """The characters of `pattern` outside its character classes that are not escaped
    (its syntax and its literal characters)."""
    found, escaped, depth = [], False, 0
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        elif not depth:
            found.append(char)
    return "".join(found)


def test_no_pattern_reads_a_barrier() -> None:
    """A barrier is read by no pattern, forward or behind: it is not a letter, mark,
    numeral or space (what the patterns' classes and look-arounds hold), is spelled in
    none of them, and no pattern has a wildcard or a negated class that could read it."""
    for barrier in patterns.BARRIERS:
        assert not regex.fullmatch(r"[\p{L}\p{M}\p{N}\s]", barrier)
    for starts in REGISTERED:
        for text in (starts.pattern.pattern, starts.plain.pattern):
            assert not set(patterns.BARRIERS) & set(text)
            assert "[^" not in text and not regex.search(r"\\[SWDPXH]", text)
            assert "." not in _unescaped_outside_classes(text)  # why: a wildcard reads all


@pytest.mark.parametrize("text, stretches, why", [
    ("قال أحمد 5 أشخاص", None, "no mark: none"),
    ("قال مُحمد 5، ثم 6", ((-1,), (11,)), "from the start to the first barrier"),
    ("قال 5، مُحمد 6، ثم 7", ((5,), (14,)), "between two barriers"),
    ("قال 5، ثم الـ24", ((5,), (15,)), "a tatweel, from a barrier to the end"),
    ("مُحمد، قال 5، وعَلي", ((-1, 12), (5, 19)), "two stretches"),
    ("مُحَمَّد وعُمر 5", ((-1,), (16,)), "several marks, one stretch"),
])
def test_marked_stretches(text, stretches, why) -> None:
    assert patterns.marked_stretches(text) == stretches, why


_PIECES = ["5", "12", "٢٠", "2018", "3.5", "1,000", "10:30", "$", "%", "٪", "ثلاثة",
           "ثلاثةً", "خمسة", "الخامسة", "الخامسةَ", "عشر", "ألف", "مليون", "دولار", "دولاراً",
           "في", "المئة", "بالمئة", "الـ", "و", "ب", "ال", "منذ", "عام", "مارس", "مارسَ",
           "آذار", "الثاني", "الإثنين", "الساعة", "السّاعة", "مساء", "من", "هـ", "م",
           "\u0640", "\u064b", "\u0651", "\u0670"]
_GAPS = [" ", " ", "", "  ", ".", "/", "-", ":", "\n", *patterns.BARRIERS]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=10)
       .map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_the_plain_pattern_matches_as_the_pattern_where_it_is_used(text) -> None:
    for starts in REGISTERED:
        for start in range(len(text)):
            assert _groups(_chosen(starts, text, start)) == \
                _groups(starts.pattern.match(text, start)), (starts.pattern.pattern[:40], start)


def _finditer_before(starts: patterns.PatternStarts, text: str, words) -> list:
    """`PatternStarts.finditer` as it was: the pattern at each start it lists."""
    found, end = [], 0
    if starts.signs and any(sign in text for sign in patterns._SIGNS):
        candidates = starts._starts(text)
    else:
        candidates = [start for start, bits in words.candidates if bits & starts.bit]
    for start in candidates:
        if start >= end:
            match = starts.pattern.match(text, start)
            if match is not None:
                if starts.read_again is not None:
                    match = starts.read_again(match)
                end = match.end()
                found.append(_groups(match))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=10)
       .map(lambda pairs: "".join(a + b for a, b in pairs)))
def test_finditer_finds_what_it_found_before(text) -> None:
    words = stream.text_words(text)
    for starts in REGISTERED:
        assert list(map(_groups, starts.finditer(text, words))) == \
            _finditer_before(starts, text, words)


def test_alike_at_every_place_tried_in_bbc(shared_dir) -> None:
    """At each place the rules try each pattern in 1,000 BBC articles and summaries
    (about a third of them hold a mark): the same match, the same groups."""
    plain = full = 0
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in itertools.islice(handle, 1000):
            record = json.loads(line)
            for text in (record["article"], record["summary"]):
                words = stream.text_words(text)
                marked = patterns.marked_stretches(text)
                for starts in REGISTERED:
                    for start in (start for start, bits in words.candidates
                                  if bits & starts.bit):
                        inside = marked is not None and patterns._within(marked, start)
                        full += inside
                        plain += not inside
                        assert _groups(_chosen(starts, text, start)) == \
                            _groups(starts.pattern.match(text, start)), text[start:start + 60]
                    assert list(map(_groups, starts.finditer(text, words))) == \
                        _finditer_before(starts, text, words)
    assert plain > 20000 and full > 1000  # why: both kinds of place are covered
