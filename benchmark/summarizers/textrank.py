"""``textrank``: extractive baseline ranking sentences on a similarity graph.

Mihalcea and Tarau, "TextRank: Bringing Order into Texts" (EMNLP 2004), section 4:
sentences are vertices; two sentences are linked with the weight

    similarity(Si, Sj) = |{w : w in Si and w in Sj}| / (log |Si| + log |Sj|)

over their tokens (here: the text profile's normalized tokens, so «الحكومة» and
«الحكومه» match, minus a short list of Arabic function words that would link every
sentence to every other); weighted PageRank with damping 0.85 ranks the vertices, and
the top `sentences` are returned in article order, one per line.

PageRank runs as a power iteration with numpy from the uniform vector until the change
drops under `tolerance`. Its fixed point is unique (damping < 1), so the result does not
depend on a seed; ties are broken by article order, which makes it deterministic.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.text import get_profile

# Function words (prepositions, conjunctions, pronouns, auxiliaries), normalized with
# the ar profile before use. They carry no topic, so overlap on them is noise.
_STOPWORDS = """
في من على إلى الى عن مع أن ان إن لا ما لم لن قد كان كانت يكون هذا هذه ذلك تلك التي الذي
الذين هو هي هم هن نحن أنا انا أو او ثم بل لكن كل بعض بين حتى عند عندما منذ إذا اذا كما
أي اي وقال قال وقالت قالت وفي ومن وعلى وأن وان وهو وهي وكان وكانت أيضا ايضا فيه فيها به بها
له لها لهم عليه عليها إنه انه أنه بعد قبل خلال حول غير
"""

_DAMPING = 0.85


class TextRankOptions(Options):
    sentences: int = Field(3, ge=1, description="how many sentences to keep")
    damping: float = Field(_DAMPING, gt=0, lt=1)
    tolerance: float = Field(1e-8, gt=0)
    max_iterations: int = Field(200, ge=1)
    stopwords: bool = Field(True, description="ignore Arabic function words in overlaps")


class TextRank(Summarizer):
    """The `sentences` most central sentences, in article order."""

    cacheable = False  # cheap and deterministic: recomputing beats caching
    Options: ClassVar[type[Options]] = TextRankOptions

    def __init__(self, name: str, options: dict[str, Any] | None = None, *, seed: int = 0):
        super().__init__(name, options, seed=seed)
        self.profile = get_profile("ar")
        self._stopwords = (frozenset(self.profile.tokenize(_STOPWORDS))
                           if self.options.stopwords else frozenset())

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        return [Prediction("\n".join(self.select(example.article))) for example in examples]

    def select(self, article: str) -> list[str]:
        """The chosen sentences of `article`, in article order."""
        sentences = self.profile.sentences(article)
        k = self.options.sentences
        if len(sentences) <= k:
            return sentences
        scores = self.scores(sentences)
        ranked = sorted(range(len(sentences)), key=lambda i: (-round(scores[i], 12), i))
        return [sentences[i] for i in sorted(ranked[:k])]

    def scores(self, sentences: Sequence[str]) -> list[float]:
        """PageRank score of each sentence."""
        tokenized = [self.profile.tokenize(sentence) for sentence in sentences]
        weights = similarity_matrix([set(t) - self._stopwords for t in tokenized],
                                    [len(t) for t in tokenized])
        return pagerank(weights, damping=self.options.damping,
                        tolerance=self.options.tolerance,
                        max_iterations=self.options.max_iterations)


def overlap_similarity(a: set[str], b: set[str], *, size_a: int, size_b: int) -> float:
    """Shared words over ``log|Si| + log|Sj|`` (0 when the denominator is not positive:
    two one-word sentences)."""
    denominator = math.log(size_a) + math.log(size_b) if size_a and size_b else 0.0
    if denominator <= 0:
        return 0.0
    return len(a & b) / denominator


def similarity_matrix(tokens: Sequence[set[str]], sizes: Sequence[int]):
    """The symmetric weight matrix with a zero diagonal."""
    import numpy as np

    n = len(tokens)
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            weights[i, j] = weights[j, i] = overlap_similarity(
                tokens[i], tokens[j], size_a=sizes[i], size_b=sizes[j])
    return weights


def pagerank(weights, *, damping: float = _DAMPING, tolerance: float = 1e-8,
             max_iterations: int = 200) -> list[float]:
    """Weighted PageRank, ``WS(Vi) = (1-d) + d * sum_j w_ji / sum_k w_jk * WS(Vj)``.

    A vertex without edges keeps the base score ``1 - d`` (it gives nothing away).
    """
    import numpy as np

    weights = np.asarray(weights, dtype=float)
    out_strength = weights.sum(axis=1)
    safe = np.where(out_strength > 0, out_strength, 1.0)
    transition = (weights / safe[:, None]).T  # column j spreads vertex j's score
    scores = np.ones(len(weights))
    for _ in range(max_iterations):
        updated = (1 - damping) + damping * transition @ scores
        if np.abs(updated - scores).max() < tolerance:
            scores = updated
            break
        scores = updated
    return scores.tolist()
