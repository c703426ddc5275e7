"""The ``openai:`` backend against a real HTTP server on 127.0.0.1 (tests/fake_openai.py)."""

from __future__ import annotations

import time

import pytest

from benchmark.data.example import Example
from benchmark.errors import ConfigError, SummarizerError
from benchmark.llm.endpoints import EndpointConfig, load_endpoints, resolve_endpoint
from benchmark.summarizers.openai_compat import OpenAISummarizer
from benchmark.summarizers.registry import create_summarizer

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402  (tests/ is on sys.path)


@pytest.fixture
def server():
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def short_prompt(tmp_path):
    """A one-line template, so usage word counts can be computed by hand."""
    path = tmp_path / "short.txt"
    path.write_text("لخص: {article}\n", encoding="utf-8")
    return str(path)


def examples(n: int, *, tag: str = "مقال") -> list[Example]:
    # Each article's last line is unique ("السطر N."), and the fake server's default
    # reply turns that line into a bullet behind <think> and a preamble.
    return [Example(id=f"e{i}", article=f"{tag} {i} عن الاقتصاد.\nالسطر {i}.", bullets=("-",))
            for i in range(n)]


def make(server, **options) -> OpenAISummarizer:
    options = {"base_url": server.url, "api_key_env": "none", "backoff": 0.01, **options}
    return OpenAISummarizer("openai:fake-model", options, seed=7)


def by_index(stream) -> dict[int, object]:
    return dict(stream)


def test_concurrency_is_bounded_by_the_semaphore(server):
    server.latency = 0.1
    summarizer = make(server, concurrency=4)
    try:
        predictions = summarizer.summarize(examples(24))
    finally:
        summarizer.close()
    assert [p.text for p in predictions] == [f"السطر {i}." for i in range(24)]
    assert server.max_in_flight == 4  # 24 requests of 100 ms: the 4 slots fill up
    assert summarizer.batch_size == 32  # max(4 * 4, 32)


def test_429_and_500_are_retried_then_succeed(server):
    server.inject("السطر 1.", "429", times=2, retry_after=0.05)
    server.inject("السطر 2.", "500", times=1)
    summarizer = make(server, max_retries=3)
    predictions = summarizer.summarize(examples(3))
    summarizer.close()
    assert [p.error for p in predictions] == [None, None, None]
    assert [p.text for p in predictions] == ["السطر 0.", "السطر 1.", "السطر 2."]
    # Item 1: two 429s then success (3 calls); item 2: one 500 then success (2 calls).
    assert [server.count(f"السطر {i}.") for i in range(3)] == [1, 3, 2]


def test_backoff_doubles_to_its_cap_with_seeded_jitter_and_honours_retry_after(server):
    def delays(seed, retry_after=None):
        summarizer = OpenAISummarizer("openai:fake-model", {
            "base_url": server.url, "api_key_env": "none", "backoff": 1.0,
            "backoff_max": 5.0}, seed=seed)
        return [summarizer.client.retry.delay(attempt, retry_after) for attempt in range(5)]

    # The cap doubles from backoff=1 until backoff_max=5: 1, 2, 4, 5, 5; "equal jitter"
    # draws each delay in [cap / 2, cap].
    first = delays(7)
    for delay, cap in zip(first, [1, 2, 4, 5, 5]):
        assert cap / 2 <= delay <= cap
    assert delays(7) == first and delays(8) != first  # the jitter follows the run's seed
    # Retry-After: 3 s outweighs the first delays (<= 1, <= 2 s), not the later ones...
    assert delays(7, retry_after=3.0)[:2] == [3.0, 3.0]
    assert delays(7, retry_after=3.0)[2:] == [max(3.0, d) for d in first[2:]]
    # ...and a server asking for 100 s gets backoff_max.
    assert delays(7, retry_after=100.0) == [5.0] * 5


@pytest.mark.parametrize(("kind", "message"), [
    ("500", "HTTP 500"),
    ("empty", "empty content"),
    ("invalid_json", "invalid JSON"),
])
def test_a_persistent_failure_is_recorded_on_its_item_only(server, kind, message):
    server.inject("السطر 1.", kind)
    summarizer = make(server, max_retries=2)
    predictions = summarizer.summarize(examples(3))
    summarizer.close()
    assert predictions[1].text == ""
    assert message in predictions[1].error and "after 3 attempts" in predictions[1].error
    assert server.count("السطر 1.") == 3  # 1 try + max_retries=2
    assert [p.text for p in (predictions[0], predictions[2])] == ["السطر 0.", "السطر 2."]
    assert predictions[0].error is None and predictions[2].error is None


