"""The speed-ups in text processing give the same results as the plain definitions."""

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.errors import TokenizerLossError
from benchmark.text.normalize import _FOLD, _fold
from benchmark.text.tokenize import check_token_loss, count_letters_digits

FOLD_CHARACTERS = sorted({chr(code) for code in _FOLD} | set("".join(_FOLD.values()))
                         | set("ابت ،.x7"))


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(FOLD_CHARACTERS), max_size=60))
def test_fold_by_replacements_equals_the_translation_table(text):
    assert _fold(text) == text.translate(_FOLD)


@given(st.text(max_size=60))
def test_letter_digit_count_is_one_per_letter_or_digit_character(text):
    assert count_letters_digits(text) == len(regex.findall(r"[\p{L}\p{N}]", text))


@pytest.mark.parametrize("tokens, raises", [
    (["abcd", "efgh"], True),  # why: the word "ij" is lost, 2 of 10 letters = 20% > 10%
    (["abcd", "efgh", "ij"], False),  # why: all 10 kept
    (["abcd", "efgh", "ij", "x"], False),  # why: more kept than expected is no loss
])
def test_guard_counts_the_joined_tokens(tokens, raises):
    if raises:
        with pytest.raises(TokenizerLossError, match="dropped 20%"):
            check_token_loss("abcd efgh ij", tokens)
    else:
        check_token_loss("abcd efgh ij", tokens)


# Texts whose sentences begin or end with what NFKC composes, decomposes or reorders
# (a combining mark first, a compatibility ligature, a final mark), each sentence's
# normalized text must still be its own.
SENTENCE_EDGES = [
    "\u0651ابل. \u064eبيت! ﻻ يأتي؟ \u0301e",  # why: a sentence that begins with a mark
    "A\u0308.\n\u0308B c",  # why: a mark after the newline stays in its sentence
    "ﷺ قال. ﷲ أكبر\nﻹسلام",  # why: ligatures that NFKC expands into several letters
    "كلمة\u200f. أخرى\u200f\n• بند\n• بند ثان",  # why: format marks, bullets
    "مرة واحدة",  # why: one sentence: the plain path
    "",  # why: no sentence at all
]


@pytest.mark.parametrize("text", SENTENCE_EDGES)
@pytest.mark.parametrize("options", [{}, {"fold_hamza": True, "clitics": True, "stem": True}])
def test_sentence_tokens_normalize_once_like_each_sentence_alone(text, options):
    from benchmark.text import get_profile

    profile = get_profile("ar", **options)
    for split, sentences in (("ar", profile.sentences(text)),
                             ("newline", [line for line in text.split("\n") if line])):
        assert profile.sentence_tokens(text, split=split) == [
            profile.tokenize(sentence) for sentence in sentences]


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(FOLD_CHARACTERS + ["\u0651", "\u0301", "\n", "!",
                                                           "ﻻ", "\u200f", "•", "ـ"]),
               max_size=60))
def test_sentence_tokens_on_random_text(text):
    from benchmark.text import get_profile

    profile = get_profile("ar")
    assert profile.sentence_tokens(text) == [profile.tokenize(s)
                                             for s in profile.sentences(text)]


def test_sentence_tokens_on_real_summaries_and_articles(shared_dir):
    import json

    from benchmark.text import get_profile

    profile = get_profile("ar")
    with open(shared_dir / "corpora" / "ant_bbc.jsonl", encoding="utf-8") as handle:
        for number, line in zip(range(400), handle):
            record = json.loads(line)
            for text in (record["article"], "\n".join(record["summary"])
                         if isinstance(record["summary"], list) else record["summary"]):
                assert profile.sentence_tokens(text) == [
                    profile.tokenize(s) for s in profile.sentences(text)], number


@pytest.mark.parametrize("fold_hamza", [False, True])
def test_normalize_remembers_a_text_per_hamza_option(fold_hamza):
    """A profile's normalization of a text is made once and handed out again (chrF and
    the shared sentence split both normalize the same prediction), the same string as
    `normalize_arabic`, and a profile with the other hamza option gets its own."""
    from benchmark.text import get_profile
    from benchmark.text.normalize import normalize_arabic

    text = "مسئول أعلن الإثنين ١٢ مليونا"
    profile = get_profile("ar", fold_hamza=fold_hamza)
    first = profile.normalize(text)
    assert first == normalize_arabic(text, fold_hamza=fold_hamza)
    assert profile.normalize(text) is first
    other = get_profile("ar", fold_hamza=not fold_hamza).normalize(text)
    assert other == normalize_arabic(text, fold_hamza=not fold_hamza) != first
