"""The bootstrap: resamples of the items as seeded index draws, and their means.

A resample is a row of ``n`` indexes drawn with replacement (`index_draws`); the draws
do not depend on how many rows are drawn at once, so memory stays bounded whatever the
number of resamples or items. Two ways to average them:

- exactly, column by column (`bootstrap_means`, `bootstrap_ci`, `bootstrap_cis`): a
  run's intervals and a pairwise win rate (a run's columns of every size draw from one
  pass over the seed's stream, `draws`: numpy's indexes to the bit, made once);
- as count vectors for many columns at once (`resample`): the resampled mean of every
  column is ``w @ X / n``, one matrix product for all systems and metrics on the same
  items, with random sign flips for approximate randomization beside it (10,000
  resamples of 10 systems x 3,797 items in about a second).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

import numpy as np

from benchmark.stats import draws

N_RESAMPLES = 1000  # a run's intervals
DEFAULT_SEED = 12345
LEVEL = 0.95
MAX_DRAWS_AT_ONCE = 500_000  # indexes drawn per chunk of exact means (4 MB)
CHUNK_CELLS = 2_000_000  # items x resamples counted at once (16 MB of float64)


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int


def index_draws(rng: np.random.Generator, *, n: int, resamples: int, rows: int,
                dtype: type = np.int64) -> Iterator[tuple[int, int, np.ndarray]]:
    """Bootstrap resamples of `n` items, `rows` at a time: ``(start, stop, indexes)``
    with ``indexes`` of shape ``(stop - start, n)``. The draws are the same whatever
    `rows` and the integer `dtype`: numpy's ``rng.integers(0, n, ...)`` (`draws.integers`,
    the same indexes in fewer steps)."""
    for start in range(0, resamples, rows):
        stop = min(start + rows, resamples)
        yield start, stop, draws.integers(rng, n, (stop - start, n), dtype)


def bootstrap_means(data: np.ndarray | Mapping[str, np.ndarray], rng: np.random.Generator,
                    resamples: int, *, chunk: int = 200):
    """Means of `resamples` bootstrap samples of `data` (float64, exact). `data` may be
    several arrays of one size (by name), resampled with the same indexes: their means
    by name. At most `chunk` samples and about 500k indexes are drawn at a time."""
    group = data if isinstance(data, Mapping) else {"": data}
    size = next(iter(group.values())).size
    means = {key: np.empty(resamples) for key in group}
    rows = max(1, min(chunk, MAX_DRAWS_AT_ONCE // size))
    for start, stop, index in index_draws(rng, n=size, resamples=resamples, rows=rows):
        for key, values in group.items():
            # take: the same gather as values[index], without fancy indexing's set-up
            means[key][start:stop] = values.take(index).mean(axis=1)
    return means if isinstance(data, Mapping) else means[""]


def bootstrap_ci(values: Sequence[float], *, n_resamples: int = N_RESAMPLES,
                 seed: int = DEFAULT_SEED, level: float = LEVEL) -> Interval:
    """Percentile bootstrap interval of the mean (Efron and Tibshirani 1993)."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = float(data.mean())
    if data.size == 1:
        return Interval(mean, mean, mean, 1)
    means = bootstrap_means(data, np.random.default_rng(seed), n_resamples)
    low, high = _percentiles(means, level)
    return Interval(mean, low, high, int(data.size))


def bootstrap_cis(columns: Mapping[str, Sequence[float]], *, n_resamples: int = N_RESAMPLES,
                  seed: int = DEFAULT_SEED, level: float = LEVEL) -> dict[str, Interval]:
    """`bootstrap_ci` of each column, the same numbers to the bit; columns of one size
    share their index draws (the same seed draws the same indexes), which are most of
    the cost."""
    intervals: dict[str, Interval] = {}
    by_size: dict[int, dict[str, np.ndarray]] = {}
    for key, values in columns.items():
        data = np.asarray(values, dtype=float)
        if data.size <= 1:
            intervals[key] = bootstrap_ci(data, n_resamples=n_resamples, seed=seed, level=level)
        else:
            by_size.setdefault(data.size, {})[key] = data
    means = _seeded_means(by_size, seed, n_resamples)
    for group in by_size.values():
        for key, data in group.items():
            low, high = _percentiles(means[key], level)
            intervals[key] = Interval(float(data.mean()), low, high, int(data.size))
    return {key: intervals[key] for key in columns}