def test_a_per_request_timeout_is_retried_then_recorded(server):
    server.inject("السطر 0.", "slow", delay=1.0)
    summarizer = make(server, timeout=0.3, max_retries=1)
    predictions = summarizer.summarize(examples(2))
    summarizer.close()
    assert predictions[0].error == "timed out after 0.3s (after 2 attempts)"
    assert predictions[1].text == "السطر 1."


def test_a_trickling_answer_hits_the_whole_request_deadline(server):
    # The answer comes in ten pieces 0.2 s apart: each socket read waits 0.2 s, under
    # the SDK's 0.6 s read timeout, but the whole answer takes 2 s, over the deadline.
    server.inject("السطر 0.", "trickle", delay=2.0)
    summarizer = make(server, timeout=0.6, max_retries=0)
    predictions = summarizer.summarize(examples(2))
    summarizer.close()
    assert predictions[0].error == "timed out after 0.6s (after 1 attempts)"
    assert predictions[1].text == "السطر 1."


def test_rate_limited_server_is_eventually_served(server):
    server.max_concurrent = 2  # a third request in flight gets 429 + Retry-After: 0
    server.latency = 0.05
    # backoff_max caps every delay at 50 ms, so even an item refused 20 times waits < 1 s.
    summarizer = make(server, concurrency=6, max_retries=20, backoff_max=0.05)
    predictions = summarizer.summarize(examples(12))
    summarizer.close()
    assert all(p.error is None for p in predictions)
    assert server.statuses[429] > 0 and server.statuses[200] == 12


def test_stream_yields_in_completion_order_and_survives_successive_calls(server):
    # Item 0 is held by the server until the other three have been yielded, so it can
    # only come last if stream() yields in completion order (not submission order).
    release = server.hold("السطر 0.")
    summarizer = make(server, concurrency=4)
    order = []
    for index, _ in summarizer.stream(examples(4)):
        order.append(index)
        if len(order) == 3:
            release.set()
    assert sorted(order[:3]) == [1, 2, 3] and order[3] == 0
    again = by_index(summarizer.stream(examples(3, tag="ثان")))
    assert sorted(again) == [0, 1, 2] and all(p.error is None for p in again.values())
    summarizer.close()


def test_stopping_a_stream_early_cancels_pending_requests(server):
    server.latency = 0.05
    summarizer = make(server, concurrency=1)
    for _ in summarizer.stream(examples(10, tag="قديم")):
        break
    # The semaphore serves waiters in arrival order: had the eight old requests still
    # waiting not been cancelled, they would all be sent before the two new ones.
    after = summarizer.summarize(examples(2, tag="جديد"))
    assert [p.text for p in after] == ["السطر 0.", "السطر 1."]  # still usable
    # Without cancellation all ten old requests would precede the new ones (FIFO);
    # how many slipped out between the break and the close depends on timing.
    sent = server.count("قديم")
    assert sent < 10
    time.sleep(0.3)
    assert server.count("قديم") == sent  # and none trickles out later
    assert server.count("جديد") == 2
    summarizer.close()


def test_close_cancels_a_stream_left_suspended(server, caplog):
    # A caller whose loop body raises leaves the generator suspended; close() must
    # cancel its requests, and the generator's late clean-up must not touch the
    # closed loop (no "exception calling callback" logged by concurrent.futures).
    server.latency = 0.05
    summarizer = make(server, concurrency=1)
    stream = summarizer.stream(examples(6, tag="معلق"))
    next(stream)
    summarizer.close()
    stream.close()
    assert not summarizer.client.running
    assert not [r for r in caplog.records if r.levelname == "ERROR"], caplog.text
    assert server.count("معلق") <= 2


def test_usage_counts_come_back_per_item(server, short_prompt):
    server.reply = lambda user: "- نقطة واحدة"
    summarizer = make(server, prompt=short_prompt)
    articles = [Example(id=str(i), article="أ ب ج", bullets=("-",)) for i in range(3)]
    predictions = summarizer.summarize(articles)
    summarizer.close()
    # The server counts words: "لخص: أ ب ج" is 4, "- نقطة واحدة" is 3.
    assert [p.usage for p in predictions] == [{"prompt_tokens": 4, "completion_tokens": 3}] * 3
    assert sum(p.usage["prompt_tokens"] for p in predictions) == 12
    assert [p.text for p in predictions] == ["نقطة واحدة"] * 3


def test_think_and_preamble_are_cleaned_and_raw_is_kept(server):
    summarizer = make(server)
    [prediction] = summarizer.summarize(examples(1))
    summarizer.close()
    assert prediction.text == "السطر 0."
    assert prediction.raw == "<think>أقرأ المقال.</think>\nإليك ملخصاً للمقال:\n- السطر 0."
    assert prediction.latency_s is not None and prediction.latency_s >= 0


