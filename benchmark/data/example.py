"""The `Example` record: one article with its human summaries (DESIGN §4.2)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Example:
    id: str
    article: str  # paragraphs joined by "\n"
    bullets: tuple[str, ...]  # the (first) reference summary, one bullet per entry
    date: str | None = None  # ISO "YYYY-MM-DD"
    source: str | None = None  # file path or URL
    meta: dict[str, Any] = field(default_factory=dict)
    # Further reference summaries, each a tuple of bullets; empty for one reference.
    references: tuple[tuple[str, ...], ...] = ()
    # Input fields the reader did not use (kept in `meta`); never hashed nor compared.
    unused_fields: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def summary(self) -> str:
        """The reference summary: bullets joined by newlines."""
        return "\n".join(self.bullets)

    @property
    def all_references(self) -> list[tuple[str, ...]]:
        """Every reference summary as bullets: `bullets` first, then `references`."""
        return [self.bullets, *self.references]

    @property
    def scored_reference(self) -> str | list[list[str]]:
        """What the scorer gets: the summary text for one reference, else every
        reference as a list of bullets (`Scorer` scores against each)."""
        if not self.references:
            return self.summary
        return [list(bullets) for bullets in self.all_references]

    def content(self) -> dict[str, Any]:
        """The fields a dataset's identity covers (DESIGN §4.2): never ``source`` or
        ``meta``, so the same records under another name or with other metadata hash
        alike."""
        return {"id": self.id, "date": self.date, "article": self.article,
                "bullets": list(self.bullets),
                "references": [list(reference) for reference in self.references]}

    def to_record(self) -> dict[str, Any]:
        """The canonical dict stored in the `datasets.Dataset`."""
        record = asdict(self)
        record["bullets"] = list(self.bullets)
        record["summary"] = self.summary
        record["references"] = [list(reference) for reference in self.references]
        return {key: record[key] for key in RECORD_FIELDS}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Example":
        """The inverse of `to_record`; also reads a row of `to_hf_dataset`'s Dataset,
        where ``meta`` is a JSON string (Arrow structs would add the other rows' keys)."""
        meta = record.get("meta") or {}
        if isinstance(meta, str):
            meta = json.loads(meta)
        references = tuple(tuple(reference) for reference in record.get("references") or ())
        return cls(id=str(record["id"]), article=record["article"],
                   bullets=tuple(record["bullets"]), date=record.get("date"),
                   source=record.get("source"), meta=dict(meta), references=references)


RECORD_FIELDS = ("id", "date", "article", "bullets", "summary", "references", "source", "meta")
