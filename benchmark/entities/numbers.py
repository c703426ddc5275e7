"""Numbers, percentages and money amounts, found by pattern in the original text.

Numerals are ASCII, Arabic-Indic or Persian digits with ``,``/``٬`` thousands and
``.``/``٫`` decimals, or cardinal number words from two up (joined with ``و``), each
optionally scaled by ألف/مليون/مليار. Values are floats; money carries an ISO 4217 code
when the currency word (and its nisba, e.g. ``دينار كويتي``) settles it, else a family
tag such as ``dinar``.
"""

from __future__ import annotations

import functools
import math
from typing import Iterator, NamedTuple

import regex

from benchmark.entities.compiled import compile_cached
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
    # One: a number only after a noun it counts (`_counts_one`), or in a compound.
    "واحد": 1, "واحده": 1, "واحدا": 1,
}
# Teens: the unit word followed by عشر/عشرة.
TEEN_UNITS = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
              **{word: value for word, value in UNITS.items() if 1 < value < 10}}
_ONE = frozenset({"واحد", "واحده", "واحدا"})
# Words before واحد that make it a pronoun, a quantifier or an idiom, not a count: كل
# واحد، من بينها واحدة، في آن واحد (at once)، في وقت واحد (at the same time).
_NOT_COUNTED = frozenset({"كل", "لكل", "بكل", "وكل", "اي", "لاي", "باي", "واي", "لا", "ولا",
                          "او", "ام", "الا", "غير", "سوي", "فيها", "منها", "منهم", "بينها",
                          "بينهم", "ان", "وقت"})
_OF = frozenset({"من", "منهم", "منها", "منهما", "منكم", "منا", "منهن"})
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

# A sign and a numeral, or a numeral read once and then a currency (money: ``num`` to
# ``currency``), a percent (to ``per``) or nothing: what `THREE_BRANCHES` (a numeral in
# each of money, percent, number) matches, 1.8x faster. A shorter reading of a numeral
# is followed by a digit, a separator or the rest of a word (`WORD_END`), where no
# currency or percent begins; a longer one only where the first stops before a digit
# (``1,234`` of ``1,2345``): there `_read_again` asks `THREE_BRANCHES`.
_SIGNED = rf"{WORD_START}{PROCLITICS}\u0640*{_ARTICLE_ON_DIGITS}(?:" \
    rf"(?P<money>[$€£]\s*{NUMERAL})|(?P<percent>[%٪]\s*{NUMERAL})"
PATTERN = compile_cached(
    rf"{_SIGNED}|(?P<num>{NUMERAL})(?:(?P<currency>\s*(?:[$€£]|{_CURRENCY}))"
    rf"|(?P<per>\s*(?:[%٪]|{_PERCENT_WORDS}{WORD_END})))?)")
THREE_BRANCHES = (
    rf"{_SIGNED}|(?P<money2>{NUMERAL}\s*(?:[$€£]|{_CURRENCY}))"
    rf"|(?P<percent2>{NUMERAL}\s*(?:[%٪]|{_PERCENT_WORDS}{WORD_END}))"
    rf"|(?P<num>{NUMERAL}))")

_DIGIT_CHARS = frozenset("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹")  # `DIGIT`


def _read_again(match: regex.Match) -> regex.Match:
    """`match` of `PATTERN`, or where its numeral stops before a digit (then a number),
    the match of `THREE_BRANCHES` at its start (which may be money or a percent with a
    longer reading of the numeral)."""
    end, text = match.end(), match.string
    if end < len(text) and text[end] in _DIGIT_CHARS and match.end("num") == end:
        again = _three_branches().match(text, match.start())
        if again is not None:
            return again
    return match


@functools.lru_cache(maxsize=1)
def _three_branches() -> regex.Pattern:
    return compile_cached(THREE_BRANCHES)


# Ordinals (ORDINAL, valued by their number): masculine and feminine, definite or
# indefinite from the third up (رابع أكبر، ولاية رابعة), the first and second only
# definite (أول أمس, ثاني أكسيد and 30 ثانية are other words), the teens (الحادي عشر،
# الخامسة عشرة) and units with tens (الحادي والعشرون).
ORDINALS = {"ثالث": 3, "رابع": 4, "خامس": 5, "سادس": 6, "سابع": 7, "ثامن": 8,
            "تاسع": 9, "عاشر": 10}
_TEEN_ORDINALS = {"حادي": 1, "ثاني": 2, **{word: value for word, value in ORDINALS.items()
                                         if value < 10}}
