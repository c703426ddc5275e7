"""chrF++ (Popović 2017) as sacrebleu computes it, on normalized text (DESIGN §6).

Both sides go through the profile's normalization (``ar``: NFKC, tashkeel, alef forms,
digits, casefold ...), with lines joined by spaces; `benchmark.kernels.chrf` then does
what sacrebleu's ``CHRF(word_order=2)`` does, with identical numbers (character
1-6-grams without spaces, word 1-2-grams with punctuation split off, beta 2, effective
order; ``eps_smoothing`` and ``whitespace`` are sacrebleu's switches of those names).
Per item:

- ``chrf``: sacrebleu's sentence-level chrF++ / 100 (in [0, 1]); with several
  references, sacrebleu's own rule: the reference with the best F (``multiref="max"``),
  or the mean of the chrF against each reference (``multiref="mean"``);
- ``chrf_stats``: the item's n-gram match statistics (sacrebleu's segment statistics),
  kept so the corpus value is computed from stored items; with ``multiref="mean"``, the
  statistics against each reference averaged (so ``chrf_corpus`` is one F over the
  statistics expected from a reference drawn at random).

`aggregate` adds ``chrf_corpus``: sacrebleu's corpus-level chrF++ / 100 (statistics
summed over items, then one F), which is what ``sacrebleu.corpus_score`` prints.
The signature keeps sacrebleu's own (``case|eff|nc|nw|space|version``) inside ours.

Nothing is kept in the dataset analysis: the kernel counts n-grams per pair of texts,
so a reference's own analysis is its normalized characters and words, about 10 µs a
reference (0.04 s for all 3,797 BBC references, against 0.01 s to unpickle them:
`benchmarks/bench_analysis_store.py`), not worth a store entry.
"""

from __future__ import annotations

import functools
from itertools import islice
from typing import Any, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.kernels.chrf import ChrF, ChrFText
from benchmark.metrics.base import ItemInput, Metric, mean_defined
from benchmark.metrics.multiref import MultiRefOptions
from benchmark.signature import Signature

VERSION = "v1"


class ChrFOptions(MultiRefOptions):
    char_order: int = Field(6, ge=1, description="character n-gram order")
    word_order: int = Field(2, ge=0, description="word n-gram order (2: chrF++, 0: chrF)")
    beta: int = Field(2, ge=1, description="recall weight")
    eps_smoothing: bool = Field(False, description="average the F of every order with "
                                "epsilon smoothing (chrF++.py, Moses, NLTK) instead of "
                                "sacrebleu's effective order")
    whitespace: bool = Field(False, description="keep whitespace in character n-grams")


@functools.lru_cache(maxsize=8)
def sacrebleu_signature(options: ChrFOptions) -> Signature:
    """sacrebleu's chrF signature for these options, without ``nrefs`` (ours says how
    references are used); sacrebleu is imported only here."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF(char_order=options.char_order, word_order=options.word_order,
                beta=options.beta, whitespace=options.whitespace,
                eps_smoothing=options.eps_smoothing)
    chrf.sentence_score("a", ["a"])  # sacrebleu fills its signature on first use
    theirs = Signature.parse(str(chrf.get_signature()))
    return Signature(tuple(field for field in theirs.fields if field[0] != "nrefs"),
                     theirs.version)


class ChrFMetric(Metric):
    name = "chrf"
    Options = ChrFOptions

    @functools.cached_property
    def _chrf(self) -> ChrF:
        o = self.options
        return ChrF(char_order=o.char_order, word_order=o.word_order, beta=o.beta,
                    whitespace=o.whitespace, eps_smoothing=o.eps_smoothing)

    def keys(self) -> list[str]:
        return ["chrf"]

    def prepare(self, text: str) -> str:
        """What sacrebleu sees: the normalized text on one line."""
        return " ".join(self.profile.normalize(text).split())

    def signature(self) -> Signature:
        return Signature.of(("chrf", VERSION), self.profile.signature(), lines="joined",
                            multiref="best-f" if self.options.multiref == "max" else "mean",
                            sacrebleu=self.sacrebleu_signature(),
                            version=__version__)

    def sacrebleu_signature(self) -> Signature:
        """sacrebleu's signature without ``nrefs`` (ours says how references are used)."""
        return sacrebleu_signature(self.options)

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_batch([item])[0]

    def score_batch(self, items: Sequence[ItemInput], *,
                    ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The items' values, their pairs counted together (`ChrF.statistics_of_many`)."""
        chrf = self._chrf
        hypotheses = [self._analysed(item.prediction) for item in items]
        references = [[self._analysed(text) for text in item.references] for item in items]
        if self.options.multiref == "max":
            return [{"chrf": self.from_statistics(stats), "chrf_stats": stats}
                    for stats in chrf.statistics_of_many(hypotheses, references)]
        # mean: several references each alone (one or none: as max)
        groups = [[refs] if len(refs) < 2 else [[ref] for ref in refs] for refs in references]
        counted = iter(chrf.statistics_of_many(
            [hyp for hyp, group in zip(hypotheses, groups) for _ in group],
            [refs for group in groups for refs in group]))
        values = []
        for group in groups:
            each = list(islice(counted, len(group)))
            if len(group) == 1:
                values.append({"chrf": self.from_statistics(each[0]), "chrf_stats": each[0]})
                continue
            scores = [self.from_statistics(stats) for stats in each]
            values.append({"chrf": sum(scores) / len(scores),
                           "chrf_stats": [sum(column) / len(each) for column in zip(*each)]})
        return values

    def _analysed(self, text: str) -> ChrFText:
        """What the kernel sees of `text`: `prepare`'s text, analysed without joining
        and splitting it again."""
        return self._chrf.analyse_split(self.profile.normalize(text).split())

    def statistics(self, hypothesis: str, references: Sequence[str]) -> list[int]:
        """sacrebleu's per-segment statistics (best reference by F)."""
        return self._chrf.statistics(hypothesis, references)

    def from_statistics(self, stats: Sequence[int]) -> float:
        return self._chrf.score(stats) / 100

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        summary = {"chrf": mean_defined(item.get("chrf") for item in items)}
        rows = [item["chrf_stats"] for item in items if item.get("chrf_stats")]
        summed = [sum(column) for column in zip(*rows)]
        summary["chrf_corpus"] = self.from_statistics(summed) if summed else float("nan")
        return summary
