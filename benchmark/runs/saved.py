"""The summarizer of ``bench score``: it answers with saved predictions, so that
scoring them is a run like any other (same record, same resume, same compare)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Sequence

from benchmark.data.example import Example
from benchmark.runs.predictions import predictions_digest
from benchmark.signature import Signature
from benchmark.summarizers.base import Prediction, Summarizer


class SavedPredictions(Summarizer):
    """A summarizer that answers with saved predictions (id -> text)."""

    backend = "predictions"
    cacheable = False

    def __init__(self, name: str, predictions: Mapping[str, str]):
        super().__init__(name, {})
        self.predictions = predictions
        digest = predictions_digest(predictions)
        self._signature = Signature.of(model=name, backend="predictions", sha=digest)

    def signature(self) -> Signature:
        return self._signature

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        return [Prediction(self.predictions[ex.id]) for ex in examples]
