"""Extractive baselines: lead-N, lead-bullets and seeded random sentences.

Each returns the chosen article sentences, one per line (bullets as lines).
"""

from __future__ import annotations

import hashlib
import random
from typing import ClassVar, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.text import split_sentences
from benchmark.text.sentences import first_sentences


class LeadOptions(Options):
    sentences: int = Field(3, ge=1, description="how many leading sentences")


class Lead(Summarizer):
    """The first `sentences` sentences of the article."""

    cacheable = False
    Options: ClassVar[type[Options]] = LeadOptions
    default_sentences: ClassVar[int] = 3

    def __init__(self, name, options=None, *, seed=0):
        options = {"sentences": self.default_sentences, **(options or {})}
        super().__init__(name, options, seed=seed)

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        k = self.options.sentences
        return [Prediction("\n".join(first_sentences(ex.article, k))) for ex in examples]


class Lead1(Lead):
    default_sentences = 1


class Lead3(Lead):
    default_sentences = 3


class LeadBulletsOptions(Options):
    paragraphs: int = Field(3, ge=1, description="how many leading paragraphs")


class LeadBullets(Summarizer):
    """The first sentence of each of the first `paragraphs` paragraphs: news articles
    often open each paragraph with its point, so this is a bullet-shaped lead."""

    cacheable = False
    Options: ClassVar[type[Options]] = LeadBulletsOptions

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        predictions = []
        for ex in examples:
            firsts = []
            for paragraph in ex.article.split("\n"):
                sentences = split_sentences(paragraph)
                if sentences:
                    firsts.append(sentences[0])
                if len(firsts) == self.options.paragraphs:
                    break
            predictions.append(Prediction("\n".join(firsts)))
        return predictions


class RandomOptions(Options):
    sentences: int = Field(3, ge=1)


class Random3(Summarizer):
    """`sentences` random article sentences, kept in article order.

    The choice for an article depends only on the run seed and the example id (not on
    batch order), so a resumed or re-batched run picks the same sentences.
    """

    cacheable = False
    Options: ClassVar[type[Options]] = RandomOptions

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        predictions = []
        for ex in examples:
            sentences = split_sentences(ex.article)
            k = min(self.options.sentences, len(sentences))
            digest = hashlib.sha256(f"{self.seed}\0{ex.id}".encode()).digest()
            rng = random.Random(int.from_bytes(digest[:8], "big"))
            chosen = sorted(rng.sample(range(len(sentences)), k))
            predictions.append(Prediction("\n".join(sentences[i] for i in chosen)))
        return predictions
