"""XL-Sum's multilingual ROUGE tokenization for Arabic, for scores comparable with theirs.

XL-Sum (Hasan et al. 2021) scored every language with its own fork of rouge-score,
called with ``lang="arabic"`` and ``use_stemmer=True`` for Arabic. Its tokenization, which
this module reproduces step by step (cross-checked against the ``multilingual-rouge``
package in ``tests/test_xlsum_profile.py``):

1. lowercase;
2. BERT-style cleaning: drop NUL, U+FFFD and control characters (Unicode C*, except tab
   and newlines), turn whitespace (and Zs) into spaces;
3. split on whitespace, then cut each piece at punctuation and drop it: Unicode P*, plus
   every non-alphanumeric ASCII character (``$ + < = > ^ ` | ~`` included);
4. no Arabic word segmenter exists there, so the text falls back to OpenNMT's tokenizer in
   ``aggressive`` mode (``pyonmttok``), which also splits letters from digits;
5. stemming: NLTK's Snowball Arabic stemmer with NLTK's Arabic stopwords left unstemmed,
   applied to tokens longer than 3 characters.

No Arabic normalization (no alef folding, no tashkeel removal): their scorer has none, and
that is one of the reasons this profile is not the one we recommend.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from benchmark.errors import ConfigError

TOKENIZER_VERSION = "xlsum.v1"
STEMMER_VERSION = "snowball-ar+nltk-stopwords"
MIN_STEM_LENGTH = 3  # tokens of more characters than this are stemmed


def tokenize_xlsum(text: str) -> list[str]:
    """XL-Sum's tokens of ``text`` (steps 1 to 4), before stemming."""
    pieces = _split_on_punctuation(_clean(text.lower()))
    if not pieces:
        return []
    segmented = _onmt_tokenizer().tokenize(" ".join(pieces))[0]
    return [token for token in " ".join(segmented).split() if token]


def stem_xlsum(tokens: list[str]) -> list[str]:
    """Step 5: the Snowball Arabic stem of each token longer than 3 characters."""
    stemmer = _stemmer()
    stemmed = [stemmer.stem(token) if len(token) > MIN_STEM_LENGTH else token
               for token in tokens]
    return [token for token in stemmed if token]


def _clean(text: str) -> str:
    out = []
    for char in text:
        if char in "\x00\ufffd" or _is_control(char):
            continue
        out.append(" " if _is_whitespace(char) else char)
    return "".join(out)


def _split_on_punctuation(text: str) -> list[str]:
    pieces: list[str] = []
    for word in text.split():
        current: list[str] = []
        for char in word:
            if _is_punctuation(char):
                if current:
                    pieces.append("".join(current))
                    current = []
            else:
                current.append(char)
        if current:
            pieces.append("".join(current))
    return pieces


def _is_whitespace(char: str) -> bool:
    return char in " \t\n\r" or unicodedata.category(char) == "Zs"


def _is_control(char: str) -> bool:
    return char not in "\t\n\r" and unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


@lru_cache(maxsize=1)
def _onmt_tokenizer():
    try:
        import pyonmttok
    except ImportError:
        raise ConfigError("the xlsum profile needs the pyonmttok package (OpenNMT's "
                          "tokenizer, as XL-Sum's scorer uses): pip install "
                          "'arsum-bench[xlsum]'") from None
    return pyonmttok.Tokenizer("aggressive")


@lru_cache(maxsize=1)
def _stemmer():
    try:
        from nltk.stem.snowball import SnowballStemmer
    except ImportError:
        raise ConfigError("the xlsum profile's stemming needs nltk: pip install "
                          "'arsum-bench[xlsum]'") from None
    try:
        return SnowballStemmer("arabic", ignore_stopwords=True)
    except (ValueError, LookupError):
        raise ConfigError("the xlsum profile stems as XL-Sum did, leaving NLTK's Arabic "
                          "stopwords unstemmed, and NLTK's stopwords corpus is not installed: "
                          "run python -m nltk.downloader stopwords (or copy nltk_data/corpora/"
                          "stopwords from a machine that has it), or score without stemming "
                          "(not comparable with XL-Sum's published numbers)") from None
