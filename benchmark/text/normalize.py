"""Arabic normalization, profile ``ar`` (DESIGN §5, steps 1-10, in this order)."""

from __future__ import annotations

import unicodedata

import regex

NORMALIZER_VERSION = "ar.v1"

_FORMAT_MARKS = regex.compile(r"\p{Cf}+")
# Tashkeel U+064B-U+065F, superscript alef U+0670, Quranic marks U+06D6-U+06ED.
_DIACRITICS = regex.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]+")
_TATWEEL = "\u0640"
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef variants
    "ى": "ي",  # alef maqsura
    "ة": "ه",  # taa marbuta
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    "ک": "ك", "ی": "ي",  # Persian kaf and yeh
})
# str.translate looks every character up in the table; a few str.replace calls over
# the characters present are several times faster and give the same text (no
# replacement produces a character that is itself replaced).
_FOLD_PAIRS = tuple((chr(code), target) for code, target in _FOLD.items())


def _fold(text: str) -> str:
    for source, target in _FOLD_PAIRS:
        if source in text:
            text = text.replace(source, target)
    return text


# Hamza on a waw or yaa carrier, folded only when asked: both become the bare hamza ء,
# so the spelling variants مسئول / مسؤول / مسءول and شيئ / شيء meet. Hamza on alef is
# already folded to bare alef (step 5).
_HAMZA_FOLD = str.maketrans({"ؤ": "ء", "ئ": "ء"})
HAMZA_VERSION = "hamza.v2"


def normalize_arabic(text: str, *, fold_hamza: bool = False) -> str:
    """Apply the ``ar`` profile's normalization to `text`.

    With `fold_hamza`, the hamza carriers ``ؤ`` and ``ئ`` fold to the bare hamza ``ء``
    (a standalone ``ء`` stays), after the alef variants have folded to ``ا``: a hamza is
    kept as a hamza whatever its seat, so ``مسئول`` and ``مسؤول`` are one token.

    Idempotent: ``normalize_arabic(normalize_arabic(t)) == normalize_arabic(t)``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _FORMAT_MARKS.sub("", text)
    text = _DIACRITICS.sub("", text)
    text = text.replace(_TATWEEL, "")
    text = _fold(text)
    if fold_hamza:
        text = text.translate(_HAMZA_FOLD)
    return text.casefold()
