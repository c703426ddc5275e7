"""Signatures as values: how a score, a text profile or a model's outputs were computed.

Every metric, text profile, NER backend, summarizer and statistic describes itself with
a `Signature` (DESIGN §6, in the style of sacrebleu's): fields in a fixed order, then
the package version last. `Signature.format` is the one place that writes one as text,
``key:value|key:value|...|ver:0.1.0``; stored runs, the prediction cache and the
dataset-analysis cache keep that text, and `Signature.parse` reads it back so that
`compare` can say which field differs instead of printing two long strings.

Values are written one way: booleans as ``yes``/``no``, floats in ``%g`` form, another
signature nested as ``key[...]`` (sacrebleu's own inside chrF's).
"""

from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union

VERSION_KEY = "ver"
_NESTED = re.compile(r"(?P<key>[^:\[\]|]+)\[(?P<inner>.*)\]", re.DOTALL)

FieldValue = Union[str, "Signature"]
Value = Union[str, int, float, bool, "Signature"]


@dataclass(frozen=True)
class FieldDifference:
    key: str  # "sacrebleu.version" for a field of a nested signature
    left: str | None  # None: the field is absent on that side
    right: str | None

    def describe(self) -> str:
        return f"{self.key}: {_shown(self.left)} vs {_shown(self.right)}"


def _shown(value: str | None) -> str:
    return "(absent)" if value is None else value


def format_value(value: Value) -> FieldValue:
    """The one spelling of a field value: ``yes``/``no``, ``0.5``/``1`` (``%g``)."""
    if isinstance(value, Signature):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(f"a signature field takes text, a number or a boolean, not {value!r}")


@dataclass(frozen=True)
class Signature:
    fields: tuple[tuple[str, FieldValue], ...]
    version: str | None = None  # written last, as ``ver:<version>``

    # -- building ---------------------------------------------------------------------
    @classmethod
    def of(cls, *parts: "Signature | tuple[str, Value]", version: str | None = None,
           **values: Value) -> "Signature":
        """Fields in order: each part (a signature's fields spliced in, or a ``(key,
        value)`` pair), then the keyword `values`; `version` last.

            Signature.of(("rouge", "v1"), profile.signature(), split="ar.v2",
                         version=__version__)
        """
        fields: list[tuple[str, FieldValue]] = []
        for part in parts:
            if isinstance(part, Signature):
                if part.version is not None:
                    raise ValueError(f"{part} has its own version; only the outer one may")
                fields += part.fields
            else:
                key, value = part
                fields.append((key, format_value(value)))
        fields += [(key, format_value(value)) for key, value in values.items()]
        keys = [key for key, _ in fields] + ([VERSION_KEY] if version is not None else [])
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"signature field(s) {', '.join(repeated)} given twice")
        return cls(tuple(fields), version)

    @classmethod
    def coerce(cls, value: "Signature | str") -> "Signature":
        """`value` as a signature: a plugin's ``signature()`` may still return text."""
        return value if isinstance(value, Signature) else cls.parse(str(value))

    # -- text ---------------------------------------------------------------------------
    def format(self) -> str:
        """``key:value|...|ver:<version>``; a nested signature as ``key[...]``, a field
        with an empty value as its key alone."""
        return "|".join(_format_field(key, value) for key, value in self._all_fields())

    def __str__(self) -> str:
        return self.format()

    @classmethod
    def parse(cls, text: str) -> "Signature":
        """``"rouge:v1|norm:ar.v1|ver:0.1.0"`` -> fields ``(("rouge", "v1"), ("norm",
        "ar.v1"))``, version ``0.1.0``. ``key[...]`` is read as a nested signature; a part
        without a colon is kept as a key with an empty value."""
        fields: list[tuple[str, FieldValue]] = []
        for part in _split_top_level(text):
            part = part.strip()
            nested = _NESTED.fullmatch(part)
            if nested:
                fields.append((nested["key"], cls.parse(nested["inner"])))
                continue
            key, _, value = part.partition(":")
            if key or value:
                fields.append((key, value))
        version = None
        if fields and fields[-1][0] == VERSION_KEY and isinstance(fields[-1][1], str):
            version = str(fields.pop()[1])
        return cls(tuple(fields), version)

    # -- reading --------------------------------------------------------------------------
    def get(self, key: str) -> str | None:
        """The value of `key` as written (a nested signature's text without brackets)."""
        for name, value in self._all_fields():
            if name == key:
                return value.format() if isinstance(value, Signature) else value
        return None

    def difference(self, other: "Signature", *,
                   ignore: tuple[str, ...] = ()) -> list[FieldDifference]:
        """The fields whose values differ (or exist on one side only), in this
        signature's order, then the other's extra fields; nested signatures field by
        field (``sacrebleu.version``). `ignore` names top-level keys."""
        mine, theirs = dict(self._all_fields()), dict(other._all_fields())
        keys = list(mine) + [key for key in theirs if key not in mine]
        differences: list[FieldDifference] = []
        for key in keys:
            left, right = mine.get(key), theirs.get(key)
            if key in ignore or left == right:
                continue
            if isinstance(left, Signature) and isinstance(right, Signature):
                differences += [FieldDifference(f"{key}.{d.key}", d.left, d.right)
                                for d in left.difference(right)]
            else:
                differences.append(FieldDifference(key, _text(left), _text(right)))
        return differences

    def _all_fields(self) -> Iterator[tuple[str, FieldValue]]:
        yield from self.fields
        if self.version is not None:
            yield VERSION_KEY, self.version


def _format_field(key: str, value: FieldValue) -> str:
    if isinstance(value, Signature):
        return f"{key}[{value.format()}]"
    return f"{key}:{value}" if value else key


def _text(value: FieldValue | None) -> str | None:
    if value is None:
        return None
    return f"[{value.format()}]" if isinstance(value, Signature) else value


def _split_top_level(text: str) -> list[str]:
    """`text` split at the ``|`` outside a nested ``key[...]`` (a ``[`` in a value, after
    the part's first colon, opens nothing)."""
    parts, depth, start, in_value = [], 0, 0, False
    for index, char in enumerate(text):
        if char == "[" and (depth or not in_value):
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        elif char == ":" and not depth:
            in_value = True
        elif char == "|" and not depth:
            parts.append(text[start:index])
            start, in_value = index + 1, False
    parts.append(text[start:])
    return parts


def source_hash(cls: type) -> str | None:
    """A hash of the source files of `cls` and its bases that live outside this package
    (a ``py:`` class, a plugin): signed as ``src:``, so editing their code changes the
    signature and cached results of the old code are not served for the new. None for
    built-ins, whose code is versioned with the package."""
    digest = hashlib.sha256()
    found = False
    for klass in cls.__mro__:
        module = sys.modules.get(klass.__module__)
        filename = getattr(module, "__file__", None)
        if not filename or klass.__module__.split(".")[0] in ("benchmark", "builtins", "abc"):
            continue
        try:
            digest.update(Path(filename).read_bytes())
        except OSError:
            digest.update(filename.encode())  # unreadable: at least the location counts
        found = True
    return digest.hexdigest()[:12] if found else None
