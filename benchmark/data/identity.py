"""A dataset's identity: a SHA-256 over the canonical JSON of its records' content
(DESIGN §4.2).

The hashed bytes are the dataset written as canonical JSON Lines, in order: for each
record, its content (`Example.content`: ``id, date, article, bullets, references``)
as ``json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
followed by ``"\\n"``, encoded as UTF-8. So the hash equals ``sha256sum`` of that JSONL
file, and anyone can recompute it without this package.

Only content counts: never the file name, the format, ``source`` (a file name or URL)
or ``meta`` (the columns the reader does not use, such as ``url``). The same records
saved as JSONL under two names, as CSV or Parquet, or read through ``hf:`` have one
identity. Order matters: the same examples in another order are another dataset.

This is identity scheme 2 (`IDENTITY_SCHEME`, recorded in each run). Runs written
before it (scheme 1) hashed `Example.to_record` as it was then (``id, date, article,
bullets, summary, source, meta``), so their hash depends on the file name and metadata;
`dataset_sha(..., scheme=1)` recomputes it, to check such a run's data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from benchmark.data.example import Example

IDENTITY_SCHEME = 2
_SCHEME_1_FIELDS = ("id", "date", "article", "bullets", "summary", "source", "meta")


def canonical_json(record: Mapping[str, Any]) -> str:
    """One record as canonical JSON: sorted keys, no spaces, non-ASCII kept as is."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def hashed_line(example: Example, *, scheme: int = IDENTITY_SCHEME) -> bytes:
    """The bytes `dataset_sha` hashes for one example."""
    if scheme == IDENTITY_SCHEME:
        content = example.content()
    elif scheme == 1:
        record = example.to_record()
        content = {key: record[key] for key in _SCHEME_1_FIELDS}
    else:
        raise ValueError(f"unknown identity scheme {scheme}")
    return canonical_json(content).encode("utf-8") + b"\n"


def dataset_sha(examples: Iterable[Example | Mapping[str, Any]], *,
                scheme: int = IDENTITY_SCHEME) -> str:
    """The full hex SHA-256 of the canonical JSON Lines of ``examples``' content.

    Accepts `Example`s or records (rows of `to_hf_dataset`'s Dataset included, whose
    ``meta`` is a JSON string); both give the same hash for the same data.
    """
    digest = hashlib.sha256()
    for example in examples:
        if not isinstance(example, Example):
            example = Example.from_record(dict(example))
        digest.update(hashed_line(example, scheme=scheme))
    return digest.hexdigest()


def format_identity(name: str, sha: str) -> str:
    """``name@sha256:<first 12 hex>``."""
    return f"{name}@sha256:{sha[:12]}"


def dataset_identity(name: str, examples: Iterable[Example | Mapping[str, Any]]) -> str:
    """``name@sha256:<first 12 hex of dataset_sha>``, e.g. ``ant-bbc@sha256:3f1c...``."""
    return format_identity(name, dataset_sha(examples))
