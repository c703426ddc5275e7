"""Seeded uniform index draws, numpy's to the bit, in a few array operations.

``Generator.integers(0, n, size)`` for ``2 <= n < 2**32`` turns each 32-bit half of the
PCG64 bit generator's 64-bit outputs (the low half first; an unused high half is kept
in the generator's state for its next call) into one index by Lemire's method:
``(w * n) >> 32``, rejecting ``w`` when the low 32 bits of ``w * n`` fall below
``2**32 % n``. It does so one draw at a time in C (a run's bootstrap draws 28 million
indexes, one stream per column size). Here the same steps run on whole arrays of halves
(`scaled`): `integers` draws the raw outputs at once (``random_raw``, which advances
the generator as numpy's draws would) and leaves the generator's kept half as numpy's
loop leaves it, so the indexes and the generator's state afterwards are numpy's; and
`HalfStream` gives one seed's halves a window at a time, so that draws for several
sizes from the same seed (`bootstrap_cis`'s column sizes) share one generation.
tests/test_index_draws.py compares both with numpy over many sizes, seeds and chunks.
Any other case (another bit generator, ``n`` outside that range, a big-endian machine)
is numpy's own call.
"""

from __future__ import annotations

import sys

import numpy as np

FAST = sys.byteorder == "little"  # a uint64's low half is the first uint32 of its view


def supported(n: int) -> bool:
    """Whether `scaled` draws below `n` as numpy does (on this machine)."""
    return FAST and 2 <= n < 2**32


def scaled(halves: np.ndarray, n: int, out: np.ndarray) -> np.ndarray:
    """Lemire's draws below `n` from 32-bit `halves`, one per half kept (a rejected
    half gives none), written to the start of `out` (int64, as long as `halves`): that
    part of `out`."""
    product = out[:halves.size].view(np.uint64)
    np.multiply(halves, np.uint64(n), out=product)
    threshold = (1 << 32) % n  # numpy's (UINT32_MAX - (n - 1)) % n
    rejected = None
    if threshold and product.size and product.view(np.uint32)[::2].min() < threshold:
        rejected = np.flatnonzero(product.view(np.uint32)[::2] < threshold)
    product >>= np.uint64(32)
    drawn = product.view(np.int64)
    if rejected is None:
        return drawn
    kept = int(rejected[0])  # the kept draws moved down over the rejected ones, in place
    for number, position in enumerate(rejected.tolist()):
        end = int(rejected[number + 1]) if number + 1 < rejected.size else drawn.size
        drawn[kept:kept + end - position - 1] = drawn[position + 1:end]
        kept += end - position - 1
    return drawn[:kept]


def integers(rng: np.random.Generator, n: int, shape: tuple[int, int],
             dtype: type = np.int64) -> np.ndarray:
    """``rng.integers(0, n, size=shape, dtype=dtype)``: the same indexes, and `rng`
    left in the same state."""
    count = shape[0] * shape[1]
    if not (supported(n) and count and type(rng) is np.random.Generator
            and type(rng.bit_generator) is np.random.PCG64
            and np.dtype(dtype) in (np.dtype(np.int64), np.dtype(np.int32))):
        return rng.integers(0, n, size=shape, dtype=dtype)
    drawn = _drawn(rng.bit_generator, n, count)
    return (drawn if np.dtype(dtype) == np.int64 else drawn.astype(dtype)).reshape(shape)


def _drawn(bit_generator: np.random.PCG64, n: int, count: int) -> np.ndarray:
    """`count` draws below `n` from the half the generator kept, then fresh outputs;
    the generator's kept half set afterwards as numpy's loop leaves it (the high half
    of its last output, marked unused when no draw took it)."""
    state = bit_generator.state
    carried = [state["uinteger"]] if state["has_uint32"] else []
    pieces, missing, last_word, unused = [], count, None, 0
    while missing:
        words = bit_generator.random_raw((missing - len(carried) + 1) // 2)
        if words.size:
            last_word = int(words[-1])
        halves = words.view(np.uint32)
        if carried:
            halves = np.concatenate((np.array(carried, np.uint32), halves))
        drawn = scaled(halves, n, np.empty(halves.size, np.int64))
        used = min(missing, drawn.size)
        pieces.append(drawn[:used])
        # the halves consumed: all, unless the last draw needed came before the end
        unused = (0 if used < missing else halves.size - used if drawn.size == halves.size
                  else _halves_after(halves, n, used))
        missing -= used
        carried = []
    state = bit_generator.state  # advanced by random_raw; its kept half as numpy leaves it
    if last_word is not None:
        state["uinteger"] = last_word >> 32
    state["has_uint32"] = int(unused > 0)
    bit_generator.state = state
    return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)


def _halves_after(halves: np.ndarray, n: int, draws: int) -> int:
    """How many of `halves` come after the one that gives the `draws`-th kept draw."""
    threshold = (1 << 32) % n
    if not threshold:
        return halves.size - draws
    kept = np.flatnonzero(np.multiply(halves, np.uint32(n), dtype=np.uint32) >= threshold)
    return halves.size - int(kept[draws - 1]) - 1


class HalfStream:
    """The 32-bit halves of ``PCG64(seed)``'s outputs in order (the stream
    ``default_rng(seed).integers`` draws from), a window at a time."""

    def __init__(self, seed: int, window: int):
        self._generator = np.random.PCG64(seed)
        self._words = max(1, window // 2)

    def next_window(self) -> np.ndarray:
        return self._generator.random_raw(self._words).view(np.uint32)
