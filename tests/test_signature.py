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


# -- one way to write a value ------------------------------------------------------------

import pytest  # noqa: E402


@pytest.mark.parametrize("value, written, why", [
    (True, "yes", "booleans as sacrebleu writes them"),
    (False, "no", ""),
    (0.5, "0.5", "floats in %g form"),
    (1.0, "1", "no trailing .0"),
    (1e-05, "1e-05", "%g keeps small numbers short"),
    (1000, "1000", "integers as they are"),
    ("ar.v1", "ar.v1", "text as it is"),
])
def test_values_are_written_one_way(value, written, why):
    assert Signature.of(x=value).format() == f"x:{written}", why


def test_the_version_comes_last_whatever_the_order_given():
    profile = Signature.of(norm="ar.v1", clitics=False)
    signature = Signature.of(("rouge", "v1"), profile, split="ar.v2", version="0.1.0")
    assert signature.format() == "rouge:v1|norm:ar.v1|clitics:no|split:ar.v2|ver:0.1.0"
    assert Signature.parse(signature.format()) == signature
    assert signature.version == "0.1.0" and signature.get("ver") == "0.1.0"


def test_a_nested_signature_is_bracketed_and_compared_field_by_field():
    inner = Signature.of(("case", "mixed"), ("version", "2.6.0"))  # sacrebleu's own keys
    outer = Signature.of(("chrf", "v1"), sacrebleu=inner, version="0.1.0")
    text = "chrf:v1|sacrebleu[case:mixed|version:2.6.0]|ver:0.1.0"
    assert outer.format() == text and Signature.parse(text) == outer
    other = Signature.parse(text.replace("2.6.0]", "2.5.0]"))
    assert outer.difference(other) == [
        FieldDifference("sacrebleu.version", "2.6.0", "2.5.0")]


def test_brackets_inside_a_value_open_nothing():
    """An IPv6 URL in a judge's signature is a value, not a nested signature."""
    text = "judge:v1|url:http://[::1]:8000/v1|seed:0"
    assert Signature.parse(text).get("url") == "http://[::1]:8000/v1"
    assert Signature.parse(text).format() == text


def test_a_field_given_twice_is_an_error():
    with pytest.raises(ValueError, match="norm"):
        Signature.of(Signature.of(norm="a"), norm="b")
    with pytest.raises(ValueError, match="own version"):
        Signature.of(Signature.of(x="1", version="1"), version="2")


def test_coerce_takes_a_plugins_text():
    assert Signature.coerce("ner:mine.v1|gaz:x") == Signature.of(ner="mine.v1", gaz="x")
    same = Signature.of(a="1")
    assert Signature.coerce(same) is same