def _seeded_means(by_size: Mapping[int, Mapping[str, np.ndarray]], seed: int,
                  resamples: int) -> dict[str, np.ndarray]:
    """``bootstrap_means(group, np.random.default_rng(seed), resamples)`` of each group
    of columns of one size, the same numbers to the bit, in less work: every group draws
    from the start of the same seed's stream (`draws.HalfStream`), made once for all of
    them a window at a time, each group turning it into its own indexes; and columns of
    one group that hold the same values share their means."""
    means: dict[str, np.ndarray] = {}
    drawing, same_as = [], {}
    for size, group in by_size.items():
        distinct: dict[bytes, str] = {}
        for key, data in group.items():
            same_as[key] = distinct.setdefault(data.tobytes(), key)
        unique = {key: group[key] for key in distinct.values()}
        if draws.supported(size):
            drawing.append(_Rows(size, unique, resamples, means))
        else:
            means.update(bootstrap_means(unique, np.random.default_rng(seed), resamples))
    stream = draws.HalfStream(seed, MAX_DRAWS_AT_ONCE)
    scratch = _Scratch(MAX_DRAWS_AT_ONCE + max(by_size, default=0))
    while drawing:
        window = stream.next_window()
        drawing = [rows for rows in drawing if rows.feed(window, scratch)]
    return {key: means[first] for key, first in same_as.items()}


class _Scratch:
    """The array every size's draws pass through, made once (fresh pages for each
    window and size cost more than the draws)."""

    def __init__(self, length: int):
        self.indexes = np.empty(length, np.int64)


class _Rows:
    """One size's bootstrap means, from the halves of the shared stream, in order."""

    def __init__(self, size: int, group: Mapping[str, np.ndarray], resamples: int,
                 means: dict[str, np.ndarray]):
        self.size, self.group, self.resamples = size, group, resamples
        for key in group:
            means[key] = np.empty(resamples)
        self.means = means
        self.done = 0  # rows averaged
        self.partial = np.empty(0, np.int64)  # the indexes drawn of the next row

    def feed(self, window: np.ndarray, scratch: _Scratch) -> bool:
        """Draw from `window`, the stream's next halves: whether more are needed."""
        offset, carried = 0, self.partial.size
        while offset < window.size:
            missing = (self.resamples - self.done) * self.size - carried
            part = window[offset:offset + missing]
            offset += part.size
            scratch.indexes[:carried] = self.partial
            drawn = draws.scaled(part, self.size, scratch.indexes[carried:])
            carried = self._average(scratch.indexes[:carried + drawn.size])
            if self.done == self.resamples:
                return False
        return True

    def _average(self, indexes: np.ndarray) -> int:
        """Average the complete rows of `indexes`; keep the rest: how many are kept."""
        size = self.size
        rows = indexes.size // size
        if rows:
            drawn = indexes[:rows * size].reshape(rows, size)
            for key, data in self.group.items():
                # ndarray.mean's steps (a sum along each row, divided by its length)
                # into this size's means (take: the same gather as data[drawn])
                mean = self.means[key][self.done:self.done + rows]
                np.add.reduce(data.take(drawn), axis=1, out=mean)
                np.true_divide(mean, size, out=mean)
            self.done += rows
        self.partial = indexes[rows * size:].copy()
        return self.partial.size


def _percentiles(means: np.ndarray, level: float) -> tuple[float, float]:
    """``np.quantile(means, [tail, 1 - tail])`` (its linear method), the same numbers to
    the bit (tests/test_percentiles.py), without its general set-up: ``np.quantile``
    asks ``np.unique``, which imports ``numpy.ma`` (about 10 ms of a run's CPU). The
    same steps as numpy's ``_quantile``: the neighbours of each virtual index ``(n - 1)
    * q``, the same partition of a copy, the same interpolation (``_lerp``), and NaN
    when the partition leaves one last."""
    tail = (1 - level) / 2
    quantiles = np.array([tail, 1 - tail])
    if not all(0.0 <= q <= 1.0 for q in quantiles):
        raise ValueError("Quantiles must be in the range [0, 1]")
    values = np.asanyarray(means).flatten()
    virtual = (values.shape[0] - 1) * quantiles
    previous = np.floor(virtual)
    following = previous + 1
    for outside, index in ((virtual >= values.shape[0] - 1, -1), (virtual < 0, 0),
                           (np.isnan(virtual), -1)):
        previous[outside] = index
        following[outside] = index
    previous, following = previous.astype(np.intp), following.astype(np.intp)
    values.partition(sorted({0, -1, *previous.tolist(), *following.tolist()}))
    low, high = values[previous], values[following]
    gamma = virtual - previous
    difference = high - low
    found = np.add(low, difference * gamma)
    np.subtract(high, difference * (1 - gamma), out=found, where=gamma >= 0.5)
    if np.isnan(values[-1]):
        found[:] = values[-1]
    return float(found[0]), float(found[1])


