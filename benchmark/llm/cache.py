"""Answers of a model that judges, cached so that a rerun never asks twice.

One JSON Lines file per signature (the judge's: model, prompt, sampling) under the cache
folder; an answer is keyed by the request's id and a hash of the exact messages sent,
and appended the moment it arrives, so a run killed at any point keeps every finished
answer. Failed requests are never cached: a rerun asks again. The file goes through
`benchmark.jsonl` (a torn last line is skipped, then cut off before the next append).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from benchmark import jsonl
from benchmark.signature import Signature

DAMAGED_HINT = "the cache file was edited or damaged: delete it (answers are asked again)"


@dataclass
class CachedAnswer:
    value: Any  # what the caller's parser made of the answer (JSON-compatible)
    raw: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float | None = None


def messages_hash(messages: Sequence[dict[str, str]]) -> str:
    """The key of a request's exact messages."""
    blob = json.dumps(list(messages), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


class AnswerCache:
    """Answers under `folder` for one `signature`."""

    def __init__(self, folder: Path, signature: Signature | str):
        text = str(signature)
        self.path = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.jsonl"
        self.signature = text
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}
        self._writer = jsonl.JsonlAppender(self.path)
        if self.path.exists():
            for line in jsonl.iter_lines(self.path, required=("id", "request_sha", "answer"),
                                         hint=DAMAGED_HINT):
                entry = line.record
                self._entries[(str(entry["id"]), str(entry["request_sha"]))] = entry

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, request_id: str, messages: Sequence[dict[str, str]]) -> CachedAnswer | None:
        entry = self._entries.get((request_id, messages_hash(messages)))
        if entry is None:
            return None
        return CachedAnswer(entry["answer"], entry.get("raw"), entry.get("usage") or {},
                            entry.get("latency_s"))

    def put(self, request_id: str, messages: Sequence[dict[str, str]],
            answer: CachedAnswer) -> None:
        entry = {"id": request_id, "request_sha": messages_hash(messages),
                 "answer": answer.value, "raw": answer.raw, "usage": answer.usage,
                 "latency_s": answer.latency_s}
        self._writer.append([entry])
        self._entries[(entry["id"], entry["request_sha"])] = entry

    def close(self) -> None:
        self._writer.close()
