"""Offline is fast and says what to do (issue 17, part 4).

Real `bench` processes with an empty Hugging Face cache and either no way to the hub
(``HF_ENDPOINT`` at a local port where nothing listens, no offline flag) or
``HF_HUB_OFFLINE=1``. An ``hf:`` dataset or model must fail in under 5 s (before: 30 s
of retries), with one error line naming the cache and the local folder to use, and no
line of library noise (retries, warnings, tracebacks).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from benchmark.hub import _unreachable, offline_reason

LIMIT_S = 5.0


def dead_endpoint() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def environment(tmp_path, how: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("HF_", "TRANSFORMERS_", "HUGGINGFACE_"))
           and key.lower() not in ("https_proxy", "http_proxy", "all_proxy")}
    env["HF_HOME"] = str(tmp_path / "hf-home")  # an empty cache
    if how == "unreachable":
        env["HF_ENDPOINT"] = dead_endpoint()
    else:
        env["HF_HUB_OFFLINE"] = "1"
    return env


def bench(tmp_path, how: str, *args) -> tuple[subprocess.CompletedProcess, float]:
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "benchmark.cli", *args],
                            env=environment(tmp_path, how), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    return result, time.monotonic() - began


@pytest.mark.parametrize("how", ["unreachable", "HF_HUB_OFFLINE"])
def test_an_hf_dataset_fails_at_once_naming_the_cache_and_a_local_copy(tmp_path, how):
    result, seconds = bench(tmp_path, how, "run", "--model", "lead-3", "--dataset",
                            "hf:csebuetnlp/xlsum:arabic:test", "--limit", "5")
    assert result.returncode == 2
    assert seconds < LIMIT_S, f"{seconds:.1f} s"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # no retry lines, no warnings, no traceback
    line = lines[0]
    assert line.startswith("error: cannot load hf:csebuetnlp/xlsum:arabic:test: ")
    reason = ("HF_HUB_OFFLINE is set" if how == "HF_HUB_OFFLINE"
              else "cannot be reached (connection refused)")
    assert reason in line
    assert str(tmp_path / "hf-home" / "hub") in line  # the cache looked in
    assert "hf:<folder>:arabic:test" in line  # the local copy to pass instead
    assert not (tmp_path / "results").exists()  # nothing started


@pytest.mark.parametrize("how", ["unreachable", "HF_HUB_OFFLINE"])
def test_an_hf_model_fails_at_once_naming_the_cache_and_a_local_folder(tmp_path, how):
    pytest.importorskip("transformers")
    result, seconds = bench(tmp_path, how, "run", "--model", "hf:someone/some-model")
    assert result.returncode == 2
    assert seconds < LIMIT_S, f"{seconds:.1f} s"
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["run folder", "error"], result.stderr
    assert "cannot load 'someone/some-model'" in lines[1]
    assert str(tmp_path / "hf-home" / "hub") in lines[1]
    assert "pass the model's folder: hf:<folder>" in lines[1]
    assert "Traceback" not in result.stderr and "Retrying" not in result.stderr


def test_the_reachability_probe_says_why(monkeypatch):
    for flag in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE",
                 "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY",
                 "http_proxy"):
        monkeypatch.delenv(flag, raising=False)
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    assert offline_reason() == "TRANSFORMERS_OFFLINE is set"
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    endpoint = dead_endpoint()
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    assert offline_reason() == f"the hub at {endpoint} cannot be reached (connection refused)"
    with socket.socket() as server:  # something listening: reachable
        server.bind(("127.0.0.1", 0))
        server.listen()
        host, port = server.getsockname()
        assert _unreachable(f"http://{host}:{port}") is None
