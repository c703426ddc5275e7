"""The prediction cache: never send the same input to a model twice (DESIGN §9).

Predictions are keyed by (model signature, example id, article hash). One JSONL file per
model signature under the cache folder; each prediction is appended and flushed the
moment it arrives, so a run killed at any point keeps every finished prediction. A
torn last line is ignored when the file is read back.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from benchmark.summarizers.base import Prediction


def article_hash(article: str) -> str:
    return hashlib.sha256(article.encode("utf-8")).hexdigest()[:16]


class PredictionCache:
    def __init__(self, folder: Path, model_signature: str):
        digest = hashlib.sha256(model_signature.encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"{digest}.jsonl"
        self.model_signature = model_signature
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}
        self._handle = None
        self._load()

    def _load(self) -> None:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break  # torn by a kill mid-write; the item is simply not cached
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                self._entries[(entry["id"], entry["article_sha"])] = entry

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
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()
        self._entries[(entry["id"], entry["article_sha"])] = entry

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
