"""When does one mention support another? Cross-text matching for entity coverage.

`supports(claim, evidence)` decides whether the evidence text states what the claim
names (DESIGN §7):

- names (PERS LOC ORG MISC): the same key, or the same gazetteer identity (``سورية``
  and ``سوريا``), or for persons one name's words inside the other's (``أبو قصرة`` and
  ``مرهف أبو قصرة``); as a fallback the claim's words in the evidence's normalized
  text at word boundaries, a proclitic allowed on the first word;
- NUM, PERCENT, MONEY: the same type and value (money: a compatible currency);
- DATE: every field the claim states (year, month, day, weekday) stated equally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from benchmark.entities.dates import date_supports
from benchmark.entities.gazetteer import canonical_id
from benchmark.entities.model import NAME_TYPES, NUMERIC_TYPES, Entity
from benchmark.entities.numbers import same_currency
from benchmark.entities.tokens import clitic_forms
from benchmark.text import normalize_arabic, tokenize_words

RELATIVE_TOLERANCE = 1e-6


@dataclass
class Evidence:
    """A text's entities and normalized words, indexed for `supports` lookups."""

    entities: Sequence[Entity]
    words: list[str]
    positions: dict[str, list[int]] = field(default_factory=dict)  # word -> indexes
    readings: dict[str, list[int]] = field(default_factory=dict)  # clitic-free reading

    @classmethod
    def of(cls, text: str, entities: Sequence[Entity]) -> "Evidence":
        evidence = cls(entities=entities, words=tokenize_words(normalize_arabic(text)))
        for index, word in enumerate(evidence.words):
            evidence.positions.setdefault(word, []).append(index)
            for form in clitic_forms(word):
                evidence.readings.setdefault(form.form, []).append(index)
        return evidence

    def contains_words(self, words: Sequence[str]) -> bool:
        """Do `words` occur here in a row (the first may carry a proclitic)?"""
        if not words:
            return False
        for index in self.readings.get(words[0], ()):
            following = self.words[index + 1:index + len(words)]
            if list(following) == list(words[1:]):
                return True
        return False


def supports(claim: Entity, evidence: Evidence) -> bool:
    """Does the evidence text state the entity `claim` names?"""
    if claim.type in NAME_TYPES:
        return (any(_same_name(claim, other) for other in evidence.entities)
                or (claim.type != "MISC" and evidence.contains_words(claim.key.split())))
    if claim.type in NUMERIC_TYPES:
        return any(_same_number(claim, other) for other in evidence.entities)
    if claim.type == "DATE":
        return any(other.type == "DATE" and isinstance(other.value, str)
                   and isinstance(claim.value, str) and date_supports(other.value, claim.value)
                   for other in evidence.entities)
    return any(other.type == claim.type and other.key == claim.key
               for other in evidence.entities)


def _same_name(claim: Entity, other: Entity) -> bool:
    if other.type not in NAME_TYPES or (claim.type == "MISC") != (other.type == "MISC"):
        return False
    if claim.key == other.key:
        return True
    claim_id = canonical_id(claim.type, claim.key)
    if claim_id is not None and claim_id == canonical_id(other.type, other.key):
        return True
    if claim.type == "PERS" and other.type == "PERS":
        return _contains(claim.key.split(), other.key.split()) or \
            _contains(other.key.split(), claim.key.split())
    return False


def _contains(short: list[str], long: list[str]) -> bool:
    """Is `short` a contiguous run of `long`?"""
    width = len(short)
    return any(long[i:i + width] == short for i in range(len(long) - width + 1))


def _same_number(claim: Entity, other: Entity) -> bool:
    if other.type != claim.type or claim.value is None or other.value is None:
        return False
    left, right = float(claim.value), float(other.value)
    close = abs(left - right) <= RELATIVE_TOLERANCE * max(abs(left), abs(right), 1.0)
    return close and (claim.type != "MONEY" or same_currency(claim.currency, other.currency))


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
    persons = [e for e in unique if e.type == "PERS"]
    absorbed = {id(short) for short in persons for long in persons
                if short is not long and len(long.key.split()) > len(short.key.split())
                and _contains(short.key.split(), long.key.split())}
    return [e for e in unique if id(e) not in absorbed]