# -- many columns at once -------------------------------------------------------------------

@dataclass(frozen=True)
class Resampled:
    """For each column of a matrix (items x columns): the observed mean, the means of
    `resamples` bootstrap samples and the means after random sign flips."""

    means: np.ndarray  # (columns,)
    boot: np.ndarray  # (resamples, columns)
    flips: np.ndarray  # (resamples, columns)

    @property
    def resamples(self) -> int:
        return self.boot.shape[0]


def resample(matrix: np.ndarray, *, resamples: int, seed: int,
             mask: np.ndarray | None = None) -> Resampled:
    """Bootstrap and sign-flip means of every column of `matrix` (items x columns).

    With a `mask` (same shape, 1 where a column has a value), each column's means are
    over its own items: the bootstrap resamples all rows and keeps the drawn rows the
    column has (a ratio of two products), the sign flips are summed over its items.
    The products run in float32 (twice as fast), on each value's deviation from its
    column's float64 mean: a resampled mean is the observed mean plus a float32 mean of
    deviations, so its rounding error scales with the column's spread (a constant
    column: one item, or the same value everywhere, resamples to exactly its mean, so
    no interval falls beside the mean it surrounds, as one computed from float32
    values did).
    """
    data = np.asarray(matrix, dtype=float)
    n, columns = data.shape
    single = data.astype(np.float32)
    present = None if mask is None else np.asarray(mask, dtype=np.float32)
    sizes = np.full(columns, float(n)) if present is None else present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = data.sum(axis=0) / sizes
    deviations = data - np.where(sizes > 0, means, 0.0)
    if present is not None:
        deviations *= present
    deviations = deviations.astype(np.float32)
    boot = np.empty((resamples, columns))
    flips = np.empty((resamples, columns))
    boot_rng, sign_rng = (np.random.default_rng(s)
                          for s in np.random.SeedSequence(seed).spawn(2))
    rows_at_once = max(1, CHUNK_CELLS // max(n, 1))
    for start, stop, drawn in index_draws(boot_rng, n=n, resamples=resamples,
                                          rows=rows_at_once, dtype=np.int32):
        rows = stop - start
        drawn += (np.arange(rows, dtype=np.int32) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=rows * n).reshape(rows, n)
        counts = counts.astype(np.float32)
        if present is None:
            boot[start:stop] = means + counts @ deviations / n
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                boot[start:stop] = means + (counts @ deviations) / (counts @ present)
        flips[start:stop] = _sign_flips(sign_rng, rows, n) @ single
    constant = _constant_columns(data, present)
    boot[:, constant] = means[constant]
    with np.errstate(invalid="ignore", divide="ignore"):
        return Resampled(means=means, boot=boot, flips=flips / sizes)


def _constant_columns(data: np.ndarray, present: np.ndarray | None) -> np.ndarray:
    """Columns whose present values are all equal (one item included)."""
    if present is None:
        return np.all(data == data[:1], axis=0) if len(data) else np.zeros(data.shape[1], bool)
    kept = present > 0
    high = np.where(kept, data, -np.inf).max(axis=0, initial=-np.inf)
    low = np.where(kept, data, np.inf).min(axis=0, initial=np.inf)
    return kept.any(axis=0) & (high == low)


def _sign_flips(rng: np.random.Generator, rows: int, n: int) -> np.ndarray:
    """``rows`` x ``n`` random signs (+1 / -1), from whole 32-bit words per row (the
    generator's unit): the same signs whatever the number of rows drawn at once."""
    row_bytes = 4 * ((n + 31) // 32)
    drawn_bytes = np.frombuffer(rng.bytes(rows * row_bytes), np.uint8)
    bits = np.unpackbits(drawn_bytes.reshape(rows, row_bytes), axis=1)[:, :n]
    return bits.astype(np.float32) * 2 - 1


def interval(resampled: Resampled, column: int) -> tuple[float, float]:
    """Percentile bootstrap interval of one column's mean (Efron and Tibshirani 1993)."""
    tail = (1 - LEVEL) / 2
    low, high = np.nanquantile(resampled.boot[:, column], [tail, 1 - tail])
    return float(low), float(high)
