"""What a paired test can detect: the minimum detectable effect (MDE) of a pair.

For paired differences d_1..d_n with standard deviation s (n - 1 in the denominator),
a two-sided test at level alpha detects a true mean difference delta with power
1 - beta when, in the normal approximation of the mean difference,

    delta >= (z_{1 - alpha/2} + z_{1 - beta}) * s / sqrt(n)

so that smallest delta is the MDE (Cohen 1988, ch. 2; the usual sample-size formula
solved for delta). `bench compare` gives every pair its MDE at 80% power and at
alpha / m, the level of Holm's first (strictest) step for a family of m tests: Holm
never tests a pair at a stricter level, so a true difference of the MDE is detected at
least about 80% of the time. ``benchmarks/bench_mde_power.py`` checks this by
simulation through the comparison's own tests.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Sequence

POWER = 0.8


def minimum_detectable_effect(differences: Sequence[float], *, alpha: float,
                              power: float = POWER) -> float | None:
    """The MDE of a paired test on ``differences`` (see the module docstring); None
    for fewer than two differences (no spread to estimate)."""
    n = len(differences)
    if n < 2:
        return None
    mean = math.fsum(differences) / n
    sd = math.sqrt(math.fsum((d - mean) ** 2 for d in differences) / (n - 1))
    return mde_from_standard_error(sd / math.sqrt(n), alpha=alpha, power=power)


def mde_from_standard_error(standard_error: float, *, alpha: float,
                            power: float = POWER) -> float:
    """``(z_{1 - alpha/2} + z_{power}) * standard_error``."""
    normal = NormalDist()
    return (normal.inv_cdf(1 - alpha / 2) + normal.inv_cdf(power)) * standard_error
