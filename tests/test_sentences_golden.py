"""Sentence split ``ar.v2`` (DESIGN §5), case by case: where a sentence ends and where not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.metrics.rouge import score_texts
from benchmark.text import TextProfile, split_sentences
from benchmark.text.sentences import SPLITTER_VERSION

SPLITS = [
    # (text, expected sentences, why)
    ("أولى. ثانية؟ ثالثة! رابعة", ["أولى.", "ثانية؟", "ثالثة!", "رابعة"],
     "a terminal mark . ؟ ! followed by whitespace ends a sentence"),
    ("هل جاء?! نعم", ["هل جاء?!", "نعم"], "a run of marks ends once, after the whole run"),
    ("قالها بالأردية۔ ثم", ["قالها بالأردية۔", "ثم"], "the Urdu full stop ۔ is a terminal mark"),
    ("انتظر… ثم", ["انتظر…", "ثم"], "the ellipsis character is a terminal mark"),
    ("انتظر... ثم", ["انتظر...", "ثم"], "three dots are a run and end a sentence"),
    ("انتهى.", ["انتهى."], "the end of the text ends the last sentence"),
    ("بلغ 3.5 مليون", ["بلغ 3.5 مليون"], "no whitespace after the dot: a decimal point"),
    ("موقع bbc.com اليوم", ["موقع bbc.com اليوم"], "no whitespace after the dot: a domain"),
    ("قال: «انتهى.» ثم غادر", ["قال: «انتهى.»", "ثم غادر"],
     "a closing guillemet after the mark belongs to the sentence"),
    ('قال "انتهى." ثم', ['قال "انتهى."', "ثم"], "a closing straight quote belongs to it too"),
    ("قال “انتهى؟” ثم", ["قال “انتهى؟”", "ثم"], "a closing curly quote after ؟"),
    ("قال ’انتهى!’ ثم", ["قال ’انتهى!’", "ثم"], "a closing single curly quote"),
    ("قال \"مش حلو..\" بعد", ['قال "مش حلو.."', "بعد"], "a run of dots then a quote"),
    ("أولى.\u200f ثانية", ["أولى.\u200f", "ثانية"], "an RLM after the mark does not hide it"),
    ("كبيرا (...) والخطأ يجب تصحيحه.", ["كبيرا (...) والخطأ يجب تصحيحه."],
     "an elision (...) never ends a sentence: the bracket keeps it open"),
    ("عبر [...] لجنة متنقلة. ثم", ["عبر [...] لجنة متنقلة.", "ثم"],
     "an elision [...] never ends one either"),
    ("العرض (..) وسحبت", ["العرض (..) وسحبت"], "two dots in brackets: still an elision"),
    ("العرض ( ... ) وسحبت", ["العرض ( ... ) وسحبت"],
     "a spaced elision: the run sits inside brackets"),
    ("قال (... ثم قال) كذا", ["قال (... ثم قال) كذا"],
     "an elision just inside an opening bracket does not end one"),
    ("قال (انتهى.) ثم", ["قال (انتهى.) ثم"], "a closing bracket after the run keeps it open"),
    ("قال د. محمد إن", ["قال د. محمد إن"], "a lone dot after a one-letter word (title)"),
    ("رومان ج. ازرائيل", ["رومان ج. ازرائيل"], "a one-letter initial"),
    ("J. Smith said", ["J. Smith said"], "a Latin initial"),
    ("بثته بي.بي.سي. أمس. ثم", ["بثته بي.بي.سي. أمس.", "ثم"],
     "a dot closing a dotted acronym is not an end; the next stop is"),
    ("مغني الراب تي.آي. قال", ["مغني الراب تي.آي. قال"], "a two-piece Arabic acronym"),
    ("in the U.S. today. Next", ["in the U.S. today.", "Next"], "a Latin dotted acronym"),
    ("دور السينما أيه.إم.سي. أنترتينمنت", ["دور السينما أيه.إم.سي. أنترتينمنت"],
     "pieces of up to five letters (ايه is three)"),
    ("الاجتماع.الوفد غادر. ثم", ["الاجتماع.الوفد غادر.", "ثم"],
     "a long word before the dot is no acronym piece: the stop ends the sentence"),
    ("بلغ العدد 5. ثم", ["بلغ العدد 5.", "ثم"], "a number is not a one-letter word"),
    ("هذا كل ما في ب.. ثم", ["هذا كل ما في ب..", "ثم"],
     "only a lone dot is excused: two dots after one letter end the sentence"),
    ("بند أول\nبند ثان", ["بند أول", "بند ثان"], "a newline always ends a sentence"),
    ("قال د.\nمحمد", ["قال د.", "محمد"], "a newline ends one even after an abbreviation"),
    ("• أولى\n• ثانية", ["• أولى", "• ثانية"], "a bullet per line: each its own sentence"),
    ("• أولى • ثانية", ["• أولى", "• ثانية"], "a bullet glyph inside a line starts a sentence"),
    ("- أولى. ثانية", ["- أولى.", "ثانية"], "inside a bullet, terminal marks still split"),
    ("  \n\n", [], "blank text has no sentences"),
]


@pytest.mark.parametrize("text,expected,why", SPLITS, ids=[row[2][:50] for row in SPLITS])
def test_split(text, expected, why):
    assert split_sentences(text) == expected, why


def test_split_version_is_in_the_rouge_signature():
    from benchmark import Scorer

    assert SPLITTER_VERSION == "ar.v2"
    assert "|split:ar.v2|" in Scorer(["rouge"]).signature


def test_an_elision_no_longer_splits_a_reference_for_lsum():
    """France 24 style: the reference stays one sentence across ``(...)``, so Lsum
    matches it as one; split ``ar.v1`` cut it in two and credited both halves."""
    reference = "قال إن كندا ارتكبت خطأ كبيرا (...) والخطأ يجب تصحيحه."
    prediction = "والخطأ يجب تصحيحه لأن كندا ارتكبت خطأ كبيرا"
    profile = TextProfile()
    lsum = score_texts(reference=reference, prediction=prediction, profile=profile)
    # One reference sentence of 9 tokens against one prediction sentence whose two
    # parts come in the other order: the LCS keeps the longer part, 4 tokens.
    assert lsum["rougeLsum"].recall == pytest.approx(4 / 9)
    as_v1 = reference.replace("(...) ", "(...)\n")  # the two sentences v1 made
    lsum_v1 = score_texts(reference=as_v1, prediction=prediction, profile=profile)
    assert lsum_v1["rougeLsum"].recall == pytest.approx(7 / 9)  # 4 + 3 of 9


# Text made of the characters the rule looks at, so boundaries and exceptions are common.
split_texts = st.text(alphabet="دمحب UsA.!?؟۔…\"'»”’()[]•\n\u200f\xa0",
                      max_size=60)


@given(split_texts)
def test_splitting_keeps_every_visible_character_in_order(text):
    assert "".join("".join(split_sentences(text)).split()) == "".join(text.split())


@given(split_texts)
def test_a_sentence_splits_into_itself(text):
    for sentence in split_sentences(text):
        assert split_sentences(sentence) == [sentence]
