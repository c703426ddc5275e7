"""The harness end to end: run files, caching, resume after SIGINT and SIGKILL, failures."""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from benchmark.runs.harness import RunConfig, run_benchmark

TESTS = Path(__file__).resolve().parent
MODEL = "py:counting_summarizer:Counting"


def write_corpus(path: Path, n: int, *, bad: set[int] = frozenset()) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            marker = " عطل" if i in bad else ""
            article = f"الخبر رقم {i} عن سوريا.{marker} جملة ثانية للخبر {i}. جملة ثالثة."
            handle.write(json.dumps({"id": f"n{i:03d}", "article": article,
                                     "summary": f"الخبر رقم {i} عن سوريا"},
                                    ensure_ascii=False) + "\n")
    return path


def config(tmp_path, corpus, log, **options):
    return RunConfig(model=MODEL, options={"log": str(log), **options}, dataset=corpus,
                     output_dir=tmp_path / "results")


@pytest.fixture(autouse=True)
def importable(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS))


def calls(log: Path) -> Counter:
    return Counter(log.read_text(encoding="utf-8").split()) if log.exists() else Counter()


def item_ids(run_dir: Path) -> list[str]:
    return [json.loads(line)["id"] for line in (run_dir / "items.jsonl").read_text().splitlines()]


def test_run_writes_record_and_items(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    outcome = run_benchmark(config(tmp_path, corpus, tmp_path / "log"))
    record = json.loads((outcome.run.path / "run.json").read_text())
    assert record["status"] == "complete"
    assert record["dataset"]["size"] == 6 and record["dataset"]["identity"].startswith("c@sha256:")
    # Each prediction is sentences 1-2 of the article (5 + 4 tokens), the reference is
    # sentence 1 without its full stop (5 tokens): all found, P = 5/9, R = 1.
    assert record["aggregates"]["rouge1_r"]["mean"] == pytest.approx(1.0)
    assert record["aggregates"]["rouge1_p"]["n"] == 6
    assert record["usage"] == {"prompt_tokens": 60, "completion_tokens": 12}
    assert record["model"]["name"] == MODEL and record["model"]["options"]["delay"] == 0.0
    assert set(record["environment"]) >= {"python", "platform", "libraries", "git_commit"}
    assert record["timing"]["latency_s"]["p50"] >= 0
    items = [json.loads(l) for l in (outcome.run.path / "items.jsonl").read_text().splitlines()]
    assert [i["id"] for i in items] == [f"n{i:03d}" for i in range(6)]
    assert items[0]["rouge1_p"] == pytest.approx(5 / 9)


def test_second_run_takes_every_prediction_from_the_cache(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    log = tmp_path / "log"
    first = run_benchmark(config(tmp_path, corpus, log))
    second = run_benchmark(config(tmp_path, corpus, log))
    assert first.run.path != second.run.path  # a finished run is never reopened
    assert calls(log) == Counter({f"n{i:03d}": 1 for i in range(5)})
    assert second.run.record.items.cached == 5
    assert second.run.record.aggregates == first.run.record.aggregates
    third = run_benchmark(RunConfig(**{**vars(config(tmp_path, corpus, log)), "use_cache": False}))
    assert calls(log)[("n000")] == 2 and third.run.record.items.cached == 0


def test_changed_article_is_not_served_from_cache(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    log = tmp_path / "log"
    run_benchmark(config(tmp_path, corpus, log))
    text = corpus.read_text(encoding="utf-8").replace("رقم 1 ", "رقم واحد ")
    corpus.write_text(text, encoding="utf-8")
    run_benchmark(config(tmp_path, corpus, log))
    assert calls(log) == Counter({"n000": 1, "n001": 2, "n002": 1})


def test_failed_items_are_recorded_counted_and_retried(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 6, bad={2, 4})
    log = tmp_path / "log"
    outcome = run_benchmark(config(tmp_path, corpus, log, fail_on="عطل"))
    assert outcome.failures == 2 and outcome.too_many_failures
    assert {f.id for f in outcome.run.record.failures.first} == {"n002", "n004"}
    assert outcome.run.record.aggregates["rouge1_f"].n == 4
    lines = [json.loads(l) for l in (outcome.run.path / "items.jsonl").read_text().splitlines()]
    assert [l["error"] for l in lines if l["id"] == "n002"] == ["simulated server error 500"]
    # A rerun sends only the failed items to the model again (successes are cached).
    run_benchmark(config(tmp_path, corpus, log, fail_on="عطل"))
    assert calls(log) == Counter({"n000": 1, "n001": 1, "n002": 2, "n003": 1, "n004": 2,
                                  "n005": 1})


def _bench(*args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(TESTS), **(env_extra or {})}
    return [sys.executable, "-m", "benchmark.cli", *args], env


def _start(tmp_path, corpus, log, release):
    cmd, env = _bench("run", "--model", MODEL, "--dataset", str(corpus), "--output-dir",
                      str(tmp_path / "results"), "-o", f"log={log}", "-o", "batch_size=3",
                      "-o", "hold_after=5", "-o", f"release={release}")
    # A shell's background job inherits SIGINT ignored, and Python then installs no
    # KeyboardInterrupt handler: give the child the default, as a terminal would.
    return cmd, env, subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True,
                                      preexec_fn=_default_sigint)


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(path: Path, proc, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)


# (signal, exit code, status left in run.json): a killed process cannot write its status;
# Ctrl-C and SIGTERM leave "interrupted" (never "running": no process works on it).
STOPS = [(signal.SIGKILL, -signal.SIGKILL, "running"), (signal.SIGINT, 130, "interrupted"),
         (signal.SIGTERM, 143, "interrupted")]


@pytest.mark.parametrize("sig,code,status", STOPS, ids=["SIGKILL", "SIGINT", "SIGTERM"])
def test_interrupted_run_resumes_and_calls_the_model_once_per_item(tmp_path, sig, code,
                                                                   status):
    n = 12
    corpus = write_corpus(tmp_path / "c.jsonl", n)
    log = tmp_path / "log"
    release = tmp_path / "release"
    cmd, env, proc = _start(tmp_path, corpus, log, release)
    # The model holds before its 6th item, in the middle of the second 3-item batch:
    # five predictions are cached, only the first batch's three are in items.jsonl.
    _wait_for(Path(f"{release}.waiting"), proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == code
    if sig != signal.SIGKILL:
        assert "interrupted; rerun the same command to continue" in err
        assert "Traceback" not in err
    run_dirs = list((tmp_path / "results").glob("*-counting_summarizer-Counting-*"))
    assert len(run_dirs) == 1
    assert json.loads((run_dirs[0] / "run.json").read_text())["status"] == status
    assert calls(log) == Counter({f"n{i:03d}": 1 for i in range(5)})
    assert item_ids(run_dirs[0]) == ["n000", "n001", "n002"]

    release.touch()
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "resuming" in rerun.stderr
    assert calls(log) == Counter({f"n{i:03d}": 1 for i in range(n)})  # once per item
    ids = item_ids(run_dirs[0])
    assert sorted(ids) == [f"n{i:03d}" for i in range(n)]  # each id exactly once
    record = json.loads((run_dirs[0] / "run.json").read_text())
    assert record["status"] == "complete" and record["aggregates"]["rouge1_f"]["n"] == n
    assert record["items"]["cached"] == 2  # n003, n004: predicted before the signal


def test_torn_last_line_is_dropped_on_resume(tmp_path):
    """A kill in the middle of writing items.jsonl leaves a partial line: resume drops it
    and scores that item again (its prediction comes from the cache)."""
    corpus = write_corpus(tmp_path / "c.jsonl", 4)
    log = tmp_path / "log"
    outcome = run_benchmark(config(tmp_path, corpus, log))
    run = outcome.run
    run.record.status = "running"
    run.save()
    lines = run.items_file.read_text(encoding="utf-8").splitlines(keepends=True)
    run.items_file.write_text("".join(lines[:2]) + lines[2][:15], encoding="utf-8")
    resumed = run_benchmark(config(tmp_path, corpus, log))
    assert resumed.resumed and resumed.run.path == run.path
    assert item_ids(run.path) == ["n000", "n001", "n002", "n003"]
    assert calls(log) == Counter({f"n{i:03d}": 1 for i in range(4)})


def test_scoring_in_two_processes_gives_identical_items(tmp_path, workers_at_work):
    corpus = write_corpus(tmp_path / "c.jsonl", 70)  # enough items to start a worker
    runs = []
    for workers in (1, 2):
        cfg = RunConfig(model="lead-3", dataset=corpus, output_dir=tmp_path / f"w{workers}",
                        metrics=["rouge", "entities"], workers=workers)
        runs.append(run_benchmark(cfg))
    lines = [(run.run.items_file.read_text(encoding="utf-8").splitlines()) for run in runs]
    strip = lambda line: {k: v for k, v in json.loads(line).items() if k != "latency_s"}  # noqa: E731
    assert [strip(l) for l in lines[0]] == [strip(l) for l in lines[1]]
    assert runs[0].run.record.aggregates == runs[1].run.record.aggregates
    assert [run.run.record.timing.scoring_processes for run in runs] == [1, 2]


def test_a_run_done_before_a_worker_starts_is_scored_here_and_does_not_wait(tmp_path):
    """Starting a worker takes about a second: a pool whose worker is not up yet scores
    submissions in this process and, closing, stops the worker instead of waiting."""
    from concurrent.futures import Future

    from benchmark.runs.scoring_pool import ScoringPool
    from benchmark.scorer import Scorer

    scorer = Scorer(["rouge"], "ar")
    pool = ScoringPool(scorer, 2)  # the number of items unknown: workers start at once
    pool._up = Future()  # a worker that never reports for work
    items = [(f"n{i}", None, f"خبر رقم {i}", f"خبر {i}", None) for i in range(20)]
    scored = pool.submit(items)
    assert all(isinstance(chunk, list) for chunk in scored._chunks)  # why: scored here
    assert scored.result() == scorer.score_triples([(p, r, s) for _, _, p, r, s in items])
    processes = list(pool._pool._processes.values())
    pool.close()
    assert processes and not any(process.is_alive() for process in processes)
    assert pool.processes_used == 1


def test_workers_start_only_when_the_work_left_is_worth_it(monkeypatch):
    """Told how many items are coming, a pool scores the first submission here and
    starts its workers only if the items left would take `WORKERS_WORTH_S` here."""
    from benchmark.runs import scoring_pool
    from benchmark.scorer import Scorer

    scorer = Scorer(["rouge"], "ar")
    items = [(f"n{i}", None, f"خبر رقم {i}", f"خبر {i}", None) for i in range(10)]
    few = scoring_pool.ScoringPool(scorer, 2, items=20)
    few.submit(items)  # 10 short items take well under a millisecond each: 10 left is nothing
    assert few._pool is None and few.processes_used == 1
    few.close()
    monkeypatch.setattr(scoring_pool, "WORKERS_WORTH_S", 0.0)
    many = scoring_pool.ScoringPool(scorer, 2, items=20)
    assert many._pool is None  # why: nothing scored yet to judge by
    many.submit(items)
    assert many._pool is not None  # why: any work left is worth it now
    many._up.result(timeout=120)
    assert many.submit(items).result() == scorer.score_triples(
        [(p, r, s) for _, _, p, r, s in items])
    assert many.processes_used == 2  # why: the second submission went to the worker
    many.close()


def test_the_same_run_in_progress_elsewhere_is_refused(tmp_path):
    """A second identical command must not write into the run folder the first one holds
    (it would truncate its items and call the model for every item again)."""
    corpus = write_corpus(tmp_path / "c.jsonl", 9)
    log, release = tmp_path / "log", tmp_path / "release"
    cmd, env, proc = _start(tmp_path, corpus, log, release)
    try:
        _wait_for(Path(f"{release}.waiting"), proc)
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert "the same run is in progress in another bench process" in second.stderr
        assert sum(calls(log).values()) == 5  # the second process called nothing
    finally:
        release.touch()
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    (run_dir,) = (tmp_path / "results").glob("*-Counting-*")
    assert sorted(item_ids(run_dir)) == [f"n{i:03d}" for i in range(9)]
