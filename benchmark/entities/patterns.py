"""Helpers to build regular expressions that match Arabic words as written.

Word lists are kept in normalized form; `written(word)` turns one into a pattern that
also accepts the unnormalized spellings (hamza-carrying alefs, alef maqsura, taa
marbuta, optional tatweel and tashkeel between letters), so the patterns run on the
original text and report its offsets. `PatternStarts` runs such a pattern only at the
words where it can begin (most words of a text begin no number and no date).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from typing import Callable, Iterator

import regex

from benchmark.entities.compiled import compile_cached
from benchmark.entities.memo import WordMemo
from benchmark.entities.tokens import PLAIN_WORD

_VARIANTS = {"ا": "[اأإآٱ]", "ي": "[يىی]", "ه": "[هة]", "ك": "[كک]"}
_MARKS = "[\u064b-\u065f\u0670\u0640]*"
_MARK_CHARS = frozenset(map(chr, [*range(0x064B, 0x0660), 0x0670, 0x0640]))
DIGIT = "[0-9٠-٩۰-۹]"
# Not preceded by a letter or digit: the start of a word (clitics are matched apart).
WORD_START = r"(?<![\p{L}\p{M}\p{N}])"
WORD_END = r"(?![\p{L}\p{M}\p{N}])"
PROCLITICS = "(?:[وف]?[بلك]?)"


def written(word: str) -> str:
    """A pattern for normalized `word` as it may be written."""
    parts = []
    for char in word:
        if char == " ":
            parts.append(r"\s+")
        else:
            parts.append(_VARIANTS.get(char, _escape(char)) + _MARKS)
    return "".join(parts)


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """Longest-first alternation of `written` words, as a trie of their letters.

    ``(?:ثلاثين|ثلاثه|ثلاث)`` is written ``(?:ثلاث(?:ين|ه)?)`` (each letter as `written`
    has it): the shared letters are parsed and tried once, so the pattern compiles and
    matches several times faster, and it matches what the longest-first alternation
    matches. Why: the letters' patterns of one trie node never share a character (each
    is what `fold_written` folds to its letter), so only the words that are prefixes of
    one another can match at one place, and the trie tries a longer one first (the
    optional rest of a word before the word's end). Lists with other words (a letter
    variant written out, a mark) keep the plain alternation.
    """
    distinct = set(words)
    # A variant spelled out (الإثنين beside الاثنين) matches a part of what its
    # normalized word matches, the same way: it adds nothing to the alternation.
    distinct -= {word for word in distinct if fold_written(word) != word
                 and fold_written(word) in distinct and not _MARK_CHARS.intersection(word)}
    if any(fold_written(word) != word or _OTHER_SPACE.search(word) for word in distinct):
        return plain_alternation(distinct)
    trie: dict = {}
    for word in distinct:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return "(?:" + _trie_pattern(trie) + ")"


def plain_alternation(words) -> str:
    """The alternation of `written` words, longest first, word by word (what
    `alternation` matches, written out). Words of one length in their own order, so
    the pattern's text is the same in every process (it keys the compiled pattern in
    `benchmark.entities.compiled`); a set's order changes with the hash seed."""
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return "(?:" + "|".join(written(word) for word in ordered) + ")"


_END = ""  # a trie key no letter uses: a word ends at this node
_OTHER_SPACE = regex.compile(r"[^\S ]")  # whitespace besides the space, which is \s+


