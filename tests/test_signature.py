"""Signatures as values: parse, format, and a field-by-field difference."""

from hypothesis import given
from hypothesis import strategies as st

from benchmark.signature import FieldDifference, Signature

ROUGE = "rouge:v1|defs:rouge-score-0.1.2|norm:ar.v1|tok:ar.v1|stem:none|clitics:no"


def test_parse_and_fields():
    signature = Signature.parse(ROUGE)
    assert signature.get("norm") == "ar.v1" and signature.get("rouge") == "v1"
    assert signature.format() == ROUGE == str(signature)


def test_difference_names_each_field():
    other = ROUGE.replace("norm:ar.v1", "norm:none").replace("|clitics:no", "") + "|extra:1"
    assert Signature.parse(ROUGE).difference(Signature.parse(other)) == [
        FieldDifference("norm", "ar.v1", "none"),  # changed
        FieldDifference("clitics", "no", None),  # only on the left
        FieldDifference("extra", None, "1"),  # only on the right
    ]
    assert FieldDifference("clitics", "no", None).describe() == "clitics: no vs (absent)"


def test_ignored_fields_do_not_count():
    a = Signature.parse("ci:percentile-bootstrap|n:1000|seed:0|level:95")
    b = Signature.parse("ci:percentile-bootstrap|n:1000|seed:7|level:95")
    assert a.difference(b, ignore=("seed",)) == []
    assert [d.key for d in a.difference(b)] == ["seed"]


keys = st.text(alphabet="abcdefghij_.", min_size=1, max_size=6)
values = st.text(alphabet="abcdefghij0123456789.-+:", min_size=1, max_size=8)


@given(st.dictionaries(keys, values, min_size=1, max_size=6))
def test_format_then_parse_round_trips(fields):
    signature = Signature.of(**fields)
    assert Signature.parse(signature.format()) == signature
    assert signature.difference(Signature.parse(signature.format())) == []
