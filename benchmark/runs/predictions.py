"""Saved predictions for `bench score`: a JSONL file of ``{"id", "prediction"}`` lines,
read as a mapping from id to text without holding the texts.

`PredictionFile.read` checks every line once (a string prediction, no id twice) and
keeps only each id's byte offset; a text is read from the file when it is asked for,
so scoring millions of predictions holds ids, not texts. `predictions_digest` hashes
the predictions the same way for a file and for a plain dict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO, Iterator

from benchmark import jsonl
from benchmark.errors import DataError


class PredictionFile(Mapping):
    """Id -> prediction text of a saved-predictions file (texts read on demand)."""

    def __init__(self, path: Path, offsets: dict[str, int]):
        self.path = path
        self._offsets = offsets
        self._handle: BinaryIO | None = None

    @classmethod
    def read(cls, path: Path) -> "PredictionFile":
        """Check every line of `path` and index it; `DataError` with file:line."""
        if not path.is_file():
            raise DataError("no such file; pass the JSONL written by your system", path=str(path))
        offsets: dict[str, int] = {}
        for offset, (number, line) in jsonl.iter_lines_at(path,
                                                           required=("id", "prediction")):
            if not isinstance(line["prediction"], str):
                raise DataError("'prediction' must be a string", path=str(path), line=number)
            key = str(line["id"])
            if key in offsets:
                raise DataError(f"id {key!r} appears twice", path=str(path), line=number)
            offsets[key] = offset
        if not offsets:
            raise DataError("no predictions in the file", path=str(path))
        return cls(path, offsets)

    def __getitem__(self, key: str) -> str:
        offset = self._offsets[key]
        if self._handle is None:
            self._handle = open(self.path, "rb")
        try:
            line = jsonl.read_at(self._handle, offset)
        except ValueError:
            line = None
        if not isinstance(line, dict) or str(line.get("id")) != key \
                or not isinstance(line.get("prediction"), str):
            raise DataError("the file changed since it was first read",
                            path=str(self.path), hint="rerun once it no longer changes")
        return line["prediction"]

    def __iter__(self) -> Iterator[str]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)

    def __contains__(self, key: object) -> bool:
        return key in self._offsets

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> "PredictionFile":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def predictions_digest(predictions: Mapping[str, str]) -> str:
    """The first 12 hex digits of the SHA-256 of ``json.dumps(dict(predictions),
    sort_keys=True, ensure_ascii=False)``, computed one prediction at a time."""
    import hashlib  # here: `bench --help` imports this module, and hashlib loads OpenSSL

    digest = hashlib.sha256(b"{")
    for index, key in enumerate(sorted(predictions)):
        if index:
            digest.update(b", ")
        digest.update(json.dumps(key, ensure_ascii=False).encode())
        digest.update(b": ")
        digest.update(json.dumps(predictions[key], ensure_ascii=False).encode())
    digest.update(b"}")
    return digest.hexdigest()[:12]

