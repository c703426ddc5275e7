"""Tokenizers and the zero-drop guard (DESIGN §5)."""

from __future__ import annotations

import regex

from benchmark.errors import TokenizerLossError

TOKENIZER_VERSION = "ar.v1"

# Maximal runs of letters and marks, or of digits: a run of letters, marks and digits
# split again wherever a letter meets a digit. Everything else separates and is dropped.
_TOKEN = regex.compile(r"[\p{L}\p{M}]+|\p{N}+")
_NOT_LETTER_OR_DIGIT = regex.compile(r"[^\p{L}\p{N}]+")

MAX_LOSS = 0.10


def tokenize_words(text: str) -> list[str]:
    """Split already-normalized text into word and number tokens."""
    return _TOKEN.findall(text)


def count_letters_digits(text: str) -> int:
    return len(_NOT_LETTER_OR_DIGIT.sub("", text))


def check_token_loss(text: str, tokens: list[str], *, what: str = "text") -> None:
    """Raise if `tokens` keep less than 90% of the letters and digits of `text`.

    A tokenizer that silently drops Arabic (rouge-score's default keeps only [a-z0-9])
    would otherwise score every Arabic text 0. Punctuation does not count.
    """
    expected = count_letters_digits(text)
    if expected == 0:
        return
    # One pass over the joined tokens: a count of characters, so the count of the
    # concatenation is the sum of the counts.
    kept = count_letters_digits("".join(tokens))
    lost = (expected - kept) / expected
    if lost > MAX_LOSS:
        preview = text[:40].replace("\n", " ")
        raise TokenizerLossError(
            f"the tokenizer dropped {lost:.0%} of the letters and digits of a {what} "
            f"({preview!r}...); use a tokenizer or profile that fits the language "
            "(profile 'ar' for Arabic)")
