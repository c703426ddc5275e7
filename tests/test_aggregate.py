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


def _written_lines():
    """Item lines as a run writes them, with values JSON reads back changed: a tuple
    (a list back), a numpy float (a float back), text lists, counts by name, NaN."""
    import numpy as np

    return [
        {"id": "a", "prediction": "x", "rouge1_f": 0.25, "latency_s": 0.5, "cached": False,
         "usage": None, "truncated": False, "error": None, "missing": ["ب", "ت"],
         "counts": {"found": 1, "reference": 2}, "pair": (1, 2)},
        {"id": "b", "prediction": "y", "rouge1_f": np.float64(0.5), "latency_s": 0.1,
         "cached": False, "usage": {"prompt_tokens": 3}, "truncated": True, "error": None,
         "missing": [], "counts": {"found": 0, "reference": 0}, "pair": ("u", "v")},
        {"id": "c", "prediction": "", "error": "HTTP 500"},
        {"id": "d", "prediction": "z", "rouge1_f": float("nan"), "latency_s": None,
         "cached": True, "usage": None, "truncated": False, "error": None,
         "missing": [{"text": "ث"}], "counts": {"found": 2.0, "reference": None},
         "pair": None},
    ]


def test_a_tally_of_written_lines_equals_the_lines_read_back(tmp_path):
    from benchmark import jsonl
    from benchmark.runs.aggregate import ItemTally

    run = Run(tmp_path, RunRecord.model_construct())
    lines = _written_lines()
    with jsonl.JsonlAppender(run.items_file) as out:
        out.append(lines)
    tally = ItemTally(Scorer())
    for line in lines:
        tally.add_written(line)
    written = tally.summary(seed=3, max_failures=1)
    read_back = summarize_items(run, Scorer(), seed=3, max_failures=1)
    # why: the same items, so the same record fields (NaN compared as NaN)
    assert repr(written) == repr(read_back)
    table = tally.scored
    # why: a tuple is read back as a list; a numpy float as a float (a float column)
    assert [line.get("pair") for line in table] == [[1, 2], None, None]
    assert list(table.defined("rouge1_f"))[:2] == [0.25, 0.5]
    # why: lists that begin with text are texts, left out; an empty list is kept
    assert [line.get("missing") for line in table] == [None, [], [{"text": "ث"}]]


def test_a_fresh_run_aggregates_what_its_items_file_reads_back(tmp_path, bbc_head):
    """The harness tallies a fresh run's lines as it writes them; the record must be
    the one `summarize_items` computes from items.jsonl."""
    from benchmark.runs.harness import RunConfig, run_benchmark

    outcome = run_benchmark(RunConfig(model="lead-3", dataset=bbc_head(40),
                                      metrics=("rouge", "length"), output_dir=tmp_path))
    run = outcome.run
    summary = summarize_items(run, Scorer(["rouge", "length"]), seed=RunConfig.seed,
                              max_failures=run.record.failures.max_allowed)
    assert run.record.aggregates == summary.aggregates
    assert run.record.corpus == summary.corpus
    assert run.record.items == summary.items
