"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum on Arabic-normalized tokens (DESIGN §6).

The kernels in `benchmark.kernels` reproduce rouge-score 0.1.2; what differs from that
package is only the text processing: both sides go through the text profile (``ar`` by
default), so Arabic letters are kept instead of deleted. With several references an
item takes, per ROUGE type, the reference with the highest F (rouge-score's
``score_multi``; the first on ties), or with ``multiref="mean"`` the mean of P, R and F
over the references (`benchmark.metrics.multiref`). ROUGE-Lsum's sentences come from split ``ar`` (the default) or, with
``sentence_split="newline"``, from the lines of the text (rouge-score's convention for
pre-split text); profile ``xlsum`` always reads lines, as XL-Sum's scorer does.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.errors import ConfigError
from benchmark.kernels import ZERO, RougeSide, Score, score_sides
from benchmark.metrics.base import ItemInput, Metric, sentence_tokens
from benchmark.metrics.multiref import MultiRefOptions
from benchmark.signature import Signature
from benchmark.text import TextProfile
from benchmark.text.sentences import SENTENCE_SPLITS

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
_KEYS = tuple((f"{kind}_p", f"{kind}_r", f"{kind}_f") for kind in ROUGE_TYPES)  # per type
VERSION = "v1"


class RougeOptions(MultiRefOptions):
    sentence_split: Literal["ar", "newline"] | None = Field(
        None, description="ROUGE-Lsum sentences: ar (split ar.v2, the default) or newline "
                          "(one per line, rouge-score's convention for pre-split text)")


class RougeMetric(Metric):
    name = "rouge"
    Options = RougeOptions

    def __init__(self, profile: TextProfile, options: RougeOptions | None = None, **legacy):
        super().__init__(profile, options, **legacy)
        split = self.options.sentence_split
        if profile.name == "xlsum" and split == "ar":
            raise ConfigError("profile xlsum splits ROUGE-Lsum sentences at newlines, as "
                              "XL-Sum's scorer does: leave the sentence split out, or "
                              "score with profile ar")
        self.split = split or ("newline" if profile.name == "xlsum" else "ar")

    def keys(self) -> list[str]:
        return [f"{kind}_{part}" for kind in ROUGE_TYPES for part in ("p", "r", "f")]

    def signature(self) -> Signature:
        return Signature.of(("rouge", VERSION), ("defs", "rouge-score-0.1.2"),
                            self.profile.signature(), split=SENTENCE_SPLITS[self.split],
                            multiref="max-f" if self.options.multiref == "max" else "mean",
                            version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        if self.profile.tokenizer is not None:  # its class name does not pin its output
            return None
        return Signature.of(("rouge-analysis", VERSION), self.profile.signature(),
                            split=SENTENCE_SPLITS[self.split])

    def prepare(self, *, references: Sequence[str], source: str | None) -> list[RougeSide]:
        return [analyse_text(reference, self.profile, split=self.split)
                for reference in references]

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item: ItemInput, prepared: list[RougeSide]) -> dict[str, Any]:
        prediction = self._prediction_side(item.prediction)
        per_reference = [score_sides(reference, prediction) for reference in prepared]
        values: dict[str, Any] = {}
        multiref = self.options.multiref
        alone = per_reference[0] if len(per_reference) == 1 and multiref == "max" else None
        for index, (p, r, f) in enumerate(_KEYS):  # (one reference, max: `combine`'s own)
            score = (alone[index] if alone is not None else
                     combine([scores[index] for scores in per_reference], multiref))
            values[p] = score.precision
            values[r] = score.recall
            values[f] = score.fmeasure
        return values

    def _prediction_side(self, text: str) -> RougeSide:
        """The prediction as `score_sides` reads it. Split ``ar`` outside profile
        ``xlsum``, its sentences' tokens are those of the split that length, bullets and
        extractiveness remember (`sentence_tokens`: the same tokens, made once)."""
        if self.split == "ar" and self.profile.name != "xlsum":
            return RougeSide([tokens for _, tokens in sentence_tokens(self.profile, text)])
        return analyse_text(text, self.profile, split=self.split)


def combine(scores: Sequence[Score], multiref: str) -> Score:
    """One type's scores against each reference -> the item's: the first with the
    highest F (``max``, rouge-score's ``score_multi``), or P, R and F each averaged
    over the references (``mean``). No reference: 0."""
    if not scores:
        return ZERO
    if multiref == "mean":
        count = len(scores)
        return Score(precision=sum(s.precision for s in scores) / count,
                     recall=sum(s.recall for s in scores) / count,
                     fmeasure=sum(s.fmeasure for s in scores) / count)
    best = scores[0]
    for score in scores[1:]:
        if score.fmeasure > best.fmeasure:
            best = score
    return best


def analyse_text(text: str, profile: TextProfile, *, split: str = "ar") -> RougeSide:
    """`text` split into sentences and tokenized once, ready for `score_sides`. Under
    profile ``xlsum``, ROUGE-1/2/L count the tokens of the whole text and ROUGE-Lsum its
    lines' own tokens, as XL-Sum's scorer does."""
    sentences = profile.sentence_tokens(text, split=split)
    if profile.name == "xlsum":
        return RougeSide(sentences, tokens=profile.tokenize(text))
    return RougeSide(sentences)


def score_texts(*, reference: str, prediction: str, profile: TextProfile,
                split: str | None = None) -> dict[str, Score]:
    """All four ROUGE scores of one prediction against one reference text (sentences
    for Lsum: see `RougeOptions`)."""
    split = split or ("newline" if profile.name == "xlsum" else "ar")
    scores = score_sides(analyse_text(reference, profile, split=split),
                         analyse_text(prediction, profile, split=split))
    return dict(zip(ROUGE_TYPES, scores))
