"""The extractive oracle: an upper bound, not a summarizer.

It reads the reference summary and greedily adds the article sentence that most raises
the mean of ROUGE-1 F and ROUGE-2 F against it, stopping when no sentence raises it (or
at `max_sentences`), as in Nallapati et al. (2017). Results are labelled as an upper
bound wherever they are shown.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.kernels import fmeasure, ngram_counts
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.text import get_profile, split_sentences


class OracleOptions(Options):
    max_sentences: int | None = Field(None, ge=1, description="cap on chosen sentences")
    profile: str = "ar"


class _Target:
    """Clipped overlap bookkeeping for one n-gram order against the reference."""

    def __init__(self, reference: Counter):
        self.reference = reference
        self.total = sum(reference.values())
        self.chosen: Counter = Counter()
        self.chosen_total = 0
        self.overlap = 0

    def gain(self, grams: Counter) -> int:
        gain = 0
        for gram, count in grams.items():
            want = self.reference.get(gram)
            if want:
                have = self.chosen[gram]
                gain += min(want, have + count) - min(want, have)
        return gain

    def f_with(self, grams: Counter, size: int) -> float:
        overlap = self.overlap + self.gain(grams)
        precision = overlap / max(self.chosen_total + size, 1)
        recall = overlap / max(self.total, 1)
        return fmeasure(precision, recall)

    def add(self, grams: Counter, size: int) -> None:
        self.overlap += self.gain(grams)
        self.chosen.update(grams)
        self.chosen_total += size


class Oracle(Summarizer):
    cacheable = False
    Options: ClassVar[type[Options]] = OracleOptions
    label = "upper bound: selects article sentences using the reference summary"

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        profile = get_profile(self.options.profile)
        return [Prediction(self._select(ex, profile)) for ex in examples]

    def _select(self, example: Example, profile) -> str:
        sentences = split_sentences(example.article)
        reference = profile.tokenize(example.summary)
        targets = (_Target(ngram_counts(reference, 1)), _Target(ngram_counts(reference, 2)))
        grams = []
        for sentence in sentences:
            tokens = profile.tokenize(sentence)
            uni, bi = ngram_counts(tokens, 1), ngram_counts(tokens, 2)
            grams.append((uni, sum(uni.values()), bi, sum(bi.values())))
        chosen: list[int] = []
        best = 0.0
        limit = self.options.max_sentences or len(sentences)
        while len(chosen) < limit:
            pick, pick_score = None, best
            for i, (uni, n_uni, bi, n_bi) in enumerate(grams):
                if i in chosen:
                    continue
                score = (targets[0].f_with(uni, n_uni) + targets[1].f_with(bi, n_bi)) / 2
                if score > pick_score:
                    pick, pick_score = i, score
            if pick is None:
                break
            uni, n_uni, bi, n_bi = grams[pick]
            targets[0].add(uni, n_uni)
            targets[1].add(bi, n_bi)
            chosen.append(pick)
            best = pick_score
        return "\n".join(sentences[i] for i in sorted(chosen))
