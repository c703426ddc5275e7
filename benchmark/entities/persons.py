"""Person names: after titles and role words, from common given names, with name
particles (أبو، بن، عبد، آل ...), and coordinated names (الشيباني وأبو قصرة).

A name is at most two plain words, each extended by particles; it stops at punctuation,
function words, nisba adjectives, list places and organizations, and at a likely verb.
"""

from __future__ import annotations

from benchmark.entities.gazetteer import NAME_STARTERS, joined_abd
from benchmark.entities.numbers import ORDINALS
from benchmark.entities.orgs import org_at, verbal_noun
from benchmark.entities.scanner import PARTICLES, Scanner, Span
from benchmark.entities.tokens import clitic_forms

MAX_PLAIN_WORDS = 2
MAX_NAME_TOKENS = 7
MAX_TITLE_WINDOW = 6
_SONS = ("بن", "ابن")
# Particles that may continue a name past its plain words (and a listed name).
# Definite ordinals after a first name are regnal numbers (بنديكت السادس عشر).
REGNAL_WORDS = frozenset({"ال" + word + ending for word in ORDINALS for ending in ("", "ه")}
                         | {"الاول", "الاولي", "الثاني", "الثانيه"})
GENEALOGICAL = frozenset({"بن", "ابن", "بنت", "عبد", "ال", "ابو", "ابي", "ولد"})


def name_end(scanner: Scanner, i: int) -> int:
    """End (exclusive) of the name starting at token `i` (`i` itself when none).

    At most `MAX_PLAIN_WORDS` plain words, but a particle and its word may extend a name
    past them (حسين أمير عبد اللهيان، تميم بن حمد آل ثاني).
    """
    first = scanner.namelike(i)  # asked again of token `i` below: the same answer
    if not first and scanner.bare(i) not in PARTICLES:
        return i
    j, plain = i, 0
    while j < scanner.size and j - i < MAX_NAME_TOKENS:
        if j > i and scanner.breaks[j]:
            break
        particle_end = _particle_run(scanner, j, genealogical=plain >= MAX_PLAIN_WORDS)
        if particle_end is not None:
            j = particle_end
            plain += 1
            continue
        if plain >= MAX_PLAIN_WORDS:
            break
        norm = scanner.norms[j]
        if not (first if j == i else scanner.namelike(j)) \
                or (j > i and _coordinating(scanner, j)):
            break
        if j > i and (norm.endswith(("ها", "هم", "هما")) or _prepositional_noun(scanner, j)):
            break  # a pronoun suffix (عمرها) or a preposition on a noun (بجائزة)
        if j > i and _likely_verb(scanner, j, strict=j - i < 2):
            break
        j += 1
        plain += 1
    return j


def _particle_run(scanner: Scanner, j: int, *, genealogical: bool = False) -> int | None:
    """End of particles at `j` and the name word after them (بن عبد العزيز), or None.
    With `genealogical`, only بن، ابن، عبد، آل ... (not دي or لا) start the run."""
    k = j
    while k < scanner.size and scanner.norms[k] in PARTICLES \
            and (k == j or not scanner.breaks[k]):
        k += 1
    if k == j or k >= scanner.size or scanner.breaks[k] \
            or not scanner.namelike(k) or _likely_verb(scanner, k, strict=True):
        return None  # لا يريد, أم يريد: a particle's homograph before a verb
    if genealogical and scanner.norms[j] not in GENEALOGICAL:
        return None
    return k + 1


def extend_with_particles(scanner: Scanner, span: Span) -> Span:
    """A person's span continued by particles and their words (a listed محمد بن سلمان
    followed by بن عبد العزيز)."""
    if span.type != "PERS":
        return span
    last = span.last
    while last < scanner.size and last - span.first < MAX_NAME_TOKENS:
        if scanner.breaks[last]:
            break
        end = _particle_run(scanner, last, genealogical=True)
        if end is None:
            break
        last = end
    if last == span.last:
        return span
    return Span(span.first, last, "PERS", span.stripped, span.restored, span.id)


def _likely_verb(scanner: Scanner, j: int, *, strict: bool) -> bool:
    """An imperfect verb (يكتب، تمثل) rather than a name word. `strict` (the second word
    of a name) only accepts the four-letter pattern whose second letter is not a long
    vowel, since surnames like يونس or تيريزا begin the same way."""
    norm = scanner.norms[j]
    if norm[:1] not in ("ي", "ت") or norm in scanner.gazetteer.given_names:
        return False
    if strict:
        return len(norm) == 4 and norm[1] not in "اوي"
    return len(norm) >= 4


