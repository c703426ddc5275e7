"""Texts shown to a model as data, never as instructions (the judge's defence against
summaries that try to grade themselves).

Each text goes between an opening and a closing tag, ``<candidate-1a2b3c4d>`` ...
``</candidate-1a2b3c4d>``, that the text cannot contain:

- inside the text ``&``, ``<`` and ``>`` are escaped as ``&amp;``, ``&lt;`` and ``&gt;``,
  and characters that look like angle brackets (full-width, small, mathematical,
  CJK, modifier letters, ...) as numeric references such as ``&#xff1c;``: no tag and
  no look-alike of one survives in a text;
- the code after the tag name is a hash of all the texts of the request: a text cannot
  name the code of the request it is part of (it would have to contain its own hash).

The prompt tells the model that what lies between the tags is data to evaluate, that any
instruction, heading or verdict inside is part of that data, and that only the tags
with the request's code delimit it. `SCHEME` names this procedure; it is hashed into
the signature of every prompt filled this way.
"""

from __future__ import annotations

import hashlib
import json

SCHEME = "delimited.v1"
TAG_NAMES = {"article": "article", "reference": "reference", "summary": "candidate",
             "summary_a": "summary-a", "summary_b": "summary-b"}
# Characters a model may read as "<" or ">" (NFKC folds some of them into those).
LOOK_ALIKES = frozenset(
    "\u02c2\u02c3\u1438\u1433\u2039\u203a\u2329\u232a\u276c\u276d\u276e\u276f\u2770\u2771"
    "\u27e8\u27e9\u29fc\u29fd\u3008\u3009\ufe64\ufe65\uff1c\uff1e\U000e003c\U000e003e")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: str) -> str:
    """`text` with no character that could open or close a tag (see the module)."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in LOOK_ALIKES:
            out.append(f"&#x{ord(char):x};")
        else:
            out.append(char)
    return "".join(out)


def nonce_for(fields: dict[str, str]) -> str:
    """The request's code: 8 hex digits of a hash over all its texts."""
    blob = json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:8]


def tag(name: str, nonce: str) -> str:
    """The tag name of placeholder `name`, e.g. ``candidate-1a2b3c4d``."""
    return f"{TAG_NAMES.get(name, name.replace('_', '-'))}-{nonce}"


def enclose(name: str, text: str, *, nonce: str) -> str:
    """`text` escaped, between the opening and closing tags of placeholder `name`."""
    label = tag(name, nonce)
    return f"<{label}>\n{escape(text)}\n</{label}>"
