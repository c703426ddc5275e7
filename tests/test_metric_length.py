"""Length: hand-counted tokens, sentences and ratios (each row says why)."""

from __future__ import annotations

import pytest

from benchmark import Scorer

ARTICLE = "واحد اثنان ثلاثة أربعة. خمسة ستة سبعة ثمانية"  # 8 tokens

GOLDEN = [
    # (why, prediction, reference, expected)
    ("two sentences of 2 tokens each: 4 tokens, 4/8 of the article, as long as the "
     "4-token reference",
     "واحد اثنان. ثلاثة أربعة.", "خمسة ستة سبعة ثمانية",
     {"len_tokens": 4, "len_sentences": 2, "len_compression": 0.5, "len_ref_ratio": 1.0}),
    ("bullets on lines are sentences; a punctuation-only line is not one",
     "- واحد\n- اثنان\n- .", "خمسة ستة",
     {"len_tokens": 2, "len_sentences": 2, "len_compression": 0.25, "len_ref_ratio": 1.0}),
    ("tashkeel and punctuation do not make tokens: 1 token against 2",
     "وَاحِدٌ!!", "خمسة ستة",
     {"len_tokens": 1, "len_sentences": 1, "len_compression": 0.125, "len_ref_ratio": 0.5}),
    ("an empty prediction: zero everything, ratios 0",
     "", "خمسة ستة",
     {"len_tokens": 0, "len_sentences": 0, "len_compression": 0.0, "len_ref_ratio": 0.0}),
    ("a wordless reference: the ratio to it is undefined",
     "واحد", "...",
     {"len_tokens": 1, "len_sentences": 1, "len_compression": 0.125, "len_ref_ratio": None}),
]


@pytest.mark.parametrize("why, prediction, reference, expected", GOLDEN,
                         ids=[row[0][:40] for row in GOLDEN])
def test_length(why, prediction, reference, expected):
    values = Scorer(["length"]).score_item(prediction=prediction, reference=reference,
                                           source=ARTICLE)
    assert values == pytest.approx(expected)


def test_several_references_use_their_mean_length():
    # 2 tokens against references of 1 and 3 tokens: mean 2, ratio 1.
    values = Scorer(["length"]).score_item(prediction="واحد اثنان",
                                           reference=[["خمسة"], ["خمسة ستة سبعة"]])
    assert values["len_ref_ratio"] == 1.0
    assert values["len_compression"] is None  # no article given


def test_counts_are_shown_as_they_are_and_rank_nothing():
    scorer = Scorer(["length"])
    assert {scorer.scale(k) for k in scorer.keys()} == {1.0}
    assert {scorer.direction(k) for k in scorer.keys()} == {"neither"}
