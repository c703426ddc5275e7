"""Crash and resume against a real (fake) OpenAI-compatible server: ``bench run`` is
killed with SIGKILL while requests are in flight, then the same command finishes the
run. Every prediction that was finished before the kill is never requested again."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402
from marked_items import finished_ids, marker, write_marked_dataset  # noqa: E402  (tests/ is on sys.path)

TESTS = Path(__file__).resolve().parent
N = 40  # 20 rounds of 0.15 s at concurrency 2: ample time to kill mid-run


def test_sigkill_mid_run_then_rerun_requests_each_finished_item_once(tmp_path):
    dataset = write_marked_dataset(tmp_path / "d.jsonl", N)
    out = tmp_path / "results"
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "openai:fake",
               "--dataset", str(dataset), "--output-dir", str(out), "--api-key-env", "none",
               "--concurrency", "2"]
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    with FakeOpenAIServer(latency=0.15) as server:
        command += ["--base-url", server.url]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(finished_ids(out / ".cache")) < 6:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        finished = finished_ids(out / ".cache")
        assert 6 <= len(finished) < N
        before = {i: server.count(marker(i)) for i in range(N)}

        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert "resuming" in rerun.stderr
        for i in range(N):
            total = server.count(marker(i))
            if f"a{i:02d}" in finished:
                assert total == before[i] == 1, i  # finished before the kill: never again
            else:
                assert total >= 1, i  # in flight or not started: sent (again) after
        # At most `concurrency` requests were in flight when the process died.
        assert sum(server.count(marker(i)) for i in range(N)) <= N + 2

    (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    ids = [json.loads(line)["id"] for line in (run_dir / "items.jsonl").read_text().splitlines()]
    assert sorted(ids) == [f"a{i:02d}" for i in range(N)]  # each id exactly once
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "complete" and record["failures"]["count"] == 0
    assert record["items"]["cached"] >= len(finished)
