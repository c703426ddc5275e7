"""Seeded statistics over per-item scores: bootstrap CIs and paired significance tests.

Every function takes the per-item values stored in ``items.jsonl`` (never re-running a
model or a metric) and an explicit seed; the seed and the number of resamples go into
the signature of whatever is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from benchmark.signature import Signature

N_RESAMPLES = 1000
DEFAULT_SEED = 12345


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int


def stats_signature(*, n_resamples: int = N_RESAMPLES, seed: int = DEFAULT_SEED) -> Signature:
    return Signature.of(ci="percentile-bootstrap", n=n_resamples, seed=seed, level=95)


MAX_DRAWS_AT_ONCE = 500_000  # indexes drawn per chunk of resamples (4 MB)


def bootstrap_ci(values: Sequence[float], *, n_resamples: int = N_RESAMPLES,
                 seed: int = DEFAULT_SEED, level: float = 0.95) -> Interval:
    """Percentile bootstrap interval of the mean (Efron and Tibshirani 1993)."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = float(data.mean())
    if data.size == 1:
        return Interval(mean, mean, mean, 1)
    rng = np.random.default_rng(seed)
    means = _resampled_means(data, rng, n_resamples)
    alpha = (1 - level) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return Interval(mean, float(low), float(high), int(data.size))


def bootstrap_cis(columns: dict[str, Sequence[float]], *, n_resamples: int = N_RESAMPLES,
                  seed: int = DEFAULT_SEED, level: float = 0.95) -> dict[str, Interval]:
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
    alpha = (1 - level) / 2
    for group in by_size.values():
        means = _resampled_means(group, np.random.default_rng(seed), n_resamples)
        for key, data in group.items():
            low, high = np.quantile(means[key], [alpha, 1 - alpha])
            intervals[key] = Interval(float(data.mean()), float(low), float(high),
                                      int(data.size))
    return {key: intervals[key] for key in columns}


def _resampled_means(data: np.ndarray | dict[str, np.ndarray], rng: np.random.Generator,
                     n_resamples: int, chunk: int = 200):
    """Means of `n_resamples` bootstrap samples, in chunks to bound memory (at most
    `chunk` samples, and about 500k drawn indexes, at a time; the draws do not depend on
    the chunking). `data` may be several arrays of one size (by name), resampled with
    the same indexes: their means by name."""
    group = data if isinstance(data, dict) else {"": data}
    size = next(iter(group.values())).size
    means = {key: np.empty(n_resamples) for key in group}
    chunk = max(1, min(chunk, MAX_DRAWS_AT_ONCE // size))
    for start in range(0, n_resamples, chunk):
        stop = min(start + chunk, n_resamples)
        index = rng.integers(0, size, size=(stop - start, size))
        for key, values in group.items():
            means[key][start:stop] = values[index].mean(axis=1)
    return means if isinstance(data, dict) else means[""]


def paired_bootstrap_p(a: Sequence[float], b: Sequence[float], *,
                       n_resamples: int = N_RESAMPLES, seed: int = DEFAULT_SEED) -> float:
    """Two-sided p-value that systems a and b (paired per item) have equal means.

    Resamples items with replacement and counts how often the resampled difference
    crosses zero against the observed sign (Koehn 2004, Berg-Kirkpatrick et al. 2012).
    """
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if diff.size == 0:
        return math.nan
    observed = diff.mean()
    if observed == 0:
        return 1.0
    rng = np.random.default_rng(seed)
    means = _resampled_means(diff, rng, n_resamples)
    # Shift to the null hypothesis (mean difference 0) and count as-extreme results.
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


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values, in the input order (NaN passes through)."""
    indexed = [(p, i) for i, p in enumerate(p_values) if not math.isnan(p)]
    indexed.sort()
    adjusted = [math.nan] * len(p_values)
    running = 0.0
    m = len(indexed)
    for rank, (p, i) in enumerate(indexed):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[i] = running
    return adjusted
