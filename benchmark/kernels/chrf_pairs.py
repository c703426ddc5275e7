"""Clipped n-gram matches of many pairs of texts at once, in numpy (chrF's batches).

`matches_of_pairs` is given the units of P pairs of texts as numbers (characters or
words, each in 1..base-1), laid out pair by pair: a hypothesis, its separator, its
reference, the reference's separator (two numbers no unit has, one for each side). It
returns, per pair and per order 1..`order`, the clipped matches: over the n-grams the
two texts share, the smaller of the two counts.

How: the n-gram of order n at position i is the number whose base-`base` digits are
the units i..i+n-1 (no two orders share a number, as in `benchmark.kernels.chrf`), and
it is tagged ``3 * (pair * base**order + n-gram) + side`` (side 0 for the hypothesis, 1
for the reference). N-grams that run over a text's end hold a separator: the first one
in a hypothesis n-gram is the hypothesis separator, in a reference n-gram the
reference's, so none equals an n-gram of the other side. Once sorted, an n-gram's
hypothesis copies come right before its reference copies, and only there do two
neighbouring numbers differ by exactly 1: each such place is an n-gram both texts
have, its match the smaller of the two runs around it (1 and 1, mostly; counted exactly
with a search where either run is longer). Cumulative sums between the numbers where
each pair's orders begin give the counts. All linear passes over the batch, but one sort
per pair (a batch's numbers are ordered by pair, so sorting each pair's own slice sorts
the whole), instead of a dozen numpy calls per pair; the batch is cut into chunks of
at least `CHUNK` n-grams so that the passes stay in the processor's cache.
"""

from __future__ import annotations

from typing import Any, Sequence

CHUNK = 1 << 15  # n-grams a chunk: 256 KiB arrays (the fastest of 8-128 Ki on BBC lead-3,
# level on lead-1: `benchmarks/bench_chrf.py --chunks`)


def matches_of_pairs(np: Any, codes: Any, lengths: Sequence[int], base: int, order: int,
                     *, sort_each_pair: bool = True, chunk: int = CHUNK) -> Any:
    """Clipped matches of orders 1..`order` of each pair (a P x `order` array).
    `codes`: the units as laid out above (int64; separators included); `lengths`: the
    2P texts' lengths (without their separators), hypothesis then reference, pair by
    pair; ``3 * P * base**order`` must fit in 63 bits. `sort_each_pair`: sort each
    pair's slice on its own (long texts: characters) or each chunk at once (short ones:
    words); `chunk`: n-grams a chunk reaches before it is counted."""
    codes = np.concatenate([codes, np.full(order - 1, codes[-1])]) * 3  # (the last text's
    # n-grams run over its end into copies of its separator)
    span = 3 * base ** order
    powers = np.array([3 * base ** n for n in range(order + 1)], dtype=np.int64)
    found: list[Any] = []
    first = start = size = 0
    pairs = len(lengths) // 2
    for pair in range(pairs):
        size += lengths[2 * pair] + lengths[2 * pair + 1] + 2
        if size * order < chunk and pair + 1 < pairs:
            continue
        part = lengths[2 * first:2 * pair + 2]
        numbers = _tagged_grams(np, codes[start:start + size + order - 1], part, span, order,
                                base)
        if sort_each_pair:
            low = 0
            for hyp, ref in zip(part[::2], part[1::2]):
                high = low + hyp + ref + 2
                numbers[low:high].reshape(-1).sort()
                low = high
            numbers = numbers.reshape(-1)
        else:
            numbers = numbers.reshape(-1)
            numbers.sort()
        found.append(_clipped(np, numbers, pair + 1 - first, span, powers))
        first, start, size = pair + 1, start + size, 0
    return np.concatenate(found) if len(found) > 1 else found[0]


def _tagged_grams(np: Any, codes: Any, lengths: Sequence[int], span: int, order: int,
                  base: int) -> Any:
    """The tagged n-gram numbers of a chunk of pairs, one row per position (its n-grams
    of orders 1..`order`): `codes` are the chunk's units times 3, followed by the
    order-1 units after it; `lengths` its texts' lengths."""
    positions = len(codes) - order + 1
    grams = np.empty((positions, order), dtype=np.int64)
    grams[:, 0] = codes[:positions]
    step = np.int64(base)
    for n in range(1, order):
        column = grams[:, n]
        np.multiply(grams[:, n - 1], step, out=column)
        column += codes[n:n + positions]
    owner = np.arange(len(lengths), dtype=np.int64)
    owner >>= 1  # the pair
    owner *= span
    owner[1::2] += 1  # the reference's side
    grams += np.repeat(owner, np.array(lengths) + 1)[:, None]
    return grams


def _clipped(np: Any, numbers: Any, pairs: int, span: int, powers: Any) -> Any:
    """Per pair and order, the clipped matches (a `pairs` x order array), from the
    sorted tagged numbers."""
    last = np.flatnonzero((numbers[1:] - numbers[:-1]) == 1)  # an n-gram's last
    value = numbers[last]  # hypothesis copy, right before its first reference copy
    matched = np.ones(len(last), dtype=np.int64)
    # more than one copy on either side? (at 0, -1 wraps to the largest number, never
    # equal; clipped at the end, a false yes at worst, which the search counts right)
    several = numbers.take(last - 1) == value
    several |= numbers.take(last + 2, mode="clip") == value + 1
    some = np.flatnonzero(several)
    if len(some):
        repeated, boundary = value[some], last[some] + 1
        matched[some] = np.minimum(boundary - numbers.searchsorted(repeated),
                                   numbers.searchsorted(repeated + 1, "right") - boundary)
    upto = np.zeros(len(last) + 1, dtype=np.int64)
    np.cumsum(matched, out=upto[1:])
    bounds = np.arange(pairs, dtype=np.int64)[:, None] * span + powers
    upto = upto[value.searchsorted(bounds.ravel())]
    return np.diff(upto.reshape(pairs, len(powers)), axis=1)
