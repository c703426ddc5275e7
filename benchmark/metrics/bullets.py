"""Bullet coverage (DESIGN §6): which of the reference's bullets does the prediction say?

The reference's bullets are its sentences (split ``ar.v2``: each line is one, and a
line holding two sentences gives two); the prediction's are its sentences likewise.
For reference bullet b and prediction sentence s, ``match(b, s)`` is the ROUGE-1
recall of b by s (clipped unigram overlap / tokens of b; `benchmark.kernels`). Per item,
with threshold t (0.5 by default, option ``threshold``):

- ``bullet_recall``: mean over reference bullets of max_s match(b, s);
- ``bullets_covered``: share of reference bullets with max_s match(b, s) >= t;
- ``bullet_precision``: share of prediction sentences s that some reference bullet
  supports, i.e. max_b ROUGE-1 precision of s against b (its tokens found in b) >= t;
- ``bullets_missed``: the reference bullets not covered (text, in order);
- ``bullets_unmatched``: the prediction sentences no bullet supports.

Bullets and sentences without tokens are left out. ``bullet_recall`` and
``bullets_covered`` are None when the reference has no bullet with tokens,
``bullet_precision`` when the prediction has no sentence with tokens (an empty
prediction covers nothing: recall 0). With several references, the one with the
highest ``bullet_recall`` (the first on ties): ``multiref:max-recall``; with
``multiref="mean"``, each value averaged over the references where it is defined (the
lists are those of the best reference): ``multiref:mean``.

The references' bullets, split, tokenized and counted, are the metric's `prepare`,
kept in the dataset analysis: a second model's run splits only its predictions.
"""

from __future__ import annotations

from collections import _count_elements  # Counter's own counting loop, without Counter
from typing import Any, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.kernels import overlap
from benchmark.metrics.base import ItemInput, Metric, sentence_tokens
from benchmark.metrics.multiref import MultiRefOptions, mean_defined
from benchmark.signature import Signature
from benchmark.text.sentences import SPLITTER_VERSION

VERSION = "v1"


class BulletOptions(MultiRefOptions):
    threshold: float = Field(0.5, gt=0.0, le=1.0,
                             description="ROUGE-1 recall (precision) a bullet (sentence) "
                                         "needs to count as covered (supported)")


class BulletMetric(Metric):
    name = "bullets"
    Options = BulletOptions

    def keys(self) -> list[str]:
        return ["bullet_recall", "bullets_covered", "bullet_precision"]

    def signature(self) -> Signature:
        return Signature.of(("bullets", VERSION), ("match", "rouge1-recall"),
                            ("t", float(self.options.threshold)), self.profile.signature(),
                            split=SPLITTER_VERSION,
                            multiref="max-recall" if self.options.multiref == "max" else "mean",
                            version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        if self.profile.tokenizer is not None:  # its class name does not pin its output
            return None
        return Signature.of(("bullets-analysis", VERSION), ("counts", "v2"),
                            self.profile.signature(),
                            split=SPLITTER_VERSION)

    def prepare(self, *, references: Sequence[str], source: str | None
                ) -> tuple[CountedBullets, ...]:
        """Each reference's bullets with their unigram counts; the article plays no part."""
        return tuple(counted(self._bullets(reference)) for reference in references)

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item: ItemInput, prepared: Sequence[CountedBullets]
                       ) -> dict[str, Any]:
        prediction = counted(self._bullets(item.prediction))
        each = [score_counted(reference=reference, prediction=prediction,
                              threshold=self.options.threshold)
                for reference in prepared]
        if not each:
            return score_counted(reference=(), prediction=prediction,
                                 threshold=self.options.threshold)
        best = each[0]
        for scores in each[1:]:
            if _rank(scores) > _rank(best):
                best = scores
        if self.options.multiref == "mean" and len(each) > 1:
            best = {**best, **{key: mean_defined([scores[key] for scores in each])
                               for key in self.keys()}}
        return best

    def _bullets(self, text: str) -> list[tuple[str, Sequence[str]]]:
        return [(sentence, tokens) for sentence, tokens in sentence_tokens(self.profile, text)
                if tokens]


Bullets = Sequence[tuple[str, Sequence[str]]]  # (text, tokens) per bullet or sentence
# (text, count of each token, number of tokens) per bullet
CountedBullets = tuple[tuple[str, dict[str, int], int], ...]


def counted(bullets: Bullets) -> CountedBullets:
    """Each bullet's text with the counts of its tokens (a plain dict: stored, it reads
    back without a Counter's set-up) and how many there are."""
    each = []
    for text, tokens in bullets:
        counts: dict[str, int] = {}
        _count_elements(counts, tokens)
        each.append((text, counts, len(tokens)))
    return tuple(each)


def score_bullets(*, reference: Bullets, prediction: Bullets,
                  threshold: float = 0.5) -> dict[str, Any]:
    """The per-item values for bullets already split and tokenized (module docstring)."""
    return score_counted(reference=counted(reference), prediction=counted(prediction),
                         threshold=threshold)


def score_counted(*, reference: CountedBullets, prediction: CountedBullets,
                  threshold: float = 0.5) -> dict[str, Any]:
    """`score_bullets` for bullets already counted (`counted`)."""
    # For each reference bullet, the best ROUGE-1 recall by a prediction sentence; for
    # each sentence, its best precision against a bullet: the clipped unigram overlap
    # over the bullet's (the sentence's) tokens, a count under 1 counting as 1, as
    # rouge-score divides (`benchmark.kernels.score_ngram_counts`).
    best_recall = []
    best_precision = [0.0] * len(prediction)
    for _, bullet, bullet_size in reference:
        best, bullet_size = 0.0, max(bullet_size, 1)
        for j, (_, sentence, sentence_size) in enumerate(prediction):
            hits = overlap(bullet, sentence)
            if hits / bullet_size > best:
                best = hits / bullet_size
            if hits / max(sentence_size, 1) > best_precision[j]:
                best_precision[j] = hits / max(sentence_size, 1)
        best_recall.append(best)
    covered = [value >= threshold for value in best_recall]
    supported = [value >= threshold for value in best_precision]
    return {
        "bullet_recall": sum(best_recall) / len(best_recall) if best_recall else None,
        "bullets_covered": sum(covered) / len(covered) if covered else None,
        "bullet_precision": sum(supported) / len(supported) if supported else None,
        "bullets_missed": [bullet[0] for bullet, ok in zip(reference, covered) if not ok],
        "bullets_unmatched": [sentence[0] for sentence, ok in zip(prediction, supported)
                              if not ok],
    }


def _rank(scores: dict[str, Any]) -> float:
    recall = scores["bullet_recall"]
    return -1.0 if recall is None else recall
