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
