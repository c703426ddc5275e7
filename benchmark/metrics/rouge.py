"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum on Arabic-normalized tokens (DESIGN §6).

The kernels in `rouge_kernels` reproduce rouge-score 0.1.2; what differs from that
package is only the text processing: both sides go through the text profile (``ar`` by
default), so Arabic letters are kept instead of deleted. With several references an
item takes, per ROUGE type, the reference with the highest F (rouge-score's
``score_multi``).
"""

from __future__ import annotations

from typing import Any, Sequence

from benchmark import __version__
from benchmark.metrics.base import ItemInput, Metric
from benchmark.metrics.rouge_kernels import ZERO, RougeSide, Score, score_sides
from benchmark.signature import Signature
from benchmark.text import TextProfile
from benchmark.text.sentences import SPLITTER_VERSION

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
VERSION = "v1"


class RougeMetric(Metric):
    name = "rouge"

    def keys(self) -> list[str]:
        return [f"{kind}_{part}" for kind in ROUGE_TYPES for part in ("p", "r", "f")]

    def signature(self) -> Signature:
        return Signature.of(("rouge", VERSION), ("defs", "rouge-score-0.1.2"),
                            self.profile.signature(), split=SPLITTER_VERSION,
                            multiref="max-f", version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        if self.profile.tokenizer is not None:  # its class name does not pin its output
            return None
        return Signature.of(("rouge-analysis", VERSION), self.profile.signature(),
                            split=SPLITTER_VERSION)

    def prepare(self, *, references: Sequence[str], source: str | None) -> list[RougeSide]:
        return [analyse_text(reference, self.profile) for reference in references]

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item: ItemInput, prepared: list[RougeSide]) -> dict[str, Any]:
        prediction = analyse_text(item.prediction, self.profile)
        best: dict[str, Score] = {}
        for reference in prepared:
            scores = score_sides(reference, prediction)
            for kind, score in zip(ROUGE_TYPES, scores):
                if kind not in best or score.fmeasure > best[kind].fmeasure:
                    best[kind] = score
        values: dict[str, Any] = {}
        for kind in ROUGE_TYPES:
            score = best.get(kind, ZERO)
            values[f"{kind}_p"] = score.precision
            values[f"{kind}_r"] = score.recall
            values[f"{kind}_f"] = score.fmeasure
        return values


def analyse_text(text: str, profile: TextProfile) -> RougeSide:
    """`text` split into sentences and tokenized once, ready for `score_sides`."""
    return RougeSide([profile.tokenize(sentence) for sentence in profile.sentences(text)])


def score_texts(*, reference: str, prediction: str, profile: TextProfile) -> dict[str, Score]:
    """All four ROUGE scores of one prediction against one reference text."""
    scores = score_sides(analyse_text(reference, profile), analyse_text(prediction, profile))
    return dict(zip(ROUGE_TYPES, scores))
