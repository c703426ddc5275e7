"""A third-party metric and NER backend, using only the public plugin contract.

- Metric ``lead-tokens``: 1.0 when the prediction's first `n` normalized tokens equal
  the reference's first `n` (typed option `n`), else 0.0; key ``lead_tokens``.
- Metric ``lead-count``: how many leading normalized tokens the prediction shares with
  the reference, a count (key ``lead_count``, reported raw: scale 1, lower is not
  better or worse: direction neither).
- NER backend ``known-places``: every word from a fixed list of three cities is a LOC.
"""

from __future__ import annotations

from typing import Any, ClassVar

import regex
from pydantic import Field

from benchmark.entities.model import Entity, entity_key
from benchmark.metrics.base import ItemInput, Metric, MetricOptions


class LeadTokensOptions(MetricOptions):
    n: int = Field(1, ge=1)


class LeadTokens(Metric):
    name = "lead-tokens"
    Options: ClassVar[type[MetricOptions]] = LeadTokensOptions

    def keys(self) -> list[str]:
        return ["lead_tokens"]

    def signature(self) -> str:
        return f"lead-tokens:v1|n:{self.options.n}|{self.profile.signature()}"

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        head = self.profile.tokenize(item.prediction)[:self.options.n]
        same = any(head == self.profile.tokenize(ref)[:self.options.n]
                   for ref in item.references)
        return {"lead_tokens": 1.0 if same and head else 0.0}


class LeadCount(Metric):
    name = "lead-count"

    def keys(self) -> list[str]:
        return ["lead_count"]

    def scale(self, key: str) -> float:
        return 1.0

    def direction(self, key: str) -> str:
        return "neither"

    def signature(self) -> str:
        return f"lead-count:v1|{self.profile.signature()}"

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        prediction = self.profile.tokenize(item.prediction)
        best = 0
        for reference in item.references:
            tokens = self.profile.tokenize(reference)
            same = 0
            while same < min(len(prediction), len(tokens)) and \
                    prediction[same] == tokens[same]:
                same += 1
            best = max(best, same)
        return {"lead_count": float(best)}


class KnownPlaces:
    name = "known-places"
    CITIES = ("القاهرة", "دمشق", "بيروت")
    _pattern = regex.compile("|".join(CITIES))

    def signature(self) -> str:
        return "ner:known-places.v1"

    def extract(self, text: str, known=None) -> list[Entity]:
        return [Entity("LOC", m.group(), m.start(), m.end(), entity_key(m.group()))
                for m in self._pattern.finditer(text)]


class NotAMetric:
    """For the test that `py:` refuses a class that is not a Metric."""
