"""A text's words, read once for every rule of the ``rules`` backend.

`text_words(text)` splits a text into its letter runs once and looks each run up once
in a memo of what the rules need to know of a word, remembered across texts: its
normalized form, which number and date patterns may begin at it (`PatternStarts`), and
which word lists one of its clitic readings starts (titles, list names, event,
organization and place heads, given names, nisba adjectives). The number and date
passes try their patterns only at the `candidates`, the name rules step over the tokens
whose `lists` are empty, and no rule splits or normalizes the text again.
"""

from __future__ import annotations

import functools
import itertools
import operator
from dataclasses import dataclass

from benchmark.entities import dates, numbers  # noqa: F401  (their patterns register)
from benchmark.entities.gazetteer import NAME_STARTERS, joined_abd, load_gazetteer
from benchmark.entities.patterns import REGISTERED, digit_words, word_key
from benchmark.entities.tokens import (Token, arabic_letters_only, clitic_forms, fold_letters,
                                       normalized_word, split_letters, tokens_of)

# Which word lists a clitic reading of a token starts: a rule of the name pass finds
# nothing at a token without its list (`Scanner` and `rules._first_pass` skip it).
TITLE, PHRASE, EVENT, ORG, PLACE, PERSON, NISBA = (1 << bit for bit in range(7))


@functools.lru_cache(maxsize=1 << 16)
def list_bits(norm: str) -> int:
    """The lists (TITLE ... NISBA) that a reading of the normalized token `norm` is in.

    TITLE, PHRASE, EVENT, ORG and PLACE: some clitic reading is a title's first word, a
    list name's first word, an event head, an organization head's first word, a place
    head. PERSON: a reading without a restored article is a given name, أبو or عبد, or
    عبد joined to a name (عبدالله). NISBA: the token, or the token less a leading و or
    ف, is a nisba adjective.
    """
    gazetteer = load_gazetteer()
    bits = 0
    bare = norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 3 else norm
    if norm in gazetteer.nisba or bare in gazetteer.nisba:
        bits |= NISBA
    if not _may_read_as_listed(norm):
        return bits
    for form in clitic_forms(norm):
        word = form.form
        bits |= (TITLE * (word in gazetteer.titles.by_first)
                 | PHRASE * (word in gazetteer.phrases.by_first)
                 | EVENT * (word in gazetteer.event_heads)
                 | ORG * (word in _org_head_starts())
                 | PLACE * (word in gazetteer.place_heads))
        if not form.restored_article and (word in gazetteer.given_names
                                          or word in NAME_STARTERS or joined_abd(word)):
            bits |= PERSON
    return bits


def _may_read_as_listed(norm: str) -> bool:
    """A clitic reading is the token less one or two letters, or after ``لل`` with the
    article restored: when none of these is a listed word, no reading is (most tokens,
    told without making their readings)."""
    words = _first_words()
    return (norm in words or norm[1:] in words or norm[2:] in words
            or "ا" + norm[1:] in words or "ا" + norm[2:] in words
            or "عبدال" in norm[:7])


@functools.lru_cache(maxsize=1)
def _org_head_starts() -> frozenset[str]:
    return frozenset(head.split()[0] for head in load_gazetteer().org_heads)


@functools.lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    gazetteer = load_gazetteer()
    return frozenset().union(gazetteer.titles.by_first, gazetteer.phrases.by_first,
                             gazetteer.event_heads, _org_head_starts(),
                             gazetteer.place_heads, gazetteer.given_names, NAME_STARTERS)


def _facts(surface: str) -> tuple[str, int, int]:
    """What the rules need of a letter run: its normalized form, the `PatternStarts`
    that may begin at it (their bits), and its `list_bits`."""
    if arabic_letters_only(surface):  # most words: one fold gives both forms
        norm = key = fold_letters(surface)
    else:
        norm, key = normalized_word(surface), word_key(surface)
    return norm, _pattern_bits().get(key, 0), list_bits(norm)


@functools.lru_cache(maxsize=1)
def _pattern_bits() -> dict[str, int]:
    """`word_key` -> the bits of the `PatternStarts` that accept it (`_Facts` begins
    afresh, and so asks again, when one registers)."""
    bits: dict[str, int] = {}
    for starts in REGISTERED:
        for key in starts.keys:
            bits[key] = bits.get(key, 0) | starts.bit
    return bits


class _Facts:
    """The memo of `_facts`, begun afresh when a pattern registers after it began or
    when it holds `limit` words."""

    def __init__(self, limit: int = 1 << 17) -> None:
        self.limit = limit
        self.patterns = -1
        self.memo = _Remembered()

    def of(self, surfaces: list[str]) -> tuple[list[str], list[int], list[int]]:
        """Normalized forms, pattern bits and list bits of `surfaces`: one lookup per
        word (a text's words are fresh strings, each hashed and compared once)."""
        if self.patterns != len(REGISTERED) or len(self.memo) > self.limit:
            _pattern_bits.cache_clear()
            self.patterns, self.memo = len(REGISTERED), _Remembered()
        facts = list(map(self.memo.__getitem__, surfaces))
        return (list(map(_FIRST, facts)), list(map(_SECOND, facts)),
                list(map(_THIRD, facts)))


_FIRST, _SECOND, _THIRD = map(operator.itemgetter, range(3))


class _Remembered(dict):
    """`_facts` of each word, computed on its first lookup."""

    __slots__ = ()

    def __missing__(self, surface: str) -> tuple[str, int, int]:
        facts = self[surface] = _facts(surface)
        return facts


_FACTS = _Facts()


@dataclass(slots=True)
class TextWords:
    """A text's tokens (`tokens.Token`, letter runs with something left after
    normalization) with their normalized forms, `list_bits`, starts and ends; and the
    `candidates`: (offset, bits of the `PatternStarts` that may begin there), in order,
    for the words of letters that a pattern may begin at and every word with a digit."""

    tokens: list[Token]
    norms: list[str]
    lists: list[int]
    token_starts: list[int]
    token_ends: list[int]
    candidates: list[tuple[int, int]]


@functools.lru_cache(maxsize=2)  # the passes over one text share its words
def text_words(text: str) -> TextWords:
    """`text` read once (see the module's docstring)."""
    parts = split_letters(text)  # gap, word, gap, word, ..., gap
    norms, patterns, lists = _FACTS.of(parts[1::2])
    offsets = list(itertools.accumulate(map(len, parts), initial=0))
    starts, ends = offsets[1::2], offsets[2::2]
    tokens = tokens_of(text, parts, norms, offsets)
    candidates = _candidates(text, starts, patterns)
    if len(tokens) != len(norms):  # runs of marks or tatweel alone were left out
        kept = [k for k, norm in enumerate(norms) if norm]
        return TextWords(tokens, [norms[k] for k in kept], [lists[k] for k in kept],
                         [starts[k] for k in kept], [ends[k] for k in kept], candidates)
    return TextWords(tokens, norms, lists, starts, ends, candidates)


_EVERY_PATTERN = -1  # all bits: a word with a digit may begin any pattern


def _candidates(text: str, starts: list[int], patterns: list[int]) -> list[tuple[int, int]]:
    """Where a pattern may begin: the letter runs whose letters one accepts (a run
    glued after a digit or numeral is listed too, but the patterns' WORD_START fails
    there), and the start of every word that holds a digit."""
    found = [(starts[k], patterns[k])
             for k in itertools.compress(range(len(patterns)), patterns)]
    digits = digit_words(text)
    if not digits:
        return found
    merged = dict(found)
    for start in digits:
        merged[start] = _EVERY_PATTERN
    return sorted(merged.items())