def _trie_pattern(node: dict) -> str:
    """The pattern of the words below a trie `node`: each child's letter (as `written`
    writes it) and the rest after it, and the empty word last when a word ends here."""
    branches = [(r"\s+" if char == " " else _VARIANTS.get(char, _escape(char)) + _MARKS)
                + _trie_pattern(child)
                for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = "|".join(branches)
    if _END in node:
        return f"(?:{body})?"  # greedy: a longer word is tried before this one
    return body if len(branches) == 1 else f"(?:{body})"


def _escape(char: str) -> str:
    return "\\" + char if char in r".^$*+?{}[]\|()/-" else char


# What `written` reads as one normalized letter, and the marks it lets through.
_WRITTEN_FOLD = str.maketrans(
    {variant: letter for letter, variants in _VARIANTS.items() for variant in variants.strip("[]")}
    | {chr(code): None for code in [*range(0x064B, 0x0660), 0x0670, 0x0640]})
_PROCLITIC_PREFIXES = tuple(conjunction + preposition for conjunction in ("", "و", "ف")
                            for preposition in ("", "ب", "ل", "ك"))
_CHUNK_SPLIT = regex.compile(r"([\p{L}\p{M}\p{N}]+|[$€£%٪])")
_HAS_DIGIT = regex.compile(DIGIT)
_SIGNS = tuple("$€£%٪")


def fold_written(surface: str) -> str:
    """The normalized word that `written` patterns read in `surface`: marks and tatweel
    dropped, letter variants folded. ``written(word)`` matches `surface` only if
    ``fold_written(surface) == word``."""
    return surface.translate(_WRITTEN_FOLD)


REGISTERED: list["PatternStarts"] = []  # every pattern tried by its starts, in order


class PatternStarts:
    """`finditer` of a pattern that begins with ``WORD_START PROCLITICS``, tried only at
    the words where it can begin instead of at every character: a word with a digit, a
    currency or percent sign (with `signs`) and the word right before one, and a word
    that is proclitics + one of `first_words` (the first words of the pattern's
    alternatives, normalized). These are a superset of the match starts, so the matches
    are the pattern's own; `tests/test_entities_equivalence.py` checks it. A pattern all
    of whose alternatives are letters up to a `WORD_END` is not tried at the words with
    a digit (``digits=False``): such a match spans a whole letter run that no numeral
    touches, and a word with a digit begins no such run. With `read_again`, each match
    is handed to it and what it gives is the match (`numbers._read_again`).
    """

    def __init__(self, pattern: regex.Pattern, first_words, *, signs: bool = False,
                 digits: bool = True,
                 read_again: Callable[[regex.Match], regex.Match] | None = None):
        self.pattern = pattern
        self.read_again = read_again
        self.signs = signs
        self.digits = digits
        firsts = {fold_written(word.split()[0]) for word in first_words}  # once, not per prefix
        self._accepted = frozenset({prefix + first for prefix in _PROCLITIC_PREFIXES
                                    for first in firsts}
                                   | ({_DIGIT_KEY} if digits else set())
                                   | ({_SIGN_KEY} if signs else set()))
        self.bit = 1 << len(REGISTERED)  # in `stream.TextWords.candidates`
        self._plain: regex.Pattern | None = None
        REGISTERED.append(self)

    @property
    def plain(self) -> regex.Pattern:
        """The pattern without its runs of optional marks (`unmarked`), its optional
        groups as alternatives (`optionals_as_alternatives`): what it matches where no
        mark is within reach (`marked_stretches`). Compiled when one is first
        asked for, with those of the patterns registered by then (or read back from the
        cache of compiled patterns)."""
        if self._plain is None:
            for starts in REGISTERED:
                if starts._plain is None:
                    starts._plain = compile_cached(_plain_text(starts.pattern.pattern))
        return self._plain or compile_cached(_plain_text(self.pattern.pattern))

    @property
    def keys(self) -> frozenset[str]:
        """The `word_key`s of the words the pattern may begin at."""
        return self._accepted

    def finditer(self, text: str, words=None) -> Iterator[regex.Match]:
        """The pattern's matches, left to right. With `words` (the text's
        `stream.TextWords`), tried at the starts it lists for this pattern; without, at
        the words `_starts` finds."""
        if words is None or (self.signs and any(sign in text for sign in _SIGNS)):
            starts = self._starts(text)
        else:
            bit = self.bit
            starts = [start for start, bits in words.candidates if bits & bit]
        if not starts:
            return
        end = 0
        read_again = self.read_again
        pattern = plain = self._plain or self.plain
        marked = marked_stretches(text)
        for start in starts:
            if start >= end:
                if marked:
                    pattern = self.pattern if _within(marked, start) else plain
                match = pattern.match(text, start)
                if match is not None:
                    if read_again is not None:
                        match = read_again(match)
                    end = match.end()
                    yield match

    def _starts(self, text: str) -> list[int]:
        starts, words, keys = _words(text)
        found = list(itertools.compress(starts, map(self._accepted.__contains__, keys)))
        if self.signs and any(sign in text for sign in _SIGNS):
            found = sorted({*found, *_before_signs(starts, words)})
        return found


# Marks and tatweel: what `_MARKS` and the number pattern's ``\u0640*`` read.
_MARKS_IN_ORDER = tuple(sorted(_MARK_CHARS))
# Characters that no pattern tried by its starts reads, forward or in a look-behind:
# not letters, marks, numerals or whitespace, and spelled in none of them (a test
# checks it). A match attempt stops at one.
BARRIERS = "،؛؟«»\""
_BARRIER_AFTER = regex.compile("[" + BARRIERS + "]")
_BARRIER_BEFORE = regex.compile("(?r)[" + BARRIERS + "]")


def unmarked(pattern: str) -> str:
    """`pattern` without its runs of optional marks (`_MARKS`, ``\\u0640*``). Where the
    text holds no mark, each such run reads nothing, in one way: the pattern without
    them matches there as the pattern does (the same match, the same groups), and its
    engine sets up far fewer repeats for each call (about half the time of a call)."""
    return pattern.replace(_MARKS, "").replace("\\u0640*", "")


def _plain_text(pattern: str) -> str:
    """The text of `PatternStarts.plain`."""
    return optionals_as_alternatives(unmarked(pattern))


def optionals_as_alternatives(pattern: str) -> str:
    """`pattern` with each greedy ``?`` after a group or a character class written as
    an alternative with the empty string (``(?:X)?`` -> ``(?:(?:X)|)``): the same
    matches, tried in the same order (X, then nothing), with the same groups, but no
    repeat for the engine to set up at each call. Other ``?`` are left as they are."""
    opened: list[int] = []
    groups: list[int] = []  # where an optional group or class begins
    marks: list[int] = []  # where its ``?`` is
    for token in _SYNTAX.finditer(pattern):
        written = token.group()
        if written == "(":
            opened.append(token.start())
            continue
        if written == ")":
            begins = opened.pop()
        elif written[0] == "[":
            begins = token.start()
        else:
            continue  # an escaped character
        end = token.end()
        if pattern[end:end + 1] == "?" and pattern[end + 1:end + 2] not in ("?", "+"):
            groups.append(begins)
            marks.append(end)
    cuts = sorted([(index, "(?:", 0) for index in groups] + [(index, "|)", 1) for index in marks])
    pieces, done = [], 0
    for index, inserted, skipped in cuts:
        pieces += [pattern[done:index], inserted]
        done = index + skipped
    return "".join(pieces) + pattern[done:]


# An escaped character, a character class, or a parenthesis (of `regex`'s default
# syntax, as the rules write their patterns: no nested sets).
_SYNTAX = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]|[()]", re.DOTALL)


