"""Runs built in memory from per-item values, for tests of selection and statistics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from benchmark.runs.record import RunRecord
from benchmark.runs.run import Run

ROUGE_SIGNATURE = "rouge:v1|norm:ar.v1|tok:ar.v1"
STATS_SIGNATURE = "ci:percentile-bootstrap|n:1000|seed:0|level:95"


def record(label: str, values: dict[str, Sequence[float]], *, model: str | None = None,
           upper_bound: bool = False, dataset: str = "news", sha: str = "ab" * 32,
           finished: str = "2026-01-01T00:00:00Z", limit: int | None = None,
           missing: int = 0, status: str = "complete", scheme: int | None = 2) -> dict:
    n = len(next(iter(values.values())))
    aggregates = {key: {"mean": sum(v) / len(v), "ci95": [0.0, 1.0], "n": len(v),
                        "direction": "higher"} for key, v in values.items()}
    return {
        "schema_version": 1, "run_id": f"run-{label}", "status": status,
        "created": finished, "finished": finished, "label": label, "seed": 0,
        "model": {"name": model or label, "backend": "builtin", "options": {},
                  "label": "upper bound: uses the reference" if upper_bound else "",
                  "signature": f"model:{model or label}"},
        "dataset": {"name": dataset, "size": n + missing, "sha256": sha,
                    "identity": f"{dataset}@sha256:{sha[:12]}", "limit": limit,
                    "items": n, "missing_predictions": missing,
                    "item_ids_sha256": f"ids-{n}",
                    **({"identity_scheme": scheme} if scheme is not None else {})},
        "metrics": {"names": ["rouge"], "signatures": {"rouge": ROUGE_SIGNATURE},
                    "signature": ROUGE_SIGNATURE, "statistics": STATS_SIGNATURE,
                    "directions": {key: "higher" for key in values}},
        "aggregates": aggregates,
        "items": {"total": n, "scored": n}, "failures": {"count": 0},
    }


def in_memory(label: str, values: dict[str, Sequence[float]], **options) -> Run:
    """A Run whose items are item ids i0, i1, ... with the given values."""
    data = record(label, values, **options)
    n = len(next(iter(values.values())))
    items = [{"id": f"i{j}", **{key: float(v[j]) for key, v in values.items()}}
             for j in range(n)]
    return Run.in_memory(Path(f"/nonexistent/{label}"), RunRecord.from_dict(data), items)


def on_disk(root: Path, folder: str, label: str, values: dict[str, Sequence[float]],
            **options) -> Path:
    """A run folder (run.json and items.jsonl) under `root`."""
    path = root / folder
    path.mkdir(parents=True)
    data = record(label, values, **options)
    (path / "run.json").write_text(json.dumps(data), encoding="utf-8")
    n = len(next(iter(values.values())))
    with (path / "items.jsonl").open("w", encoding="utf-8") as handle:
        for j in range(n):
            line = {"id": f"i{j}", "prediction": "x", "error": None,
                    **{key: float(v[j]) for key, v in values.items()}}
            handle.write(json.dumps(line) + "\n")
    return path
