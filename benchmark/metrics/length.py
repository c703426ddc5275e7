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
"""

from __future__ import annotations

from typing import Any

from benchmark import __version__
from benchmark.metrics.base import Direction, ItemInput, Metric, article_tokens
from benchmark.signature import Signature
from benchmark.text.sentences import SPLITTER_VERSION

VERSION = "v1"
KEYS = ("len_tokens", "len_sentences", "len_compression", "len_ref_ratio")


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

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        sentences = [self.profile.tokenize(s) for s in self.profile.sentences(item.prediction)]
        sentences = [tokens for tokens in sentences if tokens]
        tokens = sum(map(len, sentences))
        article = (len(article_tokens(self.profile, item.source))
                   if item.source is not None else 0)
        lengths = [len(self.profile.tokenize(text)) for text in item.references]
        reference = sum(lengths) / len(lengths) if lengths else 0
        return {
            "len_tokens": tokens,
            "len_sentences": len(sentences),
            "len_compression": tokens / article if article else None,
            "len_ref_ratio": tokens / reference if reference else None,
        }
