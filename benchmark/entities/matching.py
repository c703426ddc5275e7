"""When does one mention support another? Cross-text matching for entity coverage.

`supports(claim, evidence)` decides whether the evidence text states what the claim
names (DESIGN §7; docs/entities.md "What counts as the same entity"):

- names (PERS LOC ORG MISC): a shared *match key*. A name's match keys are its key,
  the key with a proclitic cut from its first word (``لولايات المتحده`` ->
  ``الولايات المتحده``, ``وغوغل`` -> ``غوغل``), and the key without a describing or
  settlement head (``شركه غوغل`` -> ``غوغل``, ``مدينه حلب`` -> ``حلب``); or the same
  gazetteer identity (``سورية`` and ``سوريا``); or for persons one name's words inside
  the other's (``أبو قصرة`` and ``مرهف أبو قصرة``). As a fallback the claim's words in
  the evidence's normalized text at word boundaries, a proclitic allowed on the first
  word (a stop word written with ى, such as على, never reads as the name علي);
- NUM, ORDINAL, PERCENT, MONEY: the same type and value (money: a compatible
  currency; a NUM and an ORDINAL are the same type here, as ``الـ4`` after a noun
  often writes the fourth); ``١٦``, ``16`` and ``ستة عشر`` all have the value 16, and
  so has the ordinal ``السادس عشر``;
- DATE: every field the claim states (year, month, day, weekday, clock time) stated
  equally; a claim that states only a year is also supported by a NUM of that value
  (``2018`` written without a trigger word), and a NUM that may be a year (1000-2199)
  by a date in that year.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Sequence

import regex

from benchmark.entities.dates import date_fields, date_supports
from benchmark.entities.gazetteer import canonical_id, load_gazetteer
from benchmark.entities.model import NAME_TYPES, NUMERIC_TYPES, Entity
from benchmark.entities.numbers import same_currency
from benchmark.entities.patterns import WORD_END, WORD_START, written
from benchmark.entities.tokens import clitic_forms, clitic_readings, clitic_spellings
from benchmark.text import normalize_arabic, tokenize_words

RELATIVE_TOLERANCE = 1e-6
MIN_STEM = 3  # letters a name's first word keeps after a proclitic is cut
# A claim that states only a year (``2018``) is supported by a bare number of that
# value in this range.
_YEARS = range(1000, 2200)


class Evidence:
    """A text's entities, and its normalized words for the word fallback of
    `supports`. The words are read when the fallback first needs them (most claims are
    settled by the entities), or given ready (`words`, from the dataset analysis)."""

    __slots__ = ("entities", "_text", "_words")

    def __init__(self, entities: Sequence[Entity], *, text: str | None = None,
                 words: Sequence[str] | None = None):
        self.entities = entities
        self._text = text
        self._words = None if words is None else list(words)

    @classmethod
    def of(cls, text: str, entities: Sequence[Entity]) -> "Evidence":
        return cls(entities, text=text)

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = evidence_words(self._text or "")
        return self._words

    def contains_words(self, words: Sequence[str]) -> bool:
        """Do `words` occur here in a row (the first may carry a proclitic)? The first
        word is looked for among its `clitic_spellings` (one pass over the words, no
        word's readings made), each found spelling confirmed by its readings."""
        if not words:
            return False
        first, rest, width = words[0], list(words[1:]), len(words)
        here = self.words
        spellings = clitic_spellings(first)
        for index in itertools.compress(range(len(here)), map(spellings.__contains__, here)):
            if first in clitic_readings(here[index]) and here[index + 1:index + width] == rest:
                return True
        return False


def evidence_words(text: str) -> list[str]:
    """The normalized words the fallback of `supports` looks for a name in (stop words
    written with ى marked, so that على never reads as علي)."""
    return tokenize_words(normalize_arabic(_marked_maqsura(text)))


def _marked_maqsura(text: str) -> str:
    """`text` with its stop words written with ى marked. The pattern runs from the last
    space before the first ى on: every such word ends in ى and holds no space, and a
    space before the part it reads passes its WORD_START as the text's start does
    (about half of a sentence's scan, and all of it in a text without ى)."""
    first = text.find("ى")
    if first < 0:
        return text
    cut = text.rfind(" ", 0, first) + 1
    return text[:cut] + _maqsura_stopwords().sub(_MAQSURA_MARK, text[cut:])


def supports(claim: Entity, evidence: Evidence) -> bool:
    """Does the evidence text state the entity `claim` names?"""
    if claim.type in NAME_TYPES:
        return (_equal_name(claim, evidence.entities)
                or any(_same_name(claim, other) for other in evidence.entities)
                or (claim.type != "MISC" and evidence.contains_words(claim.key.split())))
    if claim.type in NUMERIC_TYPES:
        return (_equal_number(claim, evidence.entities)
                or any(_same_number(claim, other) for other in evidence.entities))
    if claim.type == "DATE":
        return any(_same_date(claim, other) for other in evidence.entities)
    return any(other.type == claim.type and other.key == claim.key
               for other in evidence.entities)


def _equal_name(claim: Entity, entities: Sequence[Entity]) -> bool:
    """Is one of `entities` a name with the key of the name `claim`, both MISC or
    neither? (`_same_name` says so of it; most names an article is asked for are
    entities of it: found by one look at each key before any is matched.)"""
    key, misc = claim.key, claim.type == "MISC"
    for other in entities:
        if other.key == key and other.type in NAME_TYPES and (other.type == "MISC") == misc:
            return True
    return False


def _equal_number(claim: Entity, entities: Sequence[Entity]) -> bool:
    """Is one of `entities` of the type, value and currency of the number `claim`, its
    value a finite float? (`_same_number` says so of it; not of inf or nan.)"""
    value = claim.value
    if type(value) is not float or not math.isfinite(value):
        return False
    for other in entities:
        if other.value == value and other.type == claim.type \
                and other.currency == claim.currency:
            return True
    return False


def _same_name(claim: Entity, other: Entity) -> bool:
    if other.type not in NAME_TYPES or (claim.type == "MISC") != (other.type == "MISC"):
        return False
    if claim.key == other.key or not match_keys(claim.key).isdisjoint(match_keys(other.key)):
        return True
    claim_id = canonical_id(claim.type, claim.key)
    if claim_id is not None and claim_id == canonical_id(other.type, other.key):
        return True
    if claim.type == "PERS" and other.type == "PERS":
        return _contains(claim.key.split(), other.key.split()) or \
            _contains(other.key.split(), claim.key.split())
    return False


@functools.lru_cache(maxsize=65536)
def match_keys(key: str) -> frozenset[str]:
    """The keys under which a name counts as the same entity: `key`, `key` with a
    proclitic cut from its first word (at least `MIN_STEM` letters left; after ``لل``
    the article restored, also on a key that kept only ``ل``: ``لولايات``), and `key`
    without a describing organization head or a settlement head (``شركه غوغل``,
    ``نادي ريال مدريد``, ``مدينه حلب``)."""
    words = key.split()
    if not words:
        return frozenset()
    keys = {key}
    readings = [form.form for form in clitic_forms(words[0]) if form.stripped]
    if words[0].startswith("ل") and not words[0].startswith("ال"):
        readings.append("ا" + words[0])  # لولايات: the ل of لل cut, the article lost
    for reading in readings:
        if len(reading) >= MIN_STEM:
            keys.add(" ".join([reading, *words[1:]]))
    gazetteer = load_gazetteer()
    for variant in list(keys):
        parts = variant.split()
        for width in (2, 1):
            head = " ".join(parts[:width])
            if len(parts) > width and (
                    gazetteer.org_heads.get(head) in ("describe", "named")
                    or gazetteer.place_heads.get(head) == "settlement"):
                keys.add(" ".join(parts[width:]))
                break
    return frozenset(keys)


def _same_date(claim: Entity, other: Entity) -> bool:
    if not isinstance(claim.value, str):
        return False
    if other.type == "DATE" and isinstance(other.value, str):
        return date_supports(other.value, claim.value)
    if other.type == "NUM" and _year_number(other) is not None:
        fields = date_fields(claim.value)
        return set(fields) == {"calendar", "year"} and fields["calendar"] == "gregorian" \
            and fields["year"] == _year_number(other)
    return False


def _year_number(number: Entity) -> int | None:
    """The year a NUM may be (a whole number in `_YEARS`), or None."""
    value = number.value
    if isinstance(value, float) and value.is_integer() and int(value) in _YEARS:
        return int(value)
    return None


_MAQSURA_MARK = "\\1\\2ـمقصوره"


@functools.lru_cache(maxsize=1)
def _maqsura_stopwords() -> regex.Pattern:
    """Stop words written with a final ى (على، إلى): marked before normalization so that
    the fallback never reads them as names (علي)."""
    words = sorted(load_gazetteer().maqsura_stopwords, key=len, reverse=True)
    written_words = "|".join(written(word[:-1]) + "ى" for word in words)
    return regex.compile(rf"{WORD_START}([وف]?)({written_words}){WORD_END}")


def _contains(short: list[str], long: list[str]) -> bool:
    """Is `short` a contiguous run of `long`? (Most pairs of names share no word: told
    by looking for the first word before trying each place.)"""
    if short and short[0] not in long:
        return False
    width = len(short)
    return any(long[i:i + width] == short for i in range(len(long) - width + 1))


def _same_number(claim: Entity, other: Entity) -> bool:
    if claim.type == "NUM" and other.type == "DATE" and isinstance(other.value, str):
        return _year_number(claim) is not None and \
            date_fields(other.value).get("year") == _year_number(claim)
    if not _same_numeric_type(claim.type, other.type) or claim.value is None \
            or other.value is None:
        return False
    left, right = float(claim.value), float(other.value)
    close = abs(left - right) <= RELATIVE_TOLERANCE * max(abs(left), abs(right), 1.0)
    return close and (claim.type != "MONEY" or same_currency(claim.currency, other.currency))


def _same_numeric_type(left: str, right: str) -> bool:
    """The same type; or a number and an ordinal (للمرة الرابعة and للمرة الـ4 state
    one count)."""
    return left == right or {left, right} == {"NUM", "ORDINAL"}


def distinct(entities: Sequence[Entity]) -> list[Entity]:
    """One mention per entity: the first of each (type, key), and for persons the
    longest form of names whose words contain each other (``دونالد ترامب`` absorbs a
    later ``ترامب``)."""
    unique: list[Entity] = []
    seen: set[tuple[str, str]] = set()
    for entity in entities:
        if (entity.type, entity.key) not in seen:
            seen.add((entity.type, entity.key))
            unique.append(entity)
    persons = [(e, e.key.split()) for e in unique if e.type == "PERS"]  # split once each
    absorbed = {id(short) for short, short_words in persons for long, long_words in persons
                if short is not long and len(long_words) > len(short_words)
                and _contains(short_words, long_words)}
    return [e for e in unique if id(e) not in absorbed]
