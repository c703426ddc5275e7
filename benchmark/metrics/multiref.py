"""Scoring against several references (``--multiref max|mean``, DESIGN §6).

An item with several reference summaries (several annotators) is scored against each;
the metric then keeps, per value, either the best reference (``max``, the default:
rouge-score's ``score_multi`` for ROUGE, sacrebleu's rule for chrF) or the mean over
the references (``mean``, what many papers report). The choice is in each metric's
signature; with one reference both give the same numbers.

Entity coverage does not take the option: it always scores against the reference whose
entities the prediction keeps best (see `benchmark.metrics.entities`).
"""

from __future__ import annotations

from typing import Literal, Sequence

from pydantic import Field

from benchmark.metrics.base import MetricOptions

MultiRef = Literal["max", "mean"]


class MultiRefOptions(MetricOptions):
    """Options of a metric that scores against several references."""

    multiref: MultiRef = Field("max", description="several references: max (the best "
                                                  "reference) or mean (over references)")


def mean_defined(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None (None when none is)."""
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None