@functools.lru_cache(maxsize=2)  # the patterns of one text ask in turn
def marked_stretches(text: str) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The stretches of `text` between two `BARRIERS` (or an end) that hold a mark or
    tatweel, as their (starts, ends); None when the text holds none (most texts).
    A match attempt that begins outside them reads no mark (it never reads past a
    barrier), so `PatternStarts.plain` matches there as the pattern does."""
    if not any(map(text.__contains__, _MARKS_IN_ORDER)):  # sooner than a class's search
        return None
    marks = []
    for mark in itertools.compress(_MARKS_IN_ORDER, map(text.__contains__, _MARKS_IN_ORDER)):
        position = text.find(mark)
        while position >= 0:
            marks.append(position)
            position = text.find(mark, position + 1)
    starts: list[int] = []
    ends: list[int] = []
    for position in sorted(marks):
        if ends and position < ends[-1]:
            continue  # in the stretch of the mark before
        before = _BARRIER_BEFORE.search(text, 0, position)
        after = _BARRIER_AFTER.search(text, position)
        starts.append(before.start() if before is not None else -1)
        ends.append(after.start() if after is not None else len(text))
    return tuple(starts), tuple(ends)


def _within(stretches: tuple[tuple[int, ...], tuple[int, ...]], position: int) -> bool:
    """Is `position` inside one of `marked_stretches`?"""
    k = bisect.bisect_right(stretches[0], position) - 1
    return k >= 0 and position < stretches[1][k]


# What a word is to `PatternStarts`: a digit, a sign, or its `fold_written` form.
_DIGIT_KEY, _SIGN_KEY = "0", "$"


def word_key(word: str) -> str:
    """What `word` (a run of letters, marks and digits, or a sign) is to `PatternStarts`:
    a digit, a sign, or its `fold_written` form."""
    if PLAIN_WORD.fullmatch(word):
        return word
    if not word.isalpha():  # letters alone hold no digit and no sign: skip the search
        if _HAS_DIGIT.search(word):
            return _DIGIT_KEY
        if word in _SIGNS:
            return _SIGN_KEY
    return word.translate(_WRITTEN_FOLD)


_KEYS = WordMemo(word_key)


@functools.lru_cache(maxsize=2)  # the patterns of one text share its words
def _words(text: str) -> tuple[list[int], list[str], list[str]]:
    """Starts, texts and keys of the letter, mark and digit runs and the signs of
    `text`."""
    parts = _CHUNK_SPLIT.split(text)  # gap, word, gap, word, ..., gap
    offsets = list(itertools.accumulate(map(len, parts), initial=0))
    words = parts[1::2]
    return offsets[1::2], words, _KEYS.values(words)


_DIGIT_RUN = re.compile(DIGIT + "+")  # a class of code points: `re` reads it alike
_WORD_CHAR = regex.compile(r"[\p{L}\p{M}\p{N}]")


def digit_words(text: str) -> list[int]:
    """Starts of the runs of letters, marks and numerals of `text` that hold a digit
    (where `PatternStarts` tries every pattern), in order."""
    found: list[int] = []
    for run in _DIGIT_RUN.finditer(text):
        start = run.start()
        while start and _WORD_CHAR.match(text, start - 1):
            start -= 1
        if not found or found[-1] != start:
            found.append(start)
    return found


def _before_signs(starts: list[int], words: list[str]) -> Iterator[int]:
    """Starts of the words written right before a sign (proclitics: و$)."""
    for k in range(len(words) - 1):
        if words[k + 1] in _SIGNS and starts[k] + len(words[k]) == starts[k + 1]:
            yield starts[k]
