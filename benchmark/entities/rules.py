"""The ``rules`` backend: offline, deterministic, pure Python (the default).

A text is read once (`stream.text_words`: its letter runs, normalized forms and what
each word may start, remembered across texts); then one left-to-right pass for numbers
and dates (patterns on the original text, tried only where one may begin), one over the
word tokens for names (lists, titles, organization and settlement heads, given names,
nisba adjectives; at a token only the rules whose lists one of its readings starts),
then one for aliases: surnames and parenthesized acronyms seen with their full form,
and the names of the `known` entities of a related text. Every pass is linear in the
length of the text.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
from typing import Sequence

import regex

from benchmark.entities import dates, numbers
from benchmark.entities.gazetteer import (GAZETTEER_VERSION, Gazetteer, Phrase, PhraseIndex,
                                         load_gazetteer)
from benchmark.entities.model import Entity, new_entity
from benchmark.entities.orgs import event_at, org_at
from benchmark.entities.patterns import WORD_END, alternation
from benchmark.entities.persons import (aliases, coordinated_person, extend_with_particles,
                                        person_after_title, person_from_given_name)
from benchmark.entities.places import place_after_head
from benchmark.entities.scanner import Scanner, Span
from benchmark.entities.stream import (EVENT, NISBA, ORG, PERSON, PHRASE, PLACE, TITLE, TextWords,
                                       text_words)
from benchmark.entities.tokens import clitic_readings, clitic_spellings, surface_key
from benchmark.signature import Signature

RULES_VERSION = "rules.v4"
_LOW_REGNAL = regex.compile(rf"[ \u00a0]+{alternation(['الاول', 'الاولي', 'الثاني', 'الثانيه'])}"
                            rf"{WORD_END}")


class RulesBackend:
    name = "rules"

    def signature(self) -> Signature:
        return Signature.of(ner=RULES_VERSION, gaz=GAZETTEER_VERSION)

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        words = text_words(text)
        found, ordinals = _numeric_and_ordinals(text, words)
        names = name_entities(text, taken_spans=[(e.start, e.end) for e in found],
                              known=known, words=words)
        found += _with_ordinals(text, names, ordinals)
        return sorted(found, key=lambda e: (e.start, e.end))


def numeric_entities(text: str) -> list[Entity]:
    """DATE, MONEY, PERCENT and NUM entities (the ordinals left out: they need the
    names, see `_with_ordinals`); a date wins over a number it overlaps, and a cardinal
    inside an ordinal is none (الخامسة عشرة)."""
    found, _ = _numeric_and_ordinals(text)
    return found


def _numeric_and_ordinals(text: str, words: TextWords | None = None
                          ) -> tuple[list[Entity], list[Entity]]:
    """Dates and numbers, and apart the ordinals (which the name pass may still take:
    a regnal number belongs to the name, محمد السادس)."""
    words = words or text_words(text)
    found: list[Entity] = []
    for match in dates.find_dates(text, words):
        surface = text[match.start:match.end]
        found.append(new_entity("DATE", surface, match.start, match.end,
                                surface_key(surface), match.value))
    taken = _coverage(len(text), [(e.start, e.end) for e in found])
    ordinals: list[Entity] = []
    for ordinal in numbers.find_ordinals(text, words):
        if not any(taken[ordinal.start:ordinal.end]):
            surface = text[ordinal.start:ordinal.end]
            ordinals.append(new_entity("ORDINAL", surface, ordinal.start, ordinal.end,
                                       surface_key(surface), ordinal.value))
            taken[ordinal.start:ordinal.end] = b"\x01" * (ordinal.end - ordinal.start)
    for number in numbers.find_numbers(text, words, taken=taken):
        surface = text[number.start:number.end]
        found.append(new_entity(number.type, surface, number.start, number.end,
                                surface_key(surface), number.value, number.currency))
    return found, ordinals


def _with_ordinals(text: str, names: list[Entity], ordinals: list[Entity]) -> list[Entity]:
    """Names, with a definite ordinal right after (or partly inside) a person's name
    added to it (a regnal number: محمد السادس, بنديكت السادس عشر), and the ordinals
    that no name holds (ORDINAL: للمرة الرابعة). Linear: names are looked up by
    position (they are sorted and do not overlap)."""
    result = [_regnal(text, e) if e.type == "PERS" else e for e in names]
    if not ordinals:
        return result
    _add_regnal(text, result, ordinals)
    starts = [e.start for e in result]
    for ordinal in ordinals:
        k = bisect.bisect_right(starts, ordinal.start) - 1  # the name starting before
        if (k < 0 or result[k].end <= ordinal.start) \
                and (k + 1 >= len(result) or result[k + 1].start >= ordinal.end):
            result.append(ordinal)
    return result


def _add_regnal(text: str, result: list[Entity], ordinals: list[Entity]) -> None:
    """Extend each person in `result` by an ordinal right after or partly inside it."""
    starts = [e.start for e in result]
    for ordinal in ordinals:
        k = bisect.bisect_right(starts, ordinal.start) - 1  # the name starting before
        name = result[k] if k >= 0 else None
        if name is None or name.type != "PERS":
            continue
        inside = name.start < ordinal.start < name.end < ordinal.end
        after = name.end < ordinal.start and not text[name.end:ordinal.start].strip(" \u00a0") \
            and ordinal.key.startswith("ال") and _after_given_name(name)
        if (inside or after) and (k + 1 >= len(result) or result[k + 1].start >= ordinal.end):
            surface = text[name.start:ordinal.end]
            result[k] = new_entity("PERS", surface, name.start, ordinal.end,
                                   surface_key(surface))


def name_entities(text: str, *, taken_spans: list[tuple[int, int]],
                  known: Sequence[Entity] | None = None,
                  words: TextWords | None = None) -> list[Entity]:
    """PERS, LOC, ORG and MISC entities of the tokens no number or date took."""
    words = words or text_words(text)
    size = len(words.norms)
    taken = [False] * size
    for start, end in taken_spans:  # the tokens that overlap a number or a date
        k = bisect.bisect_right(words.token_ends, start)
        while k < size and words.token_starts[k] < end:
            taken[k] = True
            k += 1
    scanner = Scanner(text, words, taken, load_gazetteer())
    starting = _add_known(scanner.overlay, known, scanner.norms) if known else None
    scanner.overlay_starts = starting
    spans = _first_pass(scanner, starting)
    if _add_aliases(scanner, spans):  # the overlay grew: more tokens may start a name
        scanner.overlay_starts = None  # not asked again: the alias pass gives the index
        starting = _overlay_spellings(scanner)
    spans += _alias_pass(scanner, spans, starting)
    return [scanner.entity(span) for span in sorted(spans, key=lambda s: s.first)]


def _first_pass(scanner: Scanner, starting: set[str] | None) -> list[Span]:
    """The names of the rules, left to right. `starting`: the tokens that may start a
    phrase of the overlay (`_add_known`)."""
    spans: list[Span] = []
    i = 0  # the first token a rule may start at (after what the last one found)
    for k in itertools.compress(range(scanner.size), _first_pass_starts(scanner, starting)):
        if k >= i and not scanner.taken[k]:
            i = _rules_at(scanner, k, spans)
    return spans


def _rules_at(scanner: Scanner, i: int, spans: list[Span]) -> int:
    """Try the first pass's rules at token `i` (only those whose list a reading of it
    starts: `Scanner.lists`), add what they find to `spans`, and return the next token."""
    gazetteer, bits = scanner.gazetteer, scanner.lists[i]
    title = scanner.title_at(i) if bits & TITLE else None
    if title is not None and scanner.norms[i] not in gazetteer.given_names:
        found, end = person_after_title(scanner, title)
        spans += found
        return _after_person(scanner, spans, found, max(end, title.last))
    span = event_at(scanner, i) if bits & EVENT else None
    if span is not None:
        spans.append(span)
        return span.last
    span = _listed_or_org(scanner, i) if bits & (PHRASE | ORG) or scanner.overlay.by_first \
        else None
    if span is not None and span.type == "LOC" and _agreeing_nisba(scanner, span):
        span = Span(i, i + 1, "MISC", id=gazetteer.nisba[scanner.norms[i]])
    if span is None and bits & PLACE:
        span = place_after_head(scanner, i)
    if span is None and bits & PERSON:
        span = person_from_given_name(scanner, i)
    if span is not None:
        if span.type != "PERS":  # a person may go on (particles, a coordinated name)
            spans.append(span)
            return span.last
        span = extend_with_particles(scanner, span)
        spans.append(span)
        return _after_person(scanner, spans, [span], span.last)
    if bits & NISBA:
        nisba = gazetteer.nisba.get(scanner.norms[i]) or gazetteer.nisba.get(scanner.bare(i))
        if nisba is not None:
            stripped = 0 if scanner.norms[i] in gazetteer.nisba else 1
            spans.append(Span(i, i + 1, "MISC", stripped, id=nisba))
    return i + 1


def _first_pass_starts(scanner: Scanner, starting: set[str] | None) -> Sequence[int]:
    """Per token: may a first-pass rule start there (a reading starts a list, or a
    phrase of the overlay of this text: `starting`, from `_add_known`)?"""
    may_start: Sequence[int] = scanner.lists
    if starting:
        may_start = list(map(operator.or_, may_start,
                             map(starting.__contains__, scanner.norms)))
    return may_start


def _overlay_spellings(scanner: Scanner) -> set[str]:
    """Every token that a first word of the overlay may be a clitic reading of
    (`tokens.clitic_spellings`): a superset of the tokens that may start one of its
    phrases, made without reading the text's tokens (`_alias_pass` reads them once; at
    a spelling none of whose readings is a first word, `phrase_at` finds nothing)."""
    return set().union(*map(clitic_spellings, scanner.overlay.by_first))


def _agreeing_nisba(scanner: Scanner, span: Span) -> bool:
    """A place name that is also a feminine nisba, agreeing with the indefinite noun or
    adjective before it (لاجئة كردية سورية): the adjective, not the country."""
    i = span.first
    if span.type != "LOC" or span.last != i + 1 or span.stripped or i == 0 \
            or scanner.norms[i] not in scanner.gazetteer.nisba:
        return False
    before = scanner.norms[i - 1]
    return (not scanner.breaks[i] and not scanner.taken[i - 1]
            and scanner.texts[i - 1].endswith("ة") and not before.startswith("ال")
            and before not in scanner.gazetteer.stopwords)


def _listed_or_org(scanner: Scanner, i: int) -> Span | None:
    """The longer of the list phrase and the organization at token `i`; but a listed
    name of two words or more is not extended by an organization's completion unless a
    nisba closes it (منظمة الصحة العالمية, not ... العالمية الوصول)."""
    phrase = scanner.phrase_at(i)
    org = org_at(scanner, i) if scanner.lists[i] & ORG else None
    if phrase is not None and org is not None and org.last > phrase.last \
            and phrase.last - phrase.first >= 2 \
            and scanner.norms[org.last - 1] not in scanner.gazetteer.nisba:
        return phrase
    return _longest(phrase, org)


def _longest(*candidates: Span | None) -> Span | None:
    best = None
    for span in candidates:
        if span is not None and (best is None or span.last > best.last):
            best = span
    return best


def _after_person(scanner: Scanner, spans: list[Span], found: list[Span], end: int) -> int:
    """Read names coordinated with a person just found (الشيباني وأبو قصرة)."""
    while found and found[-1].type == "PERS":
        nxt = coordinated_person(scanner, end)
        if nxt is None:
            break
        spans.append(nxt)
        found = [nxt]
        end = nxt.last
    return end


def _add_known(overlay: PhraseIndex, known: Sequence[Entity], norms: Sequence[str]
               ) -> set[str]:
    """Add the names of the `known` entities (and a person's surname), in order, that may
    start at a token of this text, and return the tokens that may start one (what
    `_overlay_starts` tells of the overlay so made). A phrase is only looked up by a
    clitic reading of a token (`Scanner.phrase_at`, `_overlay_starts`), so one whose
    first word is none would never be read, and leaving it out changes nothing (a later
    phrase with the same words is unreadable too). Most of an article's names are not
    in its summary, and an article's entities are new to each call: nothing is built
    for them."""
    by_ending: dict[str, list[str]] = {}  # the tokens by their last two letters
    for norm in set(norms):
        by_ending.setdefault(norm[-2:], []).append(norm)
    starting: set[str] = set()
    read_as: dict[str, set[str]] = {}  # a first word: the tokens it is a reading of
    for entity in known:
        if entity.type in _KNOWN_TYPES:
            for words in known_names(entity.type, entity.key):
                first = words[0]
                same_ending = by_ending.get(first[-2:])  # a reading ends as its token
                if same_ending:
                    starts = read_as.get(first)
                    if starts is None:
                        starts = read_as[first] = _read_as(first, same_ending)
                    if starts:
                        overlay.add(Phrase(words, entity.type, entity.key))
                        starting |= starts
    return starting


def _read_as(form: str, tokens: list[str]) -> set[str]:
    """The `tokens` that `form` is a clitic reading of. Such a token is `form`, or ends
    with it after proclitics, or with all of it but its alef after ``لل``
    (`tokens.clitic_forms`): only the tokens that end so have their readings made."""
    tail = form[1:] if form.startswith("ال") else form
    return {norm for norm in tokens
            if norm.endswith(tail) and (norm == form or form in clitic_readings(norm))}


_KNOWN_TYPES = frozenset({"PERS", "LOC", "ORG"})


@functools.lru_cache(maxsize=1 << 14)  # an article's entities are known to its summaries
def known_names(entity_type: str, key: str) -> list[tuple[str, ...]]:
    """The words of the names a known entity adds: its name, and a person's surname
    (with a particle: أبو قصرة)."""
    words = tuple(key.split())
    if entity_type not in _KNOWN_TYPES or not words:
        return []
    names = [words]
    if entity_type == "PERS" and len(words) >= 2:
        short = words[-2:] if len(words) >= 3 and words[-2] in ("ابو", "بن", "ابن") \
            else words[-1:]
        if len(" ".join(short)) >= 3:
            names.append(short)
    return names


def _add_aliases(scanner: Scanner, spans: list[Span]) -> bool:
    """Add to the overlay the surnames of the persons found and the acronyms written
    after an organization; say whether it grew."""
    added = False
    for span in spans:
        if span.type == "PERS":
            for words in aliases(scanner, span):
                added |= scanner.overlay.add(Phrase(words, "PERS", " ".join(words)))
        elif span.type == "ORG" and span.last < scanner.size:
            k = span.last  # the acronym
            if "(" in scanner.gaps[k] and k + 1 <= scanner.size:
                closing = (scanner.gaps[k + 1] if k + 1 < scanner.size
                           else scanner.text[scanner.ends[k]:scanner.ends[k] + 1])
                if ")" in closing:
                    added |= scanner.overlay.add(Phrase((scanner.norms[k],), "ORG",
                                                        scanner.norms[k]))
    return added


def _alias_pass(scanner: Scanner, spans: list[Span], starting: set[str] | None
                ) -> list[Span]:
    """The overlay's names at the tokens no name took. `starting`: the tokens that may
    start one of them (`_add_known`'s, or the superset `_overlay_spellings`)."""
    found: list[Span] = []
    if not starting:
        return found
    used = [False] * scanner.size
    for span in spans:
        used[span.first:span.last] = [True] * (span.last - span.first)
    i = 0  # the first token a name may start at (after the last one found)
    for k in itertools.compress(range(scanner.size), map(starting.__contains__, scanner.norms)):
        if k < i or used[k] or scanner.taken[k]:
            continue
        name = scanner.phrase_at(k, scanner.overlay)
        if name is not None and not any(used[name.first:name.last]):
            found.append(name)
            i = name.last
    return found


def _regnal(text: str, person: Entity) -> Entity:
    """A person followed by الأول or الثاني (not ordinals of the number pass):
    عبد الله الثاني, إليزابيث الثانية."""
    match = _LOW_REGNAL.match(text, person.end)
    if match is None or not _after_given_name(person):
        return person
    surface = text[person.start:match.end()]
    return new_entity("PERS", surface, person.start, match.end(), surface_key(surface))


def _after_given_name(person: Entity) -> bool:
    """Is a regnal number plausible after this name (its last word a given name:
    محمد، عبد الله، إليزابيث, not a surname such as ترامب)?"""
    given = load_gazetteer().given_names
    words = person.key.split()
    return words[-1] in given or "".join(words[-2:]) in given


def _coverage(length: int, spans: list[tuple[int, int]]) -> bytearray:
    covered = bytearray(length)
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)
    return covered
