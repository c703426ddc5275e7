"""The prediction cache: never send the same input to a model twice (DESIGN §9).

Predictions are keyed by (model signature, example id, article hash). One JSONL file per
model signature under the cache folder; each prediction is appended (a raw write, no
buffer) the moment it arrives, so a run killed at any point keeps every finished
prediction. The file goes through `benchmark.jsonl`: a torn last line (a kill or a
full disk mid-write) is ignored when read and cut off before the next append.

Runs that need the same predictions at the same time share them. What is claimed is
the cache, not the run: the first run that has to ask the model for an item of a
dataset claims (`benchmark.runs.claims`) the cache file for that dataset; another run
of the same model signature on the same dataset (other metrics, say) that misses
items waits for them instead, reading them from the file as the holder appends them.
It asks the model itself only for what is still missing once it holds the claim: when
the holder has finished, or died (the system drops the lock of a killed process). So
two runs started together make one model call per item, and neither can block the
other for good.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from benchmark import jsonl
from benchmark.runs.claims import Claim, claim_holder, claim_predictions, prediction_key
from benchmark.summarizers.base import Prediction

DAMAGED_HINT = "the cache file was edited or damaged: delete it (predictions are requested again)"
REQUIRED = ("id", "article_sha", "text")
POLL_S = (0.02, 0.25)  # how often a waiting run reads the file again: first, at most

Wanted = Sequence[tuple[str, str]]  # (example id, article)
WaitCallback = Callable[[str | None], None]  # the holder's pid, when known


def article_hash(article: str) -> str:
    return hashlib.sha256(article.encode("utf-8")).hexdigest()[:16]


class PredictionCache:
    """The cached predictions of one model signature. With `dataset` (its identity
    hash) the cache is shared with concurrent runs of that dataset (see the module
    docstring); without it, nothing is claimed."""

    def __init__(self, folder: Path, model_signature: str, *, dataset: str | None = None):
        digest = hashlib.sha256(model_signature.encode("utf-8")).hexdigest()[:16]
        self.path = folder / f"{digest}.jsonl"
        self.model_signature = model_signature
        self.dataset = dataset
        self._entries: dict[tuple[str, str], dict[str, Any]] = {}
        self._writer = jsonl.JsonlAppender(self.path)
        self._reader = jsonl.JsonlFollower(self.path, required=REQUIRED, hint=DAMAGED_HINT)
        self._claim: Claim | None = None
        self._read(tail=True)

    def _read(self, *, tail: bool = False) -> int:
        """Take in the lines appended since the last read; returns how many."""
        lines = self._reader.read(tail=tail)
        for line in lines:
            entry = line.record
            self._entries[(str(entry["id"]), str(entry["article_sha"]))] = entry
        return len(lines)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, example_id: str, article: str) -> Prediction | None:
        entry = self._entries.get((example_id, article_hash(article)))
        if entry is None:
            return None
        return Prediction(text=entry["text"], raw=entry.get("raw"), usage=entry.get("usage", {}),
                          truncated=entry.get("truncated", False),
                          latency_s=entry.get("latency_s"))

    def fetch(self, wanted: Wanted, *,
              on_wait: WaitCallback | None = None) -> dict[int, Prediction]:
        """The cached predictions of `wanted`, by position. When some are missing and
        another process holds this cache's claim for the dataset, wait for them (reading
        what it appends) until they are all there or the claim is ours; the positions
        missing from the answer are then this process's to request from the model."""
        found = self._found(wanted, {})
        if len(found) == len(wanted) or self.dataset is None:
            return found
        pause, told = POLL_S[0], False
        while not self._claimed():
            if self._read():
                found, pause = self._found(wanted, found), POLL_S[0]
                if len(found) == len(wanted):
                    return found
            elif on_wait is not None and not told:
                key = prediction_key(self.path.name, str(self.dataset))
                on_wait(claim_holder(self.path.parent, key, wait=0))
                told = True
            time.sleep(pause)
            pause = min(pause * 1.5, POLL_S[1])
        self._read()  # what the last holder wrote before it let go
        return self._found(wanted, found)

    def _found(self, wanted: Wanted, found: dict[int, Prediction]) -> dict[int, Prediction]:
        for i, (example_id, article) in enumerate(wanted):
            if i not in found:
                hit = self.get(example_id, article)
                if hit is not None:
                    found[i] = hit
        return found

    def _claimed(self) -> bool:
        """Whether this process holds the claim (taking it when it is free)."""
        if self._claim is None:
            self._claim = claim_predictions(self.path.parent, cache_file=self.path.name,
                                            dataset=str(self.dataset))
        return self._claim is not None

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
        """Write everything down, then let go of the claim (a waiting run reads all)."""
        try:
            self._writer.close()
        finally:
            if self._claim is not None:
                self._claim.close()
                self._claim = None
