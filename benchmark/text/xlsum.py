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
   ``aggressive`` mode (``pyonmttok``), which also splits letters from digits, then
   spaces out CJK characters;
5. stemming: NLTK's Snowball Arabic stemmer with NLTK's Arabic stopwords left unstemmed,
   applied to tokens longer than 3 characters. The stopword list ships with this package
   (``data/nltk_arabic_stopwords.txt``, NLTK's own file), so nothing is downloaded.

ROUGE-Lsum takes another path there (`tokenize_xlsum_line`): the text is split at
newlines only, and each line goes through steps 1 to 3 and 5, never OpenNMT's
tokenizer, so ``الـ71`` stays one token in Lsum while ROUGE-1/2/L see ``الـ`` and ``71``.

No Arabic normalization (no alef folding, no tashkeel removal): their scorer has none, and
that is one of the reasons this profile is not the one we recommend.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from benchmark.errors import ConfigError

TOKENIZER_VERSION = "xlsum.v2"  # v2: ROUGE-Lsum's own path, CJK spacing
STEMMER_VERSION = "snowball-ar+nltk-stopwords"
MIN_STEM_LENGTH = 3  # tokens of more characters than this are stemmed


def tokenize_xlsum(text: str) -> list[str]:
    """XL-Sum's tokens of ``text`` (steps 1 to 4), before stemming."""
    pieces = tokenize_xlsum_line(text)
    if not pieces:
        return []
    segmented = " ".join(_onmt_tokenizer().tokenize(" ".join(pieces))[0])
    if any(_is_cjk(char) for char in segmented):
        segmented = "".join(f" {char} " if _is_cjk(char) else char for char in segmented)
    return segmented.split()


def tokenize_xlsum_line(text: str) -> list[str]:
    """XL-Sum's ROUGE-Lsum tokens of one line (steps 1 to 3), before stemming."""
    return _split_on_punctuation(_clean(text.lower()))


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


_CJK = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x2A6DF), (0x2A700, 0x2B73F),
        (0x2B740, 0x2B81F), (0x2B820, 0x2CEAF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


def _is_cjk(char: str) -> bool:
    """A character of the CJK blocks BERT's tokenizer spaces out."""
    code = ord(char)
    return code >= 0x3400 and any(low <= code <= high for low, high in _CJK)


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


STOPWORDS_FILE = "nltk_arabic_stopwords.txt"


def arabic_stopwords() -> frozenset[str]:
    """NLTK's Arabic stopwords as NLTK reads them: every non-blank line of the file."""
    text = resources.files("benchmark.text").joinpath("data", STOPWORDS_FILE).read_text(
        encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line.rstrip())


@lru_cache(maxsize=1)
def _stemmer():
    """NLTK's Snowball Arabic stemmer that leaves NLTK's Arabic stopwords unstemmed, as
    ``SnowballStemmer("arabic", ignore_stopwords=True)`` does, with the shipped list:
    NLTK's own corpus is never looked up (nor downloaded)."""
    try:
        from nltk.stem.snowball import ArabicStemmer
    except ImportError:
        raise ConfigError("the xlsum profile's stemming needs nltk: pip install "
                          "'arsum-bench[xlsum]'") from None
    stemmer = ArabicStemmer(ignore_stopwords=False)
    stemmer.stopwords = set(arabic_stopwords())
    return stemmer
