"""chrF and chrF++ (Popović 2015, 2017), exactly as sacrebleu 2.x computes them.

Given the same strings and options, `ChrF` returns sacrebleu's ``CHRF`` statistics and
scores bit for bit: character n-grams of the text without whitespace (or with it, with
``whitespace``), word n-grams after sacrebleu's punctuation split, per order the
hypothesis, reference and clipped match counts, and the F-beta over the orders with
sacrebleu's effective-order averaging (or, with ``eps_smoothing``, the smoothed
average of chrF++.py, Moses and NLTK). Only the counting differs: n-grams of order n
are made from those of order n-1 (one C-level map), clipped matches are counted over
the n-grams both sides share (where the reference has each n-gram once, a set
intersection, without counting the hypothesis at all), and n-gram totals are lengths,
not sums of counts.

A text is analysed once (`ChrF.analyse`) and can be scored against any number of
others.
"""

from __future__ import annotations

from collections import _count_elements  # Counter's own counting loop, without Counter
from dataclasses import dataclass
from itertools import islice, repeat
from operator import add
from typing import Sequence

_PUNCTUATION = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_EPS = 1e-16

Table = dict[str, int]


class ChrFText:
    """One text's n-grams (characters 1..char_order, then words 1..word_order), each
    order as the list of its n-grams; their count tables are made when first needed."""

    __slots__ = ("grams", "_tables")

    def __init__(self, grams: list[list[str]]):
        self.grams = grams
        self._tables: list[Table | None] = [None] * len(grams)

    def table(self, order: int) -> Table:
        """Counts of the n-grams of the `order`-th kind (0-based)."""
        table = self._tables[order]
        if table is None:
            table = self._tables[order] = {}
            _count_elements(table, self.grams[order])
        return table

    def __reduce__(self):
        return (ChrFText, (self.grams,))


@dataclass(frozen=True)
class ChrF:
    """sacrebleu's ``CHRF(char_order, word_order, beta, lowercase, whitespace,
    eps_smoothing)``."""

    char_order: int = 6
    word_order: int = 2
    beta: int = 2
    lowercase: bool = False
    whitespace: bool = False
    eps_smoothing: bool = False

    def analyse(self, text: str) -> ChrFText:
        """The n-grams of a text (hypothesis or reference)."""
        if self.lowercase:
            text = text.lower()
        chars = text if self.whitespace else "".join(text.split())
        orders = []
        grams = list(chars)
        for n in range(1, self.char_order + 1):
            if n > 1:  # each (n-1)-gram but the last, extended by the next character
                grams = list(map(add, grams, islice(chars, n - 1, None)))
            orders.append(grams)
        if self.word_order:
            words = split_punctuation(text)
            orders.append(words)
            grams = words
            for n in range(2, self.word_order + 1):
                grams = list(map(_join, grams, islice(words, n - 1, None)))
                orders.append(grams)
        return ChrFText(orders)

    def statistics(self, hypothesis: str | ChrFText,
                   references: Sequence[str | ChrFText]) -> list[int]:
        """sacrebleu's segment statistics: ``[hyp, ref, match]`` per order, for the
        reference with the best F (the first of equals)."""
        hyp = hypothesis if isinstance(hypothesis, ChrFText) else self.analyse(hypothesis)
        best: list[int] = []
        best_f = -1.0
        for reference in references:
            ref = reference if isinstance(reference, ChrFText) else self.analyse(reference)
            stats = []
            for order, (h, r) in enumerate(zip(hyp.grams, ref.grams)):
                stats += (len(h) if r else 0), len(r), _matches(hyp, ref, order)
            f_score = self.score(stats)
            if f_score > best_f:
                best_f, best = f_score, stats
        return best

    def score(self, statistics: Sequence[int]) -> float:
        """chrF in [0, 100] from statistics (one segment's, or summed over a corpus)."""
        factor = self.beta ** 2
        total = precision_sum = recall_sum = 0.0
        effective_order = 0
        for i in range(0, len(statistics), 3):
            n_hyp, n_ref, n_match = statistics[i:i + 3]
            precision = n_match / n_hyp if n_hyp > 0 else _EPS
            recall = n_match / n_ref if n_ref > 0 else _EPS
            denominator = factor * precision + recall
            total += ((1 + factor) * precision * recall / denominator) if denominator > 0 else _EPS
            if n_hyp > 0 and n_ref > 0:
                precision_sum += precision
                recall_sum += recall
                effective_order += 1
        if self.eps_smoothing:
            return 100 * total / (len(statistics) // 3)
        if effective_order == 0:
            precision_sum = recall_sum = 0.0
        else:
            precision_sum /= effective_order
            recall_sum /= effective_order
        if precision_sum + recall_sum:
            value = (1 + factor) * precision_sum * recall_sum
            value /= (factor * precision_sum) + recall_sum
            return 100 * value
        return 0.0


def split_punctuation(text: str) -> list[str]:
    """sacrebleu's chrF++ word split: whitespace, then one ASCII punctuation mark off
    the end of a word, or else off its start (so ``(hi)`` gives ``(hi`` and ``)``)."""
    words: list[str] = []
    for word in text.split():
        if len(word) == 1:
            words.append(word)
        elif word[-1] in _PUNCTUATION:
            words += word[:-1], word[-1]
        elif word[0] in _PUNCTUATION:
            words += word[0], word[1:]
        else:
            words.append(word)
    return words


def _join(left: str, word: str) -> str:
    return left + " " + word


def _matches(hypothesis: ChrFText, reference: ChrFText, order: int) -> int:
    """Clipped matches of one order: over the n-grams both have, the smaller count.
    Where every reference n-gram occurs once, that is the number of distinct
    hypothesis n-grams the reference has, found without counting the hypothesis."""
    ref = reference.table(order)
    if len(ref) == len(reference.grams[order]):
        return len(ref.keys() & hypothesis.grams[order])
    hyp = hypothesis.table(order)
    if len(hyp) > len(ref):
        hyp, ref = ref, hyp
    return sum(map(min, hyp.values(), map(ref.get, hyp, repeat(0))))
