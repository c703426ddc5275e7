"""Dates found by pattern: ISO and day/month/year forms, day + month (+ year) with
Gregorian, Levantine, Maghrebi and Hijri month names, years after ``عام``, bare years
after a temporal preposition, and weekday names.

Each date gets a canonical value: ``2018-07-23``, ``2018-07``, ``2018``, ``XXXX-07-23``,
``XXXX-07`` (no year), ``weekday:1`` (Monday = 1), Hijri dates prefixed ``hijri:``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Iterator

import regex

from benchmark.entities.patterns import (DIGIT, PROCLITICS, WORD_END, WORD_START,
                                         alternation)
from benchmark.text import normalize_arabic

GREGORIAN = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine (Syria, Lebanon, Jordan, Iraq, Palestine)
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11,
    "كانون الاول": 12,
    # Maghrebi (Algeria, Tunisia; Morocco)
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7, "اوت": 8,
    "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
HIJRI = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "جمادي الاولي": 5, "جمادي الاخره": 6, "جمادي الثانيه": 6, "رجب": 7, "شعبان": 8,
    "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11, "ذو الحجه": 12,
    "ذي الحجه": 12,
}
# Month names that are also common words or names: a date only with a day or a year.
AMBIGUOUS_MONTHS = frozenset({"مارس", "ماي", "اب", "اوت", "صفر", "رجب", "محرم",
                              "نيسان", "غشت"})
WEEKDAYS = {"الاحد": 7, "الاثنين": 1, "الثلاثاء": 2, "الاربعاء": 3, "الخميس": 4,
            "الجمعه": 5, "السبت": 6}
_YEAR_WORDS = ("عام", "العام", "عامي", "سنه", "السنه")
# Words after which a bare year is a date (``بحلول 2020``, ``العام الجاري 2018``).
_PREPOSITIONS = ("بحلول", "منذ", "في", "حتى", "قبل", "بعد", "خلال", "مطلع", "اواخر",
                 "اوائل", "نهايه", "بدايه", "منتصف", "حلول", "العام", "عام", "الجاري",
                 "الحالي", "المنصرم")

_MONTH = alternation([*GREGORIAN, *HIJRI])
_MONTHS = rf"(?P<month>{_MONTH})(?:\s*/\s*(?P<alt>{_MONTH}))?{WORD_END}"
_DAY = rf"(?P<day>{DIGIT}{{1,2}})"
_YEAR = rf"(?P<year>{DIGIT}{{4}})"
_NONZERO = "[1-9١-٩۱-۹]"
_WEEKDAY = alternation(list(WEEKDAYS) + ["الإثنين"])
_ERA = r"(?:\s*(?:م|هـ|ه)(?![\p{L}\p{N}]))?"

PATTERN = regex.compile(
    rf"{WORD_START}{PROCLITICS}(?P<date>"
    rf"(?P<iso>{DIGIT}{{4}}-{DIGIT}{{1,2}}-{DIGIT}{{1,2}})"
    rf"|(?P<ymd>{DIGIT}{{4}}[/.]{DIGIT}{{1,2}}[/.]{DIGIT}{{1,2}})"
    rf"|(?P<dmy>{DIGIT}{{1,2}}(?P<sep>[.-]|\s*/\s*){DIGIT}{{1,2}}(?P=sep)"
    rf"(?:{DIGIT}{{4}}|{DIGIT}{{2}}))"
    rf"|(?:(?P<wd>{_WEEKDAY})\s+)?(?:{_DAY}\s+)?{_MONTHS}"
    rf"(?:\s+(?:(?:من\s+)?(?:ال)?عام\s+)?{_YEAR}{_ERA})?"
    rf"|(?P<yword>{alternation(list(_YEAR_WORDS))})\s+(?P<tyear>{_NONZERO}{DIGIT}{{3}}){_ERA}"
    rf"|(?<=(?:{alternation(list(_PREPOSITIONS))})\s+){PROCLITICS}?"
    rf"(?P<byear>(?:19|20|١٩|٢٠){DIGIT}{{2}})"
    rf"|(?P<weekday>{_WEEKDAY})"
    rf"){WORD_END}(?![%٪])")
# A second year joined to a first by و: عامي 2005 و2009.
_AND_YEAR = regex.compile(rf"\s+و\s*(?P<year>{DIGIT}{{4}}){WORD_END}")


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    value: str


def find_dates(text: str) -> Iterator[DateMatch]:
    """Every date span of `text`, left to right, without clitics."""
    for match in PATTERN.finditer(text):
        value = _value(match)
        if value is None:
            continue
        start, end = match.span("date")
        if match.group("byear"):
            start = match.start("byear")
        yield DateMatch(start, end, value)
        if match.group("tyear") or match.group("year"):
            second = _AND_YEAR.match(text, end)
            if second:
                yield DateMatch(second.start("year"), second.end("year"),
                                str(_int(second.group("year"))))


def _value(match: regex.Match) -> str | None:
    if match.group("iso") or match.group("ymd"):
        year, month, day = (_int(part) for part in
                            regex.split(r"[/.-]", match.group("iso") or match.group("ymd")))
        return _format(year, month, day) if _valid(month, day, year=year) else None
    if match.group("dmy"):
        day, month, year = (_int(part) for part in
                            regex.split(r"\s*[/.-]\s*", match.group("dmy")))
        if year < 100:
            year += 2000 if year < 50 else 1900
        return _format(year, month, day) if _valid(month, day, year=year) else None
    if match.group("month"):
        return _month_value(match)
    if match.group("tyear"):
        return str(_int(match.group("tyear")))
    if match.group("byear"):
        year = _int(match.group("byear"))
        return str(year) if 1900 <= year <= 2100 else None
    weekday = normalize_arabic(match.group("weekday")).replace("الإثنين", "الاثنين")
    return f"weekday:{WEEKDAYS[weekday]}"


def _month_value(match: regex.Match) -> str | None:
    month_name = " ".join(normalize_arabic(match.group("month")).split())
    day = _int(match.group("day")) if match.group("day") else None
    year = _int(match.group("year")) if match.group("year") else None
    if (month_name in AMBIGUOUS_MONTHS and day is None and year is None
            and not match.group("alt")):
        return None
    hijri = month_name in HIJRI
    month = HIJRI[month_name] if hijri else GREGORIAN[month_name]
    if day is not None and not _valid(month, day, year=None if hijri else year,
                                      hijri=hijri):
        return None
    value = _format(year, month, day)
    return f"hijri:{value}" if hijri else value


def _format(year: int | None, month: int | None, day: int | None) -> str:
    text = f"{year:04d}" if year is not None else "XXXX"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def _valid(month: int, day: int, *, year: int | None = None, hijri: bool = False) -> bool:
    """Is there such a day? Hijri months have 29 or 30 days; a Gregorian date without
    a year may be 29 February."""
    if not (1 <= month <= 12 and day >= 1):
        return False
    if hijri:
        return day <= 30
    leap_year = year if year is not None and year >= 1 else 2000
    return day <= calendar.monthrange(leap_year, month)[1]


def _int(digits: str) -> int:
    return int(normalize_arabic(digits))


def date_fields(value: str) -> dict[str, object]:
    """The fields a canonical date value states (calendar, year, month, day, weekday)."""
    if value.startswith("weekday:"):
        return {"weekday": int(value.split(":")[1])}
    calendar = "hijri" if value.startswith("hijri:") else "gregorian"
    parts = value.removeprefix("hijri:").split("-")
    fields: dict[str, object] = {"calendar": calendar}
    for name, part in zip(("year", "month", "day"), parts):
        if part != "XXXX":
            fields[name] = int(part)
    return fields


def date_supports(evidence: str, claim: str) -> bool:
    """True when every field the `claim` states is stated equally by the `evidence`."""
    have, want = date_fields(evidence), date_fields(claim)
    return all(have.get(name) == value for name, value in want.items())
