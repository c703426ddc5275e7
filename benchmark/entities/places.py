"""Places named after a head (``data/place_heads.txt``).

After a settlement or administrative head (``مدينة أكابولكو``, ``بولاية فلوريدا``,
``محافظة البصرة``, ``مدينة رأس العين``) the head is left out of the span (gold
guidelines: the generic head of a settlement is not part of its name). After a facility
head (``مطار هيثرو``, ``ميناء الحديدة``, ``معبر رفح الحدودي``) the head is part of the
name, and so is a listed place after it; a following ``الدولي`` is kept. The words after
a head are a name only if they do not read as a description: adjectives (``مدينة
ساحلية``, ``مدينة كبيرة``), prepositional phrases (``مخيم للاجئين``), titles (``ولاية
الرئيس``: a term of office) or function words. Listed places after a settlement head
are left to the gazetteer.
"""

from __future__ import annotations

from benchmark.entities.scanner import Scanner, Span
from benchmark.entities.tokens import CliticForm, clitic_forms

# After a masculine head an adjective ends in ي (مخيم فلسطيني); after a feminine one it
# would end in ية, so there a final ي is part of a name (مدينة بنغازي).
_MASCULINE_HEADS = frozenset({"مخيم", "اقليم"})
# Heads that are also common nouns before a definite word: مقاطعة الانتخابات (a
# boycott), ولاية الرئيس (a term of office). After them only an indefinite word names.
_INDEFINITE_ONLY = frozenset({"مقاطعه", "ولايه"})
# First words of two-word place names (سان فرانسيسكو، نيو مكسيكو، كفر قاسم).
_NAME_PREFIXES = frozenset({"سان", "سانت", "سانتا", "نيو", "نورث", "ساوث", "ويست", "ايست",
                            "لوس", "لاس", "ريو", "بورت", "كفر", "بيت", "دير", "خان", "تل",
                            "راس", "بئر", "عين", "جبل", "وادي", "ام", "ابو", "شرم", "دار"})
_DIRECTIONS = frozenset({"شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي",
                         "غربي", "جنوبا", "شمالا", "شرقا", "غربا"})
MAX_PLACE_WORDS = 2
# Adjectives that stay with a facility's name (مطار القاهرة الدولي).
_FACILITY_ADJECTIVES = frozenset({"الدولي", "الدوليه", "الحدودي", "الحدوديه", "البحري"})


def place_after_head(scanner: Scanner, i: int) -> Span | None:
    """The place named right after a head at token `i`, or None."""
    heads = scanner.gazetteer.place_heads
    form = next((form for form in clitic_forms(scanner.norms[i]) if form.form in heads),
                None)
    if form is None:
        return None
    head = form.form
    if heads[head] == "facility":
        return _facility(scanner, i, form)
    masculine = head in _MASCULINE_HEADS
    j = i + 1
    if not _may_name(scanner, j, masculine=masculine) or scanner.phrase_at(j) is not None:
        return None
    first = scanner.norms[j]
    if first.startswith("ال") and head in _INDEFINITE_ONLY:
        return None
    end = j + 1
    # A second word after a name prefix (سان فرانسيسكو), or a definite word after an
    # indefinite one, completing an idafa name (رأس العين، خان الأحمر).
    if end < scanner.size and not first.startswith("ال") \
            and _may_name(scanner, end, masculine=masculine) \
            and scanner.phrase_at(end) is None \
            and (first in _NAME_PREFIXES or (scanner.norms[end].startswith("ال")
                                              and head not in _INDEFINITE_ONLY)):
        end += 1
    return Span(j, end, "LOC")


def _facility(scanner: Scanner, i: int, head: CliticForm) -> Span | None:
    """Head + name: a listed place, or one or two name words (the first may be
    definite: ميناء الحديدة), then an adjective such as الدولي."""
    j = i + 1
    if j < scanner.size and not scanner.taken[j] \
            and not scanner.breaks[j]:
        phrase = scanner.phrase_at(j)
        if phrase is not None and phrase.stripped == 0 and phrase.type == "LOC":
            end = phrase.last
        elif phrase is None and _may_name(scanner, j, masculine=True) \
                and not _masculine_adjective(scanner.norms[j]):
            end = j + 1
            if end < scanner.size and not scanner.norms[j].startswith("ال") \
                    and scanner.phrase_at(end) is None \
                    and scanner.norms[end] not in _FACILITY_ADJECTIVES \
                    and _may_name(scanner, end, masculine=True):
                end += 1
        else:
            return None
    else:
        return None
    if end < scanner.size and scanner.norms[end] in _FACILITY_ADJECTIVES \
            and not scanner.breaks[end] and not scanner.taken[end]:
        end += 1
    return Span(i, end, "LOC", head.stripped, head.restored_article)


def _masculine_adjective(norm: str) -> bool:
    """فعيل (جديد، كبير, not a name of a facility)."""
    return len(norm) == 4 and norm[2] == "ي"


def _may_name(scanner: Scanner, j: int, *, masculine: bool) -> bool:
    if j >= scanner.size or scanner.taken[j] or scanner.breaks[j]:
        return False
    norm = scanner.norms[j]
    if len(norm) < 2 or scanner.is_function_word(j) or scanner.title_at(j) is not None:
        return False
    if norm.startswith(("لل", "بال", "وال", "فال", "كال")) or norm in _DIRECTIONS \
            or norm in scanner.gazetteer.given_names:
        return False
    return not (_adjective(norm, masculine=masculine) or _imperfect_verb(norm))


def _adjective(norm: str, *, masculine: bool) -> bool:
    """Nisba-like (ساحلية، حدودية), فعيلة (كبيرة، قديمة) and فاعلة adjectives, and
plural nouns in ات."""
    bare = norm[2:] if norm.startswith("ال") else norm
    if len(bare) >= 4 and (bare.endswith("يه") or (masculine and bare.endswith("ي"))):
        return True
    if len(bare) >= 5 and bare.endswith("ات"):
        return True  # a plural noun: مقاطعة منتجات
    # فعيلة (كبيرة، قديمة) and فاعلة (ثالثة، رابعة: ولاية ثالثة).
    return len(bare) == 5 and bare.endswith("ه") and (bare[2] == "ي" or bare[1] == "ا")


def _imperfect_verb(norm: str) -> bool:
    """ي/ت + three root letters (بلدة تعمل); تكساس, five letters, stays a name."""
    return norm[:1] in ("ي", "ت") and len(norm) == 4 and norm[1] not in "اوي"
