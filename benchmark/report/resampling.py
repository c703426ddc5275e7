"""Vectorized resampling for many systems at once: bootstrap means and sign flips.

A bootstrap resample of items is a vector of counts w (how often each item was drawn),
and the resampled mean of every system is ``w @ X / n``: one matrix product serves all
systems and metrics that share the same items. Approximate randomization is linear
too: with random signs s, ``mean(s * (x_a - x_b)) = (s @ x_a - s @ x_b) / n``, so one
product ``S @ X`` gives the randomized differences of every pair. That is what makes
10,000 resamples of 10 systems x 3,797 items take about a second instead of minutes.
Resamples are drawn in chunks so that memory stays bounded whatever their number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK_CELLS = 2_000_000  # items x resamples drawn at once (16 MB of float64)
LEVEL = 0.95
TOLERANCE = 1e-5  # float32 rounding of the products, far below a reported digit


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


@dataclass(frozen=True)
class PairTest:
    diff: float  # mean of a minus mean of b
    low: float  # 95% paired-bootstrap interval of the difference
    high: float
    p_bootstrap: float
    p_randomization: float


def resample(matrix: np.ndarray, *, resamples: int, seed: int,
             mask: np.ndarray | None = None) -> Resampled:
    """Bootstrap and sign-flip means of every column of `matrix` (items x columns).

    With a `mask` (same shape, 1 where a column has a value), each column's means are
    over its own items: the bootstrap resamples all rows and keeps the drawn rows the
    column has (a ratio of two products), the sign flips are summed over its items.
    The products run in float32 (twice as fast; means of values in [0, 1] keep about
    six significant digits, far below what is reported); observed means are float64.
    """
    data = np.asarray(matrix, dtype=float)
    n, columns = data.shape
    single = data.astype(np.float32)
    present = None if mask is None else np.asarray(mask, dtype=np.float32)
    boot = np.empty((resamples, columns))
    flips = np.empty((resamples, columns))
    boot_rng, sign_rng = (np.random.default_rng(s)
                          for s in np.random.SeedSequence(seed).spawn(2))
    chunk = max(1, CHUNK_CELLS // max(n, 1))
    for start in range(0, resamples, chunk):
        stop = min(start + chunk, resamples)
        rows = stop - start
        drawn = boot_rng.integers(0, n, size=(rows, n), dtype=np.int32)
        drawn += (np.arange(rows, dtype=np.int32) * n)[:, None]
        counts = np.bincount(drawn.ravel(), minlength=rows * n).reshape(rows, n)
        counts = counts.astype(np.float32)
        if present is None:
            boot[start:stop] = counts @ single / n
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                boot[start:stop] = (counts @ single) / (counts @ present)
        # Whole 32-bit words per resample (the generator's unit): the same signs whatever
        # the chunking.
        row_bytes = 4 * ((n + 31) // 32)
        drawn_bytes = np.frombuffer(sign_rng.bytes(rows * row_bytes), np.uint8)
        bits = np.unpackbits(drawn_bytes.reshape(rows, row_bytes), axis=1)[:, :n]
        flips[start:stop] = (bits.astype(np.float32) * 2 - 1) @ single
    sizes = np.full(columns, float(n)) if present is None else present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return Resampled(means=data.sum(axis=0) / sizes, boot=boot, flips=flips / sizes)


def interval(resampled: Resampled, column: int) -> tuple[float, float]:
    """Percentile bootstrap interval of one column's mean (Efron and Tibshirani 1993)."""
    tail = (1 - LEVEL) / 2
    low, high = np.nanquantile(resampled.boot[:, column], [tail, 1 - tail])
    return float(low), float(high)


def pair_test(resampled: Resampled, a: int, b: int) -> PairTest:
    """Paired tests of columns `a` and `b` (same items, same resamples).

    Bootstrap: shift the resampled differences to the null (mean 0) and count those at
    least as far from it as the observed one (Koehn 2004; Berg-Kirkpatrick et al. 2012).
    Randomization: swap each item's pair with probability 1/2 (Noreen 1989). Both
    p-values are ``(count + 1) / (resamples + 1)``: never 0, so a correction can use them.
    """
    return _tests(float(resampled.means[a] - resampled.means[b]),
                  resampled.boot[:, a] - resampled.boot[:, b],
                  resampled.flips[:, a] - resampled.flips[:, b])


def difference_test(resampled: Resampled, column: int) -> PairTest:
    """`pair_test` for a column that holds per-item differences a - b (masked to the
    items both scored)."""
    return _tests(float(resampled.means[column]), resampled.boot[:, column],
                  resampled.flips[:, column])


def _tests(diff: float, boot: np.ndarray, flips: np.ndarray) -> PairTest:
    total = boot.shape[0] + 1
    # A resample with none of the shared items (NaN) counts against the difference.
    p_boot = (int(np.sum(~(np.abs(boot - diff) < abs(diff) - TOLERANCE))) + 1) / total
    p_flip = (int(np.sum(~(np.abs(flips) < abs(diff) - TOLERANCE))) + 1) / total
    tail = (1 - LEVEL) / 2
    low, high = np.nanquantile(boot, [tail, 1 - tail])
    return PairTest(diff, float(low), float(high), min(1.0, p_boot), min(1.0, p_flip))
