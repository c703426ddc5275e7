"""What an annotator's browser may send, checked before anything is stored.

Every field is validated against the study and the page: the slot must be a summary
shown on that page, the criterion one of the study's, the unit one of the item's, the
value one the protocol allows; comments are bounded. A bad request raises
`InvalidAnswer` with the HTTP status to answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BODY = 16_384  # bytes of one request body
MAX_COMMENT = 2_000  # characters of a comment
PAIRWISE_VALUES = ("a", "b", "tie")


class InvalidAnswer(Exception):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    slot: int
    criterion: str
    unit: int  # -1 where the protocol has no units
    value: str


def _integer(body: dict[str, Any], name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswer(f"{name}: expected an integer")
    return value


def parse_answer(body: Any, *, protocol: str, criteria: list[str], shown: int,
                 units: int) -> Answer:
    """The answer in `body` (a decoded JSON object) for a page showing `shown`
    summaries of an item with `units` content units."""
    if not isinstance(body, dict):
        raise InvalidAnswer("expected a JSON object", 400)
    criterion = body.get("criterion")
    if not isinstance(criterion, str) or criterion not in criteria:
        raise InvalidAnswer("criterion: not one of this study's")
    slot = _integer(body, "slot", 0)
    if not 0 <= slot < (1 if protocol == "pairwise" else shown):
        raise InvalidAnswer("slot: no such summary on this page")
    unit = _integer(body, "unit", -1)
    if protocol == "units" and not 0 <= unit < units:
        raise InvalidAnswer("unit: no such content unit on this page")
    if protocol != "units" and unit != -1:
        raise InvalidAnswer("unit: this study has no content units")
    return Answer(slot, criterion, unit, _value(body.get("value"), protocol))


def _value(value: Any, protocol: str) -> str:
    if protocol == "pairwise":
        if value not in PAIRWISE_VALUES:
            raise InvalidAnswer("value: expected a, b or tie")
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswer("value: expected an integer")
    allowed = (0, 1) if protocol == "units" else (1, 2, 3, 4, 5)
    if value not in allowed:
        raise InvalidAnswer(f"value: expected one of {', '.join(map(str, allowed))}")
    return str(value)


def parse_note(body: Any) -> tuple[str, bool]:
    """(comment, cannot_judge) from a note request."""
    if not isinstance(body, dict):
        raise InvalidAnswer("expected a JSON object", 400)
    comment = body.get("comment", "")
    cannot_judge = body.get("cannot_judge", False)
    if not isinstance(comment, str):
        raise InvalidAnswer("comment: expected text")
    if len(comment) > MAX_COMMENT:
        raise InvalidAnswer(f"comment: longer than {MAX_COMMENT} characters", 413)
    if not isinstance(cannot_judge, bool):
        raise InvalidAnswer("cannot_judge: expected true or false")
    return comment, cannot_judge
