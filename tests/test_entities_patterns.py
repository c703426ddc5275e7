"""Numbers, percentages, money and dates: hand-computed tables, one row per case."""

from __future__ import annotations

import pytest

from benchmark.entities.dates import date_supports, find_dates
from benchmark.entities.numbers import find_numbers, find_ordinals, parse_value, same_currency


def numbers(text):
    return [(m.type, text[m.start:m.end], m.value, m.currency) for m in find_numbers(text)]


@pytest.mark.parametrize("text,expected", [
    # ASCII digits; the counted noun is not part of the span.
    ("قتل 16 شخصا", [("NUM", "16", 16.0, None)]),
    # Arabic-Indic digits read as the same value.
    ("قتل ١٦ شخصا", [("NUM", "١٦", 16.0, None)]),
    # Thousands separator (comma: groups of three) and Arabic decimal separator.
    ("نحو 1,800 أسرة و٣٫٥ طن", [("NUM", "1,800", 1800.0, None), ("NUM", "٣٫٥", 3.5, None)]),
    # A multiplier word scales the number and belongs to the span.
    ("10 آلاف مستمع", [("NUM", "10 آلاف", 10000.0, None)]),
    ("2.5 مليون نسمة", [("NUM", "2.5 مليون", 2.5e6, None)]),
    # Number words, with a clitic outside the span; a compound unit + tens.
    ("فاز بثلاثة أهداف", [("NUM", "ثلاثة", 3.0, None)]),
    ("خمسة وعشرين عاما", [("NUM", "خمسة وعشرين", 25.0, None)]),
    ("أحد عشر لاعبا", [("NUM", "أحد عشر", 11.0, None)]),
    # Percentages: sign before or after, Arabic sign, and the words في المئة / بالمئة.
    ("بنسبة 40%", [("PERCENT", "40%", 40.0, None)]),
    ("بنسبة ٪٤٠", [("PERCENT", "٪٤٠", 40.0, None)]),
    ("ارتفع 12 في المئة", [("PERCENT", "12 في المئة", 12.0, None)]),
    ("تراجع خمسة بالمئة", [("PERCENT", "خمسة بالمئة", 5.0, None)]),
    # Money: currency word, multiplier, nisba settling the currency, symbol.
    ("غرامة 400 يورو", [("MONEY", "400 يورو", 400.0, "EUR")]),
    ("بـ 5 مليارات دولار", [("MONEY", "5 مليارات دولار", 5e9, "USD")]),
    ("3 ملايين دينار كويتي", [("MONEY", "3 ملايين دينار كويتي", 3e6, "KWD")]),
    ("مليار دولار", [("MONEY", "مليار دولار", 1e9, "USD")]),  # a multiplier alone
    ("100 ليرة سورية", [("MONEY", "100 ليرة سورية", 100.0, "SYP")]),
    ("$20", [("MONEY", "$20", 20.0, "USD")]),
    ("ألف روبل", [("MONEY", "ألف روبل", 1000.0, "RUB")]),
    # Vague quantities and duals are not numbers.
    ("عشرات الآلاف ومئات الملايين وبملايين الدولارات وبهدفين", []),
    # Ordinals are not cardinals.
    ("المركز الثاني للمرة الأولى", []),
    # The article written on a numeral (with tatweel) is outside the span.
    ("الساعات الـ24 المقبلة", [("NUM", "24", 24.0, None)]),
    ("الأطفال الـ١٢", [("NUM", "١٢", 12.0, None)]),
    # في المئة with no number before it is not the number 100.
    ("ارتفعت في المئة", []),
    # Percent words in the accusative spelling, with the Arabic decimal separator.
    ("نما ٣٫٥ بالمائة", [("PERCENT", "٣٫٥ بالمائة", 3.5, None)]),
    # Each listed currency word: the family tag unless a nisba or a code settles it.
    ("50 ألف ريال سعودي", [("MONEY", "50 ألف ريال سعودي", 5e4, "SAR")]),
    ("20 درهما", [("MONEY", "20 درهما", 20.0, "dirham")]),
    ("300 مليون جنيه مصري", [("MONEY", "300 مليون جنيه مصري", 3e8, "EGP")]),
    ("1500 ليرة", [("MONEY", "1500 ليرة", 1500.0, "lira")]),
    # 400 nines overflow a float: not a number rather than an infinite one.
    ("رقم " + "9" * 400, []),
    # واحد counts the noun before it; not "one of", "each one" or "per" (الواحد).
    ("قتل شخص واحد", [("NUM", "واحد", 1.0, None)]),
    ("لمدة عام واحد فقط", [("NUM", "واحد", 1.0, None)]),
    ("مرة واحدة", [("NUM", "واحدة", 1.0, None)]),
    ("واحد من أبرز اللاعبين", []),  # no noun before it, and من after it
    ("يعد واحدا من أغلى اللاعبين", []),  # one of
    ("كل واحد منهم", []),  # a quantifier before it
    ("سعر البرميل الواحد", []),  # definite: per barrel
    ("قطب السينما وأحد أعمدتها", []),  # و + أحد (one of), written with a hamza
    ("في آن واحد وفي وقت واحد", []),  # idioms: at once, at the same time
    ("واحد وعشرون لاعبا", [("NUM", "واحد وعشرون", 21.0, None)]),  # in a compound
    # Cardinal words with their value, with a multiplier.
    ("عشر سنوات", [("NUM", "عشر", 10.0, None)]),
    ("ثلاثة آلاف شخص", [("NUM", "ثلاثة آلاف", 3000.0, None)]),
    # A number ending in a multiplier or hundreds word, and و + a smaller number or
    # amount: one number, their sum (the type and currency of the last part).
    ("دفع 253 ألفا و200 جنيه إسترليني",
     [("MONEY", "253 ألفا و200 جنيه إسترليني", 253200.0, "GBP")]),
    ("3 ملايين و500 ألف دولار", [("MONEY", "3 ملايين و500 ألف دولار", 3.5e6, "USD")]),
    ("مليار و300 مليون و500 ألف", [("NUM", "مليار و300 مليون و500 ألف", 1.3005e9, None)]),
    ("ثلاثمئة وخمسة وعشرون", [("NUM", "ثلاثمئة وخمسة وعشرون", 325.0, None)]),
    ("ألفين وخمسمئة", [("NUM", "ألفين وخمسمئة", 2500.0, None)]),
    # ... but not two numbers of a range or a list (no multiplier, or not smaller).
    ("بين 200 و300 ألف", [("NUM", "200", 200.0, None), ("NUM", "300 ألف", 3e5, None)]),
    ("بين مليون و3 ملايين", [("NUM", "مليون", 1e6, None), ("NUM", "3 ملايين", 3e6, None)]),
    ("5 آلاف و10 آلاف", [("NUM", "5 آلاف", 5e3, None), ("NUM", "10 آلاف", 1e4, None)]),
])
def test_numbers(text, expected):
    assert numbers(text) == expected


