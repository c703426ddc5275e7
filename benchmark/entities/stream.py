"""A text's words, read once for every rule of the ``rules`` backend.

`text_words(text)` splits a text into its letter runs once and looks each run up in a
memo of what the rules need to know of a word, remembered across texts: its
normalized form, which number and date patterns may begin at it (`PatternStarts`), and
which word lists one of its clitic readings starts (titles, list names, event,
organization and place heads, given names, nisba adjectives). The number and date
passes try their patterns only at the `candidates`, the name rules step over the tokens
whose `lists` are empty, and no rule splits or normalizes the text again.

Nothing is made per token: the tokens are parallel sequences (`TextWords`), looked up
by one `map` over the memo; a text's new words are learnt together (one fold of them
joined); whether a gap breaks a name is told when a rule asks.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass
from typing import Iterator

from benchmark.entities import dates, numbers  # noqa: F401  (their patterns register)
from benchmark.entities.gazetteer import NAME_STARTERS, joined_abd, load_gazetteer
from benchmark.entities.patterns import REGISTERED, digit_words, word_key
from benchmark.entities.tokens import (Token, arabic_letters_only, clitic_forms, fold_letters,
                                       normalized_word, split_letters)

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


@functools.lru_cache(maxsize=1)
def _pattern_bits() -> dict[str, int]:
    """`word_key` -> the bits of the `PatternStarts` that accept it (`_Facts` begins
    afresh, and so asks again, when one registers)."""
    bits: dict[str, int] = {}
    for starts in REGISTERED:
        for key in starts.keys:
            bits[key] = bits.get(key, 0) | starts.bit
    return bits


@functools.lru_cache(maxsize=1)
def _listed_tails() -> frozenset[str]:
    """The first words of the lists, and those that begin with ``ا`` less it: a token
    less one or two letters is in it iff that rest, or ``ا`` + that rest, is a first
    word (what `_may_read_as_listed` asks, in one lookup)."""
    words = _first_words()
    return words.union(word[1:] for word in words if word[:1] == "ا")


@functools.lru_cache(maxsize=1)
def _nisba_spellings() -> frozenset[str]:
    """The tokens `list_bits` gives NISBA: a nisba form, or و or ف before one (the
    token then longer than three letters)."""
    nisba = load_gazetteer().nisba
    return frozenset(nisba).union(conjunction + form for conjunction in ("و", "ف")
                                  for form in nisba if len(form) >= 3)


# A character besides newlines and the Arabic letters `fold_letters` reads alone.
_ODD_CHARACTER = re.compile("[^\\n\u0621-\u063f\u0641-\u064a]")


class _Facts:
    """What the rules need of each letter run, remembered across texts: its normalized
    form, the bits of the `PatternStarts` that may begin at it, and its `list_bits`, as
    one tuple per run (one lookup per token; a text's tokens are looked up by one
    `map` and parted by one `zip`). Begun afresh when a pattern registers after it
    began, or past `limit` words."""

    def __init__(self, limit: int = 1 << 17) -> None:
        self.limit = limit
        self.patterns = -1
        self.facts: dict[str, tuple[str, int, int]] = {}

    def of(self, surfaces: list[str]
           ) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
        """Normalized forms, pattern bits and list bits of `surfaces` (tuples, as the
        `zip` that parts the rows makes them: not copied into lists)."""
        if self.patterns != len(REGISTERED) or len(self.facts) > self.limit:
            _pattern_bits.cache_clear()
            _digit_bits.cache_clear()
            self.patterns, self.facts = len(REGISTERED), {}
        facts = self.facts  # replaced, never cleared: a thread reading it keeps its own
        if not surfaces:
            return (), (), ()
        try:
            norms, patterns, lists = zip(*map(facts.__getitem__, surfaces))
        except KeyError:  # words never seen: learnt together, then looked up (each of
            # the text's distinct words asked once, in C: a set's difference with a dict)
            _learn(set(surfaces).difference(facts), facts)
            norms, patterns, lists = zip(*map(facts.__getitem__, surfaces))
        return norms, patterns, lists


def _learn(new: set[str], facts: dict[str, tuple[str, int, int]]) -> None:
    """Add the facts of the runs `new` to `facts`. Most are of Arabic letters alone,
    whose normalized form and `word_key` are one fold: the fold is made once, on the
    runs joined by newlines (a character no run holds), and the others read apart.
    `list_bits` is asked only of a word a clitic reading of which may be listed
    (`_may_be_listed`): the others have NISBA or nothing."""
    surfaces = list(new)
    joined = "\n".join(surfaces)
    odd = _odd_runs(joined)
    norms = fold_letters(joined).split("\n")
    keys = norms.copy()
    for k in odd:
        norms[k], keys[k] = normalized_word(surfaces[k]), word_key(surfaces[k])
    # A word that is its own normalized form (most) keeps one string, the key's: a
    # text's lookups then touch one string per word instead of two.
    norms = [surface if norm == surface else norm for surface, norm in zip(surfaces, norms)]
    lists = list(map(NISBA.__mul__, map(_nisba_spellings().__contains__, norms)))
    for k in itertools.compress(range(len(norms)), _may_be_listed(norms)):
        lists[k] = list_bits(norms[k])
    patterns = map(_pattern_bits().get, keys, itertools.repeat(0))
    facts.update(zip(surfaces, zip(norms, patterns, lists)))


def _may_be_listed(norms: list[str]) -> Iterator[bool]:
    """Per normalized word: may a clitic reading of it be listed (`_may_read_as_listed`:
    the word, or the word less one or two letters, or ``ا`` + that rest, a list's first
    word; or عبد joined to a name)? Told by `map`s, the words' readings not made."""
    first, tails, repeat = _first_words(), _listed_tails(), itertools.repeat
    return map(any, zip(map(first.__contains__, norms),
                        map(tails.__contains__, map(_LESS_ONE, norms)),
                        map(tails.__contains__, map(_LESS_TWO, norms)),
                        map(operator.contains, map(_FIRST_SEVEN, norms), repeat("عبدال"))))


