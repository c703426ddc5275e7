"""Word tokens with offsets into the original text, and clitic-tolerant forms.

The rules work on normalized tokens but must report offsets into the text they were
given, so each token keeps its span and the gap before it (punctuation there ends a
name). Normalization is per token, so NFKC changes of length cannot shift offsets.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

import regex

from benchmark.entities.memo import WordMemo
from benchmark.entities.model import entity_key
from benchmark.text import normalize_arabic

_WORD_SPLIT = regex.compile(r"([\p{L}\p{M}]+)")
# Arabic letters that normalization and `patterns.fold_written` leave as they are (no
# alef with hamza or madda, alef maqsura, taa marbuta, tatweel or mark): most words are
# written with these alone and are their own normalized form.
PLAIN_WORD = re.compile("[\u0621\u0624\u0626-\u0628\u062a-\u063a\u0641-\u0648\u064a]+")
# Arabic letters alone (no tatweel, mark or digit): normalization only folds the alef
# variants, alef maqsura and taa marbuta among them, as `patterns.fold_written` does.
_LETTERS_ONLY = re.compile("[\u0621-\u063f\u0641-\u064a]+")
_LETTER_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ى", "ي"), ("ة", "ه"))


_NORMALIZED = WordMemo(lambda word: normalized_word(word))
_MARK = regex.compile(r"\p{M}")
# Proclitics: a conjunction (و ف), then a preposition (ب ل ك); ``لل`` is ل + the
# article with its alef dropped.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
MIN_STEM = 2
_CLITIC_LETTERS = frozenset("وفبلك")


@dataclass(slots=True)  # not frozen: a text makes thousands, and frozen init is slow
class Token:
    start: int
    end: int
    text: str
    norm: str
    gap: str  # the original text between the previous token and this one

    @property
    def breaks_before(self) -> bool:
        """True when punctuation (not just spaces) separates this token from the last."""
        return bool(self.gap.strip())


def word_tokens(text: str) -> list[Token]:
    """The letter runs of `text` (digits are the number patterns' business)."""
    parts = split_letters(text)
    return tokens_of(text, parts, normalized_words(parts[1::2]))


def split_letters(text: str) -> list[str]:
    """gap, letter run, gap, letter run, ..., gap. A text written in the `COMMON_RANGES`
    alone (nearly every one) is split by the `re` engine, with the letters and marks of
    those ranges as `regex` reads them: the same parts, about twice as fast."""
    if in_common_ranges(text):
        return _common_split().split(text)
    return _WORD_SPLIT.split(text)


# Code points that news text is written in: Latin to NKo and Arabic Extended-A, general
# punctuation, currency signs, Arabic presentation forms.
COMMON_RANGES = ((0x0000, 0x08FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0xFB50, 0xFEFF))
_OUTSIDE_COMMON = re.compile("[^" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}"
                                            for low, high in COMMON_RANGES) + "]")


def in_common_ranges(text: str) -> bool:
    """Is `text` written in the `COMMON_RANGES` alone (where `common_class` holds)?"""
    return _OUTSIDE_COMMON.search(text) is None


@functools.lru_cache(maxsize=8)
def common_class(spelled: str) -> str:
    """The `regex` character class `spelled` (``[\\p{L}\\p{M}]``) for the `re` engine:
    the code points of the `COMMON_RANGES` that `regex` puts in it, as ranges. On a text
    of those ranges alone it holds the characters the class holds."""
    chars = "".join(chr(code) for low, high in COMMON_RANGES for code in range(low, high + 1))
    runs: list[list[int]] = []
    for code in map(ord, regex.findall(spelled, chars)):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "[" + "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
                         for low, high in runs) + "]"


@functools.lru_cache(maxsize=1)
def _common_split() -> re.Pattern:
    return re.compile("(" + common_class(r"[\p{L}\p{M}]") + "+)")


def tokens_of(text: str, parts: list[str], norms, offsets: list[int] | None = None
              ) -> list[Token]:
    """The tokens of `split_letters(text)` given their normalized forms (and the parts'
    offsets, if known)."""
    if offsets is None:
        offsets = list(itertools.accumulate(map(len, parts), initial=0))
    tokens = list(map(Token, offsets[1::2], offsets[2::2], parts[1::2], norms, parts[0:-1:2]))
    if "" in norms:  # only tatweel or marks: nothing to read, its text joins the next gap
        tokens = _without_empty(text, tokens)
    return tokens


def normalized_words(words: list[str]) -> list[str]:
    """`normalize_arabic` of each word, remembered across texts."""
    return _NORMALIZED.values(words)


def normalized_word(word: str) -> str:
    """`normalize_arabic(word)`, sooner for a word of Arabic letters alone."""
    if PLAIN_WORD.fullmatch(word):
        return word
    if _LETTERS_ONLY.fullmatch(word):
        return fold_letters(word)
    return normalize_arabic(word)


