"""The Hugging Face ``evaluate`` module, loaded through ``evaluate.load`` itself (from
its path in the package; no hub), against `Scorer` on the same inputs."""

from __future__ import annotations

import json

import pytest

from benchmark import Scorer
from benchmark.integrations import EVALUATE_MODULE

evaluate = pytest.importorskip("evaluate")
TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@pytest.fixture(scope="module")
def arsum_rouge():
    return evaluate.load(EVALUATE_MODULE)


@pytest.fixture(scope="module")
def bbc(shared_dir):
    rows = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            rows.append(json.loads(line))
            if len(rows) == 120:
                break
    return rows


def test_golden_through_evaluate_load(arsum_rouge):
    """Why: tashkeel is deleted (item 1 identical); item 2 shares 1 of 2 unigrams and
    no bigram with its only reference; item 3 takes its better alternative ('x' scores
    0, the second is identical)."""
    result = arsum_rouge.compute(predictions=["ذهب الولد", "الجيش ينسحب", "خطة جديدة"],
                                 references=[["ذَهَبَ الوَلَدُ"], ["الجيش يتقدم"],
                                             ["x", "خطة جديدة"]],
                                 use_aggregator=False)
    assert result == {"rouge1": [1.0, 0.5, 1.0], "rouge2": [1.0, 0.0, 1.0],
                      "rougeL": [1.0, 0.5, 1.0], "rougeLsum": [1.0, 0.5, 1.0]}
    mean = arsum_rouge.compute(predictions=["ذهب الولد", "الجيش ينسحب"],
                               references=["ذهب الولد", "الجيش يتقدم"], rouge_types=["rouge1"])
    assert mean == {"rouge1": 0.75}


def test_alternatives_versus_bullets(arsum_rouge):
    """The same list means two things: evaluate's alternatives, our Python API's bullets."""
    prediction, reference = "الجيش ينسحب", ["الجيش ينسحب", "الحكومة تعلن خطة"]
    as_alternatives = arsum_rouge.compute(predictions=[prediction], references=[reference],
                                          rouge_types=["rouge1"])["rouge1"]
    as_bullets = Scorer(["rouge"]).score_item(prediction=prediction,
                                              reference=reference)["rouge1_f"]
    assert as_alternatives == 1.0  # the first alternative is identical
    assert as_bullets == pytest.approx(2 * 1 * 0.4 / 1.4)  # 2 of 5 reference tokens


def test_equals_the_scorer_on_real_articles(arsum_rouge, bbc):
    predictions = [row["article"].split("\n")[0] for row in bbc]
    references = [row["summary"] for row in bbc]
    ours = Scorer(["rouge"]).score(predictions=predictions, references=references)
    via_evaluate = arsum_rouge.compute(predictions=predictions, references=references,
                                       use_aggregator=False)
    for kind in TYPES:
        assert via_evaluate[kind] == [item[f"{kind}_f"] for item in ours.items]
    aggregated = arsum_rouge.compute(predictions=predictions, references=references)
    for kind in TYPES:
        assert aggregated[kind] == pytest.approx(ours.summary[f"{kind}_f"])


def test_alternatives_equal_the_scorers_multi_reference(arsum_rouge, bbc):
    predictions = [row["article"].split("\n")[0] for row in bbc[:60]]
    # Each item: its own reference and its neighbour's, as alternatives.
    pairs = [[bbc[i]["summary"], bbc[(i + 1) % 60]["summary"]] for i in range(60)]
    via_evaluate = arsum_rouge.compute(predictions=predictions, references=pairs,
                                       use_aggregator=False)
    ours = Scorer(["rouge"]).score(predictions=predictions,
                                   references=[[[a], [b]] for a, b in pairs])
    for kind in TYPES:
        assert via_evaluate[kind] == [item[f"{kind}_f"] for item in ours.items]


def test_unknown_rouge_type_is_an_error(arsum_rouge):
    with pytest.raises(ValueError, match="unknown rouge_types"):
        arsum_rouge.compute(predictions=["a"], references=["a"], rouge_types=["rouge3"])
