"""Person names: after titles and role words, from common given names, with name
particles (أبو، بن، عبد، آل ...), and coordinated names (الشيباني وأبو قصرة).

A name is at most two plain words, each extended by particles; it stops at punctuation,
function words, nisba adjectives, list places and organizations, and at a likely verb.
"""

from __future__ import annotations

from benchmark.entities.orgs import org_at
from benchmark.entities.scanner import PARTICLES, Scanner, Span
from benchmark.entities.tokens import clitic_forms

MAX_PLAIN_WORDS = 2
MAX_TITLE_WINDOW = 6


def name_end(scanner: Scanner, i: int) -> int:
    """End (exclusive) of the name starting at token `i` (`i` itself when none)."""
    if not scanner.namelike(i) and scanner.bare(i) not in PARTICLES:
        return i
    j, plain = i, 0
    while j < len(scanner.tokens) and plain < MAX_PLAIN_WORDS:
        if j > i and scanner.tokens[j].breaks_before:
            break
        norm = scanner.norm(j)
        if norm in PARTICLES and j + 1 < len(scanner.tokens) \
                and not scanner.tokens[j + 1].breaks_before and scanner.namelike(j + 1):
            j += 2
            plain += 1
            continue
        if not scanner.namelike(j) or (j > i and _coordinating(scanner, j)):
            break
        if j > i and norm.endswith(("ها", "هم", "هما")):
            break  # a pronoun suffix: عمرها
        if plain >= 1 and norm[0] in "يت" and len(norm) >= 4 \
                and norm not in scanner.gazetteer.given_names and j - i >= 2:
            break
        j += 1
        plain += 1
    return j


def _coordinating(scanner: Scanner, i: int) -> bool:
    """Is token `i` a و that joins another name or word (not a name like وودورد)?"""
    norm = scanner.norm(i)
    if not norm.startswith("و") or len(norm) < 3:
        return False
    bare = norm[1:]
    gazetteer = scanner.gazetteer
    return (bare.startswith("ال") or bare in PARTICLES or bare in gazetteer.given_names
            or bare in gazetteer.stopwords or scanner.phrase_at(i) is not None
            or norm in gazetteer.given_names)


def person_after_title(scanner: Scanner, title: Span) -> tuple[list[Span], int]:
    """Entities in the window after a title, ending with the person if one is named.

    Skips portfolios and descriptors (وزير الخارجية السوري), and reads places and
    organizations on the way (مدرب فريق ليفربول الإنجليزي يورغن كلوب).
    """
    found: list[Span] = []
    k, commas = title.last, 0
    gazetteer = scanner.gazetteer
    while k < len(scanner.tokens) and k - title.last < MAX_TITLE_WINDOW:
        token = scanner.tokens[k]
        if token.breaks_before:
            if token.gap.strip() not in ("،", ",") or commas or k == title.last:
                break
            commas += 1
        if scanner.taken[k]:
            break
        norm = token.norm
        if norm in gazetteer.descriptors or norm in gazetteer.nisba:
            k += 1
            continue
        phrase = scanner.phrase_at(k)
        if phrase is not None:
            found.append(phrase)
            if phrase.type == "PERS":
                return found, phrase.last
            k = phrase.last
            continue
        org = org_at(scanner, k)
        if org is not None:
            found.append(org)
            k = org.last
            continue
        nested_title = scanner.title_at(k)
        if nested_title is not None and norm not in gazetteer.given_names:
            k = nested_title.last
            continue
        end = name_end(scanner, k)
        lone_definite = end == k + 1 and norm.startswith("ال")
        if token.text[:1] in "بلك" and token.text.endswith("ة") \
                and norm not in gazetteer.given_names:
            break  # a prepositional noun: بتهمة، لكرة
        verb = norm[0] == "ي" and len(norm) >= 4 and norm not in gazetteer.given_names
        if end > k and not lone_definite and not verb and not _coordinating(scanner, k):
            found.append(Span(k, end, "PERS"))
            return found, end
        break
    return found, k


def person_from_given_name(scanner: Scanner, i: int) -> Span | None:
    """A name that begins with a common given name (or أبو ...) and has two words."""
    starters = scanner.gazetteer.given_names | {"ابو", "عبد"}
    if scanner.is_function_word(i):
        return None
    if scanner.tokens[i].text.endswith("ى"):
        return None  # على, not علي
    stripped = next((form.stripped for form in clitic_forms(scanner.norm(i))
                     if form.form in starters and not form.restored_article), None)
    if stripped is None:
        return None
    if i + 1 >= len(scanner.tokens) or scanner.tokens[i + 1].breaks_before:
        return None
    if scanner.phrase_at(i + 1) is not None:
        return None
    end = name_end(scanner, i)
    if end - i < 2:
        return None
    return Span(i, end, "PERS", stripped)


def coordinated_person(scanner: Scanner, i: int) -> Span | None:
    """``و`` + a name right after a person: الشيباني وأبو قصرة."""
    if i >= len(scanner.tokens) or scanner.tokens[i].breaks_before or scanner.taken[i]:
        return None
    norm = scanner.norm(i)
    if not norm.startswith("و") or len(norm) < 3:
        return None
    bare = norm[1:]
    phrase = scanner.phrase_at(i)
    if phrase is not None:
        return phrase if phrase.type == "PERS" else None
    if bare in PARTICLES or bare in scanner.gazetteer.given_names:
        end = name_end_from_bare(scanner, i)
        if end - i >= 2:
            return Span(i, end, "PERS", 1)
    return None


def name_end_from_bare(scanner: Scanner, i: int) -> int:
    """Like `name_end`, for a first token read without its و."""
    j = i + 1
    plain = 1 if scanner.bare(i) not in PARTICLES else 0
    if plain == 0:
        if j >= len(scanner.tokens) or not scanner.namelike(j):
            return i
        j += 1
        plain = 1
    while j < len(scanner.tokens) and plain < MAX_PLAIN_WORDS:
        if scanner.tokens[j].breaks_before or not scanner.namelike(j) \
                or scanner.norm(j).startswith("و"):
            break
        j += 1
        plain += 1
    return j


def aliases(scanner: Scanner, span: Span) -> list[tuple[str, ...]]:
    """Short forms of a full name that refer to the same person later in a text:
    the surname (``الشيباني``), or particle + surname (``أبو قصرة``)."""
    words = [scanner.norm(k) for k in range(span.first, span.last)]
    if span.stripped:
        words[0] = scanner.bare(span.first)
    if len(words) < 2:
        return []
    if len(words) >= 3 and words[-2] in PARTICLES:
        return [tuple(words[-2:])]
    surname = words[-1]
    if len(surname) < 3 or surname in scanner.gazetteer.given_names:
        return []
    return [(surname,)]