def fold_letters(word: str) -> str:
    """`normalize_arabic` of a word of Arabic letters alone (U+0621-U+063F, U+0641-U+064A):
    its alef variants, alef maqsura and taa marbuta folded."""
    for letter, folded in _LETTER_FOLD:
        if letter in word:
            word = word.replace(letter, folded)
    return word


# A surface of those letters and ASCII digits, its words one space apart.
_PLAIN_WORD_OF_KEY = "[\u0621-\u063f\u0641-\u064a0-9]+"
_PLAIN_SURFACE = re.compile(f"{_PLAIN_WORD_OF_KEY}(?: {_PLAIN_WORD_OF_KEY})*")


@functools.lru_cache(maxsize=1 << 16)  # the same names and numbers recur across texts
def surface_key(surface: str) -> str:
    """`model.entity_key(surface)`, sooner for a plain surface (Arabic letters that
    normalization only folds, ASCII digits, single spaces), which normalization leaves
    but for the folding and the key's clean-up leaves as it is."""
    if _PLAIN_SURFACE.fullmatch(surface):
        return fold_letters(surface)
    return entity_key(surface)


def restored_key(surface: str) -> str:
    """`model.entity_key(surface, restore_article=True)`: `surface_key` with the article
    of a ``لل`` cut to ``ل`` restored."""
    key = surface_key(surface)
    return "ا" + key if key.startswith("ل") else key


def arabic_letters_only(word: str) -> bool:
    """Is `word` written with the letters `fold_letters` reads alone?"""
    return _LETTERS_ONLY.fullmatch(word) is not None


def _without_empty(text: str, tokens: list[Token]) -> list[Token]:
    kept: list[Token] = []
    for token in tokens:
        if token.norm:
            token.gap = text[kept[-1].end if kept else 0:token.start]
            kept.append(token)
    return kept


class CliticForm(NamedTuple):  # a tuple: a text makes thousands, a frozen init is slow
    """A token read without `stripped` leading letters; `form` is what remains, with
    the article restored after ``لل``."""

    stripped: int
    form: str
    restored_article: bool = False


@functools.lru_cache(maxsize=1 << 16)
def clitic_forms(norm: str) -> tuple[CliticForm, ...]:
    """Readings of a normalized token, the whole token first (cached: the rules ask for
    the same token's readings several times).

    ``والسوري`` -> ``والسوري``, ``السوري``; ``للامم`` -> ``للامم``, ``لامم``,
    ``الامم`` (article restored). A reading keeps at least `MIN_STEM` letters.
    """
    forms = [CliticForm(0, norm)]
    if norm[:1] not in _CLITIC_LETTERS:
        return tuple(forms)  # no proclitic letter first: the whole token only
    seen = {norm}
    for conjunction in _CONJUNCTIONS:
        if not norm.startswith(conjunction):
            continue
        rest = norm[len(conjunction):]
        for preposition in _PREPOSITIONS:
            if (conjunction, preposition) == ("", "") or not rest.startswith(preposition):
                continue
            stem = rest[len(preposition):]
            if len(stem) >= MIN_STEM and stem not in seen:
                seen.add(stem)
                forms.append(CliticForm(len(conjunction) + len(preposition), stem))
        if rest.startswith("لل") and len(rest) >= MIN_STEM + 2:
            restored = "ا" + rest[1:]
            if restored not in seen:
                seen.add(restored)
                forms.append(CliticForm(len(conjunction) + 1, restored, True))
    return tuple(forms)


@functools.lru_cache(maxsize=1 << 16)
def clitic_readings(norm: str) -> frozenset[str]:
    """The `form` of each of `clitic_forms(norm)`, as a set (to test a token against a
    list of first words in one step)."""
    return frozenset(form.form for form in clitic_forms(norm))


_PROCLITIC_RUNS = tuple(conjunction + preposition for conjunction in _CONJUNCTIONS
                        for preposition in _PREPOSITIONS if conjunction + preposition)


@functools.lru_cache(maxsize=1 << 16)
def clitic_spellings(form: str) -> frozenset[str]:
    """Every normalized token that `form` may be a clitic reading of: `form` itself,
    after a conjunction and a preposition (``وبدمشق``), and for a definite form, after
    ``لل`` (``للامم`` for ``الامم``). A superset: each token `t` with `form` in
    ``clitic_readings(t)`` is in it, so a list of forms needs only the tokens it holds
    (a text's few) to be tested, instead of every token's readings."""
    spellings = {form}
    spellings.update(run + form for run in _PROCLITIC_RUNS)
    if form.startswith("ال"):
        spellings.update(conjunction + "لل" + form[2:] for conjunction in _CONJUNCTIONS)
    return frozenset(spellings)


def skip_letters(surface: str, letters: int) -> int:
    """Offset in `surface` after its first `letters` base letters and their marks."""
    index = 0
    for _ in range(letters):
        index += 1
        while index < len(surface) and _MARK.match(surface[index]):
            index += 1
    return index
