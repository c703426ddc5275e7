"""chrF of many pairs at once (`ChrF.statistics_of_many`, what the chrf metric's
`score_batch` calls): the characters of every pair numbered in one pass and the word
n-grams of every pair counted together in numpy must give each pair exactly what
`ChrF.statistics` gives it alone, and sacrebleu's statistics: on generated batches with
every option (repeats, empty texts, several references, words over a text's end that
would match if the texts ran together), on alphabets too large to number together, and
on every BBC pair; and the metric's batches against its items one at a time."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from benchmark.kernels import chrf as chrf_module
from benchmark.kernels.chrf import ChrF
from benchmark.metrics.base import ItemInput
from benchmark.metrics.chrf import ChrFMetric
from benchmark.text import get_profile, split_sentences

TEXT = st.text(alphabet=st.sampled_from(list("abب ا.,(") + ["\xa0", "中"]), max_size=30)
OPTIONS = st.fixed_dictionaries({
    "char_order": st.integers(1, 6), "word_order": st.integers(0, 2), "beta": st.integers(1, 3),
    "whitespace": st.booleans(), "lowercase": st.booleans()})


def sacrebleu_statistics(hypothesis: str, references: list[str], **options) -> list[int]:
    [stats] = CHRF(**options)._extract_corpus_statistics([hypothesis], [[r] for r in references])
    return list(stats)


@pytest.mark.parametrize("numpy_from", [0, 48, None])
@settings(max_examples=150, deadline=None)
@given(batch=st.lists(st.tuples(TEXT, st.lists(TEXT, min_size=1, max_size=3)),
                      min_size=1, max_size=6),
       options=OPTIONS)
def test_many_equal_one_by_one_and_sacrebleu(numpy_from, batch, options):
    chrf = ChrF(**options, numpy_from=numpy_from)
    got = chrf.statistics_of_many([h for h, _ in batch], [refs for _, refs in batch])
    assert got == [chrf.statistics(h, refs) for h, refs in batch]
    assert got == [sacrebleu_statistics(h, refs, **options) for h, refs in batch]


def test_a_word_pair_over_the_texts_end_does_not_match():
    """Pair 0 ends with 'x' and pair 1 starts with 'y' on both sides: run together, the
    word bigram 'x y' and the character bigram 'xy' would be on both sides; each text
    ends with its side's separator, so neither is counted. Each pair: characters a, x
    against c, x (one unigram shared, no bigram), words the same."""
    chrf = ChrF(char_order=2, word_order=2, numpy_from=0)
    hyps, refs = ["a x", "y b"], [["c x"], ["y d"]]
    expected = [[2, 2, 1, 1, 1, 0, 2, 2, 1, 1, 1, 0]] * 2
    assert chrf.statistics_of_many(hyps, refs) == expected
    assert [sacrebleu_statistics(h, r, char_order=2, word_order=2)
            for h, r in zip(hyps, refs)] == expected


def test_an_alphabet_too_large_to_number_together(monkeypatch):
    """Two pairs of 1,000 distinct characters each (2,000 together: 2003**6 does not fit
    in 63 bits): each pair numbers its own characters, as `statistics` does."""
    numbered: list[int] = []
    per_pair = chrf_module._char_codes

    def spy(np, hyp, ref):
        numbered.append(len(hyp) + len(ref))
        return per_pair(np, hyp, ref)

    monkeypatch.setattr(chrf_module, "_char_codes", spy)
    first = "".join(chr(0x4E00 + i) for i in range(1000))
    second = "".join(chr(0x6000 + i) for i in range(1000))
    hyps, refs = [first, second[::-1]], [[first[::3] + first[:40]], [second[5:300]]]
    chrf = ChrF(word_order=0)
    got = chrf.statistics_of_many(hyps, refs)
    assert got == [sacrebleu_statistics(h, r, word_order=0) for h, r in zip(hyps, refs)]
    assert len(numbered) == 3  # the batch, then each pair on its own


def _bbc_items(shared_dir, lead: int) -> list[ItemInput]:
    items = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            prediction = "\n".join(split_sentences(record["article"])[:lead])
            items.append(ItemInput(prediction=prediction, references=[record["summary"]]))
    return items


@pytest.mark.parametrize("lead", [1, 3])
def test_every_bbc_pair_in_batches_equals_sacrebleu(shared_dir, lead):
    """Every BBC pair, in the harness's batches of 64: the statistics sacrebleu gives the
    same normalized texts, and the metric's values those of its items one at a time
    (each pair alone: the per-pair path)."""
    items = _bbc_items(shared_dir, lead)
    metric = ChrFMetric(get_profile("ar"))
    batched = [values for start in range(0, len(items), 64)
               for values in metric.score_batch(items[start:start + 64])]
    hyps = [metric.prepare(item.prediction) for item in items]
    refs = [metric.prepare(item.references[0]) for item in items]
    expected = CHRF(word_order=2)._extract_corpus_statistics(hyps, [refs])
    assert [values["chrf_stats"] for values in batched] == [list(stats) for stats in expected]
    assert batched[:500] == [metric.score_item(item) for item in items[:500]]


@pytest.mark.parametrize("multiref", ["max", "mean"])
def test_several_references_in_a_batch(shared_dir, multiref):
    """Items with three, two, one and no references in one batch: each item's values
    are those it gets alone, and with ``max`` sacrebleu's best reference."""
    items = _bbc_items(shared_dir, 1)[:8]
    summaries = [item.references[0] for item in items]
    batch = [ItemInput(prediction=items[0].prediction, references=summaries[1:4]),
             ItemInput(prediction=items[1].prediction, references=[summaries[1], summaries[5]]),
             ItemInput(prediction=items[2].prediction, references=[summaries[2]]),
             ItemInput(prediction=items[3].prediction, references=[]),
             ItemInput(prediction="", references=[summaries[4], summaries[6]])]
    metric = ChrFMetric.create(get_profile("ar"), {"multiref": multiref})
    alone = []
    for item in batch:  # the code before batching, item by item
        hypothesis = metric.prepare(item.prediction)
        references = [metric.prepare(text) for text in item.references]
        if multiref == "max" or len(references) < 2:
            stats = metric.statistics(hypothesis, references)
            alone.append({"chrf": metric.from_statistics(stats), "chrf_stats": stats})
            continue
        each = [metric.statistics(hypothesis, [reference]) for reference in references]
        scores = [metric.from_statistics(stats) for stats in each]
        alone.append({"chrf": sum(scores) / len(scores),
                      "chrf_stats": [sum(column) / len(each) for column in zip(*each)]})
    assert metric.score_batch(batch) == alone
    if multiref == "max":
        hyp = metric.prepare(batch[0].prediction)
        refs = [metric.prepare(text) for text in batch[0].references]
        assert alone[0]["chrf_stats"] == sacrebleu_statistics(hyp, refs, word_order=2)
