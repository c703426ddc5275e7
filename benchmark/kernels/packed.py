"""Token lists as one string, for the pickles of the dataset analysis store.

A pickle writes each string of a token list on its own (an opcode, its UTF-8 decoded,
a memo entry): reading back a second model's stored analyses of all BBC spent most
of its time there. `pack` joins the tokens of a list of token sequences into one
string (with each sequence's length); `unpack` gives back an equal value, of the same
types, from one ``str.split``. Values it cannot give back equal (a token that is not
exactly a ``str``, or that holds the separator; mixed sequence types) are not packed
(`pack` returns None) and pickle as they are.
"""

from __future__ import annotations

from typing import Any, Sequence

SEPARATOR = "\n"

Packed = tuple[bool, bool, str, tuple[int, ...]]


def pack(sequences: Sequence[Sequence[Any]]) -> Packed | None:
    """``(outer is a tuple, inner are tuples, joined tokens, lengths)``, or None."""
    outer = type(sequences)
    if outer is not list and outer is not tuple:
        return None
    inner = type(sequences[0]) if sequences else list
    if inner is not list and inner is not tuple:
        return None
    tokens: list[Any] = []
    for sequence in sequences:
        if type(sequence) is not inner:
            return None
        tokens += sequence
    if not all(type(token) is str for token in tokens):
        return None
    text = SEPARATOR.join(tokens)
    if text.count(SEPARATOR) != max(len(tokens) - 1, 0) or tokens == [""]:
        return None  # a token holds the separator, or one empty token (as no token)
    return (outer is tuple, inner is tuple, text,
            tuple(len(sequence) for sequence in sequences))


def unpack(outer_tuple: bool, inner_tuple: bool, text: str,
           lengths: tuple[int, ...]) -> Sequence[Sequence[str]]:
    """The sequences `pack` was given (equal, of the same types)."""
    tokens = text.split(SEPARATOR) if text or sum(lengths) else []
    if len(lengths) == 1:
        sequences: list[Any] = [tuple(tokens) if inner_tuple else tokens]
    else:
        sequences = []
        start = 0
        for length in lengths:
            part = tokens[start:start + length]
            sequences.append(tuple(part) if inner_tuple else part)
            start += length
    return tuple(sequences) if outer_tuple else sequences
