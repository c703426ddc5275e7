"""What counts as the same entity across texts (`benchmark.entities.matching`), one row
per rule of docs/entities.md "What counts as the same entity", and the end-to-end
effect in the `entities` metric."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import matching
from benchmark.entities.matching import Evidence, match_keys, supports
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.tokens import clitic_forms
from benchmark.metrics.base import ItemInput
from benchmark.metrics.entities import EntityMetric
from benchmark.text import get_profile


def entity(entity_type, text, value=None, currency=None, *, key=None):
    return Entity(entity_type, text, 0, len(text), key or entity_key(text), value, currency)


def evidence_of(*entities, text=""):
    return Evidence.of(text, list(entities))


# (claim, evidence entity, supported?, why)
NAME_ROWS = [
    (entity("LOC", "الولايات المتحدة"), entity("LOC", "لولايات المتحدة"), True,
     "a key that kept the ل of لل: the article restored"),
    (entity("ORG", "غوغل"), entity("ORG", "وغوغل"), True, "a proclitic و cut"),
    (entity("ORG", "غوغل"), entity("ORG", "شركة غوغل"), True,
     "a describing head dropped (شركة)"),
    (entity("ORG", "ريال مدريد"), entity("ORG", "نادي ريال مدريد"), True,
     "a named head dropped (نادي)"),
    (entity("LOC", "مدينة حلب"), entity("LOC", "حلب"), True,
     "a settlement head dropped (مدينة), either side"),
    (entity("LOC", "سوريا"), entity("LOC", "سورية"), True, "one gazetteer identity"),
    (entity("PERS", "لافروف"), entity("PERS", "سيرغي لافروف"), True,
     "a person's surname inside the full name"),
    (entity("LOC", "البيت الأبيض"), entity("ORG", "البيت الأبيض"), True,
     "name types may differ (LOC and ORG): the same name"),
    (entity("ORG", "بنك باركليز"), entity("ORG", "باركليز"), False,
     "an included head is part of the name: بنك باركليز is not matched by key"),
    (entity("LOC", "مطار هيثرو"), entity("LOC", "هيثرو"), False,
     "a facility head is part of the name"),
    (entity("LOC", "باريس"), entity("LOC", "برلين"), False,
     "different names stay different"),
    (entity("ORG", "الجيش الفرنسي"), entity("ORG", "الجيش السوري"), False,
     "the same head with another nisba is another body"),
    (entity("MISC", "السوري"), entity("LOC", "سوريا"), False,
     "a nisba (MISC) is never matched to a name"),
]

VALUE_ROWS = [
    (entity("NUM", "عشرة آلاف", 1e4), entity("NUM", "10,000", 1e4), True,
     "spelled out and digits: one value"),
    (entity("NUM", "16", 16.0), entity("NUM", "17", 17.0), False, "other value"),
    (entity("MONEY", "5 دولارات", 5.0, "USD"), entity("MONEY", "5 يورو", 5.0, "EUR"), False,
     "money: other currency"),
    (entity("DATE", "2018", "2018"), entity("DATE", "23 يوليو 2018", "2018-07-23"), True,
     "a year stated by a full date"),
    (entity("DATE", "2018", "2018"), entity("NUM", "2018", 2018.0), True,
     "a year claim and a bare number of that value (no trigger word)"),
    (entity("DATE", "يوليو 2018", "2018-07"), entity("NUM", "2018", 2018.0), False,
     "a number states no month"),
    (entity("NUM", "2018", 2018.0), entity("DATE", "عام 2018", "2018"), True,
     "a number that may be a year, and a date in that year"),
    (entity("NUM", "16", 16.0), entity("DATE", "16 يوليو", "XXXX-07-16"), False,
     "16 is no year; a day is not a number"),
    (entity("DATE", "شهر شعبان", "hijri:XXXX-08"), entity("DATE", "شعبان", "hijri:XXXX-08"),
     True, "the head شهر does not change the value"),
    (entity("DATE", "يوم 3 مارس", "XXXX-03-03"), entity("DATE", "3 آذار", "XXXX-03-03"),
     True, "يوم and the month's other name: the same value"),
    (entity("DATE", "الساعة 10:30 مساء", "time:22:30"),
     entity("DATE", "22:30", "time:22:30"), True, "clock times by value"),
    (entity("DATE", "الساعة 10:30 مساء", "time:22:30"),
     entity("DATE", "الساعة 10:30", "time:10:30"), False, "10:30 is not 22:30"),
    (entity("NUM", "عشرة", 10.0), entity("NUM", "10", 10.0), True,
     "a number word and digits: one value"),
    (entity("ORDINAL", "الرابعة", 4.0), entity("ORDINAL", "رابع", 4.0), True,
     "an ordinal by its value, either gender"),
    (entity("ORDINAL", "الرابعة", 4.0), entity("NUM", "4", 4.0), True,
     "an ordinal and a number of its value (للمرة الـ4 writes the fourth time)"),
    (entity("NUM", "4", 4.0), entity("ORDINAL", "الرابعة", 4.0), True,
     "and the other way round"),
    (entity("ORDINAL", "الرابعة", 4.0), entity("ORDINAL", "الخامسة", 5.0), False,
     "another ordinal"),
    (entity("ORDINAL", "الرابعة", 4.0), entity("PERCENT", "4%", 4.0), False,
     "a percentage is no ordinal"),
    (entity("MONEY", "253 ألفا و200 جنيه إسترليني", 253200.0, "GBP"),
     entity("MONEY", "253200 جنيه", 253200.0, "pound"), True,
     "a composite amount by its sum; a pound family matches GBP"),
]


@pytest.mark.parametrize("claim,other,expected,why", NAME_ROWS + VALUE_ROWS)
def test_same_entity_golden_rows(claim, other, expected, why):
    assert supports(claim, evidence_of(other)) is expected, why


@pytest.mark.parametrize("key,expected", [
    ("لولايات المتحده", {"لولايات المتحده", "ولايات المتحده", "الولايات المتحده"}),
    ("شركه غوغل", {"شركه غوغل", "غوغل"}),
    # A two-word head; the proclitic readings (و and وك cut) are kept too.
    ("وكاله انباء رويترز", {"وكاله انباء رويترز", "كاله انباء رويترز",
                            "اله انباء رويترز", "رويترز"}),
    ("غوغل", {"غوغل"}),  # no proclitic reading keeps fewer than 3 letters (غ + وغل)
    ("", set()),
])
def test_match_keys(key, expected):
    assert match_keys(key) == expected


def test_the_fallback_never_reads_a_maqsura_preposition_as_a_name():
    # The claim's words are looked up in the evidence text when no entity matches:
    # على there is the preposition, not the name علي; علي written with ي is.
    claim = entity("PERS", "علي")
    assert not supports(claim, evidence_of(text="وعلى الصعيد السياسي قال"))
    assert supports(claim, evidence_of(text="وقال علي إن"))


@pytest.fixture(scope="module")
def metric():
    return EntityMetric(get_profile("ar"))


@pytest.mark.parametrize("prediction,reference,source", [
    # The summary names the company without its head; the reference and the article
    # with it.
    ("أعلنت غوغل", "أعلنت شركة غوغل", "أعلنت شركة غوغل الأمريكية"),
    # A year written without a trigger word is the reference's year.
    ("وقع الحادث 2018", "وقع الحادث في عام 2018", "وقع الحادث في عام 2018"),
    # A party named with and without its describing head حزب.
    ("فاز حزب النهضة", "فازت النهضة", "فاز حزب النهضة في الانتخابات"),
    # A date after يوم and the same date written with the Levantine month name.
    ("في 3 آذار", "يوم 3 مارس", "وقع ذلك يوم 3 مارس/آذار"),
    # A number written as a word in the reference, in digits in the summary.
    ("قتل 10 أشخاص", "قتل عشرة أشخاص", "قتل عشرة أشخاص في الهجوم"),
    # An ordinal in both, written otherwise (masculine and feminine).
    ("فاز بولاية رابعة", "فاز للمرة الرابعة", "فاز للمرة الرابعة بولاية رابعة"),
    # One amount of money written with two numerals and its sum in digits.
    ("غرامة 253200 جنيه إسترليني", "غرامة 253 ألفا و200 جنيه إسترليني",
     "فرضت غرامة 253 ألفا و200 جنيه إسترليني"),
])
def test_metric_counts_these_as_the_same_entity(metric, prediction, reference, source):
    values = metric.score_item(ItemInput(prediction=prediction, references=[reference],
                                         source=source))
    assert values["entity_recall"] == 1.0, values["missing_entities"]
    assert values["entity_precision"] == 1.0, values["unsupported_entities"]


# --- the word fallback looks a name's first word up by its spellings ---------------


_WORDS = ["دمشق", "ودمشق", "بدمشق", "وبدمشق", "الامم", "للامم", "وللامم", "المتحده", "علي",
          "ابو", "قصره", "وابو", "لل", "ال", "و", "فالرياض", "الرياض", "رياض", "كالرياض"]


def _contains_by_readings(words: list[str], claim: list[str]) -> bool:
    """The fallback's definition: the claim's first word is a clitic reading of a word
    of the text, and the rest follow it word for word."""
    return bool(claim) and any(
        claim[0] in {form.form for form in clitic_forms(word)}
        and words[index + 1:index + len(claim)] == claim[1:]
        for index, word in enumerate(words))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12),
       st.lists(st.sampled_from(_WORDS), max_size=3))
def test_contains_words_is_a_run_with_a_clitic_on_the_first_word(words, claim) -> None:
    assert Evidence([], words=words).contains_words(claim) == \
        _contains_by_readings(words, claim)


def test_contains_words_by_hand() -> None:
    evidence = Evidence([], words=["قال", "وللامم", "المتحده", "في", "بدمشق"])
    assert evidence.contains_words(["الامم", "المتحده"])  # why: لل restores the article
    assert evidence.contains_words(["دمشق"])  # why: ب cut from the first word
    assert not evidence.contains_words(["المتحده", "الامم"])  # why: order matters
    assert not evidence.contains_words(["في", "دمشق"])  # why: a clitic only on the first
    assert not evidence.contains_words([])  # why: nothing to look for


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["ابو", "قصره", "مرهف", "علي", "محمد"]), max_size=3),
       st.lists(st.sampled_from(["ابو", "قصره", "مرهف", "علي", "محمد"]), max_size=5))
def test_a_run_of_words_is_found_as_by_trying_each_place(short, long) -> None:
    """`_contains` (persons' names inside each other: `distinct`, `supports`) looks for
    the first word before trying each place: the same answer as trying each place."""
    width = len(short)
    assert matching._contains(short, long) == \
        any(long[i:i + width] == short for i in range(len(long) - width + 1))


def test_a_run_of_words_by_hand() -> None:
    assert matching._contains(["ابو", "قصره"], ["مرهف", "ابو", "قصره"])  # why: at its end
    assert not matching._contains(["قصره", "ابو"], ["مرهف", "ابو", "قصره"])  # why: order
    assert not matching._contains(["علي"], ["مرهف", "ابو", "قصره"])  # why: no such word
    assert matching._contains([], ["مرهف"])  # why: an empty name is inside every name
