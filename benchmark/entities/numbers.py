"""Numbers, percentages and money amounts, found by pattern in the original text.

Numerals are ASCII, Arabic-Indic or Persian digits with ``,``/``٬`` thousands and
``.``/``٫`` decimals, or cardinal number words from two up (joined with ``و``), each
optionally scaled by ألف/مليون/مليار. Values are floats; money carries an ISO 4217 code
when the currency word (and its nisba, e.g. ``دينار كويتي``) settles it, else a family
tag such as ``dinar``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

import regex

from benchmark.entities.patterns import (DIGIT, PROCLITICS, WORD_END, WORD_START,
                                         PatternStarts, alternation)
from benchmark.text import normalize_arabic

UNITS = {
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4,
    "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90, "مئه": 100, "مائه": 100,
    "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200, "ثلاثمئه": 300,
    "ثلاثمائه": 300, "اربعمئه": 400, "اربعمائه": 400, "خمسمئه": 500, "خمسمائه": 500,
    "ستمئه": 600, "ستمائه": 600, "سبعمئه": 700, "سبعمائه": 700, "ثمانمئه": 800,
    "ثمانمائه": 800, "تسعمئه": 900, "تسعمائه": 900,
    "جوج": 2,  # Darija
}
# Teens: the unit word followed by عشر/عشرة.
TEEN_UNITS = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
              **{word: value for word, value in UNITS.items() if value < 10}}
MULTIPLIERS = {
    "الف": 1e3, "الاف": 1e3, "الفا": 1e3, "الفين": 2e3, "الفان": 2e3,
    "مليون": 1e6, "ملايين": 1e6, "مليونا": 1e6, "مليونين": 2e6,
    "مليار": 1e9, "مليارات": 1e9, "مليارا": 1e9, "بليون": 1e9, "ملياري": 2e9,
    "مليارين": 2e9, "تريليون": 1e12, "تريليونات": 1e12, "تريليونا": 1e12,
    "ترليون": 1e12, "ترليونات": 1e12,
}
# A multiplier alone is a number only in the singular (ملايين alone is vague).
_ALONE = ("الف", "مليون", "مليار", "بليون", "تريليون", "الفين", "مليونين", "مليارين")

_DIGITS = (rf"{DIGIT}{{1,3}}(?:[,٬]{DIGIT}{{3}})+(?:[.٫]{DIGIT}+)?"
           rf"|{DIGIT}+(?:[.٫,]{DIGIT}+)?")
_WORD = alternation(list(UNITS))
_TEEN = alternation(list(TEEN_UNITS)) + r"\s+" + alternation(["عشر", "عشره"])
_TENS = alternation([word for word, value in UNITS.items() if 20 <= value < 100])
# A compound joins a unit (or hundreds) to tens with و: خمسة وعشرون.
_WORDS = (rf"(?:ال)?(?:{_TEEN}|{_WORD})(?:\s+و(?:ال)?{_TENS})?{WORD_END}")
_MULT = alternation(list(MULTIPLIERS)) + WORD_END
NUMERAL = (rf"(?:(?:{_DIGITS})(?:\s*{_MULT})?|{_WORDS}(?:\s+{_MULT})?"
           rf"|{alternation(list(_ALONE))}{WORD_END})")

_PERCENT_WORDS = alternation(["في المئه", "في المائه", "بالمئه", "بالمائه", "في الميه"])
# Currency words (singular, accusative, plural, dual) -> ISO code or family tag.
CURRENCY_WORDS = {
    "دولار": "dollar", "دولارا": "dollar", "دولارات": "dollar", "دولاران": "dollar",
    "دولارين": "dollar", "يورو": "EUR", "ليره": "lira", "ليرات": "lira",
    "جنيه": "pound", "جنيها": "pound", "جنيهات": "pound", "ريال": "riyal",
    "ريالا": "riyal", "ريالات": "riyal", "درهم": "dirham", "درهما": "dirham",
    "دراهم": "dirham", "دينار": "dinar", "دينارا": "dinar", "دنانير": "dinar",
    "روبل": "RUB", "روبلا": "RUB", "روبلات": "RUB", "يوان": "CNY", "ين": "JPY",
    "روبيه": "rupee", "روبيات": "rupee", "فرنك": "franc", "فرنكات": "franc",
    "شيكل": "ILS", "شيكلا": "ILS", "شواكل": "ILS", "تومان": "IRR", "استرليني": "GBP",
    "سنتيم": "centime", "سنتيما": "centime", "سنتيمات": "centime",
}
# Family + nisba -> ISO code; a family alone takes the default where one dominates.
_NISBA_CODES = {
    ("dollar", "امريكي"): "USD", ("dollar", "اميركي"): "USD", ("dollar", "كندي"): "CAD",
    ("dollar", "استرالي"): "AUD", ("lira", "تركيه"): "TRY", ("lira", "سوريه"): "SYP",
    ("lira", "لبنانيه"): "LBP", ("pound", "مصري"): "EGP", ("pound", "استرليني"): "GBP",
    ("pound", "سوداني"): "SDG", ("riyal", "سعودي"): "SAR", ("riyal", "قطري"): "QAR",
    ("riyal", "ايراني"): "IRR", ("riyal", "يمني"): "YER", ("riyal", "عماني"): "OMR",
    ("dirham", "اماراتي"): "AED", ("dirham", "مغربي"): "MAD", ("dinar", "كويتي"): "KWD",
    ("dinar", "عراقي"): "IQD", ("dinar", "اردني"): "JOD", ("dinar", "ليبي"): "LYD",
    ("dinar", "تونسي"): "TND", ("dinar", "جزائري"): "DZD", ("dinar", "بحريني"): "BHD",
    ("franc", "سويسري"): "CHF", ("rupee", "هندي"): "INR", ("rupee", "باكستانيه"): "PKR",
}
_DEFAULT_CODES = {"dollar": "USD"}
CODE_FAMILY = {code: family for (family, _), code in _NISBA_CODES.items()} | {"USD": "dollar"}
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_NISBAS = alternation(sorted({nisba for _, nisba in _NISBA_CODES}))
_CURRENCY = (rf"(?:ال)?{alternation(list(CURRENCY_WORDS))}(?:\s+(?:ال)?{_NISBAS})?"
             rf"{WORD_END}")

# ``الـ24``, ``للـ12``, ``بـ2%``: the article or a clitic (with tatweel) on a numeral
# stays outside the span.
_ARTICLE_ON_DIGITS = rf"(?:ا?ل\u0640*(?={DIGIT}))?"
# ``في المئة`` without a number before it is not the number 100.
_LONE_HUNDRED = frozenset({"المئه", "المائه"})
# Words whose clitic + number-word reading is another word: لست ("I am not").
_HOMOGRAPHS = frozenset({"لست", "ولست", "فلست"})

PATTERN = regex.compile(
    rf"{WORD_START}{PROCLITICS}\u0640*{_ARTICLE_ON_DIGITS}(?:"
    rf"(?P<money>(?P<sym>[$€£])\s*{NUMERAL}|{NUMERAL}\s*(?:[$€£]|{_CURRENCY}))"
    rf"|(?P<percent>[%٪]\s*{NUMERAL}|{NUMERAL}\s*(?:[%٪]|{_PERCENT_WORDS}{WORD_END}))"
    rf"|(?P<num>{NUMERAL}))")

# Ordinals from the third up (الأول and الثاني are too often names and fixed phrases:
# كانون الثاني، عبد الله الثاني), masculine and feminine, definite or indefinite
# masculine (رابع أكبر), and the teens (الحادي عشر، الخامسة عشرة). Value: the number.
ORDINALS = {"ثالث": 3, "رابع": 4, "خامس": 5, "سادس": 6, "سابع": 7, "ثامن": 8,
            "تاسع": 9, "عاشر": 10}
_TEEN_ORDINALS = {"حادي": 1, "ثاني": 2, **{word: value for word, value in ORDINALS.items()
                                         if value < 10}}
_TEN = alternation(["عشر", "عشره"])
ORDINAL_PATTERN = regex.compile(
    rf"{WORD_START}{PROCLITICS}(?P<ord>"
    rf"(?P<teen>(?:ال)?{alternation(list(_TEEN_ORDINALS))}[هة]?\s+{_TEN})"
    rf"|ال{alternation(list(ORDINALS))}[هة]?"
    rf"|{alternation(list(ORDINALS))}){WORD_END}")

# The words the patterns may begin at (besides digits and signs): tried there only.
_NUMBER_STARTS = PatternStarts(PATTERN, [article + word for article in ("", "ال")
                                         for word in (*UNITS, *TEEN_UNITS)] + list(_ALONE),
                               signs=True)
_ORDINAL_STARTS = PatternStarts(ORDINAL_PATTERN,
                                [article + word + ending for article in ("", "ال")
                                 for word in (*_TEEN_ORDINALS, *ORDINALS)
                                 for ending in ("", "ه")])
_NUMBER_TOKEN = regex.compile(r"[0-9][0-9,.٫٬]*|[\p{L}]+")
_NUMERAL = regex.compile(NUMERAL)


@dataclass(frozen=True, slots=True)
class NumericMatch:
    type: str  # NUM, PERCENT or MONEY
    start: int
    end: int
    value: float
    currency: str | None = None


def find_numbers(text: str, words=None) -> Iterator[NumericMatch]:
    """Every NUM, PERCENT and MONEY span of `text`, left to right, without clitics. A
    number joined by و to a percentage is a percentage too (``15 و20 في المئة``).
    `words`: the text's `stream.TextWords`, if read."""
    found = list(_numbers(text, words))
    for index, match in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if match.type == "NUM" and following is not None and following.type == "PERCENT" \
                and _RANGE_JOIN.fullmatch(text, match.end, following.start):
            match = NumericMatch("PERCENT", match.start, match.end, match.value)
        yield match


