"""How outside text is shown: one escape rule for every output, one preview.

Texts from datasets, models, servers, file names and configuration reach the terminal,
Markdown, CSV, JSON, HTML and the files a run writes. Some characters in them would act
instead of being shown, so every output replaces them with a visible escape (`escape`),
or, in JSON, with the JSON escape of the same character (`json_text`: the value read
back is unchanged).

Escaped (`UNSAFE`):

- C0 controls U+0000-U+001F (ESC starts terminal sequences, CR overwrites a line, BEL
  rings), DEL U+007F and C1 controls U+0080-U+009F (U+009B is a one-byte CSI):
  shown as ``\\xNN``. Newline and tab are kept where the output allows several lines
  (``keep="\\n\\t"``), and escaped in a table cell or any one-line field.
- The explicit bidirectional formatting characters, the embeddings and overrides
  U+202A-U+202E (LRE, RLE, PDF, LRO, RLO) and the isolates U+2066-U+2069 (LRI, RLI,
  FSI, PDI): shown as ``\\uNNNN``. They reorder what is displayed around them, so text
  can show something other than what it holds ("Trojan Source", CVE-2021-42574).

Kept, because Arabic text needs them or they cannot reorder anything:

- Arabic letters, harakat (combining marks), tatweel U+0640, Arabic-Indic digits;
- ZWNJ U+200C and ZWJ U+200D: they choose letter forms inside a word;
- the implicit marks LRM U+200E, RLM U+200F and ALM U+061C: they give a neutral
  character (a full stop, a digit run's sign) a direction but cannot reverse strong
  text, and Arabic web text uses them after Latin words and numbers;
- every other character, including U+2028/U+2029 and U+FEFF (no terminal acts on them).

`tests/test_textshow.py` holds the table, each row saying why.
"""

from __future__ import annotations

import json
import re
from typing import Any

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]")
# What json.dumps(ensure_ascii=False) leaves raw of UNSAFE (it escapes C0 itself).
_JSON_RAW = re.compile("[\x7f-\x9f" + BIDI_CONTROLS + "]")
_JSON = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(ensure_ascii=False) makes
LINES = "\n\t"  # `keep` for outputs that may hold several lines
ELLIPSIS = " …"


def escape(text: str, *, keep: str = "") -> str:
    """`text` with every `UNSAFE` character but those in `keep` shown as a visible
    escape: ``\\xNN`` for a control, ``\\uNNNN`` for a bidi control. Escaping twice
    changes nothing more (the escapes are plain characters)."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(lambda match: _shown(match.group(), keep), text)


def _shown(char: str, keep: str) -> str:
    if char in keep:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0x9f else f"\\u{code:04x}"


def json_text(value: Any, *, indent: int | None = None) -> str:
    """``json.dumps(value, ensure_ascii=False)`` with every `UNSAFE` character written as
    its JSON escape ``\\uNNNN``: Arabic stays readable, the value read back is the same,
    and no control or bidi character appears raw. (These characters can only occur
    inside JSON strings, where a ``\\u`` escape is always valid.)"""
    text = _JSON.encode(value) if indent is None else \
        json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# The first byte of every `_JSON_RAW` character in UTF-8 (U+007F; U+0080-U+009F after
# 0xC2; the bidi controls after 0xE2): a byte no other character's encoding holds, as
# 0x7F is ASCII and 0xC2 and 0xE2 only ever begin a character.
_RAW_LEAD_BYTES = (b"\x7f", b"\xc2", b"\xe2")


def json_utf8(value: Any) -> bytes:
    """``json_text(value).encode("utf-8")``, without looking for the characters to escape
    where the UTF-8 holds none of their first bytes (almost every line a run writes:
    looking through the text cost a fifth of encoding it)."""
    data = _JSON.encode(value).encode("utf-8")
    if any(lead in data for lead in _RAW_LEAD_BYTES):
        return json_text(value).encode("utf-8")
    return data


def preview(text: str, limit: int = 120) -> str:
    """`text` on one line (each run of whitespace one space), at most `limit`
    characters plus an ellipsis, cut at a space when one is in the second half.
    The one preview of outside text: diff excerpts, error messages. It does not escape:
    the output that shows it does (`escape`, `json_text`, HTML)."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat.rfind(" ", 0, limit)
    return flat[:cut if cut > limit // 2 else limit].rstrip() + ELLIPSIS
