"""Organizations named by a head noun and the words that complete it.

Two kinds of head (``data/org_heads.txt``): an *included* head is part of the name
(``وزارة العدل الأمريكية``, ``الجيش السوري``, ``الجهاز المركزي للمحاسبات``); a
*describing* head only says what kind of body follows and is left out of the span
(``شركة غوغل`` -> ``غوغل``, ``تحالف "سائرون"`` -> ``سائرون``); a *named* head also
takes a one-word definite name (``نادي الهلال`` -> ``الهلال``). An indefinite included
head keeps an unlisted proper name after it (``بنك باركليز``, ``جامعة هارفارد``). A
*nisba* head names a body only with a country's nisba or a listed place
(``الخارجية الأمريكية``, ``منتخب تونس``).
Indefinite bodies (``محكمة عسكرية مصرية``) are not names and are skipped.
"""

from __future__ import annotations

from benchmark.entities.scanner import Scanner, Span
from benchmark.entities.tokens import CliticForm, clitic_forms

MAX_COMPLETION = 4
MAX_DESCRIBED_WORDS = 3
# Adjectives that describe a body rather than name it (also comparatives: الجيش الأكثر).
_EVALUATIVE = frozenset({"الرسمي", "الرسميه", "الحكومي", "الحكوميه", "الجديد", "الجديده",
                         "السابق", "السابقه", "الحالي", "الحاليه", "الشهير", "الشهيره",
                         "المذكور", "المذكوره", "نفسه", "نفسها", "المعني", "المعنيه",
                         "التابع", "التابعه", "الاكثر", "الاقل", "الافضل", "الاسوا",
                         "الاكبر", "الاصغر", "الاقوي", "الاضعف", "الاخير", "الاخيره",
                         "اليميني", "اليمينيه", "اليساري", "اليساريه", "المتطرف",
                         "المتطرفه", "الحاكم", "الحاكمه", "المحافظ", "المحافظه",
                         "المنتهي", "المنتهيه"})
_QUOTES = ('"', "«", "“", "'", "„")
_CLITIC_ARTICLE = ("وال", "فال", "بال", "كال", "لل")
# A saint's title inside a name is followed by the saint's name (كنيسة القديس مرقس).
_SAINTS = frozenset({"القديس", "القديسه", "مار"})


def org_at(scanner: Scanner, i: int) -> Span | None:
    """An organization whose head starts at token `i`, or None."""
    head = _head_at(scanner, i)
    if head is None:
        return None
    kind, form, head_end = head
    stripped, restored = form.stripped, form.restored_article
    if kind == "include":
        definite = _is_definite(form.form)
        end = _completion_end(scanner, head_end, definite_head=definite)
        if end > head_end:
            return Span(i, end, "ORG", stripped, restored)
        unlisted = head_end < scanner.size and not scanner.breaks[head_end] \
            and scanner.phrase_at(head_end) is None
        name = _described(scanner, head_end) if unlisted and not definite else None
        if name is None or name.first != head_end or name.stripped \
                or _adjective_like(scanner.norms[head_end]) \
                or scanner.texts[head_end].endswith("ه"):  # a pronoun: سفارة بلاده
            return None
        return Span(i, name.last, "ORG", stripped, restored)
    if kind == "nisba":
        if head_end >= scanner.size or scanner.breaks[head_end] \
                or scanner.taken[head_end]:
            return None
        if scanner.norms[head_end] in scanner.gazetteer.nisba:
            return Span(i, head_end + 1, "ORG", stripped, restored)
        place = scanner.phrase_at(head_end)
        if place is not None and place.type == "LOC" and not place.stripped:
            return Span(i, place.last, "ORG", stripped, restored)  # منتخب تونس
        return None
    return _described(scanner, head_end, definite_name=kind == "named")


def _head_at(scanner: Scanner, i: int) -> tuple[str, CliticForm, int] | None:
    heads = scanner.gazetteer.org_heads
    for form in clitic_forms(scanner.norms[i]):
        if form.stripped and verbal_noun(form.form):
            continue  # بتطبيق قرار: applying, not an app
        if i + 1 < scanner.size:
            two = f"{form.form} {scanner.norms[i + 1]}"
            if two in heads:
                return heads[two], form, i + 2
        if form.form in heads:
            return heads[form.form], form, i + 1
    return None


def _is_definite(word: str) -> bool:
    return word.startswith("ال")


def _completion_end(scanner: Scanner, j: int, *, definite_head: bool) -> int:
    """End of the words completing an included head: an idafa chain of nouns ending in
    a definite noun or a list name, then nisba and other definite adjectives."""
    start, seen_definite = j, definite_head
    gazetteer = scanner.gazetteer
    while j < scanner.size and j - start < MAX_COMPLETION:
        if scanner.breaks[j] or scanner.taken[j]:
            break
        norm = scanner.norms[j]
        if norm in gazetteer.stopwords or norm in _EVALUATIVE or scanner.title_at(j):
            break
        phrase = scanner.phrase_at(j)
        if phrase is not None and phrase.stripped == 0 and phrase.type in ("LOC", "ORG"):
            return phrase.last
        if norm.startswith("لل") and seen_definite and j > start:
            return j + 1  # الجهاز المركزي للمحاسبات
        if norm.startswith("وال") and seen_definite and j > start \
                and j + 1 < scanner.size and scanner.norms[j + 1] in gazetteer.nisba \
                and not scanner.breaks[j + 1] and not scanner.taken[j + 1]:
            return j + 2  # هيئة الدواء والغذاء الأمريكية
        if norm in _SAINTS and j + 1 < scanner.size \
                and not scanner.breaks[j + 1] and not scanner.taken[j + 1]:
            return j + 2  # كنيسة القديس مرقس
        if _is_definite(norm):
            seen_definite = True
            j += 1
            if norm in gazetteer.nisba:  # a nisba closes the name: الجيش السوري
                if j < scanner.size and scanner.norms[j].startswith("لل") \
                        and not scanner.breaks[j]:
                    return j + 1
                return j
            continue
        if seen_definite or norm[:1] in ("ب", "ل", "ك", "و", "ف"):
            break
        # An indefinite noun continues the chain only if a definite word follows.
        if j + 1 < scanner.size and _is_definite(scanner.norms[j + 1]) \
                and not scanner.breaks[j + 1]:
            j += 1
            continue
        break
    return j if seen_definite and j > start else start


