"""Replicas of one OpenAI-compatible server: the picker alone, then 2-3 real servers on
127.0.0.1 (tests/fake_openai.py, each recording its own maximum in flight)."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest

from benchmark.errors import ConfigError, SummarizerError
from benchmark.llm.endpoints import load_endpoints, resolve_endpoint
from benchmark.llm.replicas import ReplicaPicker

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402  (tests/ is on sys.path)
from test_summarizer_openai import examples  # noqa: E402


# -- the picker alone ------------------------------------------------------------------
class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def picked(picker: ReplicaPicker, n: int, **kwargs) -> list[str]:
    """The URLs of `n` slots taken one after the other and all held."""
    async def take():
        held, urls = [], []
        for _ in range(n):
            context = picker.use(**kwargs)
            replica = await context.__aenter__()
            held.append(context)
            urls.append(replica.url)
        for context in held:
            await context.__aexit__(None, None, None)
        return urls
    return asyncio.run(take())


@pytest.mark.parametrize(("limit", "n", "expected", "why"), [
    (2, 3, ["a", "b", "c"], "each new request goes to the replica with fewest in flight"),
    (2, 6, ["a", "b", "c", "a", "b", "c"], "ties go to the replica listed first"),
    (1, 3, ["a", "b", "c"], "a full replica is never chosen"),
])
def test_least_loaded_first_ties_by_order(limit, n, expected, why):
    picker = ReplicaPicker([("a", None), ("b", None), ("c", None)], limit=limit)
    assert picked(picker, n) == expected, why


def test_a_retry_waits_for_another_replica_rather_than_go_back():
    picker = ReplicaPicker([("a", None), ("b", None)], limit=1)
    a = picker.replicas[0]
    assert picked(picker, 1, avoid=a) == ["b"]  # b is as loaded as a: the retry moves

    async def scenario():
        held = picker.use(avoid=a)  # b busy with another retry
        assert (await held.__aenter__()).url == "b"
        retry = asyncio.ensure_future(_take(picker, avoid=a))
        await asyncio.sleep(0.01)
        assert not retry.done()  # a is free but failed it: wait for b
        await held.__aexit__(None, None, None)
        return await retry
    assert asyncio.run(scenario()) == "b"


def test_a_retry_goes_back_when_the_failed_replica_is_the_only_one_left():
    clock = Clock()
    picker = ReplicaPicker([("a", None), ("b", None)], limit=1, clock=clock)
    picker.refused(picker.replicas[1])
    assert picked(picker, 1, avoid=picker.replicas[0]) == ["a"]


def test_a_refusing_replica_is_set_aside_for_a_doubling_cooldown():
    clock = Clock()
    picker = ReplicaPicker([("a", None), ("b", None)], limit=4, clock=clock)
    a = picker.replicas[0]
    picker.refused(a)
    assert picked(picker, 3) == ["b", "b", "b"]  # a is skipped while b works
    clock.now += 1.0  # the first cooldown (1 s) is over
    assert picked(picker, 1) == ["a"]
    picker.refused(a)  # refused again: 2 s this time
    clock.now += 1.5
    assert picked(picker, 1) == ["b"]
    picker.answered(a)  # reachable again: set aside no longer
    assert picked(picker, 2) == ["a", "b"]


def test_when_every_replica_is_set_aside_requests_still_go_out():
    clock = Clock()
    picker = ReplicaPicker([("a", None), ("b", None)], limit=1, clock=clock)
    for replica in picker.replicas:
        picker.refused(replica)
    assert picked(picker, 2) == ["a", "b"]


def test_a_request_waits_for_a_healthy_slot_rather_than_a_refusing_replica():
    clock = Clock()
    picker = ReplicaPicker([("a", None), ("b", None)], limit=1, clock=clock)
    picker.refused(picker.replicas[1])

    async def scenario():
        first = picker.use()
        assert (await first.__aenter__()).url == "a"
        waiting = asyncio.ensure_future(_take(picker))
        await asyncio.sleep(0.01)
        assert not waiting.done()  # b is set aside, a is full: wait
        await first.__aexit__(None, None, None)
        return await waiting
    assert asyncio.run(scenario()) == "a"


async def _take(picker: ReplicaPicker, **kwargs) -> str:
    async with picker.use(**kwargs) as replica:
        return replica.url


# -- endpoints.yaml and options -------------------------------------------------------
def test_base_urls_in_the_endpoints_file_and_as_a_list_option(tmp_path):
    path = tmp_path / "endpoints.yaml"
    path.write_text('endpoints:\n  pool: {base_urls: ["http://g1:8000/v1/", '
                    '"http://g2:8000/v1"], api_key_env: none, models: [m]}\n',
                    encoding="utf-8")
    endpoint = resolve_endpoint("m", config=load_endpoints(path))
    assert endpoint.base_urls == ("http://g1:8000/v1", "http://g2:8000/v1")
    assert endpoint.base_url == "http://g1:8000/v1"  # the first: the one signatures name
    option = resolve_endpoint("x", base_url=["http://h:1/v1", "http://h:2/v1"],
                              config=load_endpoints(path))
    assert option.base_urls == ("http://h:1/v1", "http://h:2/v1")
    single = resolve_endpoint("x", base_url="http://h:1/v1/", config=load_endpoints(path))
    assert single.base_urls == ("http://h:1/v1",)


@pytest.mark.parametrize(("spec", "message"), [
    ('{base_url: "http://a/v1", base_urls: ["http://b/v1"], api_key_env: none}',
     "give base_url, or base_urls listing replicas of one server \\(not both\\)"),
    ('{base_urls: [], api_key_env: none}', "base_url\\(s\\) must be non-empty URLs"),
    ('{base_urls: ["http://a/v1", "http://a/v1/"], api_key_env: none}',
     "base URL http://a/v1 is listed twice"),
])
def test_bad_replica_lists_name_the_file_and_endpoint(tmp_path, spec, message):
    path = tmp_path / "endpoints.yaml"
    path.write_text(f"endpoints:\n  pool: {spec}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"endpoints.yaml: endpoint 'pool':? .*{message}"):
        load_endpoints(path)


# -- real servers ---------------------------------------------------------------------
@pytest.fixture
def servers():
    with FakeOpenAIServer() as a, FakeOpenAIServer() as b, FakeOpenAIServer() as c:
        yield [a, b, c]


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def make(urls, **options):
    from benchmark.summarizers.openai_compat import OpenAISummarizer

    options = {"base_url": urls, "api_key_env": "none", "backoff": 0.01, **options}
    return OpenAISummarizer("openai:fake-model", options, seed=7)


def test_load_spreads_and_each_replica_keeps_its_own_limit(servers):
    for server in servers:
        server.latency = 0.1
    summarizer = make([s.url for s in servers], concurrency=2)
    try:
        predictions = summarizer.summarize(examples(36))
    finally:
        summarizer.close()
    assert [p.text for p in predictions] == [f"السطر {i}." for i in range(36)]
    # 36 requests of 100 ms on 3 replicas x 2 slots: every slot fills, none overflows.
    assert [s.max_in_flight for s in servers] == [2, 2, 2]
    counts = [len(s.requests) for s in servers]
    assert sum(counts) == 36 and min(counts) >= 6, counts  # no replica left idle
    assert summarizer.batch_size == 32  # max(2 x 3 replicas x 4, 32)


def test_a_refusing_replica_is_routed_around(servers):
    live = servers[:2]
    dead = closed_port_url()
    summarizer = make([dead, *(s.url for s in live)], concurrency=2, max_retries=1)
    try:
        predictions = summarizer.summarize(examples(20))
        refusals = summarizer.client.replicas.replicas[0].refusals
    finally:
        summarizer.close()
    # One retry is enough: a retry never goes back to the replica that refused it.
    assert [p.error for p in predictions] == [None] * 20
    assert [p.text for p in predictions] == [f"السطر {i}." for i in range(20)]
    assert sum(len(s.requests) for s in live) == 20
    assert refusals >= 1  # it was tried, refused, and set aside


def test_a_retry_moves_to_another_replica(servers):
    broken, healthy = servers[:2]
    broken.inject("", "500")  # every request to this replica fails
    summarizer = make([broken.url, healthy.url], concurrency=4, max_retries=1)
    try:
        predictions = summarizer.summarize(examples(12))
    finally:
        summarizer.close()
    # The first attempts that hit the broken replica were each retried on the other.
    assert [p.error for p in predictions] == [None] * 12
    assert len(broken.requests) >= 1 and len(healthy.requests) == 12


def test_every_replica_must_serve_the_model(servers):
    from benchmark.summarizers.openai_compat import OpenAISummarizer

    summarizer = OpenAISummarizer("openai:other-model", {
        "base_url": [s.url for s in servers[:2]], "api_key_env": "none"})
    try:
        with pytest.raises(SummarizerError, match=r"replica http://127\.0\.0\.1:\d+/v1 "
                           r"serves fake-model, not other-model"):
            summarizer.summarize(examples(1))
    finally:
        summarizer.close()


def test_bench_run_over_replicas_writes_the_predictions_of_one_replica(servers, shared_dir,
                                                                       tmp_path):
    """Same predictions and model signature with one base URL and with three (one of
    them refusing connections): the replica list is operational."""
    from typer.testing import CliRunner

    from benchmark.cli.app import app

    dataset = shared_dir / "corpora" / "ant_bbc.jsonl"

    def run(out, urls):
        command = ["run", "--model", "openai:fake-model", "--dataset", str(dataset),
                   "--limit", "24", "--output-dir", str(out), "--api-key-env", "none",
                   "--concurrency", "2", "-o", "backoff=0.01", "-o", "max_retries=2"]
        for url in urls:
            command += ["--base-url", url]
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
        [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
        record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        items = [json.loads(line) for line in
                 (run_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()]
        return record, {item["id"]: (item["prediction"], item["rouge1_f"]) for item in items}

    one, one_items = run(tmp_path / "one", [servers[0].url])
    many, many_items = run(tmp_path / "many",
                           [servers[0].url, closed_port_url(), servers[1].url,
                            servers[2].url])
    assert many_items == one_items and len(one_items) == 24
    assert many["model"]["signature"] == one["model"]["signature"]
    assert len(many["model"]["replicas"]) == 4 and "replicas" not in one["model"]
    assert all(len(s.requests) > 0 for s in servers[1:])  # the others answered too


# -- health per replica (a dead replica among live ones never stops a run) ---------------
def test_refusals_count_per_replica_and_the_endpoint_fails_only_when_all_are_out():
    clock = Clock()
    picker = ReplicaPicker([("a", None), ("b", None)], limit=4, breaker=3, clock=clock)
    a, b = picker.replicas
    for _ in range(5):
        picker.refused(a)
    assert picker.out(a) and not picker.out(b) and not picker.all_out()
    picker.refused(b)
    picker.refused(b)
    assert not picker.all_out(), "b refused 2 < breaker 3 in a row"
    picker.answered(b)  # an answer resets b's count: refusals are "in a row"
    for _ in range(3):
        picker.refused(b)
    assert picker.all_out()
    picker.answered(a)
    assert not picker.all_out(), "a came back"


def test_one_dead_replica_at_high_concurrency_does_not_stop_the_run(servers, tmp_path,
                                                                     bbc_head):
    """Defect: the breaker counted connection failures across replicas, so with
    --concurrency 16 (over the default breaker of 8) two --base-urls, one of them dead,
    stopped the run with "8 connection failures in a row", naming the live URL."""
    from typer.testing import CliRunner

    from benchmark.cli.app import app

    live = servers[0]
    live.latency = 0.05
    dead = closed_port_url()
    out = tmp_path / "results"
    result = CliRunner().invoke(app, [
        "run", "--model", "openai:fake-model", "--dataset", str(bbc_head(64)),
        "--output-dir", str(out), "--base-url", dead, "--base-url", live.url,
        "--api-key-env", "none", "--concurrency", "16", "-o", "backoff=0.01"])
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in out.iterdir() if (p / "run.json").is_file()]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["status"] == "complete"
    assert (record["items"]["scored"], record["failures"]["count"]) == (64, 0)
    assert len(live.requests) == 64


def test_the_run_stops_when_no_replica_is_left_naming_each(tmp_path):
    from benchmark.errors import EndpointError

    dead = [closed_port_url(), closed_port_url()]
    secret = dead[1].replace("http://", "http://u:pw-9@")
    summarizer = make([dead[0], secret], concurrency=4, breaker=3, max_retries=10,
                      health_check=False)
    try:
        with pytest.raises(EndpointError) as caught:
            summarizer.summarize(examples(12))
    finally:
        summarizer.close()
    message = str(caught.value)
    assert "no replica left" in message and "pw-9" not in message
    assert f"{dead[0]} (" in message and f"{dead[1]} (" in message
    assert "connection error at http://127.0.0.1:" in message
