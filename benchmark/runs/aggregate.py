"""From a run's stored per-item lines to its corpus-level numbers (DESIGN §9).

Everything here reads ``items.jsonl`` back, so a resumed run, a re-scored run and an
uninterrupted one report the same aggregates for the same items.
"""

from __future__ import annotations

import math
from typing import Any

from benchmark.runs.results import RunDir
from benchmark.scorer import Scorer
from benchmark.report.stats import bootstrap_ci

MAX_LISTED_FAILURES = 20


def summarize_items(run_dir: RunDir, scorer: Scorer, *, seed: int,
                    max_failures: int) -> dict[str, Any]:
    """Aggregates (mean, 95% CI, n, direction), corpus values, counts, failures,
    token usage and latency percentiles of the items in `run_dir`."""
    keys = scorer.keys()
    values: dict[str, list[float]] = {k: [] for k in keys}
    scored: list[dict[str, Any]] = []
    latencies: list[float] = []
    usage: dict[str, int] = {}
    failures: list[dict[str, str]] = []
    truncated = cached = 0
    for line in run_dir.iter_items():
        if line.get("error"):
            failures.append({"id": line["id"], "error": line["error"]})
            continue
        scored.append(_numbers(line))  # keep memory to the numbers
        for k in keys:
            if line.get(k) is not None:
                values[k].append(line[k])
        if line.get("latency_s") is not None and not line.get("cached"):
            latencies.append(line["latency_s"])
        for name, count in (line.get("usage") or {}).items():
            if isinstance(count, (int, float)):
                usage[name] = usage.get(name, 0) + count
        truncated += bool(line.get("truncated"))
        cached += bool(line.get("cached"))
    aggregates = {}
    for k in keys:
        ci = bootstrap_ci(values[k], seed=seed)
        aggregates[k] = {"mean": finite(ci.mean), "ci95": [finite(ci.low), finite(ci.high)],
                         "n": ci.n, "direction": scorer.direction(k)}
    corpus = {k: finite(v) for k, v in scorer.aggregate(scored).items() if k not in aggregates}
    return {
        "aggregates": aggregates,
        "corpus": corpus,
        "items": {"total": len(scored) + len(failures), "scored": len(scored),
                  "cached": cached, "truncated": truncated},
        "failures": {"count": len(failures), "max_allowed": max_failures,
                     "first": failures[:MAX_LISTED_FAILURES]},
        "usage": usage,
        "latency_s": percentiles(latencies),
    }


def _numbers(line: dict[str, Any]) -> dict[str, Any]:
    """What metrics aggregate from an item line: its values and counts, without its
    texts (the prediction, entity lists, the id)."""
    return {key: value for key, value in line.items()
            if not isinstance(value, str)
            and not (isinstance(value, list) and value and isinstance(value[0], str))}


def percentiles(values: list[float]) -> dict[str, float] | None:
    """Mean, nearest-rank p50/p90/p99 and max; None without values."""
    if not values:
        return None
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)]

    return {"mean": sum(ordered) / len(ordered), "p50": at(0.5), "p90": at(0.9),
            "p99": at(0.99), "max": ordered[-1]}


def finite(value: Any) -> Any:
    """NaN (an empty mean) as None, so run.json stays valid JSON."""
    return None if isinstance(value, float) and math.isnan(value) else value
