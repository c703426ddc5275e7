"""Arabic normalization, tokenization and sentence splitting (DESIGN §5), step by step."""

import pytest

from benchmark.errors import ConfigError, TokenizerLossError
from benchmark.text import TextProfile, get_profile, normalize_arabic, tokenize_words
from benchmark.text.tokenize import MAX_LOSS, count_letters_digits, lost_letters

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


HAMZA = [
    # (input, expected with fold_hamza=True, why)
    ("مسؤول", "مسءول", "hamza on waw folds to the bare hamza"),
    ("مسئول", "مسءول", "hamza on yaa folds to the same form: one token for both spellings"),
    ("مسءول", "مسءول", "a standalone hamza is already the folded form"),
    ("شيئ شيء", "شيء شيء", "a final hamza on yaa meets the standalone spelling"),
    ("قائد", "قاءد", "a medial hamza on yaa"),
    ("سماء", "سماء", "a standalone final hamza stays (it is the one form)"),
    ("أسئلة", "اسءله", "hamza on alef folds to alef already (step 5), the carrier ئ to ء"),
    ("مسئوليه", "مسءوليه", "folding runs after steps 1-10, so it is idempotent"),
]


@pytest.mark.parametrize("text,expected,why", HAMZA, ids=[r[2][:40] for r in HAMZA])
def test_hamza_folding(text, expected, why):
    assert normalize_arabic(text, fold_hamza=True) == expected, why
    assert normalize_arabic(expected, fold_hamza=True) == expected, "idempotent"


def test_hamza_folding_makes_the_spellings_one_token():
    folded = TextProfile(fold_hamza=True)
    assert folded.tokenize("المسؤول") == folded.tokenize("المسئول") == ["المسءول"]
    assert get_profile().tokenize("المسؤول") != get_profile().tokenize("المسئول")
    assert folded.signature().format().startswith("norm:ar.v1+hamza.v2|")


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


def test_profile_signatures_and_errors():
    custom = TextProfile(tokenizer="rouge_score.tokenizers:DefaultTokenizer")
    assert custom.signature().format() == \
        "norm:ar.v1|tok:custom(rouge_score.tokenizers:DefaultTokenizer)|stem:none|clitics:no"
    with pytest.raises(ConfigError, match="no tokenize"):
        TextProfile(tokenizer="benchmark.text:normalize_arabic")
    with pytest.raises(ConfigError, match="cannot import 'no_such_module'"):
        TextProfile(tokenizer="no_such_module:Tokenizer")
    assert get_profile().signature().format() == "norm:ar.v1|tok:ar.v1|stem:none|clitics:no"
    assert get_profile("none").signature().format() == \
        "norm:none|tok:whitespace|stem:none|clitics:no"
    assert TextProfile(stem=True, clitics=True).signature().format().endswith(
        "stem:light.v1|clitics:yes")
    with pytest.raises(ConfigError, match="unknown text profile 'arabic'"):
        get_profile("arabic")


def test_light_stemmer_and_clitics():
    stemmed = TextProfile(stem=True).tokenize("والمدرسة وللاعبين")
    assert stemmed == ["مدرس", "اعب"]  # ال+مدرسه minus haa; لل+اعبين minus ين
    assert TextProfile(clitics=True).tokenize("وفي") == ["وفي"]  # too short to strip


def porter_tokenizer():
    from rouge_score import tokenizers

    return tokenizers.DefaultTokenizer(use_stemmer=True)


ENGLISH = ("The generalizations were happily running across the organizations and "
           "conditional relationships happened")


def test_guard_accepts_a_stemming_tokenizer_on_english():
    """Porter strips 18% of the letters here, all as affixes of words it keeps: not lost."""
    tokens = porter_tokenizer().tokenize(ENGLISH)
    stripped = 1 - sum(map(len, tokens)) / count_letters_digits(ENGLISH)
    assert stripped > MAX_LOSS  # the plain count would have raised
    assert lost_letters(ENGLISH.lower(), tokens) == 0
    profile = TextProfile(name="none", tokenizer=porter_tokenizer())
    assert profile.tokenize(ENGLISH)[:4] == ["the", "gener", "were", "happili"]


def test_guard_still_raises_when_a_stemming_tokenizer_deletes_arabic():
    profile = TextProfile(tokenizer=porter_tokenizer())
    with pytest.raises(TokenizerLossError, match="dropped 76%"):
        profile.tokenize("ذهب الولد إلى المدرسة في 2020 مع bbc")


LOST = [
    # (text, tokens, letters lost, why)
    ("running happily", ["run", "happili"], 0, "stems of kept words lose nothing"),
    ("the cat sat", ["the", "cat"], 3, "a word no token comes from is lost whole"),
    ("ذهب الولد 2020", ["2020"], 8, "Arabic words with no token: all their letters lost"),
    ("والمدرسة الكبيرة", ["مدرس", "كبير"], 0, "prefix and suffix stripping keeps the word"),
    ("المدرسة", ["ا"], 7, "a token under a quarter of the word's length keeps nothing"),
    ("U.S.A iPhone15", ["u", "s", "a", "iphone", "15"], 0,
     "tokens split finer than whitespace still derive from their word"),
    ("happy", ["happi"], 0, "a rewritten last letter is allowed"),
    ("happy", ["hxppy"], 5, "a rewritten inner letter is not: not derived"),
    ("sat", ["cat"], 3, "nor a rewritten first letter"),
]


@pytest.mark.parametrize("text,tokens,lost,why", LOST, ids=[r[3][:40] for r in LOST])
def test_lost_letters(text, tokens, lost, why):
    assert lost_letters(text, tokens) == lost, why
