"""Bullet coverage: hand-computed tables (each row says why) and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import Scorer
from benchmark.metrics.bullets import score_bullets

GOLDEN = [
    # (why, reference, prediction, expected numbers, missed, unmatched)
    ("each bullet said by one prediction sentence: everything 1",
     "الجيش ينسحب من المدينة\nالحكومة تعلن خطة", "الحكومة تعلن خطة. الجيش ينسحب من المدينة.",
     (1.0, 1.0, 1.0), [], []),
    ("bullet 1: 3 of its 4 tokens in sentence 1 (0.75, covered); bullet 2: 1 of 3 "
     "(below 0.5, missed); recall (0.75 + 1/3) / 2; sentence 2 'الطقس جميل' matches no "
     "bullet, sentence 1 is 3/3 inside bullet 1",
     "الجيش ينسحب من المدينة\nالحكومة تعلن خطة", "الجيش ينسحب المدينة. الطقس جميل خطة",
     ((0.75 + 1 / 3) / 2, 0.5, 0.5), ["الحكومة تعلن خطة"], ["الطقس جميل خطة"]),
    ("best sentence per bullet, not the whole prediction: tokens spread over two "
     "sentences (2 + 2 of 4) cover half the bullet at most",
     "الجيش ينسحب من المدينة", "الجيش ينسحب. من المدينة.",
     (0.5, 1.0, 1.0), [], []),
    ("exactly at the threshold counts as covered: 1 of 2 tokens",
     "الجيش ينسحب", "الجيش يتقدم",
     (0.5, 1.0, 1.0), [], []),
    ("a sentence is supported by its precision: 1 of its 3 tokens in the bullet is "
     "below 0.5, though it covers the 1-token bullet fully",
     "الجيش", "الجيش يتقدم بسرعة",
     (1.0, 1.0, 0.0), [], ["الجيش يتقدم بسرعة"]),
    ("one reference line holding two sentences gives two bullets",
     "الجيش ينسحب. الحكومة تعلن.", "الجيش ينسحب",
     (0.5, 0.5, 1.0), ["الحكومة تعلن."], []),
    ("an empty prediction covers nothing; its precision is undefined",
     "الجيش ينسحب", "",
     (0.0, 0.0, None), ["الجيش ينسحب"], []),
]


@pytest.mark.parametrize("why, reference, prediction, numbers, missed, unmatched", GOLDEN,
                         ids=[row[0][:40] for row in GOLDEN])
def test_bullets_golden(why, reference, prediction, numbers, missed, unmatched):
    values = Scorer(["bullets"]).score_item(prediction=prediction, reference=reference)
    got = (values["bullet_recall"], values["bullets_covered"], values["bullet_precision"])
    assert got == pytest.approx(numbers)
    assert values["bullets_missed"] == missed
    assert values["bullets_unmatched"] == unmatched


def test_threshold_is_an_option():
    values = Scorer(["bullets"], metric_options={"bullets": {"threshold": 0.8}}).score_item(
        prediction="الجيش ينسحب المدينة", reference="الجيش ينسحب من المدينة")
    assert values["bullets_covered"] == 0.0  # 0.75 < 0.8
    assert "t:0.8" in Scorer(["bullets"], metric_options={"bullets": {"threshold": 0.8}}
                             ).signature


def test_bullets_given_as_a_list_and_several_references():
    scorer = Scorer(["bullets"])
    as_list = scorer.score_item(prediction="الجيش ينسحب", reference=["الجيش ينسحب", "خطة"])
    assert as_list["bullet_recall"] == 0.5
    # Two references: the one with the higher recall (the second) is used.
    multi = scorer.score_item(prediction="الجيش ينسحب",
                              reference=[["الحكومة تعلن"], ["الجيش ينسحب"]])
    assert multi["bullet_recall"] == 1.0 and multi["bullets_missed"] == []


words = st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6)
bullets = st.lists(words, max_size=4)


@settings(max_examples=200, deadline=None)
@given(reference=bullets, prediction=bullets)
def test_properties(reference, prediction):
    ref = [(" ".join(tokens), tokens) for tokens in reference]
    pred = [(" ".join(tokens), tokens) for tokens in prediction]
    values = score_bullets(reference=ref, prediction=pred)
    for key in ("bullet_recall", "bullets_covered", "bullet_precision"):
        assert values[key] is None or 0.0 <= values[key] <= 1.0
    if ref:
        assert len(values["bullets_missed"]) == round(len(ref) * (1 - values["bullets_covered"]))
    # A prediction that repeats every reference bullet covers them all.
    if ref:
        assert score_bullets(reference=ref, prediction=ref)["bullets_covered"] == 1.0
        assert score_bullets(reference=ref, prediction=ref)["bullet_precision"] == 1.0


def rouge1_reference_scores(*, reference, prediction, threshold=0.5):
    """The bullet values through the ROUGE-1 kernel (`score_ngram_counts` on unigram
    count tables), as the metric first computed them: the reference it must equal."""
    from benchmark.kernels import ngram_counts, score_ngram_counts

    pair = [[score_ngram_counts(reference=ngram_counts(r, 1), prediction=ngram_counts(p, 1))
             for _, p in prediction] for _, r in reference]
    recall = [max((score.recall for score in row), default=0.0) for row in pair]
    precision = [max((pair[i][j].precision for i in range(len(reference))), default=0.0)
                 for j in range(len(prediction))]
    return {
        "bullet_recall": sum(recall) / len(recall) if recall else None,
        "bullets_covered": sum(v >= threshold for v in recall) / len(recall) if recall else None,
        "bullet_precision": (sum(v >= threshold for v in precision) / len(precision)
                             if precision else None),
        "bullets_missed": [t for (t, _), v in zip(reference, recall) if v < threshold],
        "bullets_unmatched": [t for (t, _), v in zip(prediction, precision) if v < threshold],
    }


def test_the_counted_bullets_equal_the_rouge1_kernel_on_bbc(bbc_head):
    """Reference bullets of real items against lead-1, lead-3 and the summary itself:
    the values the ROUGE-1 kernel gives, to the bit (==, not approx)."""
    from benchmark.data import load_examples
    from benchmark.metrics.base import sentence_tokens
    from benchmark.text import get_profile, split_sentences

    profile = get_profile("ar")

    def split(text):
        return [(s, t) for s, t in sentence_tokens(profile, text) if t]

    for example in load_examples(bbc_head(300)).examples:
        reference = split(example.summary)
        for prediction in (" ".join(split_sentences(example.article)[:1]),
                           "\n".join(split_sentences(example.article)[:3]), example.summary):
            for threshold in (0.5, 0.3):
                assert score_bullets(reference=reference, prediction=split(prediction),
                                     threshold=threshold) == rouge1_reference_scores(
                    reference=reference, prediction=split(prediction), threshold=threshold)
