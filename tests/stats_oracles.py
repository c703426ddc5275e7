"""Reference implementations of the paired tests: one pair at a time, plain loops.

They are what `benchmark.stats` computes for every pair at once (a matrix product per
block of items); tests check the vectorized code against them within Monte Carlo error.
They live here, not in the library: nothing but the tests runs them.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

N_RESAMPLES = 1000
DEFAULT_SEED = 12345


def paired_bootstrap_p(a: Sequence[float], b: Sequence[float], *,
                       n_resamples: int = N_RESAMPLES, seed: int = DEFAULT_SEED) -> float:
    """Two-sided p-value that systems a and b (paired per item) have equal means:
    resample items with replacement, shift the resampled differences to the null and
    count those at least as far from it as the observed one (Koehn 2004)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.size == 0:
        return math.nan
    observed = diff.mean()
    if observed == 0:
        return 1.0
    rng = np.random.default_rng(seed)
    means = np.empty(n_resamples)
    for start in range(0, n_resamples, 200):
        stop = min(start + 200, n_resamples)
        index = rng.integers(0, diff.size, size=(stop - start, diff.size))
        means[start:stop] = diff[index].mean(axis=1)
    extreme = np.sum(np.abs(means - observed) >= abs(observed))
    return float((extreme + 1) / (n_resamples + 1))


def approximate_randomization_p(a: Sequence[float], b: Sequence[float], *,
                                n_resamples: int = N_RESAMPLES,
                                seed: int = DEFAULT_SEED) -> float:
    """Two-sided p-value by approximate randomization (Noreen 1989): swap each item's
    pair of scores with probability 1/2 and count differences at least as large."""
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.size == 0:
        return math.nan
    observed = abs(x.mean() - y.mean())
    rng = np.random.default_rng(seed)
    diff = x - y
    count = 0
    for start in range(0, n_resamples, 200):
        stop = min(start + 200, n_resamples)
        signs = rng.choice((-1.0, 1.0), size=(stop - start, diff.size))
        count += int(np.sum(np.abs((signs * diff).mean(axis=1)) >= observed - 1e-12))
    return float((count + 1) / (n_resamples + 1))
