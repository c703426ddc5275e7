"""Dates found by pattern: ISO and day/month/year forms, day + month (+ year) with
Gregorian, Levantine, Maghrebi and Hijri month names (the day in digits or as an
ordinal, ``التاسع من تموز``; a head before the date is left out, as the guidelines
say, but ``شهر`` makes an ambiguous month name a date: ``شهر مارس`` -> ``مارس``), years after ``عام``, bare years after a temporal
preposition, weekday names, and clock times (``الساعة 10:30 مساء``, ``الساعة الخامسة``).

Each date gets a canonical value: ``2018-07-23``, ``2018-07``, ``2018``, ``XXXX-07-23``,
``XXXX-07`` (no year), ``weekday:1`` (Monday = 1), Hijri dates prefixed ``hijri:``,
clock times ``time:22:30`` (24-hour when صباحا/مساء says so, else as written).
"""

from __future__ import annotations

import calendar
from typing import Iterator, NamedTuple

import regex

from benchmark.entities.compiled import compile_cached
from benchmark.entities.patterns import (DIGIT, PROCLITICS, WORD_END, WORD_START,
                                         PatternStarts, alternation)
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
                 "الحالي", "المنصرم", "موسم", "صيف", "شتاء", "خريف", "ربيع", "اواسط",
                 "عامي")
# Days of the month as ordinals (السابع من أغسطس، الحادي والعشرين من مايو).
_ORDINAL_UNITS = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5,
                  "السادس": 6, "السابع": 7, "الثامن": 8, "التاسع": 9}
DAY_ORDINALS = {**_ORDINAL_UNITS, "العاشر": 10, "الحادي عشر": 11, "العشرين": 20,
                "الثلاثين": 30,
                **{f"{unit} عشر": value + 10 for unit, value in _ORDINAL_UNITS.items()
                   if value > 1},
                **{f"{'الحادي' if value == 1 else unit} والعشرين": value + 20
                   for unit, value in _ORDINAL_UNITS.items()},
                "الحادي والثلاثين": 31}
# Clock times: the hour as digits or as a feminine ordinal after الساعة.
HOUR_WORDS = {"الواحده": 1, "الثانيه": 2, "الثالثه": 3, "الرابعه": 4, "الخامسه": 5,
              "السادسه": 6, "السابعه": 7, "الثامنه": 8, "التاسعه": 9, "العاشره": 10,
              "الحاديه عشره": 11, "الثانيه عشره": 12}
_MINUTE_WORDS = {"النصف": 30, "الربع": 15, "الثلث": 20}
_MORNING = ("صباحا", "صباح", "فجرا", "ظهرا")
_EVENING = ("مساء", "مساءا", "ليلا", "عصرا", "بعد الظهر")
_PERIOD = rf"(?:\s+(?P<period>{alternation([*_MORNING, *_EVENING])}){WORD_END})?"
_HOUR_HEAD = alternation(["الساعه"])
_CLOCK = (rf"(?P<clock>(?:{_HOUR_HEAD}\s+)?(?P<hh>{DIGIT}{{1,2}}):(?P<mm>{DIGIT}{{2}})"
          rf"|{_HOUR_HEAD}\s+(?:(?P<hword>{alternation(list(HOUR_WORDS))})"
          rf"(?:\s+و(?P<mword>{alternation(list(_MINUTE_WORDS))}))?"
          rf"|(?P<hdigit>{DIGIT}{{1,2}}))(?![:\p{{N}}]){WORD_END}){_PERIOD}")