_FIRST_SECOND = {"الاول": 1, "الاولي": 1, "الثاني": 2, "الثانيه": 2}
_ORDINAL_VALUES = {**_TEEN_ORDINALS, **ORDINALS, "اول": 1, "اولي": 1}
_TEN = alternation(["عشر", "عشره"])
_TENS_WORDS = {word: value for word, value in UNITS.items() if 20 <= value < 100}
ORDINAL_PATTERN = compile_cached(
    rf"{WORD_START}{PROCLITICS}(?P<ord>"
    rf"(?P<teen>(?:ال)?{alternation(list(_TEEN_ORDINALS))}[هة]?\s+{_TEN})"
    rf"|(?P<tens>ال{alternation(list(_TEEN_ORDINALS))}[هة]?\s+و(?:ال)?"
    rf"{alternation(list(_TENS_WORDS))})"
    rf"|{alternation(list(_FIRST_SECOND))}"
    rf"|(?:ال)?{alternation(list(ORDINALS))}[هة]?){WORD_END}")

# The words the patterns may begin at (besides digits and signs): tried there only.
_NUMBER_STARTS = PatternStarts(PATTERN, [article + word for article in ("", "ال")
                                         for word in (*UNITS, *TEEN_UNITS)] + list(_ALONE),
                               signs=True, read_again=_read_again)
_ORDINAL_STARTS = PatternStarts(ORDINAL_PATTERN,
                                [article + word + ending for article in ("", "ال")
                                 for word in (*_TEEN_ORDINALS, *ORDINALS)
                                 for ending in ("", "ه")] + list(_FIRST_SECOND),
                                digits=False)
_NUMBER_TOKEN = regex.compile(r"[0-9][0-9,.٫٬]*|[\p{L}]+")
_NUMERAL = compile_cached(NUMERAL)


class NumericMatch(NamedTuple):  # a tuple: made for every number, a frozen init is slow
    type: str  # NUM, PERCENT, MONEY or ORDINAL
    start: int
    end: int
    value: float
    currency: str | None = None


def find_numbers(text: str, words=None, *, taken: bytearray | None = None
                 ) -> Iterator[NumericMatch]:
    """Every NUM, PERCENT and MONEY span of `text`, left to right, without clitics.

    A number scaled by a multiplier (or a hundreds word) and joined by و to a smaller
    one is one number with their sum (``253 ألفا و200 جنيه`` is MONEY 253200, ``ثلاثمئة
    وخمسة وعشرون`` NUM 325); a number joined by و to a percentage is a percentage too
    (``15 و20 في المئة``). `words`: the text's `stream.TextWords`, if read; `taken`: the
    characters other entities hold (spans that overlap them are left out first).
    """
    found = [match for match in _numbers(text, words)
             if taken is None or not any(taken[match.start:match.end])]
    found = _joined(text, found)
    for index, match in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if match.type == "NUM" and following is not None and following.type == "PERCENT" \
                and _RANGE_JOIN.fullmatch(text, match.end, following.start):
            match = NumericMatch("PERCENT", match.start, match.end, match.value)
        yield match


_RANGE_JOIN = regex.compile(r"\s*(?:و|الى|إلى|-)\s*")
_AND = regex.compile(r"\s*و\s*")
# The place value a number's last word ends at: its multiplier's (ألفين: thousands),
# or a hundreds word's.
_SCALES = {word: 10.0 ** math.floor(math.log10(value)) for word, value in MULTIPLIERS.items()}
_SCALES.update({word: 100.0 for word, value in UNITS.items() if value >= 100})


def _joined(text: str, found: list[NumericMatch]) -> list[NumericMatch]:
    """`found` with each NUM that ends in a multiplier or hundreds word and the number
    or money amount joined to it by و below that place value read as one."""
    joined: list[NumericMatch] = []
    for match in found:
        last = joined[-1] if joined else None
        if last is not None and last.type == "NUM" and match.type in ("NUM", "MONEY"):
            scale = _scale(text[last.start:last.end])
            if scale is not None and match.value < scale \
                    and _AND.fullmatch(text, last.end, match.start):
                joined[-1] = NumericMatch(match.type, last.start, match.end,
                                          last.value + match.value, match.currency)
                continue
        joined.append(match)
    return joined


@functools.lru_cache(maxsize=1 << 10)
def _scale(surface: str) -> float | None:
    """The place value the number `surface` ends at (`_SCALES`), if any."""
    return _SCALES.get(normalize_arabic(surface).split()[-1])


