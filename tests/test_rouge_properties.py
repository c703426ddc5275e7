"""Invariants of the ROUGE kernels, checked on generated token lists (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from benchmark.kernels import lcs_indices, lcs_length, rouge_l, rouge_lsum, rouge_n
from benchmark.text import normalize_arabic

WORDS = st.sampled_from(["كتب", "الولد", "في", "سوريا", "2025", "عام", "و", "من"])
TOKENS = st.lists(WORDS, max_size=25)
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=8), max_size=5)


def dp_lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = (table[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1]
                           else max(table[i - 1][j], table[i][j - 1]))
    return table[-1][-1]


@given(TOKENS, TOKENS)
def test_bit_parallel_lcs_equals_dynamic_programming(a, b):
    assert lcs_length(a, b) == dp_lcs(a, b)


@given(TOKENS, TOKENS)
def test_scores_in_unit_interval_and_swap_exchanges_precision_recall(a, b):
    for n in (1, 2):
        forward, backward = rouge_n(reference=a, prediction=b, n=n), rouge_n(reference=b, prediction=a, n=n)
        assert 0 <= forward.fmeasure <= 1
        assert forward.precision == backward.recall and forward.recall == backward.precision
    forward, backward = rouge_l(reference=a, prediction=b), rouge_l(reference=b, prediction=a)
    assert forward.precision == backward.recall and forward.fmeasure == backward.fmeasure


@given(st.lists(WORDS, min_size=1, max_size=25))
def test_identical_token_lists_score_one(a):
    assert rouge_n(reference=a, prediction=a, n=1).fmeasure == 1
    assert rouge_l(reference=a, prediction=a).fmeasure == 1
    assert rouge_lsum(reference=[a], prediction=[a]).fmeasure == 1


class _Split:
    """Tokenizer for rouge-score: whitespace split of already-tokenized text."""

    def tokenize(self, text):
        return text.split()


@settings(max_examples=200)
@given(SENTENCES, SENTENCES)
def test_lsum_equals_rouge_score_on_random_sentences(ref, pred):
    theirs = rouge_scorer.RougeScorer(["rougeLsum", "rougeL", "rouge2"], tokenizer=_Split())
    got = theirs.score("\n".join(" ".join(s) for s in ref), "\n".join(" ".join(s) for s in pred))
    flat_ref = [t for s in ref for t in s]
    flat_pred = [t for s in pred for t in s]
    ours = {"rougeLsum": rouge_lsum(reference=ref, prediction=pred),
            "rougeL": rouge_l(reference=flat_ref, prediction=flat_pred),
            "rouge2": rouge_n(reference=flat_ref, prediction=flat_pred, n=2)}
    for kind, score in ours.items():
        assert (score.precision, score.recall, score.fmeasure) == tuple(got[kind]), kind


@given(st.text(alphabet=st.sampled_from(list("ابتةىأإآٱـًٌٍَُِّْٰ٠١٢۳ کیAbC .،\u200f")), max_size=40))
def test_normalization_is_idempotent(text):
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


# Few distinct words and long sentences: many LCS of equal length, so ROUGE-Lsum
# depends on rouge-score's tie-breaking (which LCS its read-out picks).
FEW = st.sampled_from(["ا", "ب", "ج"])
TIED = st.lists(st.lists(FEW, min_size=0, max_size=14), max_size=4)


@settings(max_examples=400)
@given(st.lists(FEW, max_size=20), st.lists(FEW, max_size=20))
def test_lcs_indices_pick_rouge_scores_lcs_on_ties(reference, candidate):
    assert lcs_indices(reference, candidate) == rouge_scorer.lcs_ind(reference, candidate)


@settings(max_examples=400)
@given(TIED, TIED)
def test_lsum_equals_rouge_score_with_ties(ref, pred):
    got = rouge_scorer._summary_level_lcs(ref, pred)
    ours = rouge_lsum(reference=ref, prediction=pred)
    assert (ours.precision, ours.recall, ours.fmeasure) == tuple(got)
