"""Golden table for cleaning chat-model answers into bullets (benchmark/summarizers/cleaning.py),
and the prompt templates they answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.errors import ConfigError
from benchmark.summarizers.cleaning import clean_summary, strip_think
from benchmark.llm.prompts import PLACEHOLDER, load_prompt, prompt_names

CASES = [
    # (raw answer, cleaned, why)
    ("<think>أفكر في المقال\nثم أكتب</think>\nارتفعت الأسعار.",
     "ارتفعت الأسعار.", "a closed reasoning block spanning lines is removed"),
    ("ارتفعت الأسعار.\n<think>وماذا بعد؟ يجب أن",
     "ارتفعت الأسعار.", "an unclosed block (cut by max_tokens) is dropped to the end"),
    ("سأفكر أولاً في النقاط</think>\n- ارتفعت الأسعار.",
     "ارتفعت الأسعار.", "an orphan </think> (template opened the block) drops what precedes"),
    ("<THINKING>x</THINKING>نص", "نص", "case-insensitive, <thinking> variant too"),
    ("إليك ملخصاً للمقال:\n- ارتفعت الأسعار.\n- قررت أوبك خفض الإنتاج.",
     "ارتفعت الأسعار.\nقررت أوبك خفض الإنتاج.", "preamble ending with ':' and dash bullets"),
    ("فيما يلي ملخص المقال في ثلاث نقاط:\n* أولى\n* ثانية", "أولى\nثانية",
     "«فيما يلي ... :» preamble and '*' bullets"),
    ("بالتأكيد! إليك أهم النقاط\n• أولى\n• ثانية", "أولى\nثانية",
     "interjection + preamble without colon but naming the points; '•' bullets"),
    ("Sure! Here is the summary:\n1. first\n2. second", "first\nsecond",
     "English preamble and Latin numbering"),
    ("**الملخص:**\n١- أولى\n٢- ثانية", "أولى\nثانية",
     "a bold heading line, Arabic-Indic numbering with a dash"),
    ("## أبرز النقاط\n1) أولى\n2) ثانية", "أولى\nثانية",
     "a markdown heading of a summary word, '1)' numbering"),
    ("- **الحكومة** تعلن خطة\n- خطة **جديدة**", "الحكومة تعلن خطة\nخطة جديدة",
     "bold markers inside bullets are removed, the words stay"),
    ("1.5 مليون زائر للمعرض", "1.5 مليون زائر للمعرض",
     "a decimal number at the start is not numbering"),
    ("2023 - عام الانتخابات", "2023 - عام الانتخابات",
     "a four-digit year followed by a dash is not numbering"),
    ("- أولى\n\n\n- ثانية\n", "أولى\nثانية", "blank lines disappear"),
    ("- أولى\n- ثانية\nآمل أن يكون هذا الملخص مفيداً.", "أولى\nثانية",
     "a closing courtesy line is dropped"),
    ("هذا القرار سيؤثر على ملايين المواطنين في البلاد.",
     "هذا القرار سيؤثر على ملايين المواطنين في البلاد.",
     "a content sentence starting with «هذا» but not introducing a summary is kept"),
    ("ملخص الاجتماع الطارئ لمجلس الأمن أدى إلى قرار بوقف إطلاق النار.",
     "ملخص الاجتماع الطارئ لمجلس الأمن أدى إلى قرار بوقف إطلاق النار.",
     "a long sentence starting with «ملخص» without a colon is content, not a heading"),
    ("<think>كل شيء هنا تفكير</think>", "", "only reasoning: nothing left"),
    ("هذا ملخص المقال\n- أولى", "أولى",
     "a short «هذا ...» line naming the summary is a preamble, even without a colon"),
    ("هذه هي النقاط الرئيسية:\n- أولى", "أولى", "«هذه هي ...:» ending with a colon"),
    ("هذه النقاط الخمس التي أعلنها الوزير تشمل خفض الضرائب.\n- ثانية",
     "هذه النقاط الخمس التي أعلنها الوزير تشمل خفض الضرائب.\nثانية",
     "regression: a 9-word first bullet opening with «هذه» and naming «النقاط» is content"),
    ("هذا التلخيص الذي نشرته الوكالة أثار جدلاً واسعاً بين النواب.",
     "هذا التلخيص الذي نشرته الوكالة أثار جدلاً واسعاً بين النواب.",
     "regression: a one-line summary about a «تلخيص» was emptied"),
    ("إليك ما جاء في المقال:\n- أولى", "أولى",
     "«إليك» with a colon, though no summary word"),
]


@pytest.mark.parametrize(("raw", "expected", "why"), CASES, ids=[c[2] for c in CASES])
def test_clean_summary_golden(raw, expected, why):
    assert clean_summary(raw) == expected, why


def test_strip_think_keeps_text_around_closed_blocks():
    assert strip_think("قبل<think>x</think>بعد") == "قبلبعد"


lines = st.lists(st.text(alphabet="ابتثجحخ دذرزس.،:-*•0123456789\n", max_size=30),
                 max_size=5)


@given(lines.map("\n".join))
def test_cleaning_is_idempotent(text):
    once = clean_summary(text)
    assert clean_summary(once) == once


@given(lines.map("\n".join))
def test_cleaned_lines_are_stripped_and_non_empty(text):
    cleaned = clean_summary(text)
    assert all(line and line == line.strip() for line in cleaned.split("\n")) or cleaned == ""


def test_default_prompt_is_arabic_and_asks_for_bullets():
    template = load_prompt()
    assert template.name == "bullets-ar" and template.system
    assert "نقاط" in template.user and template.user.count(PLACEHOLDER) == 1
    messages = template.messages("نص {غير} مفسر")  # braces in articles are left alone
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"].endswith("المقال:\nنص {غير} مفسر")
    assert {"bullets-ar", "bullets-ar-short", "paragraph-ar"} <= set(prompt_names())


def test_prompt_files_are_validated(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("لخص المقال", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad.txt: user: the user message must contain "
                       r"\{article\}"):
        load_prompt(str(bad))
    extra = tmp_path / "extra.yaml"
    extra.write_text("user: '{article}'\nsytem: typo\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown top-level key 'sytem'"):
        load_prompt(str(extra))
    with pytest.raises(ConfigError, match="unknown prompt 'bulets-ar'; available: .*bullets-ar"):
        load_prompt("bulets-ar")


def test_prompt_signature_follows_the_content(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("أ {article}", encoding="utf-8")
    first = load_prompt(str(path)).signature()
    path.write_text("ب {article}", encoding="utf-8")
    assert load_prompt(str(path)).signature() != first
    assert first.startswith("p@")
