"""The judge metric through ``bench run``: a real local server plays the judge; the run
is killed with SIGKILL while judge requests are in flight and resumed by the same
command without asking the judge twice about any summary it had answered."""

from __future__ import annotations

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
from marked_items import finished_ids, marker, write_marked_dataset  # noqa: E402

TESTS = Path(__file__).resolve().parent
N = 30
ANSWER = json.dumps({"faithfulness": 4, "coverage": 3, "fluency": 5, "conciseness": 4,
                     "justification": "ملخص أمين"}, ensure_ascii=False)


def test_judge_run_killed_and_resumed_asks_each_summary_once(tmp_path):
    dataset = write_marked_dataset(tmp_path / "d.jsonl", N)
    out = tmp_path / "results"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get(
        "PYTHONPATH", "")]), "JUDGE_KEY": "sk-local-judge"}
    with FakeOpenAIServer(latency=0.15, api_key="sk-local-judge",
                          reply=lambda message: ANSWER) as server:
        command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3",
                   "--dataset", str(dataset), "--output-dir", str(out),
                   "--metrics", "rouge,judge", "--judge", "openai:fake",
                   "--judge-base-url", server.url, "--judge-api-key-env", "JUDGE_KEY",
                   "--judge-option", "concurrency=2"]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while len(finished_ids(out / ".cache" / "judge")) < 6:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        judged = finished_ids(out / ".cache" / "judge")
        assert 6 <= len(judged) < N
        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        for i in range(N):
            asked = server.count(marker(i))
            if f"a{i:02d}" in judged:
                assert asked == 1, i  # answered before the kill: never asked again
            else:
                assert asked >= 1, i
        assert sum(server.count(marker(i)) for i in range(N)) <= N + 2

    (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    items = [json.loads(line) for line in (run_dir / "items.jsonl").read_text().splitlines()]
    assert sorted(item["id"] for item in items) == [f"a{i:02d}" for i in range(N)]
    assert all(item["judge_overall"] == 4.0 for item in items)
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "complete"
    assert record["aggregates"]["judge_faithfulness"]["mean"] == 4.0
    usage = record["metric_usage"]["judge"]
    assert usage["requests"] + usage["cached"] >= N
    assert record["metrics"]["signatures"]["judge"].startswith("judge:v1|model:fake|")
    stored = "".join(p.read_bytes().decode("utf-8", "replace")  # pickles too
                     for p in out.rglob("*") if p.is_file())
    assert "sk-local-judge" not in stored
