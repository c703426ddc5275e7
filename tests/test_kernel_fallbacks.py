"""The kernels' pure-Python paths give the numbers of the compiled ones.

ROUGE-L's LCS length runs in rapidfuzz's C code when rapidfuzz is there, else in pure
Python (Hyyrö's bit vectors). Both must equal rouge-score on generated token lists
(ties, repeats, texts past the 60-token switch) and on real BBC pairs.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer as rs

from benchmark.kernels import RougeSide, lcs_length, score_sides
from benchmark.kernels import lcs as lcs_module
from benchmark.text import TextProfile

WORDS = st.sampled_from(["ا", "ب", "ج", "في", "من"])
SENTENCES = st.lists(st.lists(WORDS, max_size=30), min_size=1, max_size=4)


@pytest.fixture
def pure_python(monkeypatch):
    monkeypatch.setattr(lcs_module, "_rapidfuzz_lcs", None)


def theirs(reference, prediction):
    flat_ref = [t for s in reference for t in s]
    flat_pred = [t for s in prediction for t in s]
    return [tuple(score) for score in (
        rs._score_ngrams(rs._create_ngrams(flat_ref, 1), rs._create_ngrams(flat_pred, 1)),
        rs._score_ngrams(rs._create_ngrams(flat_ref, 2), rs._create_ngrams(flat_pred, 2)),
        rs._score_lcs(flat_ref, flat_pred),
        rs._summary_level_lcs(reference, prediction))]


def ours(reference, prediction):
    return [tuple(score) for score in score_sides(RougeSide(reference), RougeSide(prediction))]


@settings(max_examples=300, deadline=None)
@given(SENTENCES, SENTENCES)
def test_pure_python_path_equals_rouge_score(reference, prediction):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lcs_module, "_rapidfuzz_lcs", None)
        assert ours(reference, prediction) == theirs(reference, prediction)
    assert ours(reference, prediction) == theirs(reference, prediction)  # and rapidfuzz's


def test_pure_python_lcs_past_2_to_the_61(pure_python):
    """The fallback works on the masks themselves: no hash, no collision at 2**61."""
    assert lcs_length(["a"] + ["x"] * 60 + ["b"], ["b", "a"]) == 1


def test_pure_python_path_on_real_bbc_pairs(shared_dir, pure_python):
    profile = TextProfile()
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for _, line in zip(range(300), handle):
            record = json.loads(line)
            reference = [profile.tokenize(s) for s in profile.sentences(record["summary"])]
            prediction = [profile.tokenize(s) for s in profile.sentences(record["article"])[:3]]
            assert ours(reference, prediction) == theirs(reference, prediction)
