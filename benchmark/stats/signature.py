"""The one statistics signature: how an interval or a test was computed.

A run's intervals say the bootstrap, its resamples, seed and level; a comparison adds
its tests, correction and alpha, and a version of the comparison (its fields come
first, in the order its stored signatures have always had).
"""

from __future__ import annotations

from typing import Sequence

from benchmark.signature import Signature

CI = "percentile-bootstrap"
LEVEL = 95
COMPARE_VERSION = "compare.v1"


def statistics_signature(*, resamples: int, seed: int, tests: Sequence[str] = (),
                         alpha: float | None = None) -> Signature:
    """Intervals only (no `tests`): ``ci:percentile-bootstrap|n:1000|seed:0|level:95``;
    with tests: ``stats:compare.v1|ci:...|level:95|tests:...|correction:holm|alpha:...
    |n:...|seed:...``."""
    if not tests:
        return Signature.of(ci=CI, n=resamples, seed=seed, level=LEVEL)
    return Signature.of(stats=COMPARE_VERSION, ci=CI, level=LEVEL, tests="+".join(tests),
                        correction="holm", alpha=alpha, n=resamples, seed=seed)
