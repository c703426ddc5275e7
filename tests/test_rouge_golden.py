"""Hand-computed ROUGE values on Arabic text. Each row says why its numbers are what they are.

Keys: r1/r2/rl/rlsum = (precision, recall, F) of ROUGE-1, ROUGE-2, ROUGE-L, ROUGE-Lsum.
"""

import pytest

from benchmark import Scorer
from benchmark.metrics.rouge import score_texts
from benchmark.text import TextProfile

ONE = (1.0, 1.0, 1.0)
ZERO = (0.0, 0.0, 0.0)

GOLDEN = [
    # (case, reference, prediction, expected {type: (p, r, f)})
    ("identical text", "ذهب الولد إلى المدرسة", "ذهب الولد إلى المدرسة",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("diacritics and tatweel are deleted before tokenizing",
     "ذهب الولد", "ذَهَبَ الوَلَـــدُ",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("alef hamza forms fold to bare alef, alef maqsura to yaa",
     "احمد الي الامام", "أحمد إلى الأمام",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("taa marbuta folds to haa", "المدرسه الجديده", "المدرسة الجديدة",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("Arabic-Indic and Persian digits fold to ASCII", "عام 2025 و 17", "عام ٢٠٢٥ و ۱۷",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("punctuation glued to words separates and is dropped; madda alef folds",
     "السلام الان", "«السلام»، الآن.",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
    ("a clitic makes a different token by default: 1 of 2 unigrams, 0 bigrams",
     "المدرسة كبيرة", "والمدرسة كبيرة",
     {"rouge1": (0.5, 0.5, 0.5), "rouge2": ZERO, "rougeL": (0.5, 0.5, 0.5),
      "rougeLsum": (0.5, 0.5, 0.5)}),
    ("partial overlap: 2 of 3 predicted unigrams in 4 reference ones, F = 2(2/3)(1/2)/(7/6) "
     "= 4/7; bigrams 1 of 2 in 3, F = 2(1/2)(1/3)/(5/6) = 2/5",
     "الجيش ينسحب من المدينة", "الجيش ينسحب اليوم",
     {"rouge1": (2 / 3, 0.5, 4 / 7), "rouge2": (0.5, 1 / 3, 0.4),
      "rougeL": (2 / 3, 0.5, 4 / 7), "rougeLsum": (2 / 3, 0.5, 4 / 7)}),
    ("repeated prediction tokens are clipped to the reference count: 1 of 4",
     "في", "في في في في",
     {"rouge1": (0.25, 1.0, 0.4), "rouge2": ZERO, "rougeL": (0.25, 1.0, 0.4),
      "rougeLsum": (0.25, 1.0, 0.4)}),
    ("sentence order swapped: LCS over the whole text keeps 2 of 4 tokens, but Lsum matches "
     "each reference sentence on its own (4 of 4); bigrams: 2 of 3 (one crosses the "
     "sentence boundary on each side)",
     "الحكومة تعلن.\nالجيش ينسحب.", "الجيش ينسحب الحكومة تعلن",
     {"rouge1": ONE, "rouge2": (2 / 3, 2 / 3, 2 / 3), "rougeL": (0.5, 0.5, 0.5),
      "rougeLsum": ONE}),
    ("Lsum double-count guard: two reference sentences match the same single predicted "
     "token, which counts once: hits 1, P = 1/1, R = 1/2",
     "سلام.\nسلام.", "سلام",
     {"rouge1": (1.0, 0.5, 2 / 3), "rouge2": ZERO, "rougeL": (1.0, 0.5, 2 / 3),
      "rougeLsum": (1.0, 0.5, 2 / 3)}),
    ("empty prediction scores 0, not an error", "ذهب الولد", "",
     {"rouge1": ZERO, "rouge2": ZERO, "rougeL": ZERO, "rougeLsum": ZERO}),
    ("punctuation-only prediction has no tokens: 0", "ذهب الولد", "... ؟! «»",
     {"rouge1": ZERO, "rouge2": ZERO, "rougeL": ZERO, "rougeLsum": ZERO}),
    ("mixed Arabic/Latin: Latin is casefolded, digits folded, letters and digits split",
     "أطلقت Apple هاتف iPhone15", "أطلقت apple هاتف IPHONE ١٥",
     {"rouge1": ONE, "rouge2": ONE, "rougeL": ONE, "rougeLsum": ONE}),
]


@pytest.mark.parametrize("case,reference,prediction,expected", GOLDEN,
                         ids=[row[0][:50] for row in GOLDEN])
def test_golden(case, reference, prediction, expected):
    scores = score_texts(reference=reference, prediction=prediction, profile=TextProfile())
    for kind, (p, r, f) in expected.items():
        got = scores[kind]
        assert got.precision == pytest.approx(p, abs=1e-12), (case, kind)
        assert got.recall == pytest.approx(r, abs=1e-12), (case, kind)
        assert got.fmeasure == pytest.approx(f, abs=1e-12), (case, kind)


def test_clitic_option_strips_the_conjunction():
    """With clitic stripping, والمدرسة and المدرسة are both مدرسه: identical."""
    scores = score_texts(reference="المدرسة كبيرة", prediction="والمدرسة كبيرة",
                         profile=TextProfile(clitics=True))
    assert scores["rouge2"].fmeasure == 1.0


def test_none_profile_keeps_surface_differences():
    """Profile 'none' (whitespace split) sees diacritics as different words: 0 overlap."""
    scores = score_texts(reference="ذهب الولد", prediction="ذَهَبَ الوَلَدُ",
                         profile=TextProfile("none"))
    assert scores["rouge1"].fmeasure == 0.0


def test_scorer_report_shape_and_reference_forms():
    """A reference may be a string with bullets as lines or a list of bullets: same scores."""
    scorer = Scorer(metrics=["rouge"])
    as_text = scorer.score(predictions=["الحكومة تعلن"], references=["الحكومة تعلن\nالجيش ينسحب"])
    as_list = scorer.score(predictions=["الحكومة تعلن"], references=[["الحكومة تعلن", "الجيش ينسحب"]])
    assert as_text.items == as_list.items
    item = as_text.items[0]
    assert set(item) == {f"{k}_{p}" for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")
                         for p in "prf"}
    # 2 of 4 reference tokens, all predicted tokens match: P = 1, R = 1/2, F = 2/3.
    assert item["rouge1_p"] == 1.0 and item["rouge1_r"] == 0.5
    assert as_text.summary["rouge1_f"] == pytest.approx(2 / 3)
    assert as_text.signature.startswith("rouge:v1|defs:rouge-score-0.1.2|norm:ar.v1|tok:ar.v1")


def test_summary_is_mean_over_items():
    scorer = Scorer()
    report = scorer.score(predictions=["ذهب الولد", ""], references=["ذهب الولد", "ذهب الولد"])
    assert report.summary["rougeL_f"] == pytest.approx(0.5)  # (1 + 0) / 2


def test_multi_reference_takes_max_f_per_type():
    """Against two references the item keeps, per type, the better one (score_multi)."""
    scorer = Scorer()
    values = scorer.score_item(prediction="الجيش ينسحب",
                               reference=[["الحكومة تعلن"], ["الجيش ينسحب اليوم"]])
    # Second reference: 2 of 3 reference tokens -> R = 2/3, P = 1, F = 0.8.
    assert values["rouge1_f"] == pytest.approx(0.8)



PREDICTION_SPLITS = [
    ("a bullet glyph between two words, no space", "قال•الوزير إن"),
    ("a sentence end, then a mark after the space", "انتهى. \u0301ثم بدأ"),
    ("a format mark after the full stop", "انتهى.\u200f ثم"),
    ("closing quote and format marks, then a new line", "«قال.»\u200e\nثم"),
    ("an abbreviation dot is no end", "د. محمد قال. ثم"),
    ("a sentence of punctuation alone between two", "قال. !!! ثم ذهب"),
    ("empty text: no sentence", ""),
]


def _same_side(metric, text: str) -> bool:
    """The prediction's side as the metric makes it (the remembered split) has the
    sentences' tokens `analyse_text` gives."""
    from benchmark.metrics.rouge import analyse_text

    side, expected = metric._prediction_side(text), analyse_text(text, metric.profile)
    return ([list(tokens) for tokens in side.sentences]
            == [list(tokens) for tokens in expected.sentences])


@pytest.mark.parametrize("why, text", PREDICTION_SPLITS)
def test_the_prediction_side_is_the_remembered_split_of_analyse_text(why, text):
    """ROUGE reads a prediction's sentence tokens from the split length, bullets and
    extractiveness remember (split ``ar``): the same tokens as `analyse_text`'s."""
    from benchmark.metrics.rouge import RougeMetric
    from benchmark.text import get_profile

    for profile in (get_profile("ar"), get_profile("ar", clitics=True, stem=True),
                    get_profile("none")):
        assert _same_side(RougeMetric(profile), text), (why, profile.name)


def test_the_prediction_side_is_analyse_texts_on_every_corpus(shared_dir):
    """Every article and summary of the corpora, read as a prediction: the remembered
    split gives the same sentences' tokens as `analyse_text`."""
    from benchmark.data import load_examples
    from benchmark.metrics.rouge import RougeMetric
    from benchmark.text import get_profile

    metric, count = RougeMetric(get_profile("ar")), 0
    for path in sorted((shared_dir / "corpora").glob("*.jsonl")):
        for example in load_examples(path).examples:
            for text in (example.article, example.summary):
                assert _same_side(metric, text), (path.name, example.id)
                count += 1
    assert count > 17_000
