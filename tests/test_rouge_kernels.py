"""The bit-mask ROUGE kernels against rouge-score 0.1.2, on the cases where their paths
split: repeated tokens (clipping), ties (which LCS Lsum's read-out picks), empty texts
and sentences, bigrams across sentence boundaries, several reference sentences (the
double-count guard), and references longer than 60 and 256 tokens (other code paths
for the LCS codes and the mask table)."""

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer as rs

from benchmark.kernels import RougeSide, lcs_length, rouge_l, rouge_lsum, rouge_n, score_sides


def theirs(reference, prediction):
    """rouge-score's four scores on sentence token lists (flat for ROUGE-1/2/L, as its
    `score` tokenizes the whole text)."""
    flat_ref = [t for s in reference for t in s]
    flat_pred = [t for s in prediction for t in s]
    return [tuple(score) for score in (
        rs._score_ngrams(rs._create_ngrams(flat_ref, 1), rs._create_ngrams(flat_pred, 1)),
        rs._score_ngrams(rs._create_ngrams(flat_ref, 2), rs._create_ngrams(flat_pred, 2)),
        rs._score_lcs(flat_ref, flat_pred),
        rs._summary_level_lcs(reference, prediction))]


def ours(reference, prediction):
    return [tuple(score) for score in score_sides(RougeSide(reference), RougeSide(prediction))]


# Three words: many repeats and many LCS of equal length. Sentences may be empty.
FEW = st.sampled_from(["ا", "ب", "ج"])
TIED = st.lists(st.lists(FEW, max_size=12), max_size=4)
# Longer texts (up to 200 tokens) cross the 60-token switch of the LCS codes.
LONG = st.lists(st.lists(st.sampled_from(["في", "من", "الولد", "كتب", "2025"]),
                         max_size=40), min_size=1, max_size=5)


@settings(max_examples=500)
@given(TIED, TIED)
def test_four_types_equal_rouge_score_with_ties_repeats_and_empty_sentences(ref, pred):
    assert ours(ref, pred) == theirs(ref, pred)


@settings(max_examples=150)
@given(LONG, LONG)
def test_four_types_equal_rouge_score_on_long_texts(ref, pred):
    assert ours(ref, pred) == theirs(ref, pred)


@pytest.mark.parametrize("seed", range(6))
def test_four_types_equal_rouge_score_past_256_reference_tokens(seed):
    """Texts of 300-600 tokens from a 40-word vocabulary, several sentences each."""
    rng = np.random.default_rng(seed)

    def text():
        return [[f"w{k}" for k in rng.integers(0, 40, size=rng.integers(0, 150))]
                for _ in range(rng.integers(2, 7))]

    ref, pred = text(), text()
    assert ours(ref, pred) == theirs(ref, pred)


def test_masks_past_2_to_the_61_do_not_collide_in_the_lcs():
    """`a` at position 0 has mask 1, `b` at position 61 has mask 2**61, and Python hashes
    2**61 to 1: compared by hash they would match each other, and `b a` would share an
    LCS of 2 with the reference instead of 1."""
    ref = [["a"] + ["x"] * 60 + ["b"]]
    pred = [["b", "a"]]
    assert hash(2 ** 61) == hash(1)
    assert lcs_length(ref[0], pred[0]) == 1
    assert ours(ref, pred) == theirs(ref, pred)


@pytest.mark.parametrize("ref,pred,why", [
    ([["ا", "ا", "ب"]], [["ا", "ا", "ا", "ب", "ب"]],
     "ROUGE-1 clips: min(2, 3) + min(1, 2) = 3 hits of 5 predicted, 3 reference"),
    ([["ا", "ب", "ا", "ب"]], [["ا", "ب", "ا", "ب", "ا", "ب"]],
     "ROUGE-2 clips a repeated bigram: ا ب twice in the reference, 3 times predicted"),
    ([["ا"], ["ب"]], [["ا", "ب"]],
     "the bigram ا ب exists only across the reference's sentence boundary: it counts"),
    ([["ا", "ب"], ["ا", "ب"]], [["ا", "ب"]],
     "Lsum guard: both reference sentences match the one predicted ا ب, counted once"),
    ([["ا", "ب"]], [["ب"], ["ا"], ["ب", "ا"]],
     "Lsum union: one LCS per candidate sentence, positions 1, 0 and one of the tie"),
    ([[], ["ا"], []], [[], ["ا"]], "empty sentences on both sides change nothing"),
    ([], [["ا"]], "no reference sentences: all zero"),
    ([["ا"]], [], "no prediction sentences: all zero"),
    ([[]], [[]], "sentences without tokens: all zero"),
])
def test_hand_picked_cases_equal_rouge_score(ref, pred, why):
    assert ours(ref, pred) == theirs(ref, pred), why


@given(st.lists(FEW, max_size=20), st.lists(FEW, max_size=20))
def test_token_list_functions_equal_rouge_score(a, b):
    for n in (1, 2, 3):
        assert tuple(rouge_n(reference=a, prediction=b, n=n)) == tuple(
            rs._score_ngrams(rs._create_ngrams(a, n), rs._create_ngrams(b, n)))
    assert tuple(rouge_l(reference=a, prediction=b)) == tuple(rs._score_lcs(a, b))
    sentences = [a[:5], a[5:]], [b[:7], b[7:]]
    assert tuple(rouge_lsum(reference=sentences[0], prediction=sentences[1])) == tuple(
        rs._summary_level_lcs(*sentences))


def test_side_pickles_as_its_words_and_scores_the_same_after():
    """The dataset analysis stores prepared references: only the words travel, not the
    mask table built while scoring."""
    ref = RougeSide([["الجيش", "ينسحب"], ["الحكومة", "تعلن", "الجيش"]])
    pred = RougeSide([["الحكومة", "تعلن"], ["الجيش", "ينسحب", "اليوم"]])
    before = score_sides(ref, pred)
    copy = pickle.loads(pickle.dumps(ref))
    assert copy == ref and copy._masks is None
    assert score_sides(copy, pred) == before
