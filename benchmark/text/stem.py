"""Optional clitic stripping and a light stemmer, on normalized tokens.

Both are off by default: they merge different words and damage names. The rules strip
only when a stem of at least two letters remains (so the lexicon-free rules cannot eat
short words whole).
"""

from __future__ import annotations

# Normalized forms (taa marbuta already folded to haa, alef variants to bare alef).
_PREFIX_CLITICS = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_SUFFIXES = ("هما", "كما", "تين", "تان", "ات", "ون", "ين", "ان", "ها", "هم", "هن",
             "كم", "نا", "يه", "ه", "ي")
MIN_STEM = 2


def strip_clitics(token: str) -> str:
    """Remove one leading conjunction/preposition clitic with an optional article."""
    for prefix in _PREFIX_CLITICS:
        if token.startswith(prefix) and len(token) - len(prefix) >= MIN_STEM + 1:
            return token[len(prefix):]
    return token


def light_stem(token: str) -> str:
    """Strip clitics, then one common plural, dual or pronoun suffix."""
    token = strip_clitics(token)
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= MIN_STEM + 1:
            return token[: -len(suffix)]
    return token
