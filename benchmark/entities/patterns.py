"""Helpers to build regular expressions that match Arabic words as written.

Word lists are kept in normalized form; `written(word)` turns one into a pattern that
also accepts the unnormalized spellings (hamza-carrying alefs, alef maqsura, taa
marbuta, optional tatweel and tashkeel between letters), so the patterns run on the
original text and report its offsets.
"""

from __future__ import annotations

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
