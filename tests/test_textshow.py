"""The one escape rule and the one preview (`benchmark.textshow`), as golden tables.

Each row says why a character is escaped or kept. Kept characters are those Arabic text
needs, or that cannot act on a terminal or reorder a line.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark import textshow
from benchmark.textshow import LINES, UNSAFE, escape, json_text, json_utf8, preview

ESCAPED = [
    ("\x1b[2J", "\\x1b[2J", "ESC starts a terminal sequence (this one clears the screen)"),
    ("a\x07", "a\\x07", "BEL rings the terminal and ends an OSC title sequence"),
    ("a\rb", "a\\x0db", "CR returns to the line's start: b would overwrite a"),
    ("\x00", "\\x00", "NUL: C0"),
    ("\x08", "\\x08", "backspace erases what was shown"),
    ("\x7f", "\\x7f", "DEL"),
    ("\x85", "\\x85", "NEL: a C1 control (a line break for some readers)"),
    ("\x9b31m", "\\x9b31m", "CSI: the one-character C1 form of ESC ["),
    ("\u202e", "\\u202e", "RLO: shows the rest of the line reversed (Trojan Source)"),
    ("\u202d", "\\u202d", "LRO: overrides the direction of Arabic letters"),
    ("\u202a\u202b\u202c", "\\u202a\\u202b\\u202c", "LRE, RLE, PDF: embeddings reorder"),
    ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069",
     "LRI, RLI, FSI, PDI: isolates move a run elsewhere on the line"),
    ("a\nb\tc", "a\\x0ab\\x09c", "newline and tab in a one-line field (a table cell)"),
]
KEPT = [
    ("ملخص الخبر", "Arabic letters"),
    ("مُلَخَّص", "harakat: combining marks"),
    ("مـــلخص", "tatweel U+0640 stretches a word"),
    ("٢٠٢٤ و2024", "Arabic-Indic and European digits"),
    ("می\u200cخواهد", "ZWNJ U+200C keeps a letter from joining the next (Persian, Urdu)"),
    ("لا\u200dم", "ZWJ U+200D asks for the joining form"),
    ("Google\u200f ثم", "RLM U+200F: an implicit mark, gives neutrals a direction only"),
    ("\u200e(2024)", "LRM U+200E: likewise; cannot reverse strong text"),
    ("\u061c-5", "ALM U+061C: the Arabic letter mark, likewise"),
    ("a\u2028b", "LINE SEPARATOR: no terminal acts on it"),
    ("\ufeffa", "BOM / ZWNBSP: invisible, moves nothing"),
    ("\\x1b", "an escape already shown: escaping again changes nothing"),
]


@pytest.mark.parametrize("raw,shown,why", ESCAPED, ids=[row[2] for row in ESCAPED])
def test_escaped(raw, shown, why):
    assert escape(raw) == shown


@pytest.mark.parametrize("text,why", KEPT, ids=[row[1] for row in KEPT])
def test_kept(text, why):
    assert escape(text) == text
    assert json.loads(json_text(text)) == text
    assert json_text(text) == json.dumps(text, ensure_ascii=False)  # written as it is


def test_newline_and_tab_are_kept_where_lines_are_allowed():
    assert escape("a\nb\tc\rd", keep=LINES) == "a\nb\tc\\x0dd"


@pytest.mark.parametrize("value,written", [
    ("\u202e", '"\\u202e"'), ("\x1b", '"\\u001b"'), ("\x85", '"\\u0085"'),
    ({"مفتاح\u2066": ["\x7f"]}, '{"مفتاح\\u2066": ["\\u007f"]}'),
])
def test_json_writes_the_same_characters_as_json_escapes(value, written):
    assert json_text(value) == written
    assert json.loads(written) == value


@given(st.text())
def test_no_unsafe_character_survives_and_json_round_trips(text):
    assert not UNSAFE.search(escape(text))
    assert not set(UNSAFE.findall(escape(text, keep=LINES))) - set(LINES)
    assert escape(escape(text)) == escape(text)
    written = json_text({"t": text})
    assert not UNSAFE.search(written) and json.loads(written) == {"t": text}


@pytest.mark.parametrize("value,why", [
    ({"t": "\x7f"}, "DEL: its own byte 0x7F"),
    ({"t": "\x85"}, "a C1 control: 0xC2 0x85"),
    ({"t": "«نص» \xa0"}, "guillemets and NBSP begin with 0xC2 too, and are kept"),
    ({"t": "\u202e"}, "RLO: 0xE2 0x80 0xAE"),
    ({"t": "\u2069"}, "PDI: 0xE2 0x81 0xA9"),
    ({"t": "… “”"}, "ellipsis and curly quotes begin with 0xE2 too, and are kept"),
    ({"مفتاح\u2066": ["\x7f", 1.5, None]}, "an escape in a key, beside other values"),
    ({"prediction": "ذهب الوزير إلى دمشق", "rouge1_f": 0.5, "n": 3, "ok": True},
     "an item line with nothing to escape"),
])
def test_json_utf8_is_json_text_in_utf8(value, why):
    assert json_utf8(value) == json_text(value).encode("utf-8")


@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_utf8_is_json_text_in_utf8_for_any_value(value):
    assert json_utf8(value) == json_text(value).encode("utf-8")


def test_json_utf8_does_not_look_for_escapes_in_a_line_with_none_of_their_bytes(monkeypatch):
    def looked(*args, **kwargs):
        raise AssertionError("looked for characters to escape")

    monkeypatch.setattr(textshow, "json_text", looked)
    line = {"prediction": "قال الوزير \"نعم\" إن 3.5%، ثم غادر.", "rouge1_f": 0.25}
    assert json.loads(json_utf8(line)) == line  # why: no 0x7F, 0xC2 or 0xE2 byte in it
    with pytest.raises(AssertionError):
        json_utf8({"t": "\u202e"})


@pytest.mark.parametrize("text,limit,shown,why", [
    ("short  text\n", 50, "short text", "whitespace runs become one space"),
    ("one two three four", 9, "one two …", "cut at the last space before the limit"),
    ("abcdefghij", 4, "abcd …", "no space in the second half: cut at the limit"),
    ("ذهب الوزير إلى دمشق صباحا", 12, "ذهب الوزير …", "Arabic is cut at a word too"),
    ("a\x1bb", 10, "a\x1bb", "no escaping: the output that shows it escapes"),
])
def test_preview(text, limit, shown, why):
    assert preview(text, limit) == shown
