"""A dataset's identity: a SHA-256 over the canonical JSON of its records (DESIGN §4.2).

The hashed bytes are the dataset written as canonical JSON Lines, in order: for each
record (`Example.to_record`: ``id, date, article, bullets, summary, source, meta``),
``json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
followed by ``"\\n"``, encoded as UTF-8. So the hash equals ``sha256sum`` of that JSONL
file, and anyone can recompute it without this package.

Two runs are comparable only if their datasets have the same hash. The records hold
nothing about where the data was read from (``source`` is a file name or URL, never an
absolute path), so the same data copied elsewhere keeps its identity. Order matters:
the same examples in another order are another dataset (per-item results are paired by
position as well as id).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from benchmark.data.example import Example


def canonical_json(record: Mapping[str, Any]) -> str:
    """One record as canonical JSON: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def dataset_sha(examples: Iterable[Example | Mapping[str, Any]]) -> str:
    """The full hex SHA-256 of the canonical JSON Lines of ``examples``.

    Accepts `Example`s or records (rows of `to_hf_dataset`'s Dataset included, whose
    ``meta`` is a JSON string); both give the same hash for the same data.
    """
    digest = hashlib.sha256()
    for example in examples:
        if not isinstance(example, Example):
            example = Example.from_record(dict(example))
        digest.update(canonical_json(example.to_record()).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def format_identity(name: str, sha: str) -> str:
    """``name@sha256:<first 12 hex>``."""
    return f"{name}@sha256:{sha[:12]}"


def dataset_identity(name: str, examples: Iterable[Example | Mapping[str, Any]]) -> str:
    """``name@sha256:<first 12 hex of dataset_sha>``, e.g. ``ant_bbc@sha256:3f1c...``."""
    return format_identity(name, dataset_sha(examples))
