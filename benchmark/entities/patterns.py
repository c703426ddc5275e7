"""Helpers to build regular expressions that match Arabic words as written.

Word lists are kept in normalized form; `written(word)` turns one into a pattern that
also accepts the unnormalized spellings (hamza-carrying alefs, alef maqsura, taa
marbuta, optional tatweel and tashkeel between letters), so the patterns run on the
original text and report its offsets.
"""

from __future__ import annotations

from typing import Iterator

import regex

_VARIANTS = {"ا": "[اأإآٱ]", "ي": "[يىی]", "ه": "[هة]", "ك": "[كک]"}
_MARKS = "[\u064b-\u065f\u0670\u0640]*"
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
    """Longest-first alternation of `written` words."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(written(word) for word in ordered) + ")"


def _escape(char: str) -> str:
    return "\\" + char if char in r".^$*+?{}[]\|()/-" else char


# What `written` reads as one normalized letter, and the marks it lets through.
_WRITTEN_FOLD = str.maketrans(
    {variant: letter for letter, variants in _VARIANTS.items() for variant in variants.strip("[]")}
    | {chr(code): None for code in [*range(0x064B, 0x0660), 0x0670, 0x0640]})
_PROCLITIC_PREFIXES = tuple(conjunction + preposition for conjunction in ("", "و", "ف")
                            for preposition in ("", "ب", "ل", "ك"))
_CHUNK = regex.compile(r"[\p{L}\p{M}\p{N}]+|[$€£%٪]")
_HAS_DIGIT = regex.compile(DIGIT)
_SIGNS = tuple("$€£%٪")


def fold_written(surface: str) -> str:
    """The normalized word that `written` patterns read in `surface`: marks and tatweel
    dropped, letter variants folded. ``written(word)`` matches `surface` only if
    ``fold_written(surface) == word``."""
    return surface.translate(_WRITTEN_FOLD)


class PatternStarts:
    """`finditer` of a pattern that begins with ``WORD_START PROCLITICS``, tried only at
    the words where it can begin instead of at every character: a word with a digit, a
    currency or percent sign (with `signs`) and the word of proclitics right before one,
    and a word that is proclitics + one of `first_words` (the first words of the
    pattern's alternatives, normalized). These are a superset of the match starts, so
    the matches are the pattern's own; `tests/test_entities_equivalence.py` checks it.
    """

    def __init__(self, pattern: regex.Pattern, first_words, *, signs: bool = False):
        self.pattern = pattern
        self.first_words = frozenset(fold_written(" ".join(word.split()[:1]))
                                     for word in first_words)
        self.signs = signs
        self._verdicts: dict[str, bool] = {}  # word -> may a match begin there?

    def finditer(self, text: str) -> Iterator[regex.Match]:
        end = 0
        for chunk in _CHUNK.finditer(text):
            start = chunk.start()
            if start < end or not self._may_start(text, chunk):
                continue
            match = self.pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match

    def _may_start(self, text: str, chunk: regex.Match) -> bool:
        word = chunk.group()
        verdict = self._verdicts.get(word)
        if verdict is None:
            if len(self._verdicts) > 1 << 17:
                self._verdicts.clear()  # bounded memory on unbounded vocabularies
            verdict = self._verdicts[word] = self._word_may_start(word)
        return verdict or (self.signs and text.startswith(_SIGNS, chunk.end()))

    def _word_may_start(self, word: str) -> bool:
        if _HAS_DIGIT.search(word) or (self.signs and word in _SIGNS):
            return True
        folded = fold_written(word)
        return any(folded.startswith(prefix) and folded[len(prefix):] in self.first_words
                   for prefix in _PROCLITIC_PREFIXES)