_MONTH = alternation([*GREGORIAN, *HIJRI])
# Two names of one month, after a slash or a space (أغسطس/آب، أغسطس آب).
_MONTHS = rf"(?P<month>{_MONTH})(?:(?:\s*/\s*|\s+)(?P<alt>{_MONTH}))?{WORD_END}"
_DAY = rf"(?:(?P<day>{DIGIT}{{1,2}})|(?P<dayword>{alternation(list(DAY_ORDINALS))}))"
_YEAR = rf"(?P<year>{DIGIT}{{4}})"
_NONZERO = "[1-9١-٩۱-۹]"
_WEEKDAY = alternation(list(WEEKDAYS) + ["الإثنين"])
_ERA = r"(?:\s*(?:م|هـ|ه)(?![\p{L}\p{N}]))?"

# A bare year after a preposition: the year is looked for ahead before the preposition
# behind (a look-behind of variable width, tried at every number otherwise).
_BARE_YEAR = rf"(?:19|20|١٩|٢٠){DIGIT}{{2}}"
_BARE_YEAR_AHEAD = rf"(?={PROCLITICS}?{_BARE_YEAR})"

PATTERN = compile_cached(
    rf"{WORD_START}{PROCLITICS}(?P<date>"
    rf"(?P<iso>{DIGIT}{{4}}-{DIGIT}{{1,2}}-{DIGIT}{{1,2}})"
    rf"|(?P<ymd>{DIGIT}{{4}}[/.]{DIGIT}{{1,2}}[/.]{DIGIT}{{1,2}})"
    rf"|(?P<dmy>{DIGIT}{{1,2}}(?P<sep>[.-]|\s*/\s*){DIGIT}{{1,2}}(?P=sep)"
    rf"(?:{DIGIT}{{4}}|{DIGIT}{{2}}))"
    rf"|(?:(?P<wd>{_WEEKDAY})\s+)?(?:{_DAY}\s+(?:من\s+)?)?{_MONTHS}"
    rf"(?:\s+(?:(?:من\s+)?(?:ال)?عام\s+)?{_YEAR}{_ERA})?"
    rf"|(?P<yword>{alternation(list(_YEAR_WORDS))})\s+(?P<tyear>{_NONZERO}{DIGIT}{{3}}){_ERA}"
    rf"|{_BARE_YEAR_AHEAD}(?<=(?:{alternation(list(_PREPOSITIONS))})\s+){PROCLITICS}?"
    rf"(?P<byear>{_BARE_YEAR})"
    rf"|(?P<weekday>{_WEEKDAY})"
    rf"){WORD_END}(?![%٪])")
# Clock times, matched apart (only in texts with a colon or الساعة: most have neither).
CLOCK_PATTERN = compile_cached(rf"{WORD_START}{PROCLITICS}(?P<date>{_CLOCK})")
# The words the patterns may begin at (besides numbers): tried there only.
_DATE_STARTS = PatternStarts(PATTERN, [*WEEKDAYS, "الإثنين", *DAY_ORDINALS, *GREGORIAN,
                                       *HIJRI, *_YEAR_WORDS])
_CLOCK_STARTS = PatternStarts(CLOCK_PATTERN, ["الساعه"])
# A head right before a month name (checked on the text before the match).
_HEAD_BEFORE = regex.compile(
    rf"{WORD_START}(?P<head>{alternation(['يوم', 'شهر'])})\s+$")
# A second year joined to a first by و: عامي 2005 و2009.
_AND_YEAR = regex.compile(rf"\s+و\s*(?P<year>{DIGIT}{{4}}){WORD_END}")


_ISO_SEPARATOR = regex.compile(r"[/.-]")
_DMY_SEPARATOR = regex.compile(r"\s*[/.-]\s*")


class DateMatch(NamedTuple):  # a tuple: a frozen init is slow
    start: int
    end: int
    value: str


