"""The reference implementations' own test cases, run through OUR metrics.

rouge-score 0.1.2's ``rouge_scorer_test.py`` and sacrebleu's ``test/test_chrf.py``, each
case re-expressed with its inputs and expected values, and scored by `Scorer` (or, for
the cases about internal helpers, by our kernels) with the tokenizer and options set
to theirs: rouge-score's own ``DefaultTokenizer`` (lowercase ASCII letters and digits,
Porter stemming where the case asks for it) behind profile ``none``, ROUGE-Lsum
sentences at newlines (``sentence_split="newline"``, rouge-score's convention), and
sacrebleu's chrF orders, beta, ``eps_smoothing`` and ``whitespace``. The cases that read
rouge-score's test data use copies of those files (random letter strings;
``tests/data/rouge_score_testdata/README.md``).

Cases that cannot apply, and why:

- rouge-score ``testInvalidRougeTypes``: our ROUGE computes a fixed set of types (1, 2,
  L, Lsum) and takes no type names, so there is no invalid name to reject.
- rouge-score ``testValidRougeTypes``: the metric's keys cover rouge1, rougeL and
  rougeLsum; rouge9 is not a metric key, and is checked through the kernel
  ``rouge_n(n=9)`` instead.
- rouge-score ``testRougeLsumLarge``: its 90 KB test files are not shipped with the
  installed package and are not copied here; long texts are covered against
  rouge-score itself by ``tests/test_rouge_kernels.py`` (300-600 tokens).
- rouge-score ``testUnionLcs``, its ``_find_union`` half: a set union of index lists,
  a helper with no counterpart (the union is a bit set inside ``rouge_lsum``); its
  ``_union_lcs`` half is checked through ``rouge_lsum``.
- rouge-score ``testRougeLSumSentenceSplitting`` with ``split_summaries=True`` splits
  with NLTK's sentence tokenizer; ours is split ``ar`` (the default), which splits that
  text the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rouge_score import tokenizers

from benchmark import Scorer
from benchmark.kernels import lcs_indices, lcs_length, rouge_lsum, rouge_n
from benchmark.text import TextProfile

TESTDATA = Path(__file__).parent / "data" / "rouge_score_testdata"
PLACES = 5  # rouge-score's assertAlmostEqual(..., 5) against ROUGE-1.5.5's output


def rouge(reference, prediction, *, stem=False, split="newline"):
    """Our ROUGE with rouge-score's default tokenizer and its Lsum sentence convention."""
    profile = TextProfile(name="none", tokenizer=tokenizers.DefaultTokenizer(use_stemmer=stem))
    return Scorer(["rouge"], profile, sentence_split=split).score_item(
        prediction=prediction, reference=reference)


def prf(values, kind):
    return values[f"{kind}_p"], values[f"{kind}_r"], values[f"{kind}_f"]


def lines(name):
    return (TESTDATA / name).read_text(encoding="utf-8").splitlines(keepends=True)


# (rouge-score test, target, prediction, type, (P, R, F)) -- hand-made texts
ROUGE_CASES = [
    ("testRouge1", "testing one two", "testing", "rouge1", (1, 1 / 3, 1 / 2)),
    ("testRouge2", "testing one two", "testing one", "rouge2", (1, 1 / 2, 2 / 3)),
    ("testRougeLConsecutive", "testing one two", "testing one", "rougeL", (1, 2 / 3, 4 / 5)),
    ("testRougeLNonConsecutive", "testing one two", "testing two", "rougeL", (1, 2 / 3, 4 / 5)),
    ("testMultipleRougeTypes", "testing one two", "testing one", "rouge1", (1, 2 / 3, 4 / 5)),
    ("testMultipleRougeTypes", "testing one two", "testing one", "rougeL", (1, 2 / 3, 4 / 5)),
    ("testRougeEmpty", "testing one two", "", "rouge1", (0, 0, 0)),
    ("testRougeEmpty", "testing one two", "", "rouge2", (0, 0, 0)),
    ("testRougeEmpty", "testing one two", "", "rougeL", (0, 0, 0)),
    ("testRougeEmpty", "testing one two", "", "rougeLsum", (0, 0, 0)),
    ("testRougeLsum", "w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "rougeLsum",
     (0.4, 0.8, 0.4 * 0.8 * 2 / 1.2)),
    ("testRougeLsum, empty prediction", "w1 w2 w3 w4 w5", "", "rougeLsum", (0, 0, 0)),
    ("testRougeLsum, empty target", "", "w1", "rougeLsum", (0, 0, 0)),
    ("testRougeLsum, prediction of non-word characters only", "w1 w2 w3 w4 w5", "/",
     "rougeLsum", (0, 0, 0)),
    ("testRougeTokenizerInit", "this is a test", "this is a test", "rouge1", (1, 1, 1)),
]


