"""Fields of a JSON Lines corpus exactly as written, for tools that point into the raw
texts (the entity gold set's character offsets), where an `Example` would rebuild them
(its summary is joined from the bullets)."""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Sequence

from benchmark import jsonl


def corpus_fields(path: Path, *, ids: Collection[str],
                  fields: Sequence[str]) -> dict[str, dict[str, str]]:
    """Item id -> the named fields of each line of `path` whose id is in `ids`."""
    found: dict[str, dict[str, str]] = {}
    for line in jsonl.iter_lines(path, required=("id", *fields)):
        row = line.record
        if row["id"] in ids:
            found[row["id"]] = {field: row[field] for field in fields}
    return found
