"""Longest common subsequences on bit masks, with rouge-score's choice among ties.

A reference is read as a table from each token to the bits of its positions (its
*mask*); a candidate's tokens looked up in it give one mask per token (0: absent).
From those alone:

- `lcs_length_of_masks`: the length of an LCS. rapidfuzz's bit-parallel LCS does it in C on
  integer codes naming the tokens (the masks themselves, or past 60 reference tokens
  their highest bits: rapidfuzz compares Python hashes, exact only below 2**61 - 1); the
  pure-Python fallback (no rapidfuzz) is Hyyrö's bit-vector recurrence, one integer
  operation per candidate token, and gives the same numbers.
- `lcs_columns` and `lcs_read_out`: the reference positions of the LCS that
  rouge-score's read-out picks (``_backtrack_norec``), which ROUGE-Lsum's union depends
  on.
"""

from __future__ import annotations

from itertools import compress, count, repeat
from typing import Callable, Hashable, Sequence


def _rapidfuzz_similarity() -> Callable[[Sequence[int], Sequence[int]], int] | None:
    try:
        from rapidfuzz.distance.LCSseq import similarity
    except ImportError:  # pragma: no cover - rapidfuzz is a dependency; this is the fallback
        return None
    return similarity


_rapidfuzz_lcs = _rapidfuzz_similarity()

_BITS = [1 << position for position in range(256)]
# Past this many reference tokens a mask can reach 2**61 - 1, where Python's int hash
# (what rapidfuzz compares) wraps: 2**61 hashes like 1. The LCS then runs on each mask's
# highest bit instead, as unique to its token as the mask.
MASKS_HASH_EXACTLY = 60


def position_masks(tokens: Sequence[Hashable]) -> dict[Hashable, int]:
    """Token -> bit mask of its positions in `tokens`."""
    return reference_table(tokens)[0]


def reference_table(tokens: Sequence[Hashable]) -> tuple[dict[Hashable, int], list[int]]:
    """`position_masks` of `tokens`, and per position the integer rapidfuzz compares for
    its token: the token's mask, or past 60 tokens its highest bit (see the module)."""
    size = len(tokens)
    if size <= len(_BITS):
        masks = dict(zip(tokens, _BITS))  # each token's last position
        if len(masks) == size:  # no token repeats: its mask is its position's bit
            codes = _BITS[:size] if size <= MASKS_HASH_EXACTLY else list(range(1, size + 1))
            return masks, codes
        for token, bit in zip(tokens, _BITS):  # a plain loop: faster than iterator chains
            have = masks[token]
            if have != bit:  # an earlier position of a repeated token
                masks[token] = have | bit
    else:
        masks = {}
        get = masks.get
        for position, token in enumerate(tokens):
            masks[token] = get(token, 0) | (1 << position)
    codes = list(map(masks.__getitem__, tokens))
    if size > MASKS_HASH_EXACTLY:
        codes = list(map(int.bit_length, codes))
    return masks, codes


def lcs_length_of_masks(codes: list[int], found: list[int]) -> int:
    """LCS length of a reference (`lcs_codes`) and a candidate given as the masks of its
    tokens (0 for tokens the reference lacks, or left out: they never match)."""
    if _rapidfuzz_lcs is not None and len(codes) <= MASKS_HASH_EXACTLY:
        return _rapidfuzz_lcs(codes, found)
    return sentence_lcs_length(codes, found, (1 << len(codes)) - 1,
                               len(codes) > MASKS_HASH_EXACTLY)


def sentence_lcs_length(codes: list[int], matches: list[int], rows: int,
                        highest_bits: bool) -> int:
    """LCS length of one reference sentence (its `lcs_codes`, and its positions as the
    bits `rows`) and a candidate given as reference masks. `highest_bits`: the codes are
    the masks' highest bits (the whole reference is longer than 60 tokens)."""
    if _rapidfuzz_lcs is not None:
        return _rapidfuzz_lcs(codes, list(map(int.bit_length, matches)) if highest_bits
                              else matches)
    # Without rapidfuzz, Hyyrö's recurrence (2004) on the masks: the LCS is the number
    # of 0 bits the final column vector has over the sentence's positions.
    column = rows
    for match in matches:
        low = column & match & rows
        column = (column + low) | (column - low)
    return (rows & ~column).bit_count()


def lcs_columns(matches: Sequence[int], rows: int) -> list[int]:
    """Column j of rouge-score's LCS table (rows: reference prefixes, columns: candidate
    prefixes) after each candidate token that occurs in the reference sentence `rows`
    (its mask, with no bits outside `rows`), as a bit vector over the sentence's
    positions (Hyyrö 2004): a bit is 0 exactly where table[i][j] = table[i-1][j] + 1.
    (The LCS length is the number of 0 bits of the last column.) Columns of tokens
    absent from the sentence repeat the one to their left. Carries past the sentence's
    last bit leave bits above `rows` that no mask reaches and no read looks at."""
    columns: list[int] = []
    append = columns.append
    column = rows
    for match in matches:
        low = column & match
        column = (column + low) | (column - low)
        append(column)
    return columns


def lcs_read_out(after: Sequence[int], matches: Sequence[int], columns: Sequence[int],
                 rows: int, end: int, wanted: int = -1) -> int:
    """The reference positions (bits) of the LCS rouge-score's read-out picks from the
    table of `lcs_columns` (one candidate sentence, ending at position `end`; `after`:
    the position after each token of `matches`). Only the positions in `wanted` are
    sure to be there: the read-out stops when no row below holds one."""
    # rouge-score's read-out from (i, j): take a match if the tokens are equal; else
    # move left iff table[i][j-1] > table[i-1][j], which on a mismatch is
    # table[i-1][j] < table[i][j] (a 0 bit in column j); else move up. Moves up are
    # taken at once (to the highest row below i that stops them), and a run of
    # columns whose token the reference lacks is crossed at once: they repeat the
    # column to their left and match nothing, so only their 0 bits stop the moves up.
    # `above` holds the rows still below i; `at` is j.
    taken = 0
    above = rows
    at = end
    for k in range(len(matches) - 1, -1, -1):  # (indexing: faster here than zip(reversed))
        column_end = after[k]
        if column_end == at:
            stops = (matches[k] | ~columns[k]) & above
        else:
            stops = ~columns[k] & above
        if not stops:
            break
        row = 1 << (stops.bit_length() - 1)
        if matches[k] & row:
            taken |= row
            above &= row - 1
        else:
            above &= (row << 1) - 1
        if not above & wanted:
            break
        at = column_end - 1
    return taken


def lcs_indices(reference: Sequence[Hashable], candidate: Sequence[Hashable]) -> list[int]:
    """Indices into `reference` of one LCS with `candidate`.

    The read-out order is rouge-score's (take a match when the tokens are equal, else
    move along the candidate only when that keeps a strictly longer LCS), so ties pick
    the same indices: ROUGE-Lsum depends on which LCS is chosen. The table itself is
    bit-parallel: one integer operation per candidate token.
    """
    if not reference or not candidate:
        return []
    found = list(map(position_masks(reference).get, candidate, repeat(0)))
    matches = list(filter(None, found))
    rows = (1 << len(reference)) - 1
    bits = lcs_read_out(list(compress(count(1), found)), matches, lcs_columns(matches, rows),
                        rows, len(candidate))
    return [index for index in range(len(reference)) if bits >> index & 1]


def lcs_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Length of the longest common subsequence of two token sequences."""
    if not a or not b:
        return 0
    masks, codes = reference_table(a)
    return lcs_length_of_masks(codes, list(map(masks.get, b, repeat(0))))
