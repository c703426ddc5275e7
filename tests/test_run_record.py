"""The typed run record: the only reader and writer of run.json, read back unchanged,
scales and directions from the record, and no string-key reads of it elsewhere."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from benchmark.errors import BenchmarkError
from benchmark.runs.record import MetricUsage, RunRecord
from benchmark.runs.run import Run
from fake_runs import on_disk, record  # tests/ is on sys.path

PACKAGE = Path(__file__).resolve().parents[1] / "benchmark"
RECORD_MODULE = PACKAGE / "runs" / "record.py"
# Keys only a run record (or the compare contract) has: a read of one is a read of it.
RECORD_KEYS = {"schema_version", "run_id", "resume_key", "environment", "timing",
               "aborted", "metric_usage", "aggregates", "failures", "finished",
               "scales", "directions", "statistics", "ci95", "scoring_processes",
               "wall_seconds", "max_allowed", "item_ids_sha256", "rank_by", "upper_bound",
               "run_dir", "p_adjusted", "missing_predictions", "skipped_invalid"}
# Keys shared with other JSON (item lines, requests): reads of them count when the
# object read is named like a record.
SHARED_KEYS = {"status", "label", "seed", "model", "dataset", "metrics", "items", "usage",
               "rows", "pairs", "stats", "signatures", "identity", "sha256", "notes",
               "corpus"}
RECORD_NAMES = ("record", "contract", "outcome", "summary")


def string_key_reads(source: str) -> list[str]:
    """``x["key"]`` and ``x.get("key")`` reads of run-record keys in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            target, key = node.value, node.slice
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "get" and node.args):
            target, key = node.func.value, node.args[0]
        else:
            continue
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            continue
        named = any(name in ast.unparse(target).lower() for name in RECORD_NAMES)
        if key.value in RECORD_KEYS or (key.value in SHARED_KEYS and named):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("source,expected", [
    ('record["timing"]["wall_seconds"]', 2),  # both levels are record keys
    ('outcome.record["items"]', 1),  # a shared key, read from a record
    ('line["items"]', 0),  # a shared key of an item line: not the record
    ('data.get("failures")', 1),
    ('row["label"]', 0),
    ('contract["rows"][0]', 1),
    ('record.timing.wall_seconds', 0),  # typed access
])
def test_the_grep_finds_string_key_reads(source, expected):
    assert len(string_key_reads(source)) == expected


def test_no_string_key_read_of_the_run_record_outside_its_module():
    reads = {f"{path.relative_to(PACKAGE.parent)}:{hit}"
             for path in PACKAGE.rglob("*.py") if path != RECORD_MODULE
             for hit in string_key_reads(path.read_text(encoding="utf-8"))}
    assert reads == set()


def test_a_record_read_and_written_back_keeps_every_field_and_value():
    """Fields the harness never wrote (an old record) stay out; fields it did not
    declare (another tool's) are kept; ints stay ints."""
    data = record("lead-3", {"rouge1_f": [0.5, 0.25]})
    data["made_by"] = {"tool": "other", "version": 2}
    data["timing"] = {"wall_seconds": 3, "latency_s": None}
    assert json.loads(RunRecord.model_validate(data).to_json()) == data


def test_a_harness_record_read_and_written_back_is_the_same_file(tmp_path):
    from report_runs import make_run, write_corpus

    run_dir = make_run(tmp_path / "out", write_corpus(tmp_path / "news.jsonl"), "lead-3",
                       "--metrics", "rouge,length")
    text = (run_dir / "run.json").read_text(encoding="utf-8")
    assert RunRecord.read(run_dir / "run.json").to_json() == text


def test_writing_is_atomic_and_reading_checks_the_schema(tmp_path):
    path = on_disk(tmp_path, "a", "lead-3", {"rouge1_f": [0.5]})
    run = Run.open(path)
    run.record.status = "running"
    run.save()
    assert json.loads((path / "run.json").read_text())["status"] == "running"
    assert not list(path.glob("*.tmp"))
    data = json.loads((path / "run.json").read_text())
    data["schema_version"] = 7
    (path / "run.json").write_text(json.dumps(data))
    with pytest.raises(BenchmarkError, match="schema version 7, expected 1"):
        Run.open(path)
    with pytest.raises(BenchmarkError, match="no run.json; is this a run folder"):
        Run.open(tmp_path)


@pytest.mark.parametrize("scales,key,expected,why", [
    ({}, "rouge2_f", 100.0, "declared scales, key absent: the default x100"),
    ({}, "len_tokens", 100.0, "declared scales are the truth: no guessing from the name"),
    ({"lead_count": 1.0}, "lead_count", 1.0, "a plugin's raw key, declared raw"),
    (None, "len_tokens", 1.0, "an old record without scales: the keys known raw then"),
    (None, "judge_overall", 1.0, "old record: judge scores were raw"),
    (None, "rouge2_f", 100.0, "old record: everything else x100"),
])
def test_scales_come_from_the_record(scales, key, expected, why):
    data = record("x", {"rouge1_f": [0.5]})
    if scales is not None:
        data["metrics"]["scales"] = scales
    assert RunRecord.from_dict(data).scale(key) == expected, why


def test_directions_come_from_the_record():
    data = record("x", {"rouge1_f": [0.5]})
    data["metrics"]["directions"] = {"rouge1_f": "higher", "len_tokens": "neither"}
    parsed = RunRecord.from_dict(data)
    assert (parsed.direction("rouge1_f"), parsed.direction("len_tokens")) == ("higher",
                                                                             "neither")


def test_metric_usage_sums_numbers_and_keeps_the_first_other_value():
    """As the harness added a judge's usage per invocation: counts add up, a cost
    that was unknown (None) becomes the first known one, a model name stays."""
    usage = MetricUsage()
    usage.add({"prompt_tokens": 10, "requests": 2, "cost_estimate": None, "model": "m"})
    usage.add({"prompt_tokens": 5, "requests": 1, "cost_estimate": 0.5, "model": "other"})
    assert usage.model_dump(exclude_unset=True) == {
        "prompt_tokens": 15, "requests": 3, "cost_estimate": 0.5, "model": "m"}


def test_a_resumed_record_forgets_its_abort():
    data = record("x", {"rouge1_f": [0.5]}, status="aborted")
    data["aborted"] = {"error": "server down", "hint": None}
    parsed = RunRecord.from_dict(data)
    parsed.resume()
    written = json.loads(parsed.to_json())
    assert written["status"] == "running" and "aborted" not in written
