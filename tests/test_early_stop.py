"""Early stops and honest counts, against the real server of tests/fake_openai.py.

Defect: a server that fails every request (a wrong model name: 404; a broken server:
500) got the whole dataset x 6 attempts, and the terminal then said "(20 items)" when
300 had failed. Now ``max_consecutive_failures`` items in a row failing with the same
HTTP error (4xx but 429, or 5xx after the retries) stop the run with one line, and the
counts printed are the true counts.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchmark import Scorer
from benchmark.cli.app import app
from benchmark.errors import EndpointError
from benchmark.llm.health import FailureStreak

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402


@pytest.mark.parametrize("outcomes, limit, stops_at, why", [
    ([("404 x", 404)] * 8, 8, 8, "eight in a row of one 404"),
    ([("404 x", 404)] * 7 + [(None, None)] + [("404 x", 404)] * 7, 8, None,
     "a success in between starts the count again"),
    ([("400 a", 400), ("400 b", 400)] * 5, 3, None, "different errors (per-item 400s)"),
    ([("429 slow", 429)] * 10, 3, None, "a rate limit is not a broken server"),
    ([("timed out", None)] * 10, 3, None, "no HTTP status: timeouts, refusals, bad JSON"),
    ([("500 e (after 6 attempts)", 500)] * 3, 3, 3, "a 5xx that outlasted the retries"),
    ([("404 x", 404)] * 20, 0, None, "0: never stop"),
])
def test_the_streak_rule(outcomes, limit, stops_at, why):
    streak = FailureStreak(limit)
    stopped = [n for n, (error, status) in enumerate(outcomes, 1)
               if streak.record(error, status)]
    assert (stopped[0] if stopped else None) == stops_at, why


def dataset(tmp_path, n):
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i:03d}", "article": f"خبر رقم {i} عن "
                                        "الاقتصاد.", "summary": "الاقتصاد"},
                                       ensure_ascii=False) + "\n" for i in range(n)),
                    encoding="utf-8")
    return path


def bench_run(tmp_path, server, model, *extra, n=40):
    out = tmp_path / "results"
    result = CliRunner().invoke(app, [
        "run", "--model", model, "--dataset", str(dataset(tmp_path, n)), "--output-dir",
        str(out), "--base-url", server.url, "--api-key-env", "none", "--concurrency", "2",
        "-o", "backoff=0.01", *extra])
    [run_dir] = [p for p in out.iterdir() if (p / "run.json").is_file()]
    return result, json.loads((run_dir / "run.json").read_text(encoding="utf-8"))


def test_a_wrong_model_name_stops_the_run_after_eight_items(tmp_path):
    with FakeOpenAIServer(strict_model=True) as server:
        result, record = bench_run(tmp_path, server, "openai:no-such-model")
        asked = len(server.requests)
    assert result.exit_code == 2, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert line.startswith("error: openai:no-such-model: stopped after 8 items in a row "
                           "failed with the same error: HTTP 404: ")
    assert "The model `no-such-model` does not exist" in line and "max_consecutive" in line
    assert 8 <= asked <= 8 + 2, "404 is not retried; at most the 2 in flight more"
    assert record["status"] == "aborted" and "stopped after 8 items" in \
        record["aborted"]["error"]


def test_a_server_failing_every_request_stops_after_n_items_with_retries(tmp_path):
    with FakeOpenAIServer() as server:
        server.inject("خبر", "500")
        result, record = bench_run(tmp_path, server, "openai:fake-model", "-o",
                                   "max_retries=1", "-o", "max_consecutive_failures=3")
        asked = len(server.requests)
    assert result.exit_code == 2, result.output
    assert "stopped after 3 items in a row failed with the same error: HTTP 500" in \
        result.output and "(after 2 attempts)" in result.output
    # Without the stop: 40 items x 2 attempts. Items in backoff free their slot, so
    # others start meanwhile: fewer than one attempt per item, not an exact count.
    assert asked < 40, asked
    assert record["status"] == "aborted"


def test_the_counts_printed_are_the_true_counts(tmp_path):
    """Defect: the terminal counted only the 20 failures listed in run.json."""
    with FakeOpenAIServer() as server:
        server.inject("خبر", "500")
        result, record = bench_run(tmp_path, server, "openai:fake-model", "-o",
                                   "max_retries=0", "-o", "max_consecutive_failures=0", n=30)
    assert result.exit_code == 3, result.output
    assert "failed: HTTP 500: Error code: 500 - " in result.output
    assert "(after 1 attempts) (30 items)" in result.output
    assert record["failures"]["count"] == 30 and len(record["failures"]["first"]) == 20
    assert [e["count"] for e in record["failures"]["errors"]] == [30]
    assert "(0 scored, 30 failed)" in result.output


def test_the_judge_stops_early_too():
    with FakeOpenAIServer(strict_model=True) as server:
        scorer = Scorer(["judge"], judge="openai:wrong-judge", judge_options={
            "base_url": server.url, "api_key_env": "none", "concurrency": 1,
            "max_consecutive_failures": 4})
        with pytest.raises(EndpointError, match="judge openai:wrong-judge: stopped after 4 "
                           "items in a row failed with the same error: HTTP 404"):
            scorer.score(predictions=["ملخص"] * 12, references=["مرجع"] * 12,
                         sources=["مقال"] * 12)
        scorer.close()
        assert 4 <= len(server.requests) <= 4 + 1, "at most the one in flight more"


def test_requests_waiting_for_a_slot_when_the_streak_trips_are_not_sent():
    """Regression: every item's request is queued at once and waits for a concurrency
    slot; those that got a slot after the streak tripped were still sent until the
    caller's thread had seen the stop (11 or 12 requests for a limit of 8 at
    concurrency 2 on a loaded machine). Here the caller reads no outcome until every
    request has ended, the slowest caller there is: still 8 requests, plus at most
    the 2 in flight."""
    from benchmark.llm.client import LLMClient
    from benchmark.llm.options import ClientOptions

    with FakeOpenAIServer(strict_model=True) as server:
        options = ClientOptions(base_url=server.url, api_key_env="none", concurrency=2,
                                backoff=0.01, max_consecutive_failures=8)
        client = LLMClient("no-such-model", options, owner="openai:no-such-model")
        runner = client._start()
        body = client.request([{"role": "user", "content": "لخص"}])
        futures = [runner.submit(client._guarded(dict(body), lambda text, choice: text))
                   for _ in range(40)]
        outcomes = [future.result(timeout=60) for future in futures]
        client.close()
        asked = len(server.requests)
    stops = [o for o in outcomes if isinstance(o, EndpointError)]
    assert stops and all("items in a row failed with the same error: HTTP 404" in str(o)
                         for o in stops)
    assert 8 <= asked <= 8 + 2, asked
