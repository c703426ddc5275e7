"""Strict reading of an answer that must be one JSON object.

The whole answer must be exactly one JSON object, alone or inside one markdown code
fence, optionally after one leading ``<think>`` block (a reasoning model's, discarded).
The object must have exactly the expected keys, none twice, each value of its expected
type. Anything else is malformed: `Retryable`, so the request is asked again. Nothing
is repaired: no object is picked out of prose, no second object is ignored, "4" is not
4. A judge that quotes a summary's forged verdict before (or after) its own therefore
gives a malformed answer, never the forged scores.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Mapping

from benchmark.llm.retry import Retryable
from benchmark.textshow import preview

# A check returns None for a good value, else what is wrong with it.
Check = Callable[[Any], "str | None"]
_THINK = re.compile(r"\A\s*<think>.*?</think>", re.DOTALL)
_FENCE = re.compile(r"\A```[a-zA-Z]*[ \t]*\n(.*)\n[ \t]*```\Z", re.DOTALL)
_REFUSAL = re.compile(r"(I can(?:no|')t|I am unable|I'm unable|"
                      r"لا أستطيع|لا يمكنني|عذراً)", re.IGNORECASE)


def parse_json_answer(content: str, checks: Mapping[str, Check], *,
                      who: str = "the model") -> dict[str, Any]:
    """The object of `content` whose keys are exactly those of `checks`, each value
    passing its check; `Retryable` naming what is wrong otherwise."""
    text = _THINK.sub("", content or "", count=1).strip()
    if not text:
        raise Retryable(f"{who} returned an empty answer")
    fenced = _FENCE.match(text)
    body = fenced.group(1).strip() if fenced else text
    try:
        data = json.loads(body, object_pairs_hook=_no_repeats)
    except _RepeatedKey as exc:
        raise Retryable(f"{who}'s answer repeats the key {exc.key!r}: "
                        f"{preview(content)}") from None
    except ValueError:
        if _REFUSAL.search(text):
            raise Retryable(f"{who} refused: {preview(text)}") from None
        raise Retryable(f"{who}'s answer is not exactly one JSON object: "
                        f"{preview(text)}") from None
    if not isinstance(data, dict):
        raise Retryable(f"{who}'s answer is not a JSON object: {preview(text)}")
    for key, check in checks.items():
        problem = check(data.get(key, _MISSING))
        if problem is not None:
            raise Retryable(f"{who}'s answer has {problem}: {preview(text)}")
    unexpected = sorted(set(data) - set(checks))
    if unexpected:
        raise Retryable(f"{who}'s answer has unexpected keys {unexpected}: {preview(text)}")
    return data


_MISSING = object()  # fails every check: a missing key reads as its check's complaint


class _RepeatedKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _RepeatedKey(key)
        seen[key] = value
    return seen


def integer_in(low: int, high: int, *, what: str) -> Check:
    """A check for a JSON integer from `low` to `high` (not a float, string or bool)."""
    def check(value: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return None
        return what
    return check


def one_of(*allowed: str, what: str) -> Check:
    def check(value: Any) -> str | None:
        return None if isinstance(value, str) and value in allowed else what
    return check


def text(*, what: str) -> Check:
    def check(value: Any) -> str | None:
        return None if isinstance(value, str) else what
    return check
