"""The `Entity` record every backend returns, and the normalized key it carries."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Callable, cast

import regex

from benchmark.text import normalize_arabic

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC", "DATE", "NUM", "ORDINAL", "PERCENT", "MONEY")
NAME_TYPES = frozenset({"PERS", "LOC", "ORG", "MISC"})
NUMERIC_TYPES = frozenset({"NUM", "ORDINAL", "PERCENT", "MONEY"})

_PUNCT = regex.compile(r"[^\p{L}\p{M}\p{N}\s/.,:٫٬%٪]+")
_SPACES = regex.compile(r"\s+")
_SLASH = regex.compile(r"\s*/\s*")
_EDGE = regex.compile(r"^[\s/.,:]+|[\s/.,:]+$")


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity mention.

    ``text == source[start:end]`` for the text it was extracted from. `key` is the
    normalized citation form (see `entity_key`); `value` is the number for NUM,
    ORDINAL (الرابعة: 4), PERCENT and MONEY, and a canonical date string for DATE (``2018-07-23``, ``2018``,
    ``--07``, ``weekday:1``); `currency` is an ISO 4217 code for MONEY when known.
    """

    type: str
    text: str
    start: int
    end: int
    key: str
    value: float | str | None = None
    currency: str | None = None

    def label(self) -> str:
        """``TYPE:text`` as shown in the lists of missing and unsupported entities."""
        return f"{self.type}:{self.text}"


@functools.lru_cache(maxsize=1 << 16)  # the same names recur across texts
def entity_key(text: str, *, restore_article: bool = False) -> str:
    """The normalized citation form of an entity's surface text.

    Profile-``ar`` normalization, quotes and other punctuation removed, whitespace
    collapsed, no spaces around ``/``. With `restore_article`, a text whose ``لل``
    proclitic was cut to ``ل`` gets its article back (``لامم`` -> ``الامم``).
    """
    key = normalize_arabic(text)
    key = _PUNCT.sub(" ", key)
    key = _SLASH.sub("/", key)
    key = _EDGE.sub("", _SPACES.sub(" ", key))
    if restore_article and key.startswith("ل"):
        key = "ا" + key
    return key


class _Unfrozen:
    """An `Entity` made without the frozen dataclass's ``__init__`` (which sets each
    field through ``object.__setattr__``): the same slots, set by plain stores, then the
    class changed to `Entity` (Python allows it between classes of one layout: the same
    slots, in order). The rules make thousands, and a second model's run reads back
    about 90,000 from the store: about half the time of the frozen ``__init__``."""

    __slots__ = ("type", "text", "start", "end", "key", "value", "currency")

    def __init__(self, type: str, text: str, start: int, end: int, key: str,  # noqa: A002
                 value: float | str | None = None, currency: str | None = None) -> None:
        self.type = type
        self.text = text
        self.start = start
        self.end = end
        self.key = key
        self.value = value
        self.currency = currency
        self.__class__ = Entity


# `new_entity(...)` is `Entity(...)`: `_Unfrozen` stands for `__init__` only while its
# slots are all of Entity's fields, in order, and `__init__` does nothing more
# (tests/test_entities_prediction_shortcuts.py checks that this holds).
new_entity = cast("Callable[..., Entity]",
                  _Unfrozen if getattr(Entity, "__slots__", None) == _Unfrozen.__slots__
                  == tuple(f.name for f in fields(Entity))
                  and not hasattr(Entity, "__post_init__") else Entity)
