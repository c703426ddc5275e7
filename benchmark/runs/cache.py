"""The prediction cache: never send the same input to a model twice (DESIGN §9).

Predictions are keyed by (model signature, example id, article hash). One JSONL file per
model signature under the cache folder; each prediction is appended (a raw write, no
buffer) the moment it arrives, so a run killed at any point keeps every finished
prediction. The file goes through `benchmark.jsonl`: a torn last line (a kill or a
full disk mid-write) is ignored when read and cut off before the next append.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from benchmark import jsonl
from benchmark.summarizers.base import Prediction

DAMAGED_HINT = "the cache file was edited or damaged: delete it (predictions are requested again)"


def article_hash(article: str) -> str:
    return hashlib.sha256(article.encode("utf-8")).hexdigest()[:16]


class PredictionCache:
    def __init__(self, folder: Path, model_signature: str):
        digest = hashlib.sha256(model_signature.encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"{digest}.jsonl"
        self.model_signature = model_signature
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}
        self._writer = jsonl.JsonlAppender(self.path)
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        for line in jsonl.iter_lines(self.path, required=("id", "article_sha", "text"),
                                     hint=DAMAGED_HINT):
            entry = line.record
            self._entries[(str(entry["id"]), str(entry["article_sha"]))] = entry

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, example_id: str, article: str) -> Prediction | None:
        entry = self._entries.get((example_id, article_hash(article)))
        if entry is None:
            return None
        return Prediction(text=entry["text"], raw=entry.get("raw"), usage=entry.get("usage", {}),
                          truncated=entry.get("truncated", False),
                          latency_s=entry.get("latency_s"))

    def put(self, example_id: str, article: str, prediction: Prediction) -> None:
        if prediction.error is not None:
            return  # failures are retried on the next run, never cached
        entry = {"id": example_id, "article_sha": article_hash(article), "text": prediction.text,
                 "raw": prediction.raw, "usage": prediction.usage,
                 "truncated": prediction.truncated, "latency_s": prediction.latency_s}
        self._writer.append([entry])
        self._entries[(entry["id"], entry["article_sha"])] = entry

    def sync(self) -> None:
        self._writer.sync()

    def close(self) -> None:
        self._writer.close()
