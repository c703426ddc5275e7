"""chrF++: hand-computed cases, and agreement with sacrebleu called directly on the same
normalized strings (sentence level and corpus level, on real articles)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import Scorer
from benchmark.errors import ConfigError
from benchmark.text import get_profile

GOLDEN = [
    # (why, options, prediction, reference, expected chrf)
    ("identical text", {}, "ذهب الولد إلى المدرسة", "ذهب الولد إلى المدرسة", 1.0),
    ("identical after normalization (tashkeel, alef forms, taa marbuta, digits)", {},
     "ذَهَبَ أحمد إلى المدرسة ٢٠٢٥", "ذهب احمد الي المدرسه 2025", 1.0),
    ("no character in common", {}, "ذهب", "abc", 0.0),
    ("character unigrams only: a, b against a, c: P = R = 1/2, F = 1/2",
     {"char_order": 1, "word_order": 0}, "ab", "ac", 0.5),
    ("character and word unigrams: P = 1 and R = 1/2 at both orders, so "
     "F2 = 5 * 1 * 1/2 / (4 * 1 + 1/2) = 5/9",
     {"char_order": 1, "word_order": 1}, "ab", "ab cd", 5 / 9),
]


@pytest.mark.parametrize("why, options, prediction, reference, expected", GOLDEN,
                         ids=[row[0][:40] for row in GOLDEN])
def test_chrf_golden(why, options, prediction, reference, expected):
    scorer = Scorer(["chrf"], metric_options={"chrf": options})
    value = scorer.score_item(prediction=prediction, reference=reference)["chrf"]
    assert value == pytest.approx(expected)


def test_plain_sacrebleu_misses_what_normalization_matches():
    """Why normalize first: on raw text, tashkeel alone costs sacrebleu points."""
    from sacrebleu.metrics import CHRF

    raw = CHRF(word_order=2).sentence_score("ذَهَبَ الوَلَدُ", ["ذهب الولد"]).score
    ours = Scorer(["chrf"]).score_item(prediction="ذَهَبَ الوَلَدُ",
                                       reference="ذهب الولد")["chrf"]
    assert raw < 60 and ours == 1.0


def test_unknown_or_bad_option_is_an_error():
    with pytest.raises(ConfigError, match="metric chrf: unknown option 'order'"):
        Scorer(["chrf"], metric_options={"chrf": {"order": 3}})
    with pytest.raises(ConfigError, match="option 'beta'"):
        Scorer(["chrf"], metric_options={"chrf": {"beta": 0}})


def test_signature_keeps_sacrebleus_own():
    signature = Scorer(["chrf"]).signature
    assert "sacrebleu[case:mixed|eff:yes|nc:6|nw:2|space:no|version:" in signature
    assert signature.startswith("chrf:v1|norm:ar.v1|")


def _bbc(shared_dir, n):
    rows = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            rows.append(record)
            if len(rows) == n:
                break
    return rows


def test_agrees_with_sacrebleu_on_real_articles(shared_dir):
    from sacrebleu.metrics import CHRF

    rows = _bbc(shared_dir, 150)
    predictions = [row["article"].split("\n")[0] for row in rows]  # the first paragraph
    references = [row["summary"] for row in rows]
    report = Scorer(["chrf"]).score(predictions=predictions, references=references)

    profile = get_profile("ar")
    prepare = lambda text: " ".join(profile.normalize(text).split())  # noqa: E731
    hyps, refs = [prepare(p) for p in predictions], [prepare(r) for r in references]
    direct = CHRF(word_order=2)
    for item, hyp, ref in zip(report.items, hyps, refs):
        assert item["chrf"] * 100 == pytest.approx(direct.sentence_score(hyp, [ref]).score,
                                                   abs=1e-9)
    expected_corpus = CHRF(word_order=2).corpus_score(hyps, [refs]).score
    assert report.summary["chrf_corpus"] * 100 == pytest.approx(expected_corpus, abs=1e-9)
    sentence_mean = sum(item["chrf"] for item in report.items) / len(report.items)
    assert report.summary["chrf"] == pytest.approx(sentence_mean)


def test_several_references_take_sacrebleus_best(shared_dir):
    from sacrebleu.metrics import CHRF

    rows = _bbc(shared_dir, 3)
    prediction = rows[0]["article"].split("\n")[0]
    references = [rows[1]["summary"], rows[0]["summary"], rows[2]["summary"]]
    profile = get_profile("ar")
    prepare = lambda text: " ".join(profile.normalize(text).split())  # noqa: E731
    expected = CHRF(word_order=2).sentence_score(prepare(prediction),
                                                 [prepare(r) for r in references]).score
    value = Scorer(["chrf"]).score_item(prediction=prediction,
                                        reference=[[r] for r in references])["chrf"]
    assert value * 100 == pytest.approx(expected, abs=1e-9)

arabic_words = st.lists(st.sampled_from(["ذهب", "الولد", "إلى", "المدرسة", "٢٠٢٥", "قالَ"]),
                        min_size=1, max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(prediction=arabic_words, reference=arabic_words)
def test_properties(prediction, reference):
    scorer = Scorer(["chrf"])
    value = scorer.score_item(prediction=prediction, reference=reference)["chrf"]
    assert 0.0 <= value <= 1.0
    assert scorer.score_item(prediction=reference, reference=reference)["chrf"] == \
        pytest.approx(1.0)
