"""Sentence and bullet splitting (DESIGN §5)."""

from __future__ import annotations

import regex

# A sentence ends after . ! ? ؟ ۔ … (possibly repeated, possibly closed by a quote or
# bracket, possibly followed by invisible format marks such as RLM, which normalization
# deletes anyway) when whitespace follows. A newline always ends a sentence, so each bullet of
# a summary written one per line is a sentence of its own.
_BOUNDARY = regex.compile(r"(?<=[.!?؟۔…]+[\"'»”’)\]\p{Cf}]*)[^\S\n]+")

SPLITTER_VERSION = "ar.v1"


def split_sentences(text: str) -> list[str]:
    """Split `text` into non-empty, stripped sentences."""
    sentences: list[str] = []
    for line in text.split("\n"):
        for part in _BOUNDARY.split(line):
            part = part.strip()
            if part:
                sentences.append(part)
    return sentences
