"""Sentence and bullet splitting: split ``ar.v2`` (DESIGN §5), and ``newline``.

``newline`` is rouge-score's convention for text that is already split: one sentence
per line, nothing else (ROUGE-Lsum with ``--sentence-split newline``).

Split ``ar.v2``:

A sentence ends:

- at a newline (so each bullet of a summary written one per line is a sentence);
- before a bullet glyph (``• ● ▪ ◦ ‣``): a bullet is always its own sentence;
- after a run of ``. ! ? ؟ ۔ …`` together with the closing quotes after it
  (``" ' » ” ’``; invisible format marks such as RLM count with them) when whitespace or
  the end of the text follows.

Not an end:

- a run with a bracket after it (``(...)``, ``[...]``, ``قال.)``): the bracket keeps the
  sentence open; so does a run just inside an opening bracket (``( ... )``, ``(… ثم``) or
  whitespace followed by a closing bracket;
- a lone ``.`` after a one-letter word (``د. محمد``, ``J. Smith``);
- a lone ``.`` closing a dotted acronym: pieces of one to five letters joined by dots
  (``بي.بي.سي.``, ``تي.آي.``, ``U.S.``).
"""

from __future__ import annotations

from itertools import islice
from typing import Iterator

import regex

SPLITTER_VERSION = "ar.v2"
# --sentence-split NAME -> the label that names the split in signatures
SENTENCE_SPLITS = {"ar": SPLITTER_VERSION, "newline": "newline"}

_MARKS = ".!?؟۔…"
# A one-letter word or a dotted acronym (pieces of one to five letters), ending here.
_ABBREVIATION = (r"(?<![\p{L}\p{M}\p{N}.])"
                 r"(?:\p{L}\p{M}*|(?:\p{L}[\p{L}\p{M}]{0,4}\.)+\p{L}[\p{L}\p{M}]{0,4})")
# The end of a sentence: a whole terminal run (its first mark not just inside an opening
# bracket), its closing quotes and format marks, then whitespace or the end of the text,
# and no closing bracket after that whitespace. A lone dot after an abbreviation is no
# run. The first mark comes first in the pattern so the engine can scan for it fast.
_END = regex.compile(
    rf"[{_MARKS}](?<![(\[]\s*.|[{_MARKS}].)"  # the first mark of a run
    rf"(?:(?<=[{_MARKS[1:]}])|[{_MARKS}]+|(?<!{_ABBREVIATION}\.))"  # not a lone excused dot
    r"[\"'»”’\p{Cf}]*(?=\s|$)(?!\s*[)\]])")
_BULLETS = "•●▪◦‣"
_BULLET = regex.compile(f"(?=[{_BULLETS}])")


def split_sentences(text: str) -> list[str]:
    """Split `text` into non-empty, stripped sentences."""
    return list(_iter_sentences(text))


def first_sentences(text: str, count: int) -> list[str]:
    """``split_sentences(text)[:count]``, reading no further than it needs: a line's
    sentences never depend on the lines after it (lead-k reads the first lines of an
    article, not all of it)."""
    return list(islice(_iter_sentences(text), count))


def _iter_sentences(text: str) -> Iterator[str]:
    """The sentences of `split_sentences`, one at a time."""
    if any(map(text.__contains__, _BULLETS)):
        text = _BULLET.sub("\n", text)
    for line in text.split("\n"):
        start = 0
        for match in _END.finditer(line):
            part = line[start:match.end()].strip()
            if part:
                yield part
            start = match.end()
        part = line[start:].strip()
        if part:
            yield part


def split_lines(text: str) -> list[str]:
    """The non-empty lines of `text`, as they are (rouge-score's ROUGE-Lsum sentences)."""
    return [line for line in text.split("\n") if line]
