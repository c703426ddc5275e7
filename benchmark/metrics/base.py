"""The metric protocol: per-item statistics first, aggregation after (STYLE §2).

A metric scores one item at a time and never averages inside. Aggregation works on the
stored per-item values, so confidence intervals and paired tests never re-run a metric.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable, Literal, Sequence

from benchmark.text import TextProfile

Direction = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class ItemInput:
    """What a metric sees of one item. `references` holds one or more reference texts,
    each with bullets or sentences on separate lines."""

    prediction: str
    references: Sequence[str]
    source: str | None = None


class Metric(ABC):
    """A metric: `score_item` returns a dict of per-item values.

    Numeric values are floats in [0, 1] (or None where undefined for the item, e.g.
    entity recall with no reference entities); other values (lists of strings) are
    kept in `items.jsonl` but never aggregated.
    """

    name: ClassVar[str]
    needs_source: ClassVar[bool] = False
    option_names: ClassVar[tuple[str, ...]] = ()  # Scorer options this metric takes

    def __init__(self, profile: TextProfile, **options: Any):
        self.profile = profile

    @abstractmethod
    def keys(self) -> list[str]:
        """The numeric per-item keys, in report order."""

    @abstractmethod
    def score_item(self, item: ItemInput) -> dict[str, Any]:
        """Per-item values for one prediction."""

    @abstractmethod
    def signature(self) -> str:
        """How this metric computes, e.g. ``rouge:v1|norm:ar.v1|...|ver:0.1.0``."""

    def score_batch(self, items: Sequence[ItemInput], *,
                    ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Per-item values for several items (``ids`` name them, for metrics that cache
        per item). Metrics that call a server override this to work concurrently."""
        return [self.score_item(item) for item in items]

    def direction(self, key: str) -> Direction:
        return "higher"

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Corpus-level values; by default the mean of each key over defined items."""
        return {key: mean_defined(item.get(key) for item in items) for key in self.keys()}


def mean_defined(values: Iterable[float | None]) -> float:
    """Mean of the values that are not None (NaN when none is)."""
    total, count = 0.0, 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return total / count if count else math.nan