def _described(scanner: Scanner, j: int, *, definite_name: bool = False) -> Span | None:
    """The name after a describing head: a list name, a quoted name, one to three
    indefinite words (with at most one definite word after them), or with
    `definite_name` one definite word that is no common word (نادي الهلال)."""
    if j >= scanner.size or scanner.taken[j]:
        return None
    phrase = scanner.phrase_at(j)
    if phrase is not None:
        return Span(phrase.first, phrase.last, "ORG", phrase.stripped, phrase.restored,
                    phrase.id)
    gap = scanner.gaps[j]
    if any(quote in gap for quote in _QUOTES):
        end = j + 1
        while end < scanner.size and end - j < 5 \
                and not scanner.breaks[end] and not scanner.taken[end]:
            end += 1  # a number or date the name would overlap ends it
        return Span(j, end, "ORG")
    if definite_name and not scanner.breaks[j] \
            and _definite(scanner.texts[j]) and not scanner.is_function_word(j) \
            and scanner.norms[j] not in _EVALUATIVE and scanner.title_at(j) is None:
        return Span(j, j + 1, "ORG")
    if scanner.breaks[j] or not _may_start_name(scanner, j):
        return None
    end, definite = j, False
    while end < scanner.size and end - j < MAX_DESCRIBED_WORDS:
        if end > j and (scanner.breaks[end] or not _may_continue_name(scanner, end)):
            break
        if scanner.taken[end] or scanner.is_function_word(end) \
                or scanner.norms[end] in _EVALUATIVE:
            break
        if _definite(scanner.texts[end]):
            if definite:
                break
            definite = True  # one definite word may close the name: طيران العال
        end += 1
    return Span(j, end, "ORG") if end > j else None


def _adjective_like(norm: str) -> bool:
    """Short words, adjective patterns and nouns with a pronoun after an included head
    (صندوق خاص، مجلس جديد، مجلس وطني، مجلس إدارتها): not a proper name."""
    return len(norm) <= 3 or (len(norm) == 4 and norm[2] == "ي") or norm.endswith("ي") \
        or norm.endswith(("ها", "هم", "هما", "نا"))  # a pronoun suffix: مجلس إدارتها


def _may_start_name(scanner: Scanner, j: int) -> bool:
    """Can token `j` begin an unlisted name after a describing head? Not a conjunction,
    a definite word, a feminine adjective or noun (شركة خاصة، تنظيم مسيرة), a plural in
    ات (تطبيق إجراءات), a verbal noun (شركة لتصنيع، عملاق توفير) or an imperfect verb
    (جماعة تمثل)."""
    text, norm = scanner.texts[j], scanner.norms[j]
    return not (norm.startswith("و") or _definite(text) or text.endswith("ة")
                or (norm.endswith("ات") and len(norm) >= 5) or _imperfect_verb(norm)
                or verbal_noun(norm) or norm.startswith(_CLITIC_ARTICLE)
                or (norm[:1] == "ل" and len(norm) >= 4 and norm[1] not in "اوي"))


def _may_continue_name(scanner: Scanner, j: int) -> bool:
    """Can token `j` continue such a name? Not a preposition on a noun (لصناعة، بقيمة،
    بالعاصمة) or an imperfect verb (تطلق)."""
    norm = scanner.norms[j]
    if norm.startswith(_CLITIC_ARTICLE) or _imperfect_verb(norm) \
            or scanner.bare(j) in scanner.gazetteer.stopwords:
        return False  # also و + a function word: جامعة بيرزيت وذلك
    return not (norm[:1] in ("ب", "ل") and len(norm) >= 4 and scanner.phrase_at(j) is None)


def _definite(surface: str) -> bool:
    """Written with the article ``ال`` (``إلكتريك`` in جنرال إلكتريك is not)."""
    return surface.startswith("ال")


def verbal_noun(norm: str) -> bool:
    """The تفعيل verbal noun (تصنيع، توفير), common after شركة and عملاق."""
    return len(norm) == 5 and norm[0] == "ت" and norm[3] == "ي"


def _imperfect_verb(norm: str) -> bool:
    """ي/ت + three root letters (تمثل، يقول is left out: its second letter is a vowel)."""
    return norm[:1] in ("ي", "ت") and len(norm) == 4 and norm[1] not in "اوي" \
        and not norm.endswith("ا")


def event_at(scanner: Scanner, i: int) -> Span | None:
    """An event or agreement named after its host place (أولمبياد طوكيو، قمة هلسنكي،
    اتفاق باريس): the head and the listed place as one MISC span, so that the place
    inside it is not read as a LOC."""
    if i + 1 >= scanner.size or scanner.breaks[i + 1]:
        return None
    heads = scanner.gazetteer.event_heads
    head = next((form for form in clitic_forms(scanner.norms[i]) if form.form in heads), None)
    if head is None:
        return None
    place = scanner.phrase_at(i + 1)
    if place is None or place.type != "LOC" or place.stripped:
        return None
    return Span(i, place.last, "MISC", head.stripped, head.restored_article)
