"""The chrF kernel against sacrebleu's ``CHRF`` on generated strings, every option:
statistics (per order: hypothesis, reference and match counts), the reference picked
among several, and the score, all bit for bit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from benchmark.kernels.chrf import ChrF, split_punctuation

# Few characters, spaces and punctuation: repeated n-grams on both sides, and words that
# sacrebleu's punctuation split cuts.
TEXT = st.text(alphabet=st.sampled_from(list("abب ا.,(")), max_size=40)
OPTIONS = st.fixed_dictionaries({
    "char_order": st.integers(1, 6), "word_order": st.integers(0, 2), "beta": st.integers(1, 3),
    "eps_smoothing": st.booleans(), "whitespace": st.booleans(), "lowercase": st.booleans()})


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(TEXT, min_size=1, max_size=3), OPTIONS)
def test_equals_sacrebleu(hypothesis, references, options):
    ours, theirs = ChrF(**options), CHRF(**options)
    [expected] = theirs._extract_corpus_statistics([hypothesis], [[r] for r in references])
    got = ours.statistics(hypothesis, references)
    assert got == list(expected)
    assert ours.score(got) == theirs._compute_score_from_stats(list(expected)).score


def test_a_prepared_reference_scores_like_its_text():
    chrf = ChrF()
    reference = "ذهب الولد إلى المدرسة"
    prepared = chrf.analyse(reference)
    for hypothesis in ("ذهب الولد", "المدرسة بعيدة", ""):
        assert chrf.statistics(hypothesis, [prepared]) == chrf.statistics(hypothesis, [reference])


def test_punctuation_split_golden():
    """sacrebleu's rule, bug included (issue #124): one mark off the end, else the start."""
    assert split_punctuation("(hi) a, .b ok") == ["(hi", ")", "a", ",", ".", "b", "ok"]
