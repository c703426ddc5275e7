"""Signatures as values: ``key:value|key:value|...`` with fields, parsing and a diff.

Every metric, text profile and statistic describes how it computed in a signature
(DESIGN §6, in the style of sacrebleu's). Stored runs keep the string; `Signature`
parses it back so that `compare` can say which field differs instead of printing two
long strings side by side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldDifference:
    key: str
    left: str | None  # None: the field is absent on that side
    right: str | None

    def describe(self) -> str:
        return f"{self.key}: {_shown(self.left)} vs {_shown(self.right)}"


def _shown(value: str | None) -> str:
    return "(absent)" if value is None else value


@dataclass(frozen=True)
class Signature:
    fields: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> "Signature":
        """``"rouge:v1|norm:ar.v1"`` -> fields ``(("rouge", "v1"), ("norm", "ar.v1"))``.
        A part without a colon is kept as a key with an empty value."""
        fields = []
        for part in text.split("|"):
            key, _, value = part.strip().partition(":")
            if key or value:
                fields.append((key, value))
        return cls(tuple(fields))

    @classmethod
    def of(cls, **values: object) -> "Signature":
        return cls(tuple((key, str(value)) for key, value in values.items()))

    def format(self) -> str:
        return "|".join(f"{key}:{value}" if value else key for key, value in self.fields)

    def get(self, key: str) -> str | None:
        return dict(self.fields).get(key)

    def difference(self, other: "Signature", *,
                   ignore: tuple[str, ...] = ()) -> list[FieldDifference]:
        """The fields whose values differ (or exist on one side only), in this
        signature's order, then the other's extra fields."""
        mine, theirs = dict(self.fields), dict(other.fields)
        keys = list(mine) + [key for key in theirs if key not in mine]
        return [FieldDifference(key, mine.get(key), theirs.get(key)) for key in keys
                if key not in ignore and mine.get(key) != theirs.get(key)]

    def __str__(self) -> str:
        return self.format()
