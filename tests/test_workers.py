"""The scoring pool's size: the processes asked for, capped by the usable CPUs and by
those idle at the start, with the reason in run.json and on the terminal."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.runs import workers
from benchmark.runs.harness import RunConfig, run_benchmark
from benchmark.runs.record import RunRecord

PLANS = [
    # (why, requested, items, usable CPUs, idle CPUs, processes, words in the reason)
    ("one asked for: no measurement", 1, 5000, 8, None, 1, "1 process asked for"),
    ("too few items to pay for a worker", 4, 63, 8, 8.0, 1, "fewer than 64"),
    ("an idle machine: all asked for", 2, 3797, 2, 1.97, 2, "2 processes"),
    ("no more than the usable CPUs", 8, 3797, 2, 2.0, 2, "no more than the usable CPUs"),
    ("1.5 idle rounds up: two processes", 4, 3797, 4, 1.5, 2, "at least half idle"),
    ("1.4 idle: one process", 4, 3797, 4, 1.4, 1, "at least half idle"),
    ("fully busy: still this process", 4, 3797, 4, 0.0, 1, "at least half idle"),
    ("idle time not measurable: the usable CPUs", 3, 3797, 4, None, 3, "not measurable"),
]


@pytest.mark.parametrize("why, requested, items, cpus, idle, processes, words", PLANS,
                         ids=[row[0] for row in PLANS])
def test_plan(monkeypatch, why, requested, items, cpus, idle, processes, words):
    monkeypatch.setattr(workers, "usable_cpus", lambda: list(range(cpus)))
    how = None if idle is None else "a test"
    plan = workers.plan_workers(requested, items, measure=lambda _: (idle, how))
    assert plan.processes == processes and words in plan.reason
    assert plan.requested == requested


BEFORE = """cpu  300 0 100 600 0 0 0 0 0 0
cpu0 100 0 50 300 0 0 0 0 0 0
cpu1 200 0 50 300 0 0 0 0 0 0
cpu2 0 0 0 900 0 0 0 0 0 0
intr 12345
"""
# 100 ticks later: cpu0 spent 50 idle and 10 waiting on I/O (idle too), cpu1 none,
# cpu2 is not ours (affinity) and is left out.
AFTER = """cpu  400 0 100 700 0 0 0 0 0 0
cpu0 130 0 60 350 10 0 0 0 0 0
cpu1 290 0 60 300 0 0 0 0 0 0
cpu2 0 0 0 1000 0 0 0 0 0 0
intr 12399
"""


def test_idle_cpus_from_proc_stat_deltas():
    before, after = (workers.cpu_times(text, {0, 1}) for text in (BEFORE, AFTER))
    assert before == {0: (300, 450), 1: (300, 550)}
    assert workers.idle_between(before, after) == pytest.approx(0.6)  # why: 60/100 + 0/100
    assert workers.idle_between(before, before) is None  # why: no tick passed


def test_the_real_measurement_is_within_the_usable_cpus():
    cpus = workers.usable_cpus()
    idle, how = workers.measure_idle_cpus(cpus, window_s=0.05)
    assert 0.0 <= idle <= len(cpus) and how


def test_without_proc_stat_the_load_average_counts(monkeypatch, tmp_path):
    monkeypatch.setattr(workers, "PROC_STAT", tmp_path / "absent")
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (1.25, 0.0, 0.0))
    assert workers.measure_idle_cpus([0, 1, 2, 3], window_s=0) == \
        (2.75, "1-minute load average")


def test_the_plan_is_in_run_json_and_on_the_terminal(tmp_path, bbc_head, monkeypatch):
    """Two asked for on a machine seen as fully busy: one process, and why, in the
    record (read back typed) and in `bench run`'s output."""
    monkeypatch.setattr(workers, "measure_idle_cpus", lambda cpus: (0.2, "a busy test"))
    corpus = bbc_head(70)
    outcome = run_benchmark(RunConfig(model="lead-1", dataset=corpus, workers=2,
                                      output_dir=tmp_path / "results"))
    plan = RunRecord.read(outcome.run.path / "run.json").timing.worker_plan
    assert (plan.requested, plan.processes, plan.idle_cpus) == (2, 1, 0.2)
    assert "0.2 idle (a busy test)" in plan.reason
    assert outcome.run.record.timing.scoring_processes == 1
    result = CliRunner().invoke(app, ["run", "--model", "lead-1", "--dataset", str(corpus),
                                      "--workers", "2", "--output-dir",
                                      str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert "scoring processes: 1 (2 processes asked for;" in result.output
    assert "at least half idle" in result.output
