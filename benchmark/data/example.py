"""The `Example` record: one article with its human summary (DESIGN §4.2)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Example:
    id: str
    article: str  # paragraphs joined by "\n"
    bullets: tuple[str, ...]
    date: str | None = None  # ISO "YYYY-MM-DD"
    source: str | None = None  # file path or URL
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """The reference summary: bullets joined by newlines."""
        return "\n".join(self.bullets)

    def to_record(self) -> dict[str, Any]:
        """The canonical dict stored in the `datasets.Dataset` and hashed."""
        record = asdict(self)
        record["bullets"] = list(self.bullets)
        record["summary"] = self.summary
        return {key: record[key] for key in RECORD_FIELDS}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Example":
        """The inverse of `to_record`; also reads a row of `to_hf_dataset`'s Dataset,
        where ``meta`` is a JSON string (Arrow structs would add the other rows' keys)."""
        meta = record.get("meta") or {}
        if isinstance(meta, str):
            meta = json.loads(meta)
        return cls(id=str(record["id"]), article=record["article"],
                   bullets=tuple(record["bullets"]), date=record.get("date"),
                   source=record.get("source"), meta=dict(meta))


RECORD_FIELDS = ("id", "date", "article", "bullets", "summary", "source", "meta")
