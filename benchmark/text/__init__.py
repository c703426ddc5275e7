"""Arabic text processing: normalization, tokenization, sentence splitting (DESIGN §5)."""

from benchmark.text.normalize import normalize_arabic
from benchmark.text.profile import TextProfile, get_profile
from benchmark.text.sentences import split_sentences
from benchmark.text.tokenize import check_token_loss, tokenize_words

__all__ = ["TextProfile", "check_token_loss", "get_profile", "normalize_arabic",
           "split_sentences", "tokenize_words"]