def _prepositional_noun(scanner: Scanner, j: int) -> bool:
    """``بتهمة``, ``لكرة``: a preposition on a feminine noun, not a name."""
    text = scanner.texts[j]
    return (text[:1] in "بلك" and text.endswith("ة")
            and scanner.norms[j] not in scanner.gazetteer.given_names)


def _coordinating(scanner: Scanner, i: int) -> bool:
    """Is token `i` a و that joins another name or word (not a name like وودورد)?"""
    norm = scanner.norms[i]
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
    club = scanner.phrase_at(title.first, gazetteer.club_titles) is not None
    while k < scanner.size and k - title.last < MAX_TITLE_WINDOW:
        norm = scanner.norms[k]
        if scanner.breaks[k]:
            if scanner.gaps[k].strip() not in ("،", ",") or commas or k == title.last:
                break
            if norm.startswith("و") and norm not in gazetteer.given_names \
                    and scanner.phrase_at(k) is None:
                break  # a new clause: ملكة جمال بريطانيا، وتمثل البلاد
            commas += 1
        if scanner.taken[k]:
            break
        if norm in gazetteer.descriptors or norm in gazetteer.nisba:
            k += 1
            continue
        phrase = scanner.phrase_at(k)
        if phrase is not None:
            if club and phrase.type == "LOC" and (phrase.id or "").startswith("city:"):
                phrase = Span(phrase.first, phrase.last, "ORG", phrase.stripped,
                              phrase.restored, phrase.id)  # مهاجم ليفربول: the club
            phrase = extend_with_particles(scanner, phrase)
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
        if _describes_given_name(scanner, k):
            k += 1  # an adjective before the name: الصحفي المفقود جمال خاشقجي
            continue
        end = name_end(scanner, k)
        if _names_after_title(scanner, k, end):
            found.append(Span(k, end, "PERS"))
            return found, end
        break
    return found, k


def _names_after_title(scanner: Scanner, k: int, end: int) -> bool:
    """Do tokens [k, end) after a title name the person? Not a noun phrase or a verb:
    بتهمة، بفتح تحقيق، مدير قسم الاتصالات، الدكتور ومقدم البرامج, a lone definite word,
    a word in ى or with an object pronoun (أتمنى، خذلته) that is no given name."""
    text, norm = scanner.texts[k], scanner.norms[k]
    given = norm in scanner.gazetteer.given_names
    if _prepositional_noun(scanner, k) or _prepositional_masdar(scanner, k) \
            or _noun_phrase(scanner, k, end) or _coordinated_role(scanner, k) \
            or _plural_noun(scanner, k) or _feminine_noun(scanner, k) \
            or (not given and (text.endswith("ى") or text.endswith(_PRONOUN_SUFFIXES)
                               or verbal_noun(norm))):
        return False
    lone_definite = end == k + 1 and norm.startswith("ال")
    verb = norm[0] == "ي" and len(norm) >= 4 and not given
    return end > k and not lone_definite and not verb and not _coordinating(scanner, k)


# (A first word in ى that is no given name is a verb or a noun: أتمنى، مستوى; foreign
# names are written with ي. One with an object pronoun is a verb or a noun: خذلته.)
_PRONOUN_SUFFIXES = ("ته", "تها", "تهم", "ها", "هم", "هما")


def _plural_noun(scanner: Scanner, k: int) -> bool:
    """A feminine plural of six letters or more (تهديدات، انتقادات) is a noun, not a
    name (عرفات and بركات are shorter)."""
    norm = scanner.norms[k]
    return len(norm) >= 6 and norm.endswith("ات") and norm not in scanner.gazetteer.given_names


def _feminine_noun(scanner: Scanner, k: int) -> bool:
    """A word in ة that is no given name, before a preposition on a noun (مشاركة
    بأهداف): a noun phrase after a title, not a name."""
    if not scanner.texts[k].endswith("ة") or scanner.norms[k] in scanner.gazetteer.given_names \
            or k + 1 >= scanner.size:
        return False
    return scanner.texts[k + 1][:1] in ("ب", "ل", "ك") and scanner.phrase_at(k + 1) is None \
        and scanner.norms[k + 1] not in scanner.gazetteer.given_names


def _describes_given_name(scanner: Scanner, k: int) -> bool:
    """A definite adjective right before a name (المفقود جمال، المفصول فريدلاند): names
    put a definite word last (أسعد الشيباني), so a definite word followed by an
    indefinite name word describes the person."""
    norm = scanner.norms[k]
    if not scanner.texts[k].startswith("ال") or norm in scanner.gazetteer.given_names \
            or k + 1 >= scanner.size or scanner.breaks[k + 1]:
        return False  # written ال: ألكسيس is a name, not a definite adjective
    following = scanner.norms[k + 1]
    return not following.startswith(("ال", "و")) and scanner.namelike(k + 1) \
        and following not in PARTICLES and not _prepositional_masdar(scanner, k + 1) \
        and not _prepositional_noun(scanner, k + 1)


