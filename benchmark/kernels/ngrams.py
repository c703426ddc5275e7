"""rouge-score's ``Score`` and its n-gram arithmetic on count tables.

`Score` and `fmeasure` are what every ROUGE kernel returns and computes with (the same
float operations as rouge-score 0.1.2, so the numbers are bit-identical);
`ngram_counts`, `overlap` and `score_ngram_counts` are the clipped n-gram overlap on
count tables, for any order and for callers that keep the tables (the oracle, bullet
coverage).
"""

from __future__ import annotations

from collections import Counter
from itertools import repeat
from typing import Hashable, NamedTuple, Sequence

Tokens = Sequence[Hashable]


class Score(NamedTuple):
    """Immutable (precision, recall, F), like rouge-score's ``Score``."""

    precision: float
    recall: float
    fmeasure: float


ZERO = Score(0.0, 0.0, 0.0)
_new_score = tuple.__new__  # Score(p, r, f) without the generated __new__'s Python frame


def fmeasure(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0 (same float operations as rouge-score)."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def score_hits(hits: int, reference_total: int, prediction_total: int) -> Score:
    """rouge-score's P/R/F from a hit count and the two totals; a total under 1 counts
    as 1, as there, so an empty side gives 0 rather than a division error."""
    precision = hits / (prediction_total if prediction_total > 1 else 1)
    recall = hits / (reference_total if reference_total > 1 else 1)
    if precision + recall > 0:
        return _new_score(Score, (precision, recall,
                                  2 * precision * recall / (precision + recall)))
    return _new_score(Score, (precision, recall, 0.0))


def score_four(hits1: int, hits2: int, lcs: int, union: int, reference_total: int,
               prediction_total: int) -> tuple[Score, Score, Score, Score]:
    """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum from their hit counts and the two texts'
    token counts: `score_hits` four times, with the same float operations, inline (this
    runs once per pair), and one Score for equal hit counts over equal totals."""
    m, n = reference_total, prediction_total
    if m < 2 or n < 3:  # a total under 1 counts as 1: the general path
        return (score_hits(hits1, m, n), score_hits(hits2, m - 1, n - 1), score_hits(lcs, m, n),
                score_hits(union, m, n))
    precision, recall = hits1 / n, hits1 / m
    rouge1 = _new_score(Score, (precision, recall, 2 * precision * recall / (precision + recall)
                                if precision + recall > 0 else 0.0))
    if hits2:
        precision, recall = hits2 / (n - 1), hits2 / (m - 1)
        rouge2 = _new_score(Score, (precision, recall,
                                    2 * precision * recall / (precision + recall)))
    else:
        rouge2 = ZERO
    if lcs == hits1:
        rouge_l = rouge1
    else:
        precision, recall = lcs / n, lcs / m
        rouge_l = _new_score(Score, (precision, recall,
                                     2 * precision * recall / (precision + recall)
                                     if precision + recall > 0 else 0.0))
    if union == lcs:
        return rouge1, rouge2, rouge_l, rouge_l
    precision, recall = union / n, union / m
    return rouge1, rouge2, rouge_l, _new_score(Score, (
        precision, recall, 2 * precision * recall / (precision + recall)
        if precision + recall > 0 else 0.0))


def ngram_counts(tokens: Tokens, n: int) -> Counter:
    """Counts of the n-grams of `tokens`, each a tuple of n tokens."""
    return Counter(zip(*(tokens[k:] for k in range(n))))


def overlap(reference: dict, prediction: dict) -> int:
    """Clipped overlap of two count tables: the sum over shared keys of the smaller count."""
    if len(reference) > len(prediction):
        reference, prediction = prediction, reference
    return sum(map(min, reference.values(), map(prediction.get, reference, repeat(0))))


def score_ngram_counts(*, reference: Counter, prediction: Counter) -> Score:
    """Clipped n-gram overlap of two count tables, scored as rouge-score does."""
    return score_hits(overlap(reference, prediction), sum(reference.values()),
                      sum(prediction.values()))