def test_request_carries_model_prompt_seed_and_generation_options(server):
    summarizer = make(server, temperature=0.2, max_tokens=99, top_p=0.9)
    summarizer.summarize(examples(1))
    summarizer.close()
    [body] = server.requests
    assert (body["model"], body["seed"], body["temperature"], body["max_tokens"],
            body["top_p"]) == ("fake-model", 7, 0.2, 99, 0.9)
    system, user = body["messages"]
    assert system["role"] == "system" and user["content"].startswith("لخّص المقال")
    assert user["content"].endswith("مقال 0 عن الاقتصاد.\nالسطر 0.")


def test_missing_key_fails_at_construction_naming_the_variable(server, monkeypatch):
    monkeypatch.delenv("BENCH_TEST_KEY", raising=False)
    with pytest.raises(ConfigError, match="BENCH_TEST_KEY.*not set"):
        make(server, api_key_env="BENCH_TEST_KEY")


def test_bench_run_with_a_missing_key_stops_before_the_run(server, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from benchmark.cli.app import app

    monkeypatch.delenv("BENCH_TEST_KEY", raising=False)
    dataset = tmp_path / "d.jsonl"
    dataset.write_text('{"id": "a", "article": "أ ب", "summary": "أ"}\n', encoding="utf-8")
    out = tmp_path / "results"
    result = CliRunner().invoke(app, [
        "run", "--model", "openai:fake-model", "--dataset", str(dataset), "--output-dir",
        str(out), "--base-url", server.url, "--api-key-env", "BENCH_TEST_KEY"])
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()  # one line, no traceback
    assert line.startswith("error: openai:fake-model: the environment variable "
                           "BENCH_TEST_KEY holding the API key")
    assert "--api-key-env" in line  # the way out
    assert server.requests == [] and not out.exists()  # nothing sent, no run started


def test_key_is_sent_and_a_rejected_key_stops_the_run(server, monkeypatch):
    server.api_key = "s3cret-right"
    monkeypatch.setenv("BENCH_TEST_KEY", "s3cret-right")
    summarizer = make(server, api_key_env="BENCH_TEST_KEY")
    assert summarizer.summarize(examples(1))[0].error is None
    assert "s3cret" not in repr(summarizer.describe()) + summarizer.signature().format()
    summarizer.close()
    monkeypatch.setenv("BENCH_TEST_KEY", "s3cret-wrong")
    summarizer = make(server, api_key_env="BENCH_TEST_KEY")
    with pytest.raises(SummarizerError, match="rejected the key from BENCH_TEST_KEY") as info:
        summarizer.summarize(examples(2))
    assert "s3cret" not in str(info.value)
    summarizer.close()


def test_a_key_echoed_by_the_server_is_scrubbed_from_item_errors(server, monkeypatch):
    # A long key (JWT-style) straddles the 200-character cut of error texts: scrubbing
    # after the cut would miss the partial key that remains.
    key = "s3cret-" + "k" * 300
    monkeypatch.setenv("BENCH_TEST_KEY", key)
    server.inject("السطر 0.", "echo_500")
    summarizer = make(server, api_key_env="BENCH_TEST_KEY", max_retries=0)
    [prediction] = summarizer.summarize(examples(1))
    summarizer.close()
    # The server's message was "upstream refused headers: Bearer <the key>".
    assert "s3cret" not in prediction.error and "kkkk" not in prediction.error
    assert "Bearer <api key>" in prediction.error and "HTTP 500" in prediction.error


def test_signature_ignores_transport_settings_but_not_server_or_prompt(server, short_prompt):
    base = make(server).signature()
    assert make(server, concurrency=32, timeout=5, max_retries=0).signature() == base
    assert make(server, prompt=short_prompt).signature() != base
    assert make(server, temperature=0.7).signature() != base
    other = OpenAISummarizer("openai:fake-model", {"base_url": "http://127.0.0.1:9/v1",
                                                   "api_key_env": "none"}, seed=7)
    assert other.signature() != base and other.signature().get("url") == "http://127.0.0.1:9/v1"


def test_cli_style_string_options_are_coerced_and_unknown_ones_rejected(server):
    summarizer = make(server, concurrency="16", temperature="0.5", send_seed="false")
    assert (summarizer.options.concurrency, summarizer.options.temperature,
            summarizer.batch_size) == (16, 0.5, 64)
    with pytest.raises(ConfigError, match="unknown option 'max_new_tokens'"):
        make(server, max_new_tokens=10)


ENDPOINTS_YAML = """
default: hosted
endpoints:
  hosted: {base_url: "https://api.example.com/v1", api_key_env: EXAMPLE_KEY}
  local: {base_url: "http://localhost:8000/v1/", api_key_env: none, models: [qwen-local]}
"""


@pytest.mark.parametrize(("model", "options", "expected"), [
    # Listed under "local": its URL (trailing slash dropped) and no key.
    ("qwen-local", {}, ("local", "http://localhost:8000/v1", None)),
    # Not listed anywhere: the default endpoint.
    ("gpt-x", {}, ("hosted", "https://api.example.com/v1", "EXAMPLE_KEY")),
    # Named explicitly: wins over the model listing.
    ("qwen-local", {"endpoint": "hosted"}, ("hosted", "https://api.example.com/v1",
                                            "EXAMPLE_KEY")),
    # --base-url replaces the default fallback, key included (a local server).
    ("gpt-x", {"base_url": "http://h:1/v1"}, ("custom", "http://h:1/v1", None)),
    # --base-url plus --api-key-env.
    ("gpt-x", {"base_url": "http://h:1/v1", "api_key_env": "MY_KEY"},
     ("custom", "http://h:1/v1", "MY_KEY")),
    # --api-key-env none on a listed endpoint that wanted a key.
    ("gpt-x", {"api_key_env": "none"}, ("hosted", "https://api.example.com/v1", None)),
])
def test_endpoint_resolution(tmp_path, model, options, expected):
    path = tmp_path / "endpoints.yaml"
    path.write_text(ENDPOINTS_YAML, encoding="utf-8")
    endpoint = resolve_endpoint(model, config=load_endpoints(path), **options)
    assert (endpoint.name, endpoint.base_url, endpoint.api_key_env) == expected


def test_endpoints_file_errors_name_the_file_and_the_fix(tmp_path):
    path = tmp_path / "endpoints.yaml"
    path.write_text("endpoints:\n  x: {base_url: 'http://h/v1'}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"endpoints.yaml: endpoint 'x': api_key_env: "
                       "Field required"):
        load_endpoints(path)
    with pytest.raises(ConfigError, match="unknown endpoint 'nope'"):
        resolve_endpoint("m", endpoint="nope", config=EndpointConfig())
    # Without any file: OpenAI's URL and OPENAI_API_KEY.
    default = resolve_endpoint("m", config=EndpointConfig())
    assert (default.base_url, default.api_key_env) == ("https://api.openai.com/v1",
                                                        "OPENAI_API_KEY")


def test_the_registry_builds_it_from_the_prefix(server):
    summarizer = create_summarizer("openai:fake-model", {"base_url": server.url,
                                                         "api_key_env": "none"})
    assert isinstance(summarizer, OpenAISummarizer) and summarizer.model == "fake-model"
    summarizer.close()


def test_bench_run_end_to_end_counts_failures_and_usage(server, short_prompt, tmp_path):
    """``bench run`` with the flags the issue names, against the fake server."""
    import json

    from typer.testing import CliRunner

    from benchmark.cli.app import app

    server.reply = lambda user: "- نقطة"
    server.inject("معطوب", "500")
    dataset = tmp_path / "d.jsonl"
    rows = [("a", "أ ب"), ("b", "ج معطوب"), ("c", "د ه")]
    dataset.write_text("".join(json.dumps({"id": i, "article": a, "summary": "نقطة"},
                                          ensure_ascii=False) + "\n" for i, a in rows),
                       encoding="utf-8")
    out = tmp_path / "results"
    command = ["run", "--model", "openai:fake-model", "--dataset", str(dataset),
               "--output-dir", str(out), "--base-url", server.url, "--api-key-env", "none",
               "--concurrency", "2", "-o", f"prompt={short_prompt}", "-o", "backoff=0.01",
               "-o", "max_retries=1"]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 3, result.output  # 1 failure > --max-failures 0
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["failures"]["count"] == 1
    assert record["failures"]["first"][0]["id"] == "b"
    assert "HTTP 500" in record["failures"]["first"][0]["error"]
    # Two good items: "لخص: أ ب" is 3 words and "- نقطة" 2, each.
    assert record["usage"] == {"prompt_tokens": 6, "completion_tokens": 4}
    assert server.count("معطوب") == 2  # 1 try + max_retries=1
    # The server heals; the same command retries only the failed item.
    server.reset_counters()
    server.clear_injections()
    again = CliRunner().invoke(app, command)
    assert again.exit_code == 0, again.output
    assert len(server.requests) == 1 and server.count("معطوب") == 1