def dates(text):
    return [(text[m.start:m.end], m.value) for m in find_dates(text)]


@pytest.mark.parametrize("text,expected", [
    ("بتاريخ 2025-12-24", [("2025-12-24", "2025-12-24")]),  # ISO
    ("في 24/12/2025", [("24/12/2025", "2025-12-24")]),  # day first
    ("في ٢٤/١٢/٢٥", [("٢٤/١٢/٢٥", "2025-12-24")]),  # two-digit year, Arabic digits
    # Weekday + day + Gregorian/Levantine pair + year: one span, weekday implied.
    ("يوم الاثنين 23 يوليو/تموز 2018", [("الاثنين 23 يوليو/تموز 2018", "2018-07-23")]),
    ("في 5 كانون الثاني 2024", [("5 كانون الثاني 2024", "2024-01-05")]),  # Levantine
    ("في 3 جويلية 2019", [("3 جويلية 2019", "2019-07-03")]),  # Maghrebi
    ("في 15 رمضان 1445 هـ", [("15 رمضان 1445 هـ", "hijri:1445-09-15")]),  # Hijri
    ("منتصف أكتوبر/ تشرين الأول", [("أكتوبر/ تشرين الأول", "XXXX-10")]),  # month only
    ("منذ عام 2018", [("عام 2018", "2018")]),  # year after عام
    ("في العام 1990", [("العام 1990", "1990")]),
    ("بين عامي 2005 و2009", [("عامي 2005", "2005"), ("2009", "2009")]),  # a pair
    ("بحلول 2020", [("2020", "2020")]),  # bare year after a temporal preposition
    ("اليوم الأربعاء", [("الأربعاء", "weekday:3")]),  # weekday alone
    ("والسبت", [("السبت", "weekday:6")]),  # clitic outside the span
    # Ambiguous month names need a day or a year: مارس is also "he practised".
    ("مارس الضغط", []),
    ("في 3 مارس", [("3 مارس", "XXXX-03-03")]),
    ("في 15 دولة", []),  # not a year: two digits after في
    ("في 32 يناير", []),  # no such day
    ("في 2024/03/15", [("2024/03/15", "2024-03-15")]),  # year first, with slashes
    ("( 26 / 4 / 1947 )", [("26 / 4 / 1947", "1947-04-26")]),  # spaced slashes
    ("في 31/02/2024", []),  # February has no 31st: not a date
    ("في 29/02/2024", [("29/02/2024", "2024-02-29")]),  # 2024 is a leap year
    ("في 29/02/2023", []),  # 2023 is not
    ("في 29 فبراير", [("29 فبراير", "XXXX-02-29")]),  # no year: possibly a leap day
    ("في 31 رمضان", []),  # Hijri months have at most 30 days
    ("في 3 أيلول 2019", [("3 أيلول 2019", "2019-09-03")]),  # Levantine September
    ("في 3 شتنبر 2019", [("3 شتنبر 2019", "2019-09-03")]),  # Moroccan September
    ("العام الجاري 2018", [("2018", "2018")]),  # bare year after الجاري
    ("عام 0000", []),  # not a year
])
def test_dates(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("evidence,claim,expected", [
    ("2018-07-23", "2018", True),  # a year is stated by a full date in that year
    ("2018-07-23", "XXXX-07-23", True),  # day and month without a year
    ("2018", "2018-07-23", False),  # a full date is not stated by its year alone
    ("2018-07-23", "2019", False),
    ("weekday:2", "weekday:2", True),
    ("hijri:1445-09", "XXXX-09", False),  # different calendars
])
def test_date_supports(evidence, claim, expected):
    assert date_supports(evidence, claim) is expected


@pytest.mark.parametrize("left,right,expected", [
    ("USD", "dollar", True),  # a family tag matches its code
    ("USD", "CAD", False),
    ("KWD", "dinar", True),
    (None, "EUR", True),  # unknown currency: no evidence against
    ("EUR", "USD", False),
])
def test_same_currency(left, right, expected):
    assert same_currency(left, right) is expected


def ordinals(text):
    return [(m.type, text[m.start:m.end], m.value) for m in find_ordinals(text)]


@pytest.mark.parametrize("text,expected", [
    # Definite ordinals, masculine and feminine, with a clitic outside the span.
    ("للمرة الرابعة", [("ORDINAL", "الرابعة", 4.0)]),
    ("في المركز الثالث", [("ORDINAL", "الثالث", 3.0)]),
    # The first and second, definite only (أول أمس, ثاني أكسيد, 30 ثانية are not).
    ("للمرة الأولى", [("ORDINAL", "الأولى", 1.0)]),
    ("للمرة الثانية", [("ORDINAL", "الثانية", 2.0)]),
    ("أول أمس وثاني أكسيد الكربون و30 ثانية", []),
    # Indefinite from the third up, either gender: رابع أكبر، ولاية رابعة.
    ("رابع أكبر اقتصاد", [("ORDINAL", "رابع", 4.0)]),
    ("لولاية رابعة", [("ORDINAL", "رابعة", 4.0)]),
    # Teens and units with tens are one ordinal each.
    ("الحادي عشر", [("ORDINAL", "الحادي عشر", 11.0)]),
    ("الخامسة عشرة", [("ORDINAL", "الخامسة عشرة", 15.0)]),
    ("القرن الحادي والعشرين", [("ORDINAL", "الحادي والعشرين", 21.0)]),
    ("الذكرى الخامسة والسبعين", [("ORDINAL", "الخامسة والسبعين", 75.0)]),
])
def test_ordinals(text, expected):
    assert ordinals(text) == expected


def test_parse_value_reads_only_the_numeral():
    # "المئة" is a number word, but here it belongs to the percent phrase.
    assert parse_value("12 في المئة") == 12.0
    assert parse_value("لا أرقام هنا") is None
