"""Corpus numbers built back from items.jsonl."""

import json
import math

import pytest

from benchmark.runs.aggregate import finite, percentiles, summarize_items
from benchmark.runs.record import Failure, ItemCounts, Latency, RunRecord
from benchmark.runs.run import Run
from benchmark.scorer import Scorer


def test_nearest_rank_percentiles():
    # 1..10: p50 is the 5th value (ceil(0.5 * 10)), p90 the 9th, p99 the 10th.
    assert percentiles([float(v) for v in range(10, 0, -1)]) == {
        "mean": 5.5, "p50": 5.0, "p90": 9.0, "p99": 10.0, "max": 10.0}
    assert percentiles([]) is None


def test_nan_becomes_none():
    assert finite(math.nan) is None and finite(0.5) == 0.5 and finite(3) == 3


def test_summarize_items_counts_failures_usage_and_means(tmp_path):
    run = Run(tmp_path, RunRecord.model_construct())
    lines = [
        {"id": "a", "prediction": "x", "rouge1_f": 1.0, "latency_s": 0.2, "cached": False,
         "usage": {"prompt_tokens": 5}, "truncated": True, "error": None},
        {"id": "b", "prediction": "y", "rouge1_f": 0.0, "latency_s": 9.0, "cached": True,
         "usage": {"prompt_tokens": 7}, "truncated": False, "error": None},
        {"id": "c", "prediction": "", "error": "HTTP 500"},
    ]
    run.items_file.write_text("".join(json.dumps(l) + "\n" for l in lines) + '{"id": "torn"')
    summary = summarize_items(run, Scorer(), seed=0, max_failures=0)
    assert summary.aggregates["rouge1_f"].mean == pytest.approx(0.5)  # (1 + 0) / 2
    assert summary.aggregates["rouge1_f"].n == 2
    assert summary.aggregates["rouge2_f"].mean is None  # no item has it
    assert summary.items == ItemCounts(total=3, scored=2, cached=1, truncated=1)
    assert summary.failures.count == 1 and summary.failures.first == [Failure(id="c",
                                                                              error="HTTP 500")]
    assert summary.usage == {"prompt_tokens": 12}
    assert summary.latency == Latency(mean=0.2, p50=0.2, p90=0.2, p99=0.2, max=0.2)
    # why: cached items have no model latency
