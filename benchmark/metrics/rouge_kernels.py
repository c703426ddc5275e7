"""ROUGE kernels on token lists, reproducing rouge-score 0.1.2 exactly.

Given the same tokens, every function here returns the same precision, recall and F as
``rouge_score.rouge_scorer`` (Lin 2004; Google's implementation, version 0.1.2):
clipped n-gram counts with ``max(count, 1)`` denominators, sentence-level LCS, and for
ROUGE-Lsum the union-LCS over reference sentences with the double-count guard of the
original ROUGE-1.5.5. Only the algorithms for LCS length differ (bit-parallel here),
never the numbers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

Tokens = Sequence[str]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    fmeasure: float


ZERO = Score(0.0, 0.0, 0.0)


def fmeasure(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0 (same float operations as rouge-score)."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def ngram_counts(tokens: Tokens, n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def score_ngram_counts(*, reference: Counter, prediction: Counter) -> Score:
    """Clipped n-gram overlap. Denominators are at least 1, as in rouge-score, so an
    empty side gives 0 rather than a division error."""
    overlap = sum(min(count, prediction[gram]) for gram, count in reference.items())
    precision = overlap / max(sum(prediction.values()), 1)
    recall = overlap / max(sum(reference.values()), 1)
    return Score(precision, recall, fmeasure(precision, recall))


def rouge_n(*, reference: Tokens, prediction: Tokens, n: int) -> Score:
    return score_ngram_counts(reference=ngram_counts(reference, n),
                              prediction=ngram_counts(prediction, n))


def lcs_length(a: Tokens, b: Tokens) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Allison and Dix 1986; Hyyrö 2004): one machine-word-like integer
    operation per token of `a`, using Python's arbitrary-size integers as bit vectors
    over the positions of `b`.
    """
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for position, token in enumerate(b):
        masks[token] = masks.get(token, 0) | (1 << position)
    full = (1 << len(b)) - 1
    row = full
    for token in a:
        match = masks.get(token)
        if match is not None:
            low = row & match
            row = ((row + low) | (row - low)) & full
    return len(b) - row.bit_count()


def rouge_l(*, reference: Tokens, prediction: Tokens) -> Score:
    if not reference or not prediction:
        return ZERO
    lcs = lcs_length(reference, prediction)
    precision = lcs / len(prediction)
    recall = lcs / len(reference)
    return Score(precision, recall, fmeasure(precision, recall))


def lcs_indices(reference: Tokens, candidate: Tokens) -> list[int]:
    """Indices into `reference` of one LCS with `candidate`.

    The DP table and the backtracking order (prefer moving along the candidate only when
    that keeps a strictly longer LCS) are rouge-score's, so ties pick the same
    indices: ROUGE-Lsum depends on which LCS is chosen.
    """
    rows, cols = len(reference), len(candidate)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        ref_token = reference[i - 1]
        above, current = table[i - 1], table[i]
        for j in range(1, cols + 1):
            if ref_token == candidate[j - 1]:
                current[j] = above[j - 1] + 1
            else:
                left = current[j - 1]
                up = above[j]
                current[j] = left if left > up else up
    indices: list[int] = []
    i, j = rows, cols
    while i > 0 and j > 0:
        if reference[i - 1] == candidate[j - 1]:
            indices.append(i - 1)
            i -= 1
            j -= 1
        elif table[i][j - 1] > table[i - 1][j]:
            j -= 1
        else:
            i -= 1
    indices.reverse()
    return indices


def rouge_lsum(*, reference: Sequence[Tokens], prediction: Sequence[Tokens]) -> Score:
    """Summary-level LCS over sentences (token lists), with the union-LCS of each
    reference sentence against all prediction sentences and ROUGE-1.5.5's guard against
    counting a token more often than it occurs on either side."""
    if not reference or not prediction:
        return ZERO
    m = sum(map(len, reference))
    n = sum(map(len, prediction))
    if not m or not n:
        return ZERO
    left_reference: Counter = Counter()
    left_prediction: Counter = Counter()
    for sentence in reference:
        left_reference.update(sentence)
    for sentence in prediction:
        left_prediction.update(sentence)
    prediction_sets = [set(sentence) for sentence in prediction]
    hits = 0
    for sentence in reference:
        tokens = set(sentence)
        union: set[int] = set()
        for candidate, candidate_set in zip(prediction, prediction_sets):
            if not tokens.isdisjoint(candidate_set):  # no shared token: empty LCS
                union.update(lcs_indices(sentence, candidate))
        for index in sorted(union):
            token = sentence[index]
            if left_prediction[token] > 0 and left_reference[token] > 0:
                hits += 1
                left_prediction[token] -= 1
                left_reference[token] -= 1
    recall = hits / m
    precision = hits / n
    return Score(precision, recall, fmeasure(precision, recall))