_RANGE_JOIN = regex.compile(r"\s*(?:و|الى|إلى|-)\s*")


def _numbers(text: str, words=None) -> Iterator[NumericMatch]:
    for match in _NUMBER_STARTS.finditer(text, words):
        kind = next(name for name in ("money", "percent", "num") if match.group(name))
        start, end = match.span(kind)
        surface = text[start:end]
        if kind == "num" and (normalize_arabic(surface) in _LONE_HUNDRED
                              or normalize_arabic(match.group()) in _HOMOGRAPHS):
            continue
        value = parse_value(surface)
        if value is None:
            continue
        currency = money_currency(surface) if kind == "money" else None
        yield NumericMatch(kind.upper(), start, end, value, currency)


def find_ordinals(text: str, words=None) -> Iterator[NumericMatch]:
    """Every ordinal number word of `text` (NUM, valued by its number), without clitics."""
    for match in _ORDINAL_STARTS.finditer(text, words):
        start, end = match.span("ord")
        words = normalize_arabic(text[start:end]).split()
        unit = words[0].removeprefix("ال")
        if unit not in _TEEN_ORDINALS and unit not in ORDINALS:
            unit = unit[:-1]  # the feminine ة
        value = _TEEN_ORDINALS[unit] + 10 if match.group("teen") else ORDINALS[unit]
        yield NumericMatch("NUM", start, end, float(value))