_LESS_ONE, _LESS_TWO, _FIRST_SEVEN = (operator.itemgetter(slice(1, None)),
                                      operator.itemgetter(slice(2, None)),
                                      operator.itemgetter(slice(7)))


def _odd_runs(joined: str) -> list[int]:
    """The indices of the runs of `joined` (runs joined by newlines) with a character
    besides the Arabic letters `fold_letters` reads alone."""
    found: list[int] = []
    index = position = 0
    match = _ODD_CHARACTER.search(joined)
    while match is not None:
        index += joined.count("\n", position, match.start())
        found.append(index)
        position = joined.find("\n", match.start())
        if position < 0:
            break
        match = _ODD_CHARACTER.search(joined, position)
    return found


_FACTS = _Facts()


@dataclass(slots=True)
class TextWords:
    """A text's tokens (its letter runs with something left after normalization) as
    parallel sequences: their `texts`, the `gaps` before them (the text since the previous
    token), whether a gap `breaks` (holds more than spaces: punctuation ends a name),
    their normalized forms, `list_bits`, starts and ends; and the `candidates`:
    (offset, bits of the `PatternStarts` that may begin there), in order, for the words
    of letters that a pattern may begin at and every word with a digit. No object is
    made per token (`tokens` makes them, for a caller that wants `tokens.Token`s)."""

    texts: list[str]
    gaps: list[str]
    breaks: Breaks
    norms: tuple[str, ...]
    lists: tuple[int, ...]
    token_starts: list[int]
    token_ends: list[int]
    candidates: list[tuple[int, int]]

    @property
    def tokens(self) -> list[Token]:
        return list(map(Token, self.token_starts, self.token_ends, self.texts, self.norms,
                        self.gaps))


@functools.lru_cache(maxsize=2)  # the passes over one text share its words
def text_words(text: str) -> TextWords:
    """`text` read once (see the module's docstring)."""
    parts = split_letters(text)  # gap, word, gap, word, ..., gap
    surfaces, gaps = parts[1::2], parts[0:-1:2]
    norms, patterns, lists = _FACTS.of(surfaces)
    offsets = list(itertools.accumulate(map(len, parts), initial=0))
    starts, ends = offsets[1::2], offsets[2::2]
    candidates = _candidates(text, starts, patterns)
    if "" in norms:  # runs of marks or tatweel alone: left out, their text joins a gap
        kept = [k for k, norm in enumerate(norms) if norm]
        surfaces = [surfaces[k] for k in kept]
        norms, lists = tuple(norms[k] for k in kept), tuple(lists[k] for k in kept)
        starts, ends = [starts[k] for k in kept], [ends[k] for k in kept]
        gaps = [text[ends[n - 1] if n else 0:start] for n, start in enumerate(starts)]
    return TextWords(surfaces, gaps, Breaks(gaps), norms, lists, starts, ends, candidates)


class Breaks(dict):
    """Per gap index: does the gap hold more than whitespace (punctuation ends a name)?
    Told when first asked (the rules ask of the few tokens around the names)."""

    __slots__ = ("gaps",)

    def __init__(self, gaps: list[str]) -> None:
        super().__init__()
        self.gaps = gaps

    def __missing__(self, k: int) -> bool:
        breaks = self[k] = bool(self.gaps[k].strip())
        return breaks


def _candidates(text: str, starts: list[int], patterns: tuple[int, ...]
                ) -> list[tuple[int, int]]:
    """Where a pattern may begin: the letter runs whose letters one accepts (a run
    glued after a digit or numeral is listed too, but the patterns' WORD_START fails
    there), and the start of every word that holds a digit (for the patterns tried
    there: `PatternStarts.digits`)."""
    found = [(starts[k], patterns[k])
             for k in itertools.compress(range(len(patterns)), patterns)]
    digits = digit_words(text)
    if not digits:
        return found
    merged = dict(found)
    digit_bits = _digit_bits()
    for start in digits:
        merged[start] = merged.get(start, 0) | digit_bits
    return sorted(merged.items())


@functools.lru_cache(maxsize=1)
def _digit_bits() -> int:
    """The bits of the `PatternStarts` tried at a word with a digit (`_Facts` begins
    afresh, and so asks again, when one registers)."""
    return sum(starts.bit for starts in REGISTERED if starts.digits)
