"""Fail fast on endpoints: a health check, a circuit breaker, aborted runs that resume,
honest statuses, the first errors on the terminal, and no secrets from URLs or files.

Against the real HTTP server of tests/fake_openai.py, and a port where nothing listens.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import ConfigError, EndpointError
from benchmark.summarizers.openai_compat import OpenAISummarizer
from benchmark.urls import redact_url
from benchmark.llm.prompts import load_prompt

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402  (tests/ is on sys.path)
from test_summarizer_openai import examples, make  # noqa: E402


@pytest.fixture
def server():
    with FakeOpenAIServer() as fake:
        yield fake


def dead_url() -> str:
    """A port on 127.0.0.1 where nothing listens (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def dataset(tmp_path: Path, n: int, *, tag: str = "خبر") -> Path:
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "article": f"{tag} رقم {i} عن الاقتصاد.",
                                        "summary": "الاقتصاد"}, ensure_ascii=False) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def bench_run(tmp_path, url, *extra, n=30):
    out = tmp_path / "results"
    result = CliRunner().invoke(app, [
        "run", "--model", "openai:fake-model", "--dataset", str(dataset(tmp_path, n)),
        "--output-dir", str(out), "--base-url", url, "--api-key-env", "none",
        "-o", "backoff=0.01", *extra])
    runs = [p for p in out.iterdir() if (p / "run.json").exists()] if out.exists() else []
    return result, [json.loads((p / "run.json").read_text()) for p in runs]


def test_unreachable_server_stops_before_the_first_item(tmp_path):
    """Defect: each item was retried 6 times, the connection error never reached the
    terminal and run.json said "complete" with 0 scored."""
    result, [record] = bench_run(tmp_path, dead_url())
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]  # after "run folder: ..."
    assert "Traceback" not in result.output
    assert line.startswith("error: openai:fake-model: http://127.0.0.1:")
    assert "failed a health check before the first item (connection error" in line
    assert "check that the server is running" in line
    assert record["status"] == "aborted" and "health check" in record["aborted"]["error"]


def test_the_breaker_stops_a_run_after_connection_failures_in_a_row(tmp_path):
    result, [record] = bench_run(tmp_path, dead_url(), "-o", "health_check=false",
                                 "-o", "breaker=4", "-o", "concurrency=1", n=40)
    assert result.exit_code == 2, result.output
    assert "4 connection failures in a row; last: connection error" in result.output
    assert record["status"] == "aborted"


def test_breaker_counts_attempts_across_requests(tmp_path):
    """Three attempts of the first item fail to connect: the run stops there, not after
    the 11 attempts of each of 5 items."""
    summarizer = OpenAISummarizer("openai:fake-model", {
        "base_url": dead_url(), "api_key_env": "none", "backoff": 0.01, "breaker": 3,
        "max_retries": 10, "concurrency": 1})
    with pytest.raises(EndpointError, match="3 connection failures in a row"):
        summarizer.summarize(examples(5))
    summarizer.close()


def test_a_rejected_key_aborts_the_run_and_a_rerun_resumes_it(server, tmp_path, monkeypatch):
    server.api_key = "right"
    monkeypatch.setenv("BENCH_TEST_KEY", "wrong")
    out = tmp_path / "results"
    command = ["run", "--model", "openai:fake-model", "--dataset", str(dataset(tmp_path, 3)),
               "--output-dir", str(out), "--base-url", server.url, "--api-key-env",
               "BENCH_TEST_KEY"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 2 and "rejected the key from BENCH_TEST_KEY" in first.output
    [run_dir] = [p for p in out.iterdir() if (p / "run.json").exists()]
    assert json.loads((run_dir / "run.json").read_text())["status"] == "aborted"
    monkeypatch.setenv("BENCH_TEST_KEY", "right")
    second = CliRunner().invoke(app, command)
    assert second.exit_code == 0, second.output
    assert "resuming" in second.output
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "complete" and "aborted" not in record


def test_a_run_where_every_item_failed_is_not_complete_and_errors_are_shown(server, tmp_path):
    server.inject("خبر", "500")
    result, [record] = bench_run(tmp_path, server.url, "-o", "max_retries=0", n=3)
    assert result.exit_code == 3
    assert record["status"] == "failed" and record["items"]["scored"] == 0
    assert "  failed: HTTP 500" in result.output and "(3 items)" in result.output


def test_credentials_in_the_url_are_not_stored(server, tmp_path):
    url = server.url.replace("http://", "http://alice:s3cret-pw@")
    result, [record] = bench_run(tmp_path, url, n=2)
    assert result.exit_code == 0, result.output
    assert record["model"]["base_url"] == server.url
    assert record["model"]["options"]["base_url"] == server.url
    stored = "".join(p.read_bytes().decode("utf-8", "replace")  # pickles too
                     for p in (tmp_path / "results").rglob("*") if p.is_file())
    assert "s3cret-pw" not in stored and "alice" not in stored + result.output
    assert redact_url("https://u:p@h:8/v1") == "https://h:8/v1"


def test_a_non_template_prompt_file_is_not_quoted(tmp_path):
    secret = tmp_path / "notes.yaml"
    secret.write_text("db_password: hunter2\n  broken: [indent\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_prompt(str(secret))
    assert "hunter2" not in str(caught.value) and "line 2" in str(caught.value)
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\xff\xfe secret")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_prompt(str(binary))


@pytest.mark.parametrize("usage, expected", [
    ({"prompt_tokens": "n/a", "completion_tokens": 2}, {"completion_tokens": 2}),
    ({"prompt_tokens": None, "completion_tokens": 2.0}, {"completion_tokens": 2}),
    ({"prompt_tokens": -1, "completion_tokens": [3]}, {}),
])
def test_an_answer_with_odd_usage_is_accepted(server, usage, expected):
    """Defect: a valid answer whose usage held a non-number was retried as invalid JSON
    and finally thrown away."""
    original = server.completion

    def odd(body, content):
        response = original(body, content)
        response["usage"] = usage
        return response

    server.completion = odd
    summarizer = make(server, max_retries=0)
    [prediction] = summarizer.summarize(examples(1))
    summarizer.close()
    assert prediction.error is None and prediction.text
    assert prediction.usage == expected
    assert len(server.requests) == 1


def test_summarizer_option_defaults_keep_signatures(server):
    """breaker and health_check are operational: cached predictions stay valid."""
    a = make(server)
    b = make(server, breaker=2, health_check=False)
    assert a.signature() == b.signature()
    assert isinstance(a, OpenAISummarizer)
    a.close()
    b.close()