@pytest.mark.parametrize("case, target, prediction, kind, expected", ROUGE_CASES,
                         ids=[f"{row[0]}-{row[3]}" for row in ROUGE_CASES])
def test_rouge_score_cases(case, target, prediction, kind, expected):
    assert prf(rouge(target, prediction), kind) == pytest.approx(expected, abs=1e-12), case


@pytest.mark.parametrize("case, targets, prediction, expected", [
    ("testRouge1Multi", [["testing one two"]], "testing", {"rouge1": (1, 1 / 3, 1 / 2)}),
    ("testRougeAllMulti", [["first text"], ["first something"]], "text first",
     {"rouge1": (None, None, 1), "rouge2": (None, None, 0), "rougeL": (None, None, 0.5)}),
])
def test_rouge_score_multi_reference_cases(case, targets, prediction, expected):
    """rouge-score's ``score_multi``: per type, the reference with the best F."""
    values = rouge(targets, prediction)
    for kind, want in expected.items():
        for got, wanted in zip(prf(values, kind), want):
            if wanted is not None:
                assert got == pytest.approx(wanted, abs=1e-12), (case, kind)


# (rouge-score test, line of its test files, stemming, type, (P, R, F) from ROUGE-1.5.5)
ROUGE155_CASES = [
    ("testRouge1AgainstRouge155", 0, False, "rouge1", (0.68750, 0.40741, 0.51163)),
    ("testRouge1AgainstRouge155", 1, False, "rouge1", (0.65385, 0.40476, 0.50000)),
    ("testRouge1AgainstRouge155WithStemming", 0, True, "rouge1", (0.68750, 0.40741, 0.51163)),
    ("testRouge1AgainstRouge155WithStemming", 1, True, "rouge1", (0.69231, 0.42857, 0.52941)),
    ("testRouge2AgainstRouge155", 0, False, "rouge2", (0.53333, 0.30769, 0.39024)),
    ("testRouge2AgainstRouge155", 1, False, "rouge2", (0.48000, 0.29268, 0.36364)),
    ("testRouge2AgainstRouge155WithStemming", 0, True, "rouge2", (0.53333, 0.30769, 0.39024)),
    ("testRouge2AgainstRouge155WithStemming", 1, True, "rouge2", (0.48000, 0.29268, 0.36364)),
    ("testRougeLAgainstRouge155", 0, False, "rougeL", (0.68750, 0.40741, 0.51163)),
    ("testRougeLAgainstRouge155", 1, False, "rougeL", (0.65385, 0.40476, 0.50000)),
]


@pytest.mark.parametrize("case, line, stem, kind, expected", ROUGE155_CASES,
                         ids=[f"{row[0]}-{row[1]}" for row in ROUGE155_CASES])
def test_rouge_score_cases_against_rouge155(case, line, stem, kind, expected):
    values = rouge(lines("target.txt")[line], lines("prediction.txt")[line], stem=stem)
    assert [round(v, PLACES) for v in prf(values, kind)] == list(expected), case


def test_rouge_score_lsum_against_rouge155_with_stemming():
    """testRougeLSumAgainstRouge155WithStemming: four lines each, Lsum per line."""
    values = rouge("".join(lines("target_multi.0.txt")),
                   "".join(lines("prediction_multi.0.txt")), stem=True)
    assert [round(v, PLACES) for v in prf(values, "rougeLsum")] == [0.66667, 0.36538, 0.47205]


def test_rouge_score_lsum_sentence_splitting():
    """testRougeLSumSentenceSplitting: sentences at newlines match whatever their order
    (F 1); on one line each text is one sentence (F 0.5); split by a sentence splitter
    (NLTK's there, ``ar`` here), the one-line texts are two sentences again (F 1)."""
    target, prediction = "First sentence.\nSecond Sentence.", "Second sentence.\nFirst Sentence."
    assert rouge(target, prediction, stem=True)["rougeLsum_f"] == pytest.approx(1.0)
    one_line = target.replace("\n", " "), prediction.replace("\n", " ")
    assert rouge(*one_line, stem=True)["rougeLsum_f"] == pytest.approx(0.5)
    assert rouge(*one_line, stem=True, split="ar")["rougeLsum_f"] == pytest.approx(1.0)


def test_rouge_score_valid_types():
    """testValidRougeTypes: our keys for rouge1, rougeL and rougeLsum; rouge9 by the kernel."""
    values = rouge("testing one two", "testing")
    assert {"rouge1_f", "rougeL_f", "rougeLsum_f"} <= set(values)
    assert tuple(rouge_n(reference="testing one two".split(), prediction=["testing"], n=9)) == (
        0, 0, 0)


