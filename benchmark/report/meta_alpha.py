"""Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"),
with a bootstrap interval that resamples items.

Input: a reliability table, units x annotators, NaN where an annotator gave no value.
Alpha is ``1 - D_o / D_e`` from the coincidence matrix of pairable values (units with
at least two values), at the level of measurement of the protocol: nominal (pairwise
winners), ordinal (Likert scores; the distance depends on the observed margins) or
interval (shares of content units; computed from sums, whatever the number of distinct
values). Every coincidence count is a sum over units, so the counts of a resample of
items are a weighted sum of per-item counts: one matrix product serves all resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEVELS = ("nominal", "ordinal", "interval")


@dataclass(frozen=True)
class Alpha:
    alpha: float  # NaN when no unit has two values, or every value is the same
    low: float
    high: float
    units: int  # pairable units
    values: int  # pairable values


def krippendorff_alpha(table: np.ndarray, *, level: str) -> float:
    """Alpha of one reliability table (units x annotators, NaN = no value)."""
    return alpha_with_interval(table, level=level, resamples=0, seed=0).alpha


def alpha_with_interval(table: np.ndarray, *, level: str, clusters: np.ndarray | None = None,
                        resamples: int = 1000, seed: int = 12345,
                        confidence: float = 0.95) -> Alpha:
    """Alpha and its percentile-bootstrap interval: `clusters` (one label per unit, by
    default each unit its own) are drawn with replacement and keep all their units, so
    the units of one item (its systems) stay together."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r}: expected one of {', '.join(LEVELS)}")
    table = np.asarray(table, dtype=float)
    if clusters is None:
        clusters = np.arange(table.shape[0])
    _, cluster_index = np.unique(np.asarray(clusters), return_inverse=True)
    parts = _interval_parts if level == "interval" else _coincidence_parts
    per_cluster, finish = parts(table, cluster_index.ravel(), level)
    counts = (~np.isnan(table)).sum(axis=1)
    pairable = counts >= 2
    observed = float(finish(per_cluster.sum(axis=0, keepdims=True))[0])
    low = high = float("nan")
    if resamples and per_cluster.shape[0] > 1:
        rng = np.random.default_rng(seed)
        boot = []
        n = per_cluster.shape[0]
        for start in range(0, resamples, 500):
            size = min(500, resamples - start)
            drawn = rng.integers(0, n, size=(size, n))
            weights = np.zeros((size, n))
            np.add.at(weights, (np.arange(size)[:, None], drawn), 1.0)
            boot.append(finish(weights @ per_cluster))
        values = np.concatenate(boot)
        if not np.isnan(values).all():
            tail = (1 - confidence) / 2
            low, high = (float(v) for v in np.nanquantile(values, [tail, 1 - tail]))
    return Alpha(observed, low, high, int(pairable.sum()), int(counts[pairable].sum()))


def _cluster_sums(per_unit: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    sums = np.zeros((clusters.max() + 1 if clusters.size else 0, per_unit.shape[1]))
    np.add.at(sums, clusters, per_unit)
    return sums


def _coincidence_parts(table: np.ndarray, clusters: np.ndarray, level: str):
    """Per cluster, its flattened coincidence matrix; and the function from summed
    matrices (R, V*V) to alpha (R,)."""
    present = ~np.isnan(table)
    values = np.unique(table[present])
    v = len(values)
    codes = np.searchsorted(values, np.where(present, table, values[0] if v else 0))
    one_hot = np.zeros(table.shape + (max(v, 1),))
    np.put_along_axis(one_hot, codes[..., None], present[..., None].astype(float), axis=-1)
    n_uc = one_hot.sum(axis=1)  # (units, V)
    m_u = n_uc.sum(axis=1)
    pairable = m_u >= 2
    outer = n_uc[:, :, None] * n_uc[:, None, :] - np.einsum("uc,ck->uck", n_uc,
                                                               np.eye(max(v, 1)))
    with np.errstate(invalid="ignore", divide="ignore"):
        per_unit = np.where(pairable[:, None, None], outer / (m_u - 1)[:, None, None], 0.0)
    per_cluster = _cluster_sums(per_unit.reshape(len(table), -1), clusters)

    def finish(summed: np.ndarray) -> np.ndarray:
        o = summed.reshape(-1, max(v, 1), max(v, 1))
        n_c = o.sum(axis=-1)
        n = n_c.sum(axis=-1)
        delta = _delta(level, n_c, values)
        disagreement = (o * delta).sum(axis=(-1, -2))
        expected = (n_c[:, :, None] * n_c[:, None, :] * delta).sum(axis=(-1, -2))
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = 1.0 - (n - 1) * disagreement / expected
        return np.where(expected > 0, alpha, np.nan)

    return per_cluster, finish


def _delta(level: str, n_c: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Squared distances between values c and k, (R, V, V)."""
    v = n_c.shape[-1]
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(v), n_c.shape[:1] + (v, v))
    # ordinal: (sum of the margins from c to k, minus half of the two ends) squared
    cum = np.cumsum(n_c, axis=-1)
    spread = cum[:, None, :] - cum[:, :, None] + (n_c[:, :, None] - n_c[:, None, :]) / 2
    return spread ** 2


def _interval_parts(table: np.ndarray, clusters: np.ndarray, level: str):
    """Per cluster: pairable values, their sum and sum of squares, and the within-unit
    disagreement; alpha from their sums (interval distance: squared difference)."""
    present = ~np.isnan(table)
    x = np.where(present, table, 0.0)
    m_u = present.sum(axis=1).astype(float)
    pairable = m_u >= 2
    s1, s2 = x.sum(axis=1), (x ** 2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.where(pairable, (2 * m_u * s2 - 2 * s1 ** 2) / (m_u - 1), 0.0)
    per_unit = np.column_stack([np.where(pairable, m_u, 0.0), np.where(pairable, s1, 0.0),
                                np.where(pairable, s2, 0.0), within])
    per_cluster = _cluster_sums(per_unit, clusters)

    def finish(summed: np.ndarray) -> np.ndarray:
        n, total, squares, disagreement = summed.T
        expected = 2 * n * squares - 2 * total ** 2
        with np.errstate(invalid="ignore", divide="ignore"):
            alpha = 1.0 - (n - 1) * disagreement / expected
        return np.where(expected > 1e-12 * np.maximum(n * squares, 1.0), alpha, np.nan)

    return per_cluster, finish
