"""One redaction rule for every URL the program stores or prints (benchmark/urls.py).

Defect: ``--judge-base-url http://bob:SECRET@host/v1`` appeared in the terminal
signature, twice in run.json, in the HTML report and in ``bench compare --format json``;
a key in a query string (``?api_key=...``) was stored for every URL. Here a distinct
secret is planted in each URL the program takes (summarizer base URL, a replica, the
judge, the pairwise judge, a dataset source), real runs are made against real servers
on 127.0.0.1, and every file written and every output of every command is searched.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.urls import redact_url, url_secrets

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402
from test_datasets_by_name import FileServer  # noqa: E402

N = 6
JUDGE_ANSWER = json.dumps({"faithfulness": 4, "coverage": 3, "fluency": 5, "conciseness": 4,
                           "justification": "أمين"}, ensure_ascii=False)


@pytest.mark.parametrize("url, expected, why", [
    ("http://h:1/v1", "http://h:1/v1", "nothing to remove: unchanged"),
    ("http://u:p@h:1/v1", "http://h:1/v1", "user and password"),
    ("http://token@h/v1", "http://h/v1", "a user name alone (a token as user)"),
    ("https://h/v1?api_key=s&x=1", "https://h/v1?x=1", "api_key; the rest kept in order"),
    ("https://h/v1?x=1&KEY=s", "https://h/v1?x=1", "case-insensitive"),
    ("https://h/d?X-Amz-Signature=s&X-Amz-Credential=c&v=2", "https://h/d?v=2",
     "a credential word as a part of a longer name"),
    ("https://h/d?sv=1&sig=s", "https://h/d?sv=1", "an Azure SAS signature"),
    ("https://h/d?access_token=s", "https://h/d", "the only parameter: no '?' left"),
    ("https://h/d?apikey=s&token=t&secret=x&password=p&auth=a",
     "https://h/d", "every spelling the rule names"),
    ("https://h/cb#access_token=s&state=1", "https://h/cb#state=1", "a fragment's pairs"),
    ("https://h/v1?api-version=2024-06-01", "https://h/v1?api-version=2024-06-01",
     "a version is not a credential"),
    ("https://h/v1?monkey=1&author=me", "https://h/v1?monkey=1&author=me",
     "words that merely contain 'key' or 'auth' are kept"),
])
def test_the_redaction_rule(url, expected, why):
    assert redact_url(url) == expected, why
    assert redact_url(expected) == expected, "idempotent"


def test_url_secrets_lists_what_was_removed():
    assert set(url_secrets("http://al:pw%21@h/v1?key=k1&x=2")) == {"al", "pw%21", "pw!", "k1"}


def judge_reply(message: str) -> str:
    return JUDGE_ANSWER


def pairwise_reply(message: str) -> str:
    return json.dumps({"winner": "A", "justification": "أقصر"}, ensure_ascii=False)


def planted(url: str, user: str, query: str) -> str:
    return url.replace("http://", f"http://{user}@") + f"?{query}"


@pytest.fixture
def world(tmp_path, monkeypatch, bbc_head):
    """Servers, a dataset by name behind a URL with a token, and the secrets."""
    corpus = bbc_head(N)
    payload = corpus.read_bytes()
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    data = FileServer(payload)
    config = tmp_path / "config"
    config.mkdir()
    data_url = data.url + "?signature=QK-DATA-5"
    (config / "datasets.yaml").write_text(
        f"remote:\n  url: \"{data_url}\"\n  sha256: \"{hashlib.sha256(payload).hexdigest()}\"\n"
        "  description: d\n  licence: l\n  citation: c\n  variety: MSA\n  style: s\n"
        f"  size: {N}\n", encoding="utf-8")
    monkeypatch.setenv("BENCH_CONFIG", str(config))
    with FakeOpenAIServer() as first, FakeOpenAIServer() as second, \
            FakeOpenAIServer(reply=judge_reply) as judge, \
            FakeOpenAIServer(reply=pairwise_reply) as pairwise:
        yield {
            "summarizer": planted(first.url, "alice-s:PW-SUM-1", "api_key=QK-SUM-1"),
            "replica": planted(second.url, "carol-r:PW-REP-2", "sig=QK-REP-2"),
            "judge": planted(judge.url, "bob-j:PW-JUDGE-3", "token=QK-JUDGE-3"),
            "pairwise": planted(pairwise.url, "dave-p:PW-PAIR-4", "access_token=QK-PAIR-4"),
            "servers": (first, second, judge, pairwise),
        }
    data.close()


SECRETS = ("alice-s", "PW-SUM-1", "QK-SUM-1", "carol-r", "PW-REP-2", "QK-REP-2", "bob-j",
           "PW-JUDGE-3", "QK-JUDGE-3", "dave-p", "PW-PAIR-4", "QK-PAIR-4", "QK-DATA-5")


def bench(*args: str) -> str:
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_no_planted_secret_is_stored_or_printed(world, tmp_path):
    out = tmp_path / "results"
    judge = ("--metrics", "rouge,judge", "--judge", "openai:fake-judge", "--judge-base-url",
             world["judge"], "--judge-api-key-env", "none")
    shown = [bench("list", "datasets")]
    shown.append(bench("run", "--model", "openai:fake-model", "--dataset", "remote",
                       "--base-url", world["summarizer"], "--base-url", world["replica"],
                       "--api-key-env", "none", "--output-dir", out, *judge))
    shown.append(bench("run", "--model", "lead-3", "--dataset", "remote", "--output-dir",
                       out, *judge))
    runs = sorted(p for p in out.iterdir() if (p / "run.json").is_file())
    for fmt in ("text", "md", "csv", "json", "html"):
        shown.append(bench("compare", "--results", out, "--format", fmt, "--pairs",
                           "--resamples", "1000"))
    shown.append(bench("report", "--results", out, "-o", tmp_path / "report.html",
                       "--resamples", "1000"))
    pairwise = ("judge", runs[0], runs[1], "--judge", "openai:fake-judge", "--judge-base-url",
                world["pairwise"], "--judge-api-key-env", "none", "--results", out)
    shown += [bench(*pairwise), bench(*pairwise, "--format", "json")]

    first, second, judge_server, pairwise_server = world["servers"]
    # The secrets did reach the servers: the runs really used these URLs.
    assert len(first.requests) + len(second.requests) == N
    assert len(judge_server.requests) == 2 * N and len(pairwise_server.requests) == 2 * N
    assert "api_key=QK-SUM-1" in first.queries and "token=QK-JUDGE-3" in judge_server.queries
    written = {path: path.read_bytes().decode("utf-8", "replace")
               for path in tmp_path.rglob("*") if path.is_file()
               and (tmp_path / "config") not in path.parents}
    assert len([p for p in written if p.name == "run.json"]) == 2
    assert any(p.suffix == ".jsonl" and "judge" in p.parts for p in written)  # judge cache
    for secret in SECRETS:
        leaks = [str(path) for path, text in written.items() if secret in text]
        leaks += [f"output {n}" for n, text in enumerate(shown) if secret in text]
        assert not leaks, f"{secret} in {leaks}"
    record = json.loads((runs[0] / "run.json").read_text(encoding="utf-8"))
    model = record["model"] if record["model"]["backend"] == "openai" else json.loads(
        (runs[1] / "run.json").read_text(encoding="utf-8"))["model"]
    assert model["replicas"] == [first.url, second.url]  # kept, without credentials
    assert f"url:{judge_server.url}|" in record["metrics"]["signatures"]["judge"]


def test_a_dataset_url_with_user_info_is_redacted_in_the_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    config = tmp_path / "config"
    config.mkdir()
    (config / "datasets.yaml").write_text(
        "remote:\n  url: \"http://erin:PW-DATA-6@127.0.0.1:9/d.jsonl?key=QK-DATA-6\"\n"
        f"  sha256: \"{'a' * 64}\"\n  description: d\n  licence: l\n  citation: c\n"
        "  variety: MSA\n  style: s\n  size: 1\n", encoding="utf-8")
    monkeypatch.setenv("BENCH_CONFIG", str(config))
    listing = CliRunner().invoke(app, ["list", "datasets"]).output
    result = CliRunner().invoke(app, ["data", "validate", "remote"])
    assert result.exit_code == 2 and "cannot download dataset 'remote' from " \
        "http://127.0.0.1:9/d.jsonl" in result.output
    for secret in ("erin", "PW-DATA-6", "QK-DATA-6"):
        assert secret not in result.output + listing


def test_bench_judge_url_credentials_are_not_printed_when_it_fails(tmp_path, bbc_head):
    """The pairwise judge's URL in an error (a rejected key) is shown redacted."""
    out = tmp_path / "results"
    dataset = bbc_head(2)
    for model in ("lead-1", "lead-3"):
        bench("run", "--model", model, "--dataset", dataset, "--output-dir", out)
    runs = sorted(p for p in out.iterdir() if (p / "run.json").is_file())
    with FakeOpenAIServer(reply=pairwise_reply, api_key="right") as server:
        url = planted(server.url, "eve:PW-EVE-7", "key=QK-EVE-7")
        result = CliRunner().invoke(app, [
            "judge", str(runs[0]), str(runs[1]), "--judge", "openai:j", "--judge-base-url",
            url, "--judge-api-key-env", "none", "--results", str(out)])
    assert result.exit_code == 2
    assert f"{server.url} rejected no API key" in result.output
    assert not any(s in result.output for s in ("eve", "PW-EVE-7", "QK-EVE-7"))
    stored = "".join(p.read_bytes().decode("utf-8", "replace")
                     for p in tmp_path.rglob("*") if p.is_file())
    assert "PW-EVE-7" not in stored and "QK-EVE-7" not in stored
