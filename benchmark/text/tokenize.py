"""Tokenizers and the zero-drop guard (DESIGN §5)."""

from __future__ import annotations

import regex

from benchmark.errors import TokenizerLossError
from benchmark.textshow import preview

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
    """Raise if `tokens` lose more than 10% of the letters and digits of `text`.

    A tokenizer that silently drops Arabic (rouge-score's default keeps only [a-z0-9])
    would otherwise score every Arabic text 0. Punctuation does not count. Letters a
    stemmer strips from a word it keeps do not count either: a letter is lost only when
    no token derives from its word (see `lost_letters`), so rouge-score's tokenizer with
    Porter stemming passes on English text and still fails on Arabic.
    """
    expected = count_letters_digits(text)
    if expected == 0:
        return
    # One pass over the joined tokens: a count of characters, so the count of the
    # concatenation is the sum of the counts.
    kept = count_letters_digits("".join(tokens))
    if (expected - kept) / expected <= MAX_LOSS:
        return  # the cheap count suffices (always, for the built-in tokenizers)
    lost = lost_letters(text, tokens) / expected
    if lost > MAX_LOSS:
        raise TokenizerLossError(
            f"the tokenizer dropped {lost:.0%} of the letters and digits of a {what} "
            f"('{preview(text, 40)}'); use a tokenizer or profile that fits the language "
            "(profile 'ar' for Arabic)")


MIN_STEM_SHARE = 0.25  # a token shorter than a quarter of a word does not keep it


def _letters(text: str) -> str:
    return _NOT_LETTER_OR_DIGIT.sub("", text.casefold())


def lost_letters(text: str, tokens: list[str]) -> int:
    """Letters and digits of `text` in words that no token derives from.

    Words are the whitespace-separated parts of `text` (their letters and digits,
    casefolded). A token derives from a word when its letters and digits are a
    subsequence of the word's, but for a rewritten last letter from three letters on
    (Porter's ``happy`` -> ``happi``), and it is at least a quarter of the word's
    length. So affixes a stemmer strips from a word it keeps are not lost; a word no
    token comes from is lost whole (all Arabic words, under rouge-score's tokenizer).
    """
    stems = {letters for letters in map(_letters, tokens) if letters}
    lost = 0
    for word in map(_letters, text.split()):
        if word and word not in stems and not any(
                len(stem) >= MIN_STEM_SHARE * len(word) and _derives(stem, word)
                for stem in stems):
            lost += len(word)
    return lost
def _derives(token: str, word: str) -> bool:
    """`token` is a subsequence of `word`, except perhaps its last letter when it has
    three or more (stemmers rewrite or add a final letter: happy -> happi, filing -> file)."""
    at = 0
    for index, char in enumerate(token):
        found = word.find(char, at)
        if found < 0:
            return index == len(token) - 1 and index >= 2
        at = found + 1
    return True
