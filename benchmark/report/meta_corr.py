"""Correlations of metric scores with human scores, over resamples of items and systems.

Two levels (Deutsch, Dror and Roth 2021): at the summary level, each item's scores are
correlated across systems and the correlations averaged over items (an item where
either side is constant, or a system lacks a score, is skipped and counted); at the
system level, each system's mean over items is correlated across systems. Intervals
resample items and systems together ("boot-both"), so they answer for other articles
and other systems alike.

Everything is vectorized: the score tables are (rows, items, systems) arrays, one row
per metric or criterion, and every correlation of every metric with every criterion
over a chunk of resamples is one array expression. Kendall's tau is tau-b (ties
corrected, as `scipy.stats.kendalltau`), Spearman's rho uses average ranks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("kendall", "spearman", "pearson")
LEVELS = ("summary", "system")
CHUNK_CELLS = 4_000_000  # array cells computed at once (32 MB of float64)


# -- correlations along the last axis: x (A, ..., m) with y (C, ..., m) -> (A, C, ...) --

def _pair_sum(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """sum over the last axis of x[a] * y[c], for every a and c: (A, C, ...)."""
    a, c, shape = x.shape[0], y.shape[0], x.shape[1:-1]
    flat = np.einsum("akm,ckm->ack", x.reshape(a, -1, x.shape[-1]),
                     y.reshape(c, -1, y.shape[-1]), optimize=True)
    return flat.reshape(a, c, *shape)


def _constant(x: np.ndarray) -> np.ndarray:
    return x.max(axis=-1) == x.min(axis=-1)


def pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r of every row of x with every row of y; NaN where a side is constant."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    norms = np.sqrt((xc ** 2).sum(axis=-1))[:, None] * np.sqrt((yc ** 2).sum(axis=-1))[None]
    undefined = _constant(x)[:, None] | _constant(y)[None]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = _pair_sum(xc, yc) / norms
    return np.where(undefined, np.nan, np.clip(r, -1.0, 1.0))


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..m along the last axis, ties sharing their average rank."""
    below = (x[..., None, :] < x[..., :, None]).sum(axis=-1)
    tied = (x[..., None, :] == x[..., :, None]).sum(axis=-1)
    return below + (tied + 1) / 2.0


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho (Pearson's r of average ranks); NaN where a side is constant."""
    return pearson(average_ranks(x), average_ranks(y))


def kendall(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Kendall's tau-b: (concordant - discordant) / sqrt(untied pairs in x * in y)."""
    first, second = np.triu_indices(x.shape[-1], 1)
    sx = np.sign(x[..., first] - x[..., second])
    sy = np.sign(y[..., first] - y[..., second])
    untied = (np.count_nonzero(sx, axis=-1)[:, None].astype(float)
              * np.count_nonzero(sy, axis=-1)[None])
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = _pair_sum(sx, sy) / np.sqrt(untied)
    return np.where(untied > 0, np.clip(tau, -1.0, 1.0), np.nan)


CORRELATIONS = {"kendall": kendall, "spearman": spearman, "pearson": pearson}


# -- the two levels, for a batch of resamples -------------------------------------------

@dataclass(frozen=True)
class LevelValues:
    """Correlations of one level: kind -> (A, C, resamples); `n` the items (summary
    level) or systems (system level) each value rests on."""

    values: dict[str, np.ndarray]
    n: np.ndarray  # (A, C, resamples)


def summary_level(x: np.ndarray, y: np.ndarray, items: np.ndarray,
                  systems: np.ndarray) -> LevelValues:
    """Per item, correlations across the drawn systems, averaged over the drawn items.

    x (A, N, S) and y (C, N, S) hold NaN where a score is missing; items (r, n) and
    systems (r, m) are the indexes drawn by each resample."""
    xs = x[:, items[:, :, None], systems[:, None, :]]  # (A, r, n, m)
    ys = y[:, items[:, :, None], systems[:, None, :]]
    complete = (~np.isnan(xs).any(axis=-1))[:, None] & (~np.isnan(ys).any(axis=-1))[None]
    xs, ys = np.nan_to_num(xs), np.nan_to_num(ys)
    values, counts = {}, None
    for kind, correlate in CORRELATIONS.items():
        per_item = correlate(xs, ys)  # (A, C, r, n)
        used = complete & ~np.isnan(per_item)
        total = np.where(used, per_item, 0.0).sum(axis=-1)
        counts = used.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            values[kind] = np.where(counts > 0, total / counts, np.nan)
    return LevelValues(values, counts)


def system_means(x: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Each row's per-system mean over the drawn items (missing scores left out):
    (A, r, S) from x (A, N, S) and items (r, n)."""
    draws = np.zeros((items.shape[0], x.shape[1]))
    np.add.at(draws, (np.arange(items.shape[0])[:, None], items), 1.0)
    present = ~np.isnan(x)
    sums = np.einsum("rn,ans->ars", draws, np.nan_to_num(x), optimize=True)
    sizes = np.einsum("rn,ans->ars", draws, present.astype(float), optimize=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sizes > 0, sums / sizes, np.nan)


def system_level(x: np.ndarray, y: np.ndarray, items: np.ndarray,
                 systems: np.ndarray) -> LevelValues:
    """Correlations across the drawn systems of their means over the drawn items."""
    draws = np.arange(items.shape[0])[:, None]
    mx = system_means(x, items)[:, draws, systems]  # (A, r, m)
    my = system_means(y, items)[:, draws, systems]
    complete = (~np.isnan(mx).any(axis=-1))[:, None] & (~np.isnan(my).any(axis=-1))[None]
    mx, my = np.nan_to_num(mx), np.nan_to_num(my)
    values = {kind: np.where(complete, correlate(mx, my), np.nan)
              for kind, correlate in CORRELATIONS.items()}
    n = np.broadcast_to(np.where(complete, systems.shape[1], 0), values["kendall"].shape)
    return LevelValues(values, np.array(n))


LEVEL_FUNCTIONS = {"summary": summary_level, "system": system_level}


# -- observed values and resamples ------------------------------------------------------

@dataclass(frozen=True)
class Correlations:
    """Observed correlations (kind -> (A, C)) and their resamples (kind -> (A, C, R))
    at one level."""

    observed: dict[str, np.ndarray]
    n: np.ndarray  # (A, C)
    boot: dict[str, np.ndarray]

    def interval(self, kind: str, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        """Percentile interval of each (A, C) correlation; resamples where it is
        undefined (a constant side) are left out."""
        tail = (1 - level) / 2
        boot = self.boot[kind]
        defined = ~np.isnan(boot).all(axis=-1)
        filled = np.where(defined[..., None], boot, 0.0)
        with np.errstate(invalid="ignore"):
            low, high = np.nanquantile(filled, [tail, 1 - tail], axis=-1)
        return np.where(defined, low, np.nan), np.where(defined, high, np.nan)


def draw_indexes(n_items: int, n_systems: int, *, resamples: int,
                 seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Items and systems drawn with replacement, independently, per resample."""
    item_rng, system_rng = (np.random.default_rng(s)
                            for s in np.random.SeedSequence(seed).spawn(2))
    return (item_rng.integers(0, n_items, size=(resamples, n_items)),
            system_rng.integers(0, n_systems, size=(resamples, n_systems)))


def correlate_levels(x: np.ndarray, y: np.ndarray, *, resamples: int,
                     seed: int) -> dict[str, Correlations]:
    """Both levels of every row of x (metrics) with every row of y (criteria), observed
    and over `resamples` draws of items and systems (boot-both)."""
    n_items, n_systems = x.shape[1], x.shape[2]
    all_items = np.arange(n_items)[None]
    all_systems = np.arange(n_systems)[None]
    items, systems = draw_indexes(n_items, n_systems, resamples=resamples, seed=seed)
    out = {}
    for level, function in LEVEL_FUNCTIONS.items():
        observed = function(x, y, all_items, all_systems)
        boot = _in_chunks(function, x, y, items, systems)
        out[level] = Correlations({k: v[..., 0] for k, v in observed.values.items()},
                                  observed.n[..., 0], boot)
    return out


def _in_chunks(function, x, y, items, systems) -> dict[str, np.ndarray]:
    rows = x.shape[0] + y.shape[0]
    m = systems.shape[1]
    per_resample = items.shape[1] * (rows * m * m + x.shape[0] * y.shape[0])
    chunk = max(1, CHUNK_CELLS // max(per_resample, 1))
    parts: dict[str, list[np.ndarray]] = {kind: [] for kind in KINDS}
    for start in range(0, items.shape[0], chunk):
        level = function(x, y, items[start:start + chunk], systems[start:start + chunk])
        for kind in KINDS:
            parts[kind].append(level.values[kind])
    return {kind: np.concatenate(parts[kind], axis=-1) for kind in KINDS}


def paired_difference_p(observed: np.ndarray, boot: np.ndarray, a: int, b: int,
                        c: int) -> tuple[float, float]:
    """Whether metric a correlates with criterion c better than metric b does: the
    observed difference of their correlations and its two-sided paired-bootstrap
    p-value on the shared resamples, shifted to the null as `bench compare`'s test.
    Resamples where either correlation is undefined (every drawn system the same, or a
    side constant) are left out, as they are from the intervals."""
    diff = float(observed[a, c] - observed[b, c])
    resampled = boot[a, c] - boot[b, c]
    resampled = resampled[~np.isnan(resampled)]
    if np.isnan(diff) or resampled.size == 0:
        return diff, float("nan")
    extreme = int(np.sum(~(np.abs(resampled - diff) < abs(diff))))
    return diff, min(1.0, (extreme + 1) / (resampled.size + 1))
