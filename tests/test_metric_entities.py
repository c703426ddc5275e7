"""Entity coverage: hand-computed golden rows, hallucination probes, aggregation,
options and invariants."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import __version__
from benchmark.errors import ConfigError
from benchmark.metrics.base import ItemInput
from benchmark.metrics.entities import EntityMetric
from benchmark.scorer import Scorer
from benchmark.text import get_profile

SEED = Path(__file__).resolve().parents[1] / "datasets" / "000_04dacd3f9b1a1c24.txt"


@pytest.fixture(scope="module")
def metric():
    return EntityMetric(get_profile("ar"))


def score(metric, prediction, reference, source):
    return metric.score_item(ItemInput(prediction=prediction, references=[reference],
                                       source=source))


# (prediction, reference, source, recall, precision, f1, missing, unsupported)
GOLDEN = [
    # Same entities everywhere: all found, all supported.
    ("زار بوتين دمشق", "زار بوتين دمشق", "زار الرئيس فلاديمير بوتين دمشق",
     1.0, 1.0, 1.0, [], []),
    # Reference {بوتين, دمشق, موسكو}, prediction {بوتين, دمشق, باريس}: 2/3 found,
    # 2/3 supported by the article, F1 = 2/3.
    ("زار بوتين دمشق وباريس", "زار بوتين دمشق وموسكو", "زار بوتين دمشق وموسكو",
     2 / 3, 2 / 3, 2 / 3, ["LOC:موسكو"], ["LOC:باريس"]),
    # No reference entities: recall (and so F1) undefined; the prediction's one entity
    # is in the article.
    ("زار بوتين دمشق", "كان يوما جميلا", "زار بوتين دمشق",
     None, 1.0, None, [], []),
    # No prediction entities: precision undefined, recall 0 of 1.
    ("كان يوما جميلا", "زار بوتين", "زار بوتين",
     0.0, None, None, ["PERS:بوتين"], []),
    # Numbers match by value: ١٦ and 16 are the same number.
    ("قتل ١٦ شخصا", "قتل 16 شخصا", "قتل 16 شخصا", 1.0, 1.0, 1.0, [], []),
    # A surname in the prediction finds the reference's full name and is supported by
    # the article's full name (one name's words inside the other's).
    ("التقى لافروف", "التقى سيرغي لافروف", "التقى الوزير سيرغي لافروف",
     1.0, 1.0, 1.0, [], []),
]


@pytest.mark.parametrize("prediction,reference,source,recall,precision,f1,missing,unsupported",
                         GOLDEN)
def test_golden(metric, prediction, reference, source, recall, precision, f1, missing,
                unsupported):
    values = score(metric, prediction, reference, source)
    for key, expected in (("entity_recall", recall), ("entity_precision", precision),
                          ("entity_f1", f1)):
        assert values[key] == (pytest.approx(expected) if expected is not None else None), key
    assert values["missing_entities"] == missing
    assert values["unsupported_entities"] == unsupported


def test_per_type_values(metric):
    # Row 2 of GOLDEN by type: PERS 1/1 both ways; LOC 1/2 both ways; the item has no
    # other type, so no other per-type key.
    values = score(metric, "زار بوتين دمشق وباريس", "زار بوتين دمشق وموسكو",
                   "زار بوتين دمشق وموسكو")
    per_type = {k: v for k, v in values.items() if k.count("_") == 2}
    assert per_type == {"entity_recall_PERS": 1.0, "entity_precision_PERS": 1.0,
                        "entity_recall_LOC": 0.5, "entity_precision_LOC": 0.5}
    assert values["entity_counts"] == {"reference": 3, "found": 2, "prediction": 3,
                                       "supported": 2}


# --- hallucination probes -----------------------------------------------------------

NUMBERS_ARTICLE = ("قتل 16 جنديا يوم 24 ديسمبر 2025، وارتفعت الأسعار 12%، "
                   "وبلغت الخسائر 5 مليارات دولار.")


@pytest.mark.parametrize("prediction,label", [
    ("قال الرئيس الفرنسي إيمانويل ماكرون إن الحرب انتهت", "PERS:إيمانويل ماكرون"),
    ("عقد الاجتماع في باريس", "LOC:باريس"),
    ("وتم الاتفاق يوم الخميس", "DATE:الخميس"),
])
def test_facts_not_in_the_seed_article_are_unsupported(metric, prediction, label):
    article = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    values = score(metric, prediction, "تناولت لقاءات بين بوتين والشيباني", article)
    assert label in values["unsupported_entities"]
    assert values["entity_precision"] == 0.0


@pytest.mark.parametrize("prediction,label", [
    ("قتل 17 جنديا", "NUM:17"),  # a different number
    ("ارتفعت الأسعار 13%", "PERCENT:13%"),
    ("بلغت الخسائر 6 مليارات دولار", "MONEY:6 مليارات دولار"),
    ("بلغت الخسائر 5 مليارات يورو", "MONEY:5 مليارات يورو"),  # same value, other currency
    ("وقع ذلك يوم 25 ديسمبر 2025", "DATE:25 ديسمبر 2025"),
])
def test_numbers_not_in_the_article_are_unsupported(metric, prediction, label):
    values = score(metric, prediction, "قتل 16 جنديا", NUMBERS_ARTICLE)
    assert values["unsupported_entities"] == [label]


@pytest.mark.parametrize("prediction", [
    "التقى بوتين والشيباني في موسكو",  # clitic و on a surname
    "قال لافروف إن",  # surname only (the article: سيرغي لافروف)
    "تدعم روسيا وحدة سوريا",  # سوريا for the article's سورية
    "شارك أبو قصرة في اللقاء",  # أبو قصرة for مرهف أبو قصرة
    "زار الوزير مرهف أبو قصرة لموسكو",  # full name, clitic ل on a place
])
def test_the_same_facts_written_differently_are_supported(metric, prediction):
    article = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    values = score(metric, prediction, "تناولت لقاءات بين بوتين والشيباني", article)
    assert values["unsupported_entities"] == []
    assert values["entity_precision"] == 1.0


@pytest.mark.parametrize("prediction", [
    "قتل ١٦ جنديا",  # Arabic-Indic digits
    "قتل ستة عشر جنديا",  # number words, same value
    "ارتفعت الأسعار ١٢٪",
    "ارتفعت الأسعار 12 في المئة",
    "بلغت الخسائر ٥ مليارات دولار",
    "في 24 كانون الأول 2025",  # Levantine month name for December
    "في عام 2025",  # a year stated by the article's full date
])
def test_numbers_written_differently_are_supported(metric, prediction):
    values = score(metric, prediction, "قتل 16 جنديا", NUMBERS_ARTICLE)
    assert values["unsupported_entities"] == []
    assert values["entity_precision"] == 1.0


def test_reference_surname_found_through_the_articles_full_name(metric):
    # The reference says أبو قصرة; extracted with known= the article's entities it is a
    # person, and the prediction's full name covers it.
    article = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    values = score(metric, "التقى الوزير مرهف أبو قصرة", "بحث أبو قصرة", article)
    assert values["entity_recall"] == 1.0 and values["entity_recall_PERS"] == 1.0


# --- aggregation --------------------------------------------------------------------

def test_aggregate_names_means_pools_and_counts(metric):
    items = [score(metric, p, r, s) for p, r, s, *_ in GOLDEN[:4]]
    summary = metric.aggregate(items)
    # Recall is defined for rows 1, 2, 4: mean (1 + 2/3 + 0) / 3; row 3 is counted apart.
    assert summary["entity_recall"] == pytest.approx((1 + 2 / 3 + 0) / 3)
    assert summary["entity_recall_n_items"] == 3
    assert summary["entity_items_without_reference_entities"] == 1
    # Pooled: found 2 + 2 + 0 of reference 2 + 3 + 1.
    assert summary["entity_recall_pooled"] == pytest.approx(4 / 6)
    # Precision defined for rows 1, 2, 3: (1 + 2/3 + 1) / 3; pooled (2 + 2 + 2) / 7.
    assert summary["entity_precision"] == pytest.approx((1 + 2 / 3 + 1) / 3)
    assert summary["entity_precision_pooled"] == pytest.approx(6 / 7)
    assert summary["entity_items_without_prediction_entities"] == 1
    assert summary["entity_f1_pooled"] == pytest.approx(2 * (4 / 6) * (6 / 7) / (4 / 6 + 6 / 7))
    # Per type: PERS recall in rows 1, 2, 4 (1, 1, 0); LOC in rows 1, 2 (1, 1/2).
    assert summary["entity_recall_PERS"] == pytest.approx(2 / 3)
    assert summary["entity_recall_LOC"] == pytest.approx(3 / 4)
    assert "entity_recall_ORG" not in summary  # no item has an ORG: no key, not NaN


def test_aggregate_of_items_without_entities_is_nan_and_counted(metric):
    items = [score(metric, "كان يوما جميلا", "كان يوما جميلا", "كان يوما جميلا")] * 2
    summary = metric.aggregate(items)
    assert math.isnan(summary["entity_recall"]) and math.isnan(summary["entity_f1"])
    assert summary["entity_recall_n_items"] == 0
    assert summary["entity_items_without_reference_entities"] == 2
    assert math.isnan(summary["entity_recall_pooled"])  # 0 of 0 reference entities


# --- several references ---------------------------------------------------------------

@pytest.mark.parametrize("references,recall,missing", [
    # The second reference is fully found: recall 1 beats the first's 1/2.
    (["زار بوتين موسكو", "زار بوتين"], 1.0, []),
    # A reference with entities (recall 0) wins over one without (recall undefined),
    # whichever comes first, so the item still counts in the recall mean.
    (["كان يوما جميلا", "زار ماكرون"], 0.0, ["PERS:ماكرون"]),
    (["زار ماكرون", "كان يوما جميلا"], 0.0, ["PERS:ماكرون"]),
    # Ties keep the first reference: both 1/2, the first's missing list is reported.
    (["زار بوتين موسكو", "زار بوتين باريس"], 0.5, ["LOC:موسكو"]),
])
def test_several_references_take_the_highest_recall(metric, references, recall, missing):
    values = metric.score_item(ItemInput(prediction="زار بوتين", references=references,
                                         source="زار بوتين موسكو وماكرون باريس"))
    assert values["entity_recall"] == recall
    assert values["missing_entities"] == missing


def test_scorer_api_passes_ner_and_requires_sources():
    # The documented call: ROUGE and entities together, the backend named by ner=.
    scorer = Scorer(metrics=["rouge", "entities"], ner="rules")
    report = scorer.score(predictions=["زار بوتين دمشق"], references=["زار بوتين دمشق"],
                          sources=["زار بوتين دمشق"])
    assert report.summary["entity_f1"] == 1.0 and report.summary["rouge1_f"] == 1.0
    assert report.items[0]["missing_entities"] == []
    assert report.signatures["entities"] == (
        f"entities:v3|ner:rules.v4|gaz:2026.12|nisba:no|norm:ar.v1"
        f"|multiref:max-recall|ver:{__version__}")
    with pytest.raises(ConfigError, match="need sources"):
        scorer.score(predictions=["x"], references=["x"])


def test_include_nisba_scores_misc():
    metric = EntityMetric.create(get_profile("ar"), {"include_nisba": "yes"})
    values = score(metric, "العلاقات الروسية", "العلاقات السورية", "العلاقات السورية الروسية")
    assert values["entity_recall_MISC"] == 0.0  # السورية missing
    assert values["entity_precision_MISC"] == 1.0  # الروسية is in the article
    assert metric.signature().get("nisba") == "yes"
    assert "entity_recall_MISC" in metric.keys()
    with pytest.raises(ConfigError, match="include_nisba"):
        EntityMetric.create(get_profile("ar"), {"include_nisba": "maybe"})


def test_keys_are_the_numeric_ones(metric):
    keys = metric.keys()
    assert keys[:3] == ["entity_recall", "entity_precision", "entity_f1"]
    assert "missing_entities" not in keys and "entity_counts" not in keys
    assert "entity_recall_MISC" not in keys  # nisba excluded by default


WORDS = ["بوتين", "موسكو", "دمشق", "وسورية", "لافروف", "16", "١٦", "12%", "الخميس",
         "زار", "في", "و", "مليار", "دولار", "باريس", "وزارة", "الخارجية"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12),
       st.lists(st.sampled_from(WORDS), max_size=12))
def test_swapping_without_source_swaps_recall_and_precision(left, right):
    metric = EntityMetric(get_profile("ar"))
    a, b = " ".join(left), " ".join(right)
    forward = metric.score_item(ItemInput(prediction=a, references=[b]))
    backward = metric.score_item(ItemInput(prediction=b, references=[a]))
    assert forward["entity_recall"] == backward["entity_precision"]
    assert forward["entity_precision"] == backward["entity_recall"]
    for key in metric.keys():
        assert forward.get(key) is None or 0.0 <= forward[key] <= 1.0
    if a == b and forward["entity_recall"] is not None:
        assert forward["entity_recall"] == 1.0 and forward["entity_precision"] == 1.0