def test_rouge_score_lcs_table_and_read_out():
    """testLcsTable: LCS 3 at indices [1, 2, 3] (values [2, 3, 4]); none with [8, 9]."""
    ref, c1 = [1, 2, 3, 4, 5], [2, 5, 3, 4]
    assert lcs_length(ref, c1) == 3
    assert lcs_indices(ref, c1) == [1, 2, 3]
    assert [ref[i] for i in lcs_indices(ref, c1)] == [2, 3, 4]
    assert lcs_length(ref, [8, 9]) == 0 and lcs_indices(ref, [8, 9]) == []


def test_rouge_score_union_and_summary_level_lcs():
    """testUnionLcs (the union of [1, 2] and [1, 3, 5] in [1..5] is 4 tokens: Lin 2004,
    section 3.2) and testSummaryLevelLcs: R 4/5, P 4/10, F 0.5333; an empty candidate
    sentence list scores 0."""
    score = rouge_lsum(reference=[[1, 2, 3, 4, 5]], prediction=[[1, 2, 6, 7, 8], [1, 3, 8, 9, 5]])
    assert (score.recall, score.precision) == (0.8, 0.4)
    assert score.fmeasure == pytest.approx(0.5333, abs=1e-4)
    assert rouge_lsum(reference=[["reference"]], prediction=[[]]).recall == 0.0


def chrf(hypotheses, references, **options):
    """Our chrF, corpus level (statistics summed over items, as sacrebleu's corpus_chrf)
    and per item, on profile ``none`` (no normalization), in sacrebleu's units."""
    report = Scorer(["chrf"], "none", metric_options={"chrf": options}).score(
        predictions=hypotheses, references=references)
    return 100 * report.summary["chrf_corpus"], [100 * item["chrf"] for item in report.items]


EPSILON = 1e-4  # sacrebleu's
SACREBLEU_EPS = dict(char_order=6, word_order=0, beta=3, eps_smoothing=True)
# test_cases: hypotheses, references, expected (eps smoothing: some orders unmatched)
CHRF_CASES = [
    (["abcdefg"], ["hijklmnop"], 0.0),
    (["a"], ["b"], 0.0),
    ([""], ["b"], 0.0),
    ([""], ["ref"], 0.0),
    ([""], ["reference"], 0.0),
    (["aa"], ["ab"], 8.3333),
    (["a", "b"], ["a", "c"], 8.3333),
    (["a"], ["a"], 16.6667),
    (["a b c"], ["a b c"], 50.0),
    (["a b c"], ["abc"], 50.0),
    ([" risk assessment must be made of those who are qualified and expertise in the sector "
      "- these are the scientists ."],
     ["risk assessment has to be undertaken by those who are qualified and expert in that "
      "area - that is the scientists ."], 63.361730),
    ([" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
     64.1302698),
    (["Niemand hat die Absicht, eine Mauer zu errichten"],
     ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0),
]


@pytest.mark.parametrize("hypotheses, references, expected", CHRF_CASES)
def test_sacrebleu_chrf_cases(hypotheses, references, expected):
    assert abs(chrf(hypotheses, references, **SACREBLEU_EPS)[0] - expected) < EPSILON


@pytest.mark.parametrize("hypotheses, references, expected", [  # test_cases_effective_order
    (["a"], ["a"], 100.0),
    ([""], ["reference"], 0.0),
    (["a b c"], ["a b c"], 100.0),
    (["a b c"], ["abc"], 100.0),
    ([""], ["c"], 0.0),
    (["a", "b"], ["a", "c"], 50.0),
    (["aa"], ["ab"], 25.0),
])
def test_sacrebleu_chrf_effective_order_cases(hypotheses, references, expected):
    options = dict(SACREBLEU_EPS, eps_smoothing=False)
    assert abs(chrf(hypotheses, references, **options)[0] - expected) < EPSILON


@pytest.mark.parametrize("hypotheses, references, expected", [  # test_cases_keep_whitespace
    (["Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."],
     ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
     67.3481606),
    (["risk assessment must be made of those who are qualified and expertise in the sector "
      "- these are the scientists ."],
     ["risk assessment has to be undertaken by those who are qualified and expert in that "
      "area - that is the scientists ."], 65.2414427),
])
def test_sacrebleu_chrf_keep_whitespace_cases(hypotheses, references, expected):
    options = dict(char_order=6, word_order=0, beta=3, whitespace=True)
    assert abs(chrf(hypotheses, references, **options)[0] - expected) < EPSILON


@pytest.mark.parametrize("hypothesis, reference, expected", [  # test_sentence_level_chrf
    ("Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
     "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
     39.14078509),
    ("Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
     "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.", 31.22557079),
    ("Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
     "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
     57.15704367),
])
def test_sacrebleu_chrf_sentence_level_cases(hypothesis, reference, expected):
    """sentence_chrf's defaults: character order 6, no words, beta 2; here with eps."""
    options = dict(char_order=6, word_order=0, beta=2, eps_smoothing=True)
    assert abs(chrf([hypothesis], [reference], **options)[1][0] - expected) < EPSILON