def _numbers(text: str, words=None) -> Iterator[NumericMatch]:
    for match in _NUMBER_STARTS.finditer(text, words):
        kind, start, end = match_kind(match)
        surface = text[start:end]
        whole = match.group() if kind == "num" else ""  # a num's homographs read it whole
        verdict, value, currency = _reading(kind, surface, whole)
        if verdict is _NOT or (verdict is _IF_COUNTED and (
                match.start() != start or not _counts_one(text, start, end))):
            continue
        if value is not None:
            yield NumericMatch(kind.upper(), start, end, value, currency)


def match_kind(match: regex.Match) -> tuple[str, int, int]:
    """("money", "percent" or "num", start, end) of a match of `PATTERN` or
    `THREE_BRANCHES`: the span without proclitics or an article on digits."""
    start, end = match.span("num")
    if start >= 0:
        if end == match.end():
            return "num", start, end
        return "money" if match.start("currency") >= 0 else "percent", start, match.end()
    for group in ("money", "percent", "money2", "percent2"):  # a sign, or read again
        start, end = match.span(group)
        if start >= 0:
            break
    return group.removesuffix("2"), start, end


# What a match is, told by its text alone (`_reading`): a number, no number, or a number
# only if it counts the noun before it (واحد: `_counts_one`).
_NUMBER, _NOT, _IF_COUNTED = "number", "not", "if counted"


@functools.lru_cache(maxsize=1 << 12)  # numbers recur across texts (2018, ثلاثة)
def _reading(kind: str, surface: str, whole: str) -> tuple[str, float | None, str | None]:
    """(verdict, value, currency) of a match of `PATTERN` whose `kind` group reads
    `surface` and whose whole text is `whole` (for a ``num`` only). Not a number:
    ``في المئة`` alone, a homograph (لست; وأحد: و + أحد, "and one of", which folds into
    واحد), or الواحد; واحد alone is one only if it counts a noun (`_IF_COUNTED`)."""
    verdict = _NUMBER
    if kind == "num":
        norm = normalize_arabic(surface)
        if norm in _LONE_HUNDRED or normalize_arabic(whole) in _HOMOGRAPHS \
                or surface[:2] in ("وأ", "وإ", "وآ"):
            return _NOT, None, None
        if norm.removeprefix("ال") in _ONE:
            if norm.startswith("ال"):
                return _NOT, None, None
            verdict = _IF_COUNTED
    return verdict, parse_value(surface), money_currency(surface) if kind == "money" else None


_WORD_BEFORE = regex.compile(r"([\p{L}\p{M}]+)[ \u00a0]+$")
_WORD_AFTER = regex.compile(r"\s+([\p{L}\p{M}]+)")


def _counts_one(text: str, start: int, end: int) -> bool:
    """Is واحد at [start, end) the number of a noun right before it (يوم واحد، شخص
    واحد)? Not after a quantifier (كل واحد), before من (واحد من أبرز: one of), or with
    no word before it in its clause."""
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None or normalize_arabic(before.group(1)) in _NOT_COUNTED:
        return False
    after = _WORD_AFTER.match(text, end)
    return after is None or normalize_arabic(after.group(1)) not in _OF


def find_ordinals(text: str, words=None) -> Iterator[NumericMatch]:
    """Every ordinal number word of `text` (ORDINAL, valued by its number), without
    clitics."""
    for match in _ORDINAL_STARTS.finditer(text, words):
        start, end = match.span("ord")
        value = _ordinal_value(text[start:end], teen=bool(match.group("teen")),
                               tens=bool(match.group("tens")))
        yield NumericMatch("ORDINAL", start, end, value)


@functools.lru_cache(maxsize=1 << 10)
def _ordinal_value(surface: str, *, teen: bool, tens: bool) -> float:
    """The number of the ordinal `surface` (a teen, a unit with tens, or neither)."""
    parts = normalize_arabic(surface).split()
    unit = parts[0].removeprefix("ال")
    value = _ORDINAL_VALUES.get(unit) or _ORDINAL_VALUES[unit[:-1]]  # feminine ة
    if teen:
        value += 10
    elif tens:
        value += _TENS_WORDS[parts[-1].removeprefix("و").removeprefix("ال")]
    return float(value)


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
        nisba = tokens[index + 1] if index + 1 < len(tokens) else ""  # "": none follows
        return _NISBA_CODES.get((family, nisba)) or _DEFAULT_CODES.get(family, family)
    return None


def same_currency(left: str | None, right: str | None) -> bool:
    """Unknown currencies match anything; a family tag matches its codes."""
    if left is None or right is None or left == right:
        return True
    if left.isupper() and right.isupper():
        return False  # two different ISO codes
    return CODE_FAMILY.get(left, left) == CODE_FAMILY.get(right, right)