def _noun_phrase(scanner: Scanner, k: int, end: int) -> bool:
    """An indefinite word followed by a definite one: an idafa (مدير قسم الاتصالات،
    الرئيسة السابقة للجمعية ... لحقوق الإنسان), not a name. A name may end in a definite
    word (أسعد الشيباني), so two name words count only after a preposition (لحقوق)."""
    with_preposition = scanner.texts[k][:1] in ("ل", "ب") and scanner.norms[k] not in \
        scanner.gazetteer.given_names
    if scanner.norms[k].startswith("ال") or k + 1 >= scanner.size \
            or (end != k + 1 and not with_preposition):
        return False
    norm = scanner.norms[k + 1]
    return (not scanner.breaks[k + 1] and not scanner.taken[k + 1]
            and norm.startswith("ال") and norm not in scanner.gazetteer.nisba
            and norm not in REGNAL_WORDS and scanner.phrase_at(k + 1) is None)


def _coordinated_role(scanner: Scanner, k: int) -> bool:
    """و + a noun right after a title (الدكتور ومقدم البرامج): a second role."""
    norm = scanner.norms[k]
    return (norm.startswith("و") and len(norm) >= 4 and norm[1] != "و"
            and norm not in scanner.gazetteer.given_names and scanner.phrase_at(k) is None)


def _prepositional_masdar(scanner: Scanner, k: int) -> bool:
    """``بفتح``, ``لبحث``: a preposition on a three-letter verbal noun."""
    norm = scanner.norms[k]
    return (scanner.texts[k][:1] in "بلك" and len(norm) == 4 and norm[1] not in "اوي"
            and norm not in scanner.gazetteer.given_names and scanner.phrase_at(k) is None)


def person_from_given_name(scanner: Scanner, i: int) -> Span | None:
    """A name that begins with a common given name (or أبو ...) and has two words."""
    given = scanner.gazetteer.given_names
    if scanner.is_function_word(i):
        return None
    if scanner.maqsura_stopword(i):
        return None  # على, not علي
    if scanner.norms[i] in scanner.gazetteer.maqsura_names \
            and not scanner.texts[i].endswith("ى"):
        return None  # مني ("from me"), not منى
    norm = scanner.norms[i]
    stripped = next((form.stripped for form in clitic_forms(norm)
                     if (form.form in given or form.form in NAME_STARTERS
                         or joined_abd(form.form))
                     and not form.restored_article), None)
    if stripped and norm[stripped - 1] == "ك":
        return None  # كامل، كريم: ك + a given name is rarely "like" + a name
    if stripped is None:
        return None
    if i + 1 >= scanner.size or scanner.breaks[i + 1]:
        return None
    if scanner.phrase_at(i + 1) is not None:
        return None
    end = name_end(scanner, i)
    if end - i < 2:
        return None
    return Span(i, end, "PERS", stripped)


def coordinated_person(scanner: Scanner, i: int) -> Span | None:
    """``و`` + a name right after a person: الشيباني وأبو قصرة."""
    if i >= scanner.size or scanner.breaks[i] or scanner.taken[i]:
        return None
    norm = scanner.norms[i]
    if not norm.startswith("و") or len(norm) < 3 or scanner.maqsura_stopword(i):
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
        if j >= scanner.size or not scanner.namelike(j):
            return i
        j += 1
        plain = 1
    while j < scanner.size and plain < MAX_PLAIN_WORDS:
        if scanner.breaks[j] or not scanner.namelike(j) \
                or scanner.norms[j].startswith("و"):
            break
        j += 1
        plain += 1
    return j


def aliases(scanner: Scanner, span: Span) -> list[tuple[str, ...]]:
    """Short forms of a full name that refer to the same person later in a text:
    the surname (``الشيباني``), or particle + surname (``أبو قصرة``)."""
    words = [scanner.norms[k] for k in range(span.first, span.last)]
    if span.stripped:
        words[0] = scanner.bare(span.first)
    if len(words) < 2:
        return []
    if len(words) >= 3 and words[-2] in PARTICLES:
        particle, surname = words[-2:]
        if particle in _SONS:  # بن سلمان and ابن سلمان are both written
            return [(son, surname) for son in _SONS]
        return [(particle, surname)]
    surname = words[-1]
    if len(surname) < 3 or surname in scanner.gazetteer.given_names:
        return []
    return [(surname,)]
