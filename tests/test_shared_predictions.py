"""Concurrent runs that need the same predictions ask the model once per item.

Defect: two runs of one model that differ only in ``--metrics``, started at the same
time, each called the model for every item (300 duplicate calls for 300 items): the run
was claimed, not the predictions. Now the prediction cache is claimed per dataset: the
run holding it asks the model, the other reads what it writes. Real ``bench run``
processes against a real OpenAI-compatible server that counts requests; one test kills
the holder with SIGKILL while the other waits, and the other must finish every item.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402
from test_harness import write_corpus  # noqa: E402

from benchmark.runs import cache as cache_module  # noqa: E402
from benchmark.runs.cache import PredictionCache  # noqa: E402
from benchmark.summarizers.base import Prediction  # noqa: E402

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def start(data: Path, out: Path, url: str, metrics: str, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "openai:fake-model",
               "--base-url", url, "--api-key-env", "none", "--dataset", str(data),
               "--output-dir", str(out), "--metrics", metrics, "--concurrency", "4", *extra]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    _, err = proc.communicate(timeout=180)
    return proc.returncode, err


def items_of(out: Path, metric_key: str) -> list[dict]:
    """The item lines of the one run under `out` that scored `metric_key`."""
    found = []
    for run in out.iterdir():
        if (run / "items.jsonl").exists():
            lines = [json.loads(line) for line in (run / "items.jsonl").read_text(
                encoding="utf-8").splitlines()]
            if lines and metric_key in lines[0]:
                found.append(lines)
    (lines,) = found
    return lines


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def waiter_lines(out: Path) -> int:
    """Item lines written by the run scoring ``length`` (0 before it has a run folder)."""
    for run in out.iterdir():
        record = run / "run.json"
        if record.exists() and "len_tokens" in record.read_text(encoding="utf-8"):
            return lines_in(run / "items.jsonl")
    return 0


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_two_runs_differing_in_metrics_started_together_call_once_per_item(tmp_path):
    n = 60
    data = write_corpus(tmp_path / "c.jsonl", n)
    out = tmp_path / "results"
    with FakeOpenAIServer(latency=0.02) as server:
        procs = [start(data, out, server.url, "rouge"), start(data, out, server.url, "length")]
        results = [finish(proc) for proc in procs]
        calls = sum(server.prompt_counts.values())
        repeated = {prompt: k for prompt, k in server.prompt_counts.items() if k > 1}
    assert [code for code, _ in results] == [0, 0], results
    assert (calls, repeated) == (n, {})  # before: 2n, every prompt twice
    rouge, length = items_of(out, "rouge1_f"), items_of(out, "len_tokens")
    assert sorted(i["id"] for i in rouge) == sorted(i["id"] for i in length) == \
        [f"n{i:03d}" for i in range(n)]
    assert {i["id"]: i["prediction"] for i in rouge} == {i["id"]: i["prediction"] for i in length}
    assert not any(i["error"] for i in rouge + length)
    assert Counter(i["cached"] for i in rouge + length) == {False: n, True: n}


def test_killing_the_holder_lets_the_waiting_run_finish_every_item(tmp_path):
    n, concurrency = 80, 4
    data = write_corpus(tmp_path / "c.jsonl", n)
    out = tmp_path / "results"
    with FakeOpenAIServer(latency=0.3) as server:
        holder = start(data, out, server.url, "rouge")
        cache_files = lambda: list((out / ".cache").glob("*.jsonl"))  # noqa: E731
        wait_until(lambda: cache_files() and lines_in(cache_files()[0]) >= 12)
        waiter = start(data, out, server.url, "length")
        # The waiter scored what the holder had written, and the holder went on alone.
        wait_until(lambda: waiter_lines(out) >= 8 and lines_in(cache_files()[0]) >= 36)
        assert max(server.prompt_counts.values()) == 1  # before: both asked from then on
        assert holder.poll() is None, "the holder must still be running when it is killed"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        code, err = finish(waiter)
        calls_after_waiter = sum(server.prompt_counts.values())
        rerun = start(data, out, server.url, "rouge")  # the killed run, resumed
        rerun_code, rerun_err = finish(rerun)
        calls = sum(server.prompt_counts.values())
    assert code == 0, err
    length = items_of(out, "len_tokens")
    assert sorted(i["id"] for i in length) == [f"n{i:03d}" for i in range(n)]
    assert not any(i["error"] for i in length)
    # Only what the killed holder had in flight is asked again.
    assert n <= calls_after_waiter <= n + concurrency
    assert rerun_code == 0, rerun_err
    assert calls == calls_after_waiter  # the resumed run found every prediction cached
    rouge = items_of(out, "rouge1_f")
    assert sorted(i["id"] for i in rouge) == [f"n{i:03d}" for i in range(n)]


def test_a_waiting_cache_reads_the_holders_lines_and_takes_over(tmp_path, monkeypatch):
    """The rule inside one process, step by step: B waits while A holds the claim and
    gets A's predictions; once A closes, B holds the claim for what is still missing."""
    monkeypatch.setattr(cache_module, "POLL_S", (0.01, 0.01))
    a = PredictionCache(tmp_path, "model:x", dataset="d1")
    b = PredictionCache(tmp_path, "model:x", dataset="d1")
    other = PredictionCache(tmp_path, "model:x", dataset="d2")
    wanted = [("a", "مقال أ"), ("b", "مقال ب")]
    assert a.fetch(wanted) == {}  # nothing cached: A claims, A asks the model
    assert other.fetch(wanted) == {}  # another dataset: its own claim, never waits
    a.put("a", "مقال أ", Prediction("ملخص أ"))
    waits: list[object] = []

    def on_wait(pid):
        waits.append(pid)
        a.put("b", "مقال ب", Prediction("ملخص ب"))  # A writes while B waits

    found = b.fetch(wanted, on_wait=on_wait)
    assert {i: p.text for i, p in found.items()} == {0: "ملخص أ", 1: "ملخص ب"}
    assert waits == [str(os.getpid())]  # told once, with the holder's pid
    wanted.append(("c", "مقال ج"))
    a.close()  # A is done: B takes the claim, the rest is B's to ask
    assert set(b.fetch(wanted)) == {0, 1}
    assert b._claim is not None
    b.close(), other.close()


def test_without_a_dataset_nothing_is_claimed(tmp_path):
    a = PredictionCache(tmp_path, "model:x")
    assert a.fetch([("a", "x")]) == {} and a._claim is None
    assert not (tmp_path / ".claims").exists()
    a.close()


def test_a_line_being_written_is_read_only_once_whole(tmp_path):
    """A waiting run reads the file while the holder appends to it: half a line (here
    cut inside an Arabic letter) is left for a later read, never taken or an error."""
    from benchmark.jsonl import JsonlFollower, encode

    path = tmp_path / "c.jsonl"
    first, second = encode({"id": "a", "t": "ملخص"}), encode({"id": "b", "t": "ملخص ثان"})
    path.write_bytes(first + second[:19])
    follower = JsonlFollower(path, required=("id",))
    assert [line.record["id"] for line in follower.read()] == ["a"]
    assert follower.read(tail=True) == []  # a torn tail is skipped, not an error
    with path.open("ab") as handle:
        handle.write(second[19:])
    assert [(line.number, line.record["id"]) for line in follower.read()] == [(2, "b")]
    assert follower.read() == []