def parse_value(surface: str) -> float | None:
    """The number a numeral (with any currency or percent words around it) denotes."""
    numeral = _NUMERAL.search(surface)
    if numeral is None:
        return None
    norm = normalize_arabic(numeral.group())
    total, current, seen = 0.0, None, False
    for token in _NUMBER_TOKEN.findall(norm):
        word = token[2:] if token.startswith("ال") and token[2:] in UNITS else token
        word = word[1:] if word.startswith("و") and word[1:] in UNITS else word
        if token[0].isdigit():
            current = (current or 0) + _digits_value(token)
            seen = True
        elif word in UNITS or word in TEEN_UNITS:
            if word in ("عشر", "عشره") and current is not None and current < 10:
                current += 10  # a teen: خمسة عشر
            else:
                current = (current or 0) + UNITS.get(word, TEEN_UNITS.get(word, 0))
            seen = True
        elif token in MULTIPLIERS:
            scale = MULTIPLIERS[token]
            if current is None:
                current = 1.0
            total += current * scale
            current, seen = None, True
    value = total + (current or 0)
    return value if seen and math.isfinite(value) else None  # 400 digits overflow


_GROUPED = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NOT_DIGIT_OR_POINT = regex.compile(r"[^\d.]")


def _digits_value(token: str) -> float:
    token = token.replace("٬", ",").replace("٫", ".")
    if _GROUPED.fullmatch(token):
        token = token.replace(",", "")
    else:
        token = token.replace(",", ".")
    token = token.rstrip(".")
    try:
        return float(token)
    except ValueError:
        return float(_NOT_DIGIT_OR_POINT.sub("", token) or 0)


def money_currency(surface: str) -> str | None:
    """ISO code (or family tag) of a money span's currency."""
    for symbol, code in _SYMBOLS.items():
        if symbol in surface:
            return code
    tokens = [token[2:] if token.startswith("ال") else token
              for token in normalize_arabic(surface).split()]
    for index, token in enumerate(tokens):
        family = CURRENCY_WORDS.get(token)
        if family is None:
            continue
        if family.isupper():
            return family
        nisba = tokens[index + 1] if index + 1 < len(tokens) else None
        return _NISBA_CODES.get((family, nisba)) or _DEFAULT_CODES.get(family, family)
    return None


def same_currency(left: str | None, right: str | None) -> bool:
    """Unknown currencies match anything; a family tag matches its codes."""
    if left is None or right is None or left == right:
        return True
    if left.isupper() and right.isupper():
        return False  # two different ISO codes
    return CODE_FAMILY.get(left, left) == CODE_FAMILY.get(right, right)
