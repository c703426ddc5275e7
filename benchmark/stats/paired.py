"""Paired tests of two systems on the same items, from one `Resampled` block.

Bootstrap: shift the resampled differences to the null (mean 0) and count those at
least as far from it as the observed one (Koehn 2004; Berg-Kirkpatrick et al. 2012).
Randomization: swap each item's pair with probability 1/2 (Noreen 1989), which the
block's sign flips give for every pair at once. Both p-values are
``(count + 1) / (resamples + 1)``: never 0, so a correction can use them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmark.stats.bootstrap import LEVEL, Resampled

TOLERANCE = 1e-5  # float32 rounding of the products, far below a reported digit


@dataclass(frozen=True)
class PairTest:
    diff: float  # mean of a minus mean of b
    low: float  # 95% paired-bootstrap interval of the difference
    high: float
    p_bootstrap: float
    p_randomization: float

    def reversed(self) -> "PairTest":
        """The same test of b against a."""
        return PairTest(-self.diff, -self.high, -self.low, self.p_bootstrap,
                        self.p_randomization)


def pair_test(resampled: Resampled, a: int, b: int) -> PairTest:
    """Paired tests of columns `a` and `b` (same items, same resamples)."""
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
