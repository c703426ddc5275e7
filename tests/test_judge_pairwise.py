"""``bench judge RUN_A RUN_B`` against a real local server playing the judge: both orders,
position bias cancelled, win/tie/loss with a bootstrap CI, cached answers."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from fake_openai import FakeOpenAIServer, tagged

N = 20


def bench(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, shared_dir):
    """lead-1 and lead-3 on the first 20 CNN articles."""
    out = tmp_path_factory.mktemp("runs")
    dataset = str(shared_dir / "corpora" / "ant_cnn.jsonl")
    for model in ("lead-1", "lead-3"):
        result = bench("run", "--model", model, "--dataset", dataset, "--limit", str(N),
                       "--output-dir", str(out))
        assert result.exit_code == 0, result.output
    runs = sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    lead1 = next(p for p in runs if "lead-1" in p.name)
    lead3 = next(p for p in runs if "lead-3" in p.name)
    return lead1, lead3


def summaries(message: str) -> tuple[str, str]:
    return tagged(message, "summary-a"), tagged(message, "summary-b")


def prefers_shorter(message: str) -> str:
    a, b = summaries(message)
    winner = "tie" if len(a) == len(b) else "A" if len(a) < len(b) else "B"
    return json.dumps({"winner": winner, "justification": "أقصر"}, ensure_ascii=False)


def judge_args(server, runs, tmp_path, *extra):
    return ("judge", str(runs[0]), str(runs[1]), "--judge", "openai:fake-judge",
            "--judge-base-url", server.url, "--judge-api-key-env", "none",
            "--results", str(tmp_path), "-o", "backoff=0", *extra)


def test_a_consistent_preference_is_a_win_in_both_orders(two_runs, tmp_path):
    with FakeOpenAIServer(reply=prefers_shorter) as server:
        result = bench(*judge_args(server, two_runs, tmp_path, "--format", "json"))
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert len(server.requests) == 2 * N, "every item in both orders"
    assert report["a"] == "lead-1" and report["b"] == "lead-3"
    assert report["n"] == report["wins"] + report["ties"] + report["losses"] == N
    assert report["position_consistent"] == N
    # lead-1 is the first sentence of lead-3: shorter unless the article has one sentence
    ties = sum(1 for item in report["items"] if item["outcome"] == "tie")
    assert report["wins"] == N - ties and report["losses"] == 0
    assert report["win_rate"] == pytest.approx((report["wins"] + 0.5 * ties) / N)
    assert report["low"] <= report["win_rate"] <= report["high"]
    assert report["stats"] == {"resamples": 10000, "seed": 0,
                               "interval": "95% percentile bootstrap over items"}


def test_a_judge_that_always_picks_the_first_position_gives_only_ties(two_runs, tmp_path):
    first = json.dumps({"winner": "A", "justification": "الأول"})
    with FakeOpenAIServer(reply=lambda message: first) as server:
        result = bench(*judge_args(server, two_runs, tmp_path))
        assert result.exit_code == 0, result.output
    assert f"wins 0  ties {N}  losses 0  (orders agreed on 0 of {N})" in result.stdout
    assert re.search(r"win rate of lead-1: 50\.0 \[50\.0, 50\.0\]", result.stdout)


def test_answers_are_cached_between_invocations(two_runs, tmp_path):
    with FakeOpenAIServer(reply=prefers_shorter) as server:
        first = bench(*judge_args(server, two_runs, tmp_path))
        again = bench(*judge_args(server, two_runs, tmp_path))
        assert first.exit_code == again.exit_code == 0
        assert first.stdout == again.stdout
        assert len(server.requests) == 2 * N, "the second invocation asked nothing"


def test_failed_answers_leave_the_item_out_and_say_so(two_runs, tmp_path):
    def flaky(message):
        a, b = summaries(message)
        return "لا أستطيع" if "سي إن إن" in a + b else prefers_shorter(message)

    with FakeOpenAIServer(reply=flaky) as server:
        result = bench(*judge_args(server, two_runs, tmp_path, "-o", "max_retries=0",
                                   "--format", "json"))
        assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["failed"] + report["n"] == N


def test_runs_on_different_datasets_are_refused(two_runs, tmp_path, shared_dir):
    other = tmp_path / "other"
    result = bench("run", "--model", "lead-1", "--dataset",
                   str(shared_dir / "corpora" / "marsum_test.jsonl"), "--limit", "3",
                   "--output-dir", str(other))
    assert result.exit_code == 0, result.output
    run = next(p for p in other.iterdir() if p.is_dir() and not p.name.startswith("."))
    with FakeOpenAIServer(reply=prefers_shorter) as server:
        result = bench("judge", str(two_runs[0]), str(run), "--judge", "openai:x",
                       "--judge-base-url", server.url, "--judge-api-key-env", "none")
    assert result.exit_code == 2
    assert "are on different datasets" in result.output and "Traceback" not in result.output


def test_when_no_item_is_judged_the_errors_are_named(two_runs, tmp_path):
    """Defect: the command ended "see the errors above" with no error above it."""
    with FakeOpenAIServer(reply=lambda message: "لا أستطيع المساعدة في هذا.") as server:
        result = bench(*judge_args(server, two_runs, tmp_path, "-o", "max_retries=0"))
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: the judge answered no item in both orders: the judge "
                           f"refused: لا أستطيع المساعدة في هذا. (after 1 attempts) ({2 * N} "
                           "requests)")
    assert "see the errors above" not in line


def test_failed_requests_are_listed_under_the_result(two_runs, tmp_path):
    def flaky(message):
        a, b = summaries(message)
        return "{}" if len(a + b) % 3 == 0 else prefers_shorter(message)

    with FakeOpenAIServer(reply=flaky) as server:
        result = bench(*judge_args(server, two_runs, tmp_path, "-o", "max_retries=0"))
        failed = sum(1 for r in server.requests if r.get("messages") and len(
            "".join(summaries(r["messages"][-1]["content"]))) % 3 == 0)
    assert result.exit_code == 0, result.output
    assert 0 < failed < 2 * N
    assert "left out: the judge failed" in result.output
    assert "  failed: the judge's answer has no 'winner'" not in result.output
    assert "  failed: the judge's answer has no winner A, B or tie: {} (after 1 attempts) " \
        f"({failed} requests)" in result.output
