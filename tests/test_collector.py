"""bench's own processes collect the youngest generation less often
(`benchmark.runs.collector`); a program that imports `benchmark` keeps its collector."""

from __future__ import annotations

import gc
import signal
import subprocess
import sys

import pytest

from benchmark.runs import collector


@pytest.fixture
def thresholds():
    """The test process's thresholds (and SIGINT handler) as they were, afterwards."""
    before, handler = gc.get_threshold(), signal.getsignal(signal.SIGINT)
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)
    signal.signal(signal.SIGINT, handler)


def test_collect_less_often_raises_only_the_youngest_threshold(thresholds):
    gc.set_threshold(700, 7, 9)
    collector.collect_less_often()
    assert gc.get_threshold() == (collector.YOUNG_THRESHOLD, 7, 9)
    assert collector.YOUNG_THRESHOLD > 700  # else it would collect more often, not less


def test_the_bench_command_collects_less_often(thresholds, monkeypatch):
    from benchmark.cli import app as cli

    seen = []
    monkeypatch.setattr(cli, "app", lambda: seen.append(gc.get_threshold()))
    cli.main()
    assert seen == [(collector.YOUNG_THRESHOLD, 10, 10)]


def test_scoring_workers_collect_less_often(thresholds):
    from benchmark.runs import scoring_pool

    scoring_pool._init_worker(None)
    assert gc.get_threshold()[0] == collector.YOUNG_THRESHOLD


def test_using_benchmark_as_a_library_leaves_the_collector_alone():
    code = ("import gc; before = gc.get_threshold()\n"
            "from benchmark import Scorer\n"
            "scorer = Scorer(metrics=['rouge'])\n"
            "scorer.score(predictions=['أ ب ج'], references=['أ ب د'])\n"
            "assert gc.get_threshold() == before, (before, gc.get_threshold())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
