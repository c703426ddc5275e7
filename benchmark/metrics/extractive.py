"""Extractiveness (Grusky, Naaman and Artzi 2018) of a prediction against its article.

Per item, on the profile's normalized tokens (article A, prediction S, greedy longest
fragments F from `extractive_kernels.fragments`):

- ``ext_coverage`` = sum |f| / |S|: share of prediction tokens copied in some fragment;
- ``ext_density`` = sum |f|^2 / |S|: average length of the copied run a prediction token
  sits in (1 word-by-word, |S| for a verbatim copy of one span; not in [0, 1]);
- ``ext_compression`` = |A| / |S|: article tokens per prediction token (not in [0, 1]);
- ``novel_1``, ``novel_2``, ``novel_3``: share of the prediction's n-grams (with
  repetition) absent from the article.

All are None for an empty prediction (``novel_n`` also when it has fewer than n
tokens); an empty article gives coverage 0 and compression 0. The reference plays no part. Direction: neither (report only): being more or less
extractive is a property of a system, not a quality.

The fragment matcher is a corrected greedy: the original Newsroom code can miss the
longest fragment (see `extractive_kernels`); ``match:longest.v1`` in the signature.

The article side (its tokens, numbered, and where each occurs: an `ArticleIndex`) is
the metric's `prepare`, kept in the dataset analysis: a second model's run tokenizes
only its predictions, with the sentence split length and bullets make of them too.
"""

from __future__ import annotations

from typing import Any, Sequence

from benchmark import __version__
from benchmark.errors import ConfigError
from benchmark.metrics.base import (Direction, ItemInput, Metric, article_tokens,
                                    sentence_tokens)
from benchmark.metrics.extractive_kernels import NOVEL_ORDERS, ArticleIndex, extractive_counts
from benchmark.signature import Signature

VERSION = "v1"
KEYS = ("ext_coverage", "ext_density", "ext_compression", "novel_1", "novel_2", "novel_3")


class ExtractiveMetric(Metric):
    name = "extractive"
    needs_source = True

    def keys(self) -> list[str]:
        return list(KEYS)

    def direction(self, key: str) -> Direction:
        return "neither"

    def scale(self, key: str) -> float:
        return 1.0 if key in ("ext_density", "ext_compression") else 100.0

    def signature(self) -> Signature:
        return Signature.of(("extractive", VERSION), ("match", "longest.v1"),
                            ("novel", "with-repeats"), self.profile.signature(),
                            version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        if self.profile.tokenizer is not None:  # its class name does not pin its output
            return None
        return Signature.of(("extractive-analysis", VERSION), ("index", "v2"),
                            self.profile.signature())

    def prepare(self, *, references: Sequence[str], source: str | None) -> ArticleIndex | None:
        """The article's index (None without an article); the references play no part."""
        if source is None:
            return None
        return ArticleIndex.of(article_tokens(self.profile, source))

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item: ItemInput, prepared: ArticleIndex | None) -> dict[str, Any]:
        if item.source is None or prepared is None:
            raise ConfigError("metric extractive needs the article (sources=)")
        return stats_from_index(prepared, self._prediction_tokens(item.prediction))

    def _prediction_tokens(self, text: str) -> list[str]:
        """`profile.tokenize(text)`. With profile ``ar``'s own tokenizer, those are the
        tokens of the text's sentences in order (a sentence ends only at whitespace, a
        newline or before a bullet glyph, none of which a token holds or normalization
        joins across; tested on the corpora), which length and bullets split the same
        prediction into: the remembered split (`sentence_tokens`) serves all three."""
        if self.profile.name != "ar" or self.profile.tokenizer is not None:
            return self.profile.tokenize(text)
        return [token for _, tokens in sentence_tokens(self.profile, text) for token in tokens]


def extractive_stats(*, article: Sequence[str], summary: Sequence[str]) -> dict[str, Any]:
    """The six per-item values for token lists (see the module docstring)."""
    return stats_from_index(ArticleIndex.of(article), summary)


def stats_from_index(article: ArticleIndex, summary: Sequence[str]) -> dict[str, Any]:
    """`extractive_stats` with the article already indexed."""
    values: dict[str, Any] = dict.fromkeys(KEYS)
    found, novel = extractive_counts(article=article, summary=summary)
    if summary:
        lengths = [length for _, length in found]
        values["ext_coverage"] = sum(lengths) / len(summary)
        values["ext_density"] = sum(length ** 2 for length in lengths) / len(summary)
        values["ext_compression"] = len(article) / len(summary)
    for n, missing in zip(NOVEL_ORDERS, novel):
        total = len(summary) - n + 1
        values[f"novel_{n}"] = missing / total if total > 0 else None
    return values
