"""``openai:<model>``: any OpenAI-compatible chat server (OpenAI, vLLM, TGI, Ollama,
llama.cpp) through the official ``openai`` SDK (DESIGN §8, §11).

Requests run on an asyncio loop in a background thread, at most ``concurrency`` at a
time per replica. `stream` yields each prediction as its request finishes, so the
harness caches it at once. Each request has its own ``timeout``: a deadline for the
whole request, since the SDK's timeout bounds each socket read and a server that
trickles its answer a few bytes at a time never trips it. 408/409/429, 5xx, timeouts,
connection errors, empty content and invalid JSON bodies are retried ``max_retries``
times with exponential backoff and seeded jitter (our own loop: the SDK's retries are
off, so the policy is visible and tested). An item that still fails becomes
``Prediction(text="", error=...)``. Failures that would fail every item stop the run
with an `EndpointError` instead: a rejected API key, a server that does not answer the
health check before the first item (``GET /models``; a 404 there is fine), and
``breaker`` connection failures in a row across all requests (a circuit breaker: an
unreachable server fails in seconds, not after retrying every article).

The endpoint (base URL, the *name* of the key's environment variable) comes from
``configs/endpoints.yaml`` or the options ``endpoint``, ``base_url`` and
``api_key_env`` (see `benchmark.summarizers.endpoints`). A missing key fails at
construction. The key lives only in the client: never in options, signatures or errors
(an item's error text is scrubbed of it, in case a server echoes it back). Credentials
written into the URL (``http://user:secret@host``) are kept out the same way: the run
record, the signature and messages show the URL without them.

An endpoint may have several base URLs, replicas of one server (``base_urls`` in the
file, or a list of ``base_url``; ``--base-url`` repeated): each request goes to the
least-loaded replica, ``concurrency`` applies per replica, a retry goes to another
replica and one that refuses connections is set aside (`benchmark.summarizers.replicas`).
The signature names the first URL only: which replica answered changes no prediction.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import queue
import random
import threading
import time
from typing import Any, ClassVar, Iterator, Sequence
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field

from benchmark.data.example import Example
from benchmark.errors import EndpointError, SummarizerError
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.summarizers.cleaning import clean_summary
from benchmark.summarizers.endpoints import read_api_key, resolve_endpoint
from benchmark.summarizers.prompts import DEFAULT_PROMPT, load_prompt
from benchmark.summarizers.replicas import Replica, ReplicaPicker

RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx
_ERROR_TEXT_LIMIT = 200
_REDACTED = "<api key>"
HEALTH_TIMEOUT_S = 10.0


class OpenAIOptions(Options):
    endpoint: str | None = Field(None, description="a name from configs/endpoints.yaml")
    base_url: str | list[str] | None = Field(
        None, description="server URL, e.g. http://localhost:8000/v1; a list for replicas")
    api_key_env: str | None = Field(
        None, description="name of the variable holding the key; 'none' for no key")
    concurrency: int = Field(8, ge=1, le=1024,
                             description="requests in flight at most, per replica")
    timeout: float = Field(120.0, gt=0, description="seconds per request")
    max_retries: int = Field(5, ge=0, le=50)
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds; doubles")
    backoff_max: float = Field(60.0, ge=0, description="cap of one retry delay, seconds")
    breaker: int = Field(8, ge=1, description="connection failures in a row (across all "
                         "requests) that stop the run")
    health_check: bool = Field(True, description="check the server before the first item")
    max_tokens: int = Field(1024, ge=1, description="completion tokens at most")
    temperature: float = Field(0.0, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    send_seed: bool = Field(True, description="send the run's seed with each request")
    prompt: str = Field(DEFAULT_PROMPT, description="template name in configs/prompts or path")
    clean: bool = Field(True, description="strip <think>, preambles and list markup")
    max_response_chars: int = Field(100_000, ge=1, description="a longer answer fails its "
                                    "item (a runaway generation)")
    extra_body: dict[str, Any] | None = Field(
        None, description="extra JSON fields for the server (e.g. vLLM chat_template_kwargs)")


# Options that change how predictions are obtained, not what they are.
OPERATIONAL = ("endpoint", "base_url", "api_key_env", "concurrency", "timeout",
               "max_retries", "backoff", "backoff_max", "breaker", "health_check",
               "max_response_chars")


class _Retry(Exception):
    """A failed attempt worth repeating (after `retry_after` seconds at least)."""

    def __init__(self, message: str, retry_after: float | None = None, *,
                 connection: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.connection = connection  # the server could not be reached at all


class _ItemFailure(Exception):
    """A failed attempt that a retry would not fix."""


class _LoopThread:
    """An asyncio loop in a daemon thread, shared by successive `stream` calls."""

    def __init__(self, name: str):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name=name)
        self.thread.start()

    def submit(self, coroutine: Any) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        if not self.thread.is_alive():
            self.loop.close()


class OpenAISummarizer(Summarizer):
    """A chat model behind an OpenAI-compatible ``/v1/chat/completions``."""

    backend: ClassVar[str] = "openai"
    Options: ClassVar[type[Options]] = OpenAIOptions
    operational = OPERATIONAL

    def __init__(self, name: str, options: dict[str, Any] | None = None, *, seed: int = 0):
        super().__init__(name, options, seed=seed)
        if importlib.util.find_spec("openai") is None:
            raise SummarizerError(f"{name}: the openai package is not installed",
                                  hint="pip install 'arsum-bench[openai]'")
        self.model = name.split(":", 1)[1] if name.startswith("openai:") else name
        opts = self.options
        self.endpoint = resolve_endpoint(self.model, endpoint=opts.endpoint,
                                         base_url=opts.base_url, api_key_env=opts.api_key_env)
        self.__api_key = read_api_key(self.endpoint, owner=name)
        self.url = public_url(self.endpoint.base_url)
        self.__url_secret = urlsplit(self.endpoint.base_url).password
        self._connection_failures = 0  # in a row, across requests; on the loop thread
        self.template = load_prompt(opts.prompt)
        self._rng = random.Random(seed)  # retry jitter; used on the loop thread only
        self._runner: _LoopThread | None = None
        self._replicas: ReplicaPicker | None = None
        self._lock = threading.Lock()

    # -- Summarizer --------------------------------------------------------------------
    @property
    def batch_size(self) -> int:
        """Large enough that a batch keeps every concurrency slot busy."""
        return max(self.options.concurrency * len(self.endpoint.base_urls) * 4, 32)

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        predictions: list[Prediction | None] = [None] * len(examples)
        for index, prediction in self.stream(examples):
            predictions[index] = prediction
        return [p for p in predictions if p is not None]

    def stream(self, examples: Sequence[Example]) -> Iterator[tuple[int, Prediction]]:
        """Yield ``(index, prediction)`` in completion order.

        Stopping early (the harness hit ``--max-failures``, Ctrl-C) cancels the
        requests still pending; the loop and the client stay usable for the next call.
        """
        runner = self._start()
        done: queue.Queue = queue.Queue()
        futures = []
        for index, example in enumerate(examples):
            future = runner.submit(self._summarize_one(example))
            future.add_done_callback(lambda f, i=index: done.put((i, f)))
            futures.append(future)
        try:
            for _ in futures:
                index, future = done.get()
                yield index, future.result()
        finally:
            for future in futures:
                future.cancel()

    def signature_extra(self) -> dict[str, str]:
        return {"url": self.url, "prompt": self.template.signature()}

    def describe(self) -> dict[str, Any]:
        described = super().describe()
        base_url = self.options.base_url
        if isinstance(base_url, (list, tuple)):  # replicas
            described["options"]["base_url"] = [public_url(url) for url in base_url]
        else:
            described["options"]["base_url"] = public_url(base_url) if base_url else None
        described.update(endpoint=self.endpoint.name, base_url=self.url,
                         api_key_env=self.endpoint.api_key_env,
                         prompt=self.template.signature())
        if len(self.endpoint.base_urls) > 1:
            described["replicas"] = [public_url(url) for url in self.endpoint.base_urls]
        return described

    def check(self) -> None:
        """``GET /models`` with a short deadline: an unreachable server or a rejected key
        stops the run before the first item. A server without that route (404, 405) or
        any other answer passes: it is up."""
        if self.options.health_check:
            self._start().submit(self._health()).result()

    async def _health(self) -> None:
        import openai

        deadline = min(HEALTH_TIMEOUT_S, self.options.timeout)
        failure = ""
        for replica in self._replicas.replicas:  # one replica up is enough to start
            try:
                await asyncio.wait_for(replica.client.models.list(timeout=deadline), deadline)
                return
            except (TimeoutError, asyncio.TimeoutError, openai.APITimeoutError):
                failure = f"no answer within {deadline:g}s"
            except Exception as exc:
                verdict = self._classify(exc)  # a rejected key raises EndpointError here
                if not (isinstance(verdict, _Retry) and verdict.connection):
                    return  # the server answered, if not on this route: it is up
                failure = str(verdict)
        raise EndpointError(f"{self.name}: {self.url} failed a health check before the "
                            f"first item ({failure})",
                            hint="check that the server is running at that URL")

    def close(self) -> None:
        with self._lock:
            runner, self._runner = self._runner, None
        if runner is None:
            return
        try:
            runner.submit(self._shutdown()).result(timeout=10)
        except Exception:  # closing a broken connection pool must not mask results
            pass
        runner.stop()
        self._replicas = None

    async def _shutdown(self) -> None:
        """Cancel requests a stream abandoned without finishing (an exception in the
        caller's loop body leaves the generator suspended), then close the client."""
        current = asyncio.current_task()
        tasks = [task for task in asyncio.all_tasks() if task is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._replicas is not None:
            for replica in self._replicas.replicas:
                await replica.client.close()

    # -- machinery ---------------------------------------------------------------------
    def _start(self) -> _LoopThread:
        with self._lock:
            if self._runner is None:
                runner = _LoopThread(f"openai:{self.model}")
                try:
                    runner.submit(self._open_client()).result()
                except BaseException:
                    runner.stop()  # no thread left behind by a client that cannot start
                    raise
                self._runner = runner
            return self._runner

    async def _open_client(self) -> None:
        from openai import AsyncOpenAI

        # Servers without keys still need a non-empty string in the SDK.
        clients = [(url, AsyncOpenAI(api_key=self.__api_key or "no-key", base_url=url,
                                     max_retries=0, timeout=self.options.timeout))
                   for url in self.endpoint.base_urls]
        self._replicas = ReplicaPicker(clients, limit=self.options.concurrency)
        if len(clients) > 1:
            await self._check_replicas()

    async def _check_replicas(self) -> None:
        """Replicas must serve the same model: one that lists its models without ours is
        a configuration error. One that does not answer is left to the picker."""
        async def served(replica: Replica) -> list[str] | None:
            try:
                listing = await asyncio.wait_for(replica.client.models.list(),
                                                 min(self.options.timeout, 10.0))
                return [model.id for model in listing.data]
            except Exception:  # unreachable, or no /models route: nothing to check
                return None

        replicas = self._replicas.replicas
        for replica, models in zip(replicas, await asyncio.gather(*map(served, replicas))):
            if models is not None and self.model not in models:
                listed = ", ".join(models) or "no model"
                raise SummarizerError(
                    f"{self.name}: replica {replica.url} serves {listed}, not {self.model}; "
                    f"every base URL of endpoint {self.endpoint.name!r} must serve the "
                    "same model")

    def _request(self, example: Example) -> dict[str, Any]:
        opts = self.options
        request: dict[str, Any] = {"model": self.model,
                                   "messages": self.template.messages(example.article),
                                   "max_tokens": opts.max_tokens,
                                   "temperature": opts.temperature,
                                   "timeout": opts.timeout}
        if opts.top_p is not None:
            request["top_p"] = opts.top_p
        if opts.send_seed:
            request["seed"] = self.seed
        if opts.extra_body:
            request["extra_body"] = dict(opts.extra_body)
        return request

    async def _summarize_one(self, example: Example) -> Prediction:
        """One item, timed from its first attempt to its answer (retries included)."""
        began = time.perf_counter()
        prediction = await self._attempts(example)
        prediction.latency_s = time.perf_counter() - began
        return prediction

    async def _attempts(self, example: Example) -> Prediction:
        """Attempts with backoff; failures become `Prediction.error`."""
        request = self._request(example)
        attempts = self.options.max_retries + 1
        failed_on: Replica | None = None
        for attempt in range(attempts):
            try:
                # A replica slot is held during the request, not the backoff.
                async with self._replicas.use(avoid=failed_on) as replica:
                    failed_on = replica
                    response = await self._create(replica, request)
                self._connection_failures = 0
                return self._prediction(response)
            except (_Retry, _ItemFailure) as exc:
                failure = exc
            except Exception as exc:  # the SDK's errors; a rejected key raises here
                failure = self._classify(exc)
            self._trip_breaker(failure)
            if isinstance(failure, _ItemFailure):
                return Prediction(text="", error=str(failure))
            if attempt + 1 < attempts:
                await asyncio.sleep(self._delay(attempt, failure.retry_after))
        return Prediction(text="", error=f"{failure} (after {attempts} attempts)")

    def _trip_breaker(self, failure: Exception) -> None:
        """Count connection failures in a row; at ``breaker`` of them, stop the run."""
        if not (isinstance(failure, _Retry) and failure.connection):
            self._connection_failures = 0
            return
        self._connection_failures += 1
        if self._connection_failures >= self.options.breaker:
            raise EndpointError(f"{self.name}: {self.url}: {self._connection_failures} "
                                f"connection failures in a row; last: {failure}",
                                hint="check that the server is running at that URL")

    async def _create(self, replica: Replica, request: dict[str, Any]) -> Any:
        """One request to `replica`; one that refuses the connection is set aside."""
        import openai

        try:
            response = await asyncio.wait_for(
                replica.client.chat.completions.create(**request), self.options.timeout)
        except openai.APITimeoutError:
            raise
        except openai.APIConnectionError as exc:
            self._replicas.refused(replica)
            if len(self._replicas.replicas) == 1:
                raise
            raise _Retry(f"connection error at {public_url(replica.url)}: {self._describe(exc)}",
                         connection=True) from None
        except openai.APIStatusError:
            self._replicas.answered(replica)
            raise
        self._replicas.answered(replica)
        return response

    def _describe(self, exc: Exception) -> str:
        """`exc` on one short line, without the API key (a server or proxy may echo it):
        redacted before shortening, so no cut can leave part of the key behind."""
        text = str(exc)
        key = self.__api_key
        if key:
            text = text.replace(key, _REDACTED)
        if self.__url_secret:
            text = text.replace(self.endpoint.base_url, self.url)
            text = text.replace(self.__url_secret, "<password>")
        return _short(text)

    def _prediction(self, response: Any) -> Prediction:
        if not getattr(response, "choices", None):
            raise _Retry("the server returned no choices")
        choice = response.choices[0]
        content = choice.message.content if choice.message else None
        if content and len(content) > self.options.max_response_chars:
            raise _ItemFailure(f"the answer has {len(content):,} characters, more than "
                               f"max_response_chars {self.options.max_response_chars:,}")
        if not content or not content.strip():
            raise _Retry(f"the server returned empty content "
                         f"(finish_reason={choice.finish_reason})")
        usage = {}
        if response.usage is not None:  # a server's odd count is dropped, not the answer
            counts = {name: _token_count(getattr(response.usage, name, None))
                      for name in ("prompt_tokens", "completion_tokens")}
            usage = {name: count for name, count in counts.items() if count is not None}
        text = clean_summary(content) if self.options.clean else content.strip()
        raw = content if content != text else None
        if not text:
            return Prediction(text="", raw=raw, usage=usage, error=(
                "nothing left after removing reasoning and preamble "
                f"(finish_reason={choice.finish_reason}; raise max_tokens?)"))
        return Prediction(text=text, raw=raw, usage=usage)

    def _classify(self, exc: Exception) -> _Retry | _ItemFailure:
        """Whether a failed attempt is worth repeating; fatal key errors raise."""
        import openai

        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            key = (f"the key from {self.endpoint.api_key_env}" if self.endpoint.api_key_env
                   else "no API key (api_key_env: none)")
            raise EndpointError(
                f"{self.name}: {self.url} rejected {key} with HTTP {exc.status_code}",
                hint="check the key, or name another variable holding it with "
                     "{api_key_env} VAR") from None
        if isinstance(exc, (openai.APITimeoutError, TimeoutError)):  # SDK's, or our deadline
            return _Retry(f"timed out after {self.options.timeout:g}s")
        if isinstance(exc, openai.APIConnectionError):
            return _Retry(f"connection error: {self._describe(exc)}", connection=True)
        if isinstance(exc, openai.APIStatusError):
            message = f"HTTP {exc.status_code}: {self._describe(exc)}"
            if exc.status_code in RETRY_STATUSES or exc.status_code >= 500:
                return _Retry(message, _retry_after(exc))
            return _ItemFailure(message)
        if isinstance(exc, ValueError):  # json.JSONDecodeError: a body that is not JSON
            return _Retry(f"invalid JSON in the response: {self._describe(exc)}")
        return _ItemFailure(f"{type(exc).__name__}: {self._describe(exc)}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with "equal jitter": half fixed, half seeded-random."""
        opts = self.options
        cap = min(opts.backoff_max, opts.backoff * 2 ** attempt)
        delay = cap / 2 + self._rng.uniform(0, cap / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, opts.backoff_max))
        return delay


def public_url(url: str) -> str:
    """`url` without a ``user:password@`` part (kept out of files and messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _token_count(value: Any) -> int | None:
    """A usage count as an int; None for what is not a whole, non-negative number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _ERROR_TEXT_LIMIT else text[:_ERROR_TEXT_LIMIT] + "..."


def _retry_after(exc: Any) -> float | None:
    """Seconds from a ``Retry-After`` header (numeric form only)."""
    try:
        value = exc.response.headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (AttributeError, TypeError, ValueError):
        return None
