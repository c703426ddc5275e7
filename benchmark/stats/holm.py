"""Holm's correction over a family of tests, and the resamples such a family needs."""

from __future__ import annotations

import math
from typing import Sequence


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


def minimum_resamples(family_size: int, alpha: float) -> int:
    """Resamples needed so that Holm over `family_size` tests can still reject at
    `alpha` when a p-value sits at its floor 1/(R+1): R + 1 >= 2 m / alpha."""
    return math.ceil(2 * family_size / alpha) if family_size else 0
