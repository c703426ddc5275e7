"""Length of a prediction (report only; DESIGN §6).

Per item, on the profile's tokens and sentences:

- ``len_tokens``: prediction tokens (a count);
- ``len_sentences``: prediction sentences with at least one token (each bullet line is
  its own sentence, split ``ar.v2``);
- ``len_compression``: prediction tokens / article tokens, the share of the article's
  length kept (the inverse of Grusky's ``ext_compression``, so that its mean stays
  finite when a prediction is very short); None without an article or for an empty one;
- ``len_ref_ratio``: prediction tokens / reference tokens (1 = as long as the
  reference; with several references, their mean length); None for a wordless
  reference.

Direction: neither. Counts and ratios are shown as they are, not x100 (`scale`).

The article's and references' token counts are the metric's `prepare` (`LengthAnalysis`),
kept in the dataset analysis: a second model's run tokenizes only its predictions.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from benchmark import __version__
from benchmark.metrics.base import Direction, ItemInput, Metric, article_tokens, sentence_tokens
from benchmark.signature import Signature
from benchmark.text.sentences import SPLITTER_VERSION

VERSION = "v1"
KEYS = ("len_tokens", "len_sentences", "len_compression", "len_ref_ratio")


class LengthAnalysis(NamedTuple):
    """What the prediction is measured against: the article's tokens (None without an
    article) and each reference's."""

    article: int | None
    references: tuple[int, ...]


class LengthMetric(Metric):
    name = "length"

    def keys(self) -> list[str]:
        return list(KEYS)

    def direction(self, key: str) -> Direction:
        return "neither"

    def scale(self, key: str) -> float:
        return 1.0

    def signature(self) -> Signature:
        return Signature.of(("length", VERSION), ("compression", "pred/article"),
                            ("ref", "mean-length"), self.profile.signature(),
                            split=SPLITTER_VERSION, version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        if self.profile.tokenizer is not None:  # its class name does not pin its output
            return None
        return Signature.of(("length-analysis", VERSION), self.profile.signature())

    def prepare(self, *, references: Sequence[str], source: str | None) -> LengthAnalysis:
        article = len(article_tokens(self.profile, source)) if source is not None else None
        return LengthAnalysis(article, tuple(len(self.profile.tokenize(text))
                                             for text in references))

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item: ItemInput, prepared: LengthAnalysis) -> dict[str, Any]:
        sentences = sentence_tokens(self.profile, item.prediction)
        tokens = sum(len(words) for _, words in sentences)
        sentence_count = sum(1 for _, words in sentences if words)
        article = prepared.article or 0
        lengths = prepared.references
        reference = sum(lengths) / len(lengths) if lengths else 0
        return {
            "len_tokens": tokens,
            "len_sentences": sentence_count,
            "len_compression": tokens / article if article else None,
            "len_ref_ratio": tokens / reference if reference else None,
        }
