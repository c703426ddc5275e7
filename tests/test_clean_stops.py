"""A handled stop ends with its one line and nothing after it: no traceback, no
"Task exception was never retrieved", no "Task was destroyed but it is pending".

Defect: when the breaker tripped mid-run, 2 of 3 runs printed asyncio's complaints
about abandoned tasks after the correct error. Each case runs a real ``bench run``
process several times (the complaints depended on timing) and reads its stderr.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402

TESTS = Path(__file__).resolve().parent
REPEATS = 3
NOISE = ("Traceback", "Task exception was never retrieved", "Task was destroyed",
         "exception calling callback", "never awaited", "Exception ignored")


def dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def run_bench(tmp_path: Path, number: int, *args: str) -> subprocess.CompletedProcess:
    data = tmp_path / "d.jsonl"
    if not data.exists():
        data.write_text("".join(json.dumps({"id": f"a{i}", "article": f"خبر {i} عن الاقتصاد.",
                                            "summary": "الاقتصاد"}, ensure_ascii=False) + "\n"
                                for i in range(60)), encoding="utf-8")
    command = [sys.executable, "-m", "benchmark.cli", "run", "--dataset", str(data),
               "--output-dir", str(tmp_path / f"out{number}"), "--api-key-env", "none",
               "-o", "backoff=0.01", *args]
    env = {**os.environ, "PYTHONPATH": str(TESTS)}
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def assert_one_clean_line(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0], result.stderr
    assert result.stderr.rstrip().endswith(errors[0]), "nothing after the error line"
    found = [noise for noise in NOISE if noise in result.stderr + result.stdout]
    assert not found, result.stderr


@pytest.mark.parametrize("number", range(REPEATS))
def test_the_breaker_tripping_mid_run(tmp_path, number):
    result = run_bench(tmp_path, number, "--model", "openai:fake-model", "--base-url",
                       dead_url(), "-o", "health_check=false", "--concurrency", "8")
    assert_one_clean_line(result, "8 connection failures in a row")


@pytest.mark.parametrize("number", range(REPEATS))
def test_no_replica_left_and_an_early_stop(tmp_path, number):
    result = run_bench(tmp_path, number, "--model", "openai:fake-model", "--base-url",
                       dead_url(), "--base-url", dead_url(), "-o", "health_check=false",
                       "--concurrency", "8", "-o", "breaker=3")
    assert_one_clean_line(result, "no replica left")
    with FakeOpenAIServer(strict_model=True, latency=0.01) as server:
        result = run_bench(tmp_path, number + REPEATS, "--model", "openai:wrong",
                           "--base-url", server.url, "--concurrency", "8")
    assert_one_clean_line(result, "stopped after 8 items in a row failed")