def find_dates(text: str, words=None) -> Iterator[DateMatch]:
    """Every date span of `text`, left to right, without clitics (`words`: the text's
    `stream.TextWords`, if read)."""
    clocks = [DateMatch(m.start("date"), m.end("date"), value)
              for m in _clock_matches(text, words)
              if (value := _clock_value(m)) is not None]
    found = list(clocks)
    for match in _DATE_STARTS.finditer(text, words):
        start, end = match.span("date")
        head = _head(text, match) if match.group("month") else None
        value = _value(match, head=head[0] if head else "")
        if value is None or any(c.start < end and start < c.end for c in clocks):
            continue
        if match.group("byear"):
            start = match.start("byear")
        found.append(DateMatch(start, end, value))
        if match.group("tyear") or match.group("year"):
            second = _AND_YEAR.match(text, end)
            if second:
                found.append(DateMatch(second.start("year"), second.end("year"),
                                       str(_int(second.group("year")))))
    if clocks:
        found.sort(key=lambda m: m.start)
    yield from found


def _clock_matches(text: str, words=None) -> Iterator[regex.Match]:
    if ":" in text or "ساع" in text:
        yield from _CLOCK_STARTS.finditer(text, words)


def _head(text: str, match: regex.Match) -> tuple[str, int] | None:
    """``يوم`` or ``شهر`` right before a month date (left out of the span), and where
    it starts."""
    start = match.start("date")
    if match.start() != start:
        return None  # a proclitic on the date itself: no head before it
    window = max(0, start - 16)
    head = _HEAD_BEFORE.search(text, window, start)
    if head is None:
        return None
    return normalize_arabic(head.group("head")), head.start("head")


def _value(match: regex.Match, *, head: str = "") -> str | None:
    if match.group("iso") or match.group("ymd"):
        year, month, day = (_int(part) for part in
                            _ISO_SEPARATOR.split(match.group("iso") or match.group("ymd")))
        return _format(year, month, day) if _valid(month, day, year=year) else None
    if match.group("dmy"):
        day, month, year = (_int(part) for part in
                            _DMY_SEPARATOR.split(match.group("dmy")))
        if year < 100:
            year += 2000 if year < 50 else 1900
        return _format(year, month, day) if _valid(month, day, year=year) else None
    if match.group("month"):
        return _month_value(match, head=head)
    if match.group("tyear"):
        return str(_int(match.group("tyear")))
    if match.group("byear"):
        year = _int(match.group("byear"))
        return str(year) if 1900 <= year <= 2100 else None
    weekday = normalize_arabic(match.group("weekday")).replace("الإثنين", "الاثنين")
    return f"weekday:{WEEKDAYS[weekday]}"


def _month_value(match: regex.Match, *, head: str = "") -> str | None:
    month_name = " ".join(normalize_arabic(match.group("month")).split())
    day = _int(match.group("day")) if match.group("day") else None
    if match.group("dayword"):
        day = DAY_ORDINALS[" ".join(normalize_arabic(match.group("dayword")).split())]
    year = _int(match.group("year")) if match.group("year") else None
    if (month_name in AMBIGUOUS_MONTHS and day is None and year is None
            and not match.group("alt") and head != "شهر"):
        return None
    hijri = month_name in HIJRI
    month = HIJRI[month_name] if hijri else GREGORIAN[month_name]
    if day is not None and not _valid(month, day, year=None if hijri else year,
                                      hijri=hijri):
        return None
    value = _format(year, month, day)
    return f"hijri:{value}" if hijri else value


def _clock_value(match: regex.Match) -> str | None:
    if match.group("hh"):
        hour, minute = _int(match.group("hh")), _int(match.group("mm"))
    elif match.group("hword"):
        hour = HOUR_WORDS[" ".join(normalize_arabic(match.group("hword")).split())]
        minute = _MINUTE_WORDS[normalize_arabic(match.group("mword"))] \
            if match.group("mword") else 0
    else:
        hour, minute = _int(match.group("hdigit")), 0
    if hour > 24 or minute > 59:
        return None
    period = " ".join(normalize_arabic(match.group("period") or "").split())
    if period in _EVENING and hour < 12:
        hour += 12
    return f"time:{hour:02d}:{minute:02d}"


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
    if value.startswith("time:"):
        return {"time": value.removeprefix("time:")}
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
