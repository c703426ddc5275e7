"""Arabic normalization, tokenization and sentence splitting (DESIGN §5), step by step."""

import pytest

from benchmark.errors import ConfigError
from benchmark.text import TextProfile, get_profile, normalize_arabic, split_sentences, tokenize_words

NORMALIZATION = [
    # (input, expected, why)
    ("ﻻ", "لا", "step 1: NFKC decomposes the lam-alef presentation form"),
    ("سو\u200fريا\u200d", "سوريا", "step 2: RLM and ZWJ (category Cf) are deleted"),
    ("كَتَبَ", "كتب", "step 3: tashkeel deleted"),
    ("رحمٰن", "رحمن", "step 3: superscript alef U+0670 deleted"),
    ("كتـــاب", "كتاب", "step 4: tatweel deleted"),
    ("أإآٱ", "اااا", "step 5: alef variants fold to bare alef"),
    ("على", "علي", "step 6: alef maqsura folds to yaa"),
    ("مدرسة", "مدرسه", "step 7: taa marbuta folds to haa"),
    ("٢٠٢٥ ۱۴", "2025 14", "step 8: Arabic-Indic and Persian digits to ASCII"),
    ("کتاب ایران", "كتاب ايران", "step 9: Persian kaf and yeh to Arabic"),
    ("BBC Arabic", "bbc arabic", "step 10: casefold"),
    ("ؤئء", "ؤئء", "hamza carriers stay unless fold_hamza is asked for"),
]


@pytest.mark.parametrize("text,expected,why", NORMALIZATION, ids=[r[2][:40] for r in NORMALIZATION])
def test_normalization_steps(text, expected, why):
    assert normalize_arabic(text) == expected, why


def test_hamza_folding_is_an_option():
    assert normalize_arabic("مسؤول قائد", fold_hamza=True) == "مسوول قايد"
    assert "+hamza" in TextProfile(fold_hamza=True).signature()


TOKENS = [
    ("«السلام»، عليكم!", ["«السلام»، عليكم!"], ["السلام", "عليكم"], "punctuation separates and is dropped"),
    ("iPhone15 و٢٠٢٥م", None, ["iphone", "15", "و", "2025", "م"], "letters and digits split apart"),
    ("3.5 مليون", None, ["3", "5", "مليون"], "a decimal point separates too, on both sides alike"),
]


@pytest.mark.parametrize("text,_unused,expected,why", TOKENS, ids=[r[3] for r in TOKENS])
def test_tokens(text, _unused, expected, why):
    assert get_profile("ar").tokenize(text) == expected, why


def test_tokenize_words_keeps_marks_inside_words():
    """Marks belong to the letter run (profile 'ar' has deleted tashkeel before this)."""
    assert tokenize_words("كَتَبَ") == ["كَتَبَ"]


SENTENCES = [
    ("أولى. ثانية؟ ثالثة! رابعة", ["أولى.", "ثانية؟", "ثالثة!", "رابعة"], "after . ؟ ! + space"),
    ("قال: «انتهى.» ثم غادر", ["قال: «انتهى.»", "ثم غادر"], "closing quote stays with its sentence"),
    ("بلغ 3.5 مليون", ["بلغ 3.5 مليون"], "no split inside a number (no space after the dot)"),
    ("بند أول\nبند ثان", ["بند أول", "بند ثان"], "a newline (a bullet) always ends a sentence"),
    ("انتظر… ثم", ["انتظر…", "ثم"], "ellipsis character ends a sentence"),
    ("أولى.\u200f ثانية", ["أولى.\u200f", "ثانية"], "an RLM after the stop does not hide it"),
    ("  \n\n", [], "blank text has no sentences"),
]


@pytest.mark.parametrize("text,expected,why", SENTENCES, ids=[r[2] for r in SENTENCES])
def test_sentences(text, expected, why):
    assert split_sentences(text) == expected, why


def test_profile_signatures_and_errors():
    assert get_profile().signature() == "norm:ar.v1|tok:ar.v1|stem:none|clitics:no"
    assert get_profile("none").signature() == "norm:none|tok:whitespace|stem:none|clitics:no"
    assert TextProfile(stem=True, clitics=True).signature().endswith("stem:light.v1|clitics:yes")
    with pytest.raises(ConfigError, match="unknown text profile 'arabic'"):
        get_profile("arabic")


def test_light_stemmer_and_clitics():
    stemmed = TextProfile(stem=True).tokenize("والمدرسة وللاعبين")
    assert stemmed == ["مدرس", "اعب"]  # ال+مدرسه minus haa; لل+اعبين minus ين
    assert TextProfile(clitics=True).tokenize("وفي") == ["وفي"]  # too short to strip
