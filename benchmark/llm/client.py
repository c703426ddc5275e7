"""A client for OpenAI-compatible chat servers (OpenAI, vLLM, TGI, Ollama, llama.cpp)
through the official ``openai`` SDK (DESIGN §8, §11), built from parts:

- the endpoint (`benchmark.llm.endpoints`): base URLs and the *name* of the variable
  holding the key; the key lives only in this object, never in options, signatures or
  errors (an error text is scrubbed of it and of URL credentials);
- replicas (`benchmark.llm.replicas`): each request goes to the least-loaded replica,
  at most ``concurrency`` in flight on each; health is counted per replica;
- retries (`benchmark.llm.retry.RetryPolicy`): our own loop, the SDK's retries off;
  each request also has a deadline for the whole request, since the SDK's timeout bounds
  each socket read and a server that trickles its answer never trips it;
- stops (`benchmark.llm.health`): a rejected key, a failed health check before the
  first item, no replica left, or a streak of items failing with the same HTTP error
  raise `EndpointError`; any other failure belongs to its item (`Answer.error`);
- usage (`benchmark.llm.usage`): tokens summed over the answers.

Requests run on an asyncio loop in a background thread (`benchmark.llm.loop`);
`stream` yields each answer as it finishes, so its caller can store it at once.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterator, Mapping, Sequence, TypeVar
from urllib.parse import parse_qsl

from benchmark.errors import ConfigError, EndpointError, SummarizerError
from benchmark.llm.endpoints import read_api_key, resolve_endpoint
from benchmark.llm.health import SERVER_HINT, FailureStreak, no_replica_left
from benchmark.llm.loop import LoopThread
from benchmark.llm.options import ClientOptions
from benchmark.llm.replicas import Replica, ReplicaPicker
from benchmark.llm.retry import ItemFailure, KeyRejected, Retryable, RetryPolicy, classify
from benchmark.llm.usage import Usage, token_counts
from benchmark.textshow import preview
from benchmark.urls import redact_url, scrub, url_secrets

T = TypeVar("T")
# From an answer's text and its choice (for log-probabilities) to the caller's value;
# raises `Retryable` (ask again) or `ItemFailure` (give up on this item).
Read = Callable[[str, Any], T]
HEALTH_TIMEOUT_S = 10.0
_ERROR_TEXT_LIMIT = 200
_KEY_SHOWN = "<api key>"


@dataclass
class Answer(Generic[T]):
    value: T | None = None  # what `read` made of the answer; None when it failed
    raw: str | None = None  # the answer's text as the server sent it
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float | None = None  # from the first attempt to the answer, retries included
    error: str | None = None  # this request failed; value is then None
    status: int | None = None  # the HTTP status of the failure, when there was one


class LLMClient:
    """Chat requests for `model` with `options` (see the module docstring). `owner`
    (e.g. ``openai:qwen``) starts every message about the endpoint as a whole."""

    def __init__(self, model: str, options: ClientOptions, *, owner: str, seed: int = 0,
                 environ: Mapping[str, str] | None = None):
        import importlib.util

        if importlib.util.find_spec("openai") is None:  # an extra, not a core dependency
            raise ConfigError(f"{owner}: the openai package is not installed",
                              hint="pip install 'arsum-bench[openai]'")
        self.model = model
        self.owner = owner
        self.options = options
        self.seed = seed
        self.endpoint = resolve_endpoint(model, endpoint=options.endpoint,
                                         base_url=options.base_url,
                                         api_key_env=options.api_key_env)
        self.__key = read_api_key(self.endpoint, owner=owner, environ=environ)
        self.url = redact_url(self.endpoint.base_url)  # the one signatures name
        self.urls = [redact_url(url) for url in self.endpoint.base_urls]
        self.__secrets = tuple(secret for url in self.endpoint.base_urls
                               for secret in url_secrets(url))
        self.retry = RetryPolicy(options.max_retries, options.backoff, options.backoff_max,
                                 seed=seed)  # jitter drawn on the loop thread only
        self.usage = Usage()
        self.streak = FailureStreak(options.max_consecutive_failures)
        self.replicas: ReplicaPicker | None = None
        self._runner: LoopThread | None = None
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        """Whether the loop thread is up (until `close`)."""
        return self._runner is not None

    @property
    def batch_size(self) -> int:
        """Large enough that a batch keeps every concurrency slot busy."""
        return max(self.options.concurrency * len(self.endpoint.base_urls) * 4, 32)

    def request(self, messages: list[dict[str, str]], **extra: Any) -> dict[str, Any]:
        """The body of one chat request: the model, `messages`, the sampling options,
        the seed when sent, `extra` fields (e.g. ``logprobs``) and ``extra_body``."""
        opts = self.options
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                "max_tokens": opts.max_tokens,
                                "temperature": opts.temperature, "timeout": opts.timeout}
        if opts.top_p is not None:
            body["top_p"] = opts.top_p
        if opts.send_seed:
            body["seed"] = self.seed
        body.update(extra)
        if opts.extra_body:
            body["extra_body"] = dict(opts.extra_body)
        return body

    def stream(self, bodies: Sequence[dict[str, Any]],
               read: Read[T]) -> Iterator[tuple[int, Answer[T]]]:
        """Send every body; yield ``(index, answer)`` in completion order.

        An `EndpointError` (the server failed as a whole) is raised here, in the
        caller's thread. Stopping early (the caller raised, or hit its own limit)
        cancels the requests still pending; the client stays usable."""
        runner = self._start()
        done: queue.Queue = queue.Queue()
        futures = []
        for index, body in enumerate(bodies):
            future = runner.submit(self._guarded(body, read))
            future.add_done_callback(lambda f, i=index: done.put((i, f)))
            futures.append(future)
        try:
            for _ in futures:
                index, future = done.get()
                outcome = future.result()
                if isinstance(outcome, BaseException):
                    raise outcome
                yield index, outcome
        finally:
            for future in futures:
                future.cancel()

    def check(self) -> None:
        """``GET /models`` with a short deadline: an unreachable server or a rejected
        key stops the run before the first item. A server without that route (404,
        405) or any other answer passes: it is up. One replica up is enough."""
        if self.options.health_check:
            outcome = self._start().submit(self._guarded_health()).result()
            if isinstance(outcome, BaseException):
                raise outcome

    def close(self) -> None:
        """Cancel what is pending, close the connections, stop the loop thread."""
        with self._lock:
            runner, self._runner = self._runner, None
        if runner is not None:
            runner.stop(before=self._close_connections)
            self.replicas = None

    # -- on the loop thread ------------------------------------------------------------
    async def _guarded(self, body: dict[str, Any], read: Read[T]) -> Answer[T] | BaseException:
        """One request; an error that stops the run is returned, not raised, so that no
        task ends with an exception nobody retrieves (its caller may be gone)."""
        try:
            return await self._ask(body, read)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return exc

    async def _guarded_health(self) -> None | BaseException:
        try:
            await self._health()
            return None
        except Exception as exc:
            return exc

    async def _ask(self, body: dict[str, Any], read: Read[T]) -> Answer[T]:
        began = time.perf_counter()
        answer = await self._attempts(body, read)
        answer.latency_s = time.perf_counter() - began
        self.usage.add(answer.usage)
        if self.streak.record(answer.error, answer.status):
            raise self.streak.stop(self.owner)
        return answer

    async def _attempts(self, body: dict[str, Any], read: Read[T]) -> Answer[T]:
        """Attempts with backoff; a failure that outlasts them becomes `Answer.error`."""
        attempts = self.retry.attempts
        failed_on: Replica | None = None
        for attempt in range(attempts):
            try:
                # A replica slot is held during the request, not the backoff.
                async with self.replicas.use(avoid=failed_on) as replica:
                    # Requests queued for a slot when the streak tripped are not sent:
                    # the caller cancels them only once it has seen the stop.
                    if self.streak.tripped:
                        raise self.streak.stop(self.owner)
                    failed_on = replica
                    response = await self._create(replica, body)
                return self._answer(response, read)
            except (Retryable, ItemFailure) as exc:
                failure = exc
            except EndpointError:  # the run stops (the streak above)
                raise
            except Exception as exc:  # the SDK's errors
                failure = self._classify(exc)
            if isinstance(failure, Retryable) and failure.connection and \
                    self.replicas.all_out():
                raise no_replica_left(self.owner, self.urls,
                                      [r.refusals for r in self.replicas.replicas],
                                      str(failure))
            if isinstance(failure, ItemFailure):
                return Answer(error=str(failure), status=failure.status)
            if attempt + 1 < attempts:
                await asyncio.sleep(self.retry.delay(attempt, failure.retry_after))
        return Answer(error=f"{failure} (after {attempts} attempts)", status=failure.status)

    async def _create(self, replica: Replica, body: dict[str, Any]) -> Any:
        """One request to `replica`; a refused connection counts against it alone."""
        import openai

        try:
            async with asyncio.timeout(self.options.timeout):
                response = await replica.client.chat.completions.create(**body)
        except openai.APITimeoutError:
            raise
        except openai.APIConnectionError as exc:
            self.replicas.refused(replica)
            if len(self.replicas.replicas) == 1:
                raise
            raise Retryable(f"connection error at {redact_url(replica.url)}: "
                            f"{self._describe(exc)}", connection=True) from None
        except openai.APIStatusError:
            self.replicas.answered(replica)
            raise
        self.replicas.answered(replica)
        return response

    def _answer(self, response: Any, read: Read[T]) -> Answer[T]:
        if not getattr(response, "choices", None):
            raise Retryable("the server returned no choices")
        choice = response.choices[0]
        content = choice.message.content if choice.message else None
        limit = self.options.max_response_chars
        if content and len(content) > limit:
            raise ItemFailure(f"the answer has {len(content):,} characters, more than "
                              f"max_response_chars {limit:,}")
        if not content or not content.strip():
            raise Retryable(f"the server returned empty content "
                            f"(finish_reason={choice.finish_reason})")
        return Answer(value=read(content, choice), raw=content,
                      usage=token_counts(getattr(response, "usage", None)))

    def _classify(self, exc: BaseException) -> Retryable | ItemFailure:
        try:
            return classify(exc, timeout=self.options.timeout, describe=self._describe)
        except KeyRejected as rejected:
            key_env = self.endpoint.api_key_env
            key = f"the key from {key_env}" if key_env else "no API key (api_key_env: none)"
            raise EndpointError(
                f"{self.owner}: {self.url} rejected {key} with HTTP {rejected.status}",
                hint="check the key, or name another variable holding it with "
                     "{api_key_env} VAR") from None

    def _describe(self, exc: BaseException) -> str:
        """`exc` on one short line, without the API key (a server or proxy may echo it)
        or URL credentials: scrubbed before shortening, so no cut can leave part of a
        secret behind."""
        text = str(exc)
        if self.__key:
            text = text.replace(self.__key, _KEY_SHOWN)
        return preview(scrub(text, self.__secrets), _ERROR_TEXT_LIMIT)

    async def _health(self) -> None:
        import openai

        deadline = min(HEALTH_TIMEOUT_S, self.options.timeout)
        failures = []
        for replica in self.replicas.replicas:
            try:
                async with asyncio.timeout(deadline):
                    await replica.client.models.list(timeout=deadline)
                return
            except (TimeoutError, openai.APITimeoutError):
                failures.append(f"no answer within {deadline:g}s")
            except Exception as exc:
                verdict = self._classify(exc)  # a rejected key raises EndpointError here
                if not (isinstance(verdict, Retryable) and verdict.connection):
                    return  # the server answered, if not on this route: it is up
                failures.append(str(verdict))
        if len(failures) == 1:
            message = f"{self.url} failed a health check before the first item ({failures[0]})"
        else:
            message = "every replica failed a health check before the first item: " + \
                "; ".join(f"{url} ({failure})" for url, failure in zip(self.urls, failures))
        raise EndpointError(f"{self.owner}: {message}", hint=SERVER_HINT)

    # -- start and stop ---------------------------------------------------------------
    def _start(self) -> LoopThread:
        with self._lock:
            if self._runner is None:
                runner = LoopThread(f"llm:{self.model}")
                try:
                    runner.submit(self._open()).result()
                except BaseException:
                    runner.stop()  # no thread left behind by a client that cannot start
                    raise
                self._runner = runner
            return self._runner

    async def _open(self) -> None:
        from openai import AsyncOpenAI

        # Servers without keys still need a non-empty string in the SDK. A query in a
        # base URL (``?api-version=``, a proxy's ``?key=``) goes with every request: the
        # SDK would paste the route after it.
        clients = []
        for url in self.endpoint.base_urls:
            base, _, query = url.partition("?")
            clients.append((url, AsyncOpenAI(
                api_key=self.__key or "no-key", base_url=base, max_retries=0,
                timeout=self.options.timeout,
                default_query=dict(parse_qsl(query, keep_blank_values=True)) or None)))
        self.replicas = ReplicaPicker(clients, limit=self.options.concurrency,
                                      breaker=self.options.breaker)
        if len(clients) > 1:
            await self._check_replicas()

    async def _check_replicas(self) -> None:
        """Replicas must serve the same model: one that lists its models without ours is
        a configuration error. One that does not answer is left to the picker."""
        async def served(replica: Replica) -> list[str] | None:
            try:
                async with asyncio.timeout(min(self.options.timeout, HEALTH_TIMEOUT_S)):
                    listing = await replica.client.models.list()
                return [model.id for model in listing.data]
            except Exception:  # unreachable, or no /models route: nothing to check
                return None

        replicas = self.replicas.replicas
        for replica, models in zip(replicas, await asyncio.gather(*map(served, replicas))):
            if models is not None and self.model not in models:
                listed = ", ".join(models) or "no model"
                raise SummarizerError(
                    f"{self.owner}: replica {redact_url(replica.url)} serves {listed}, not "
                    f"{self.model}; every base URL of endpoint {self.endpoint.name!r} must "
                    "serve the same model")

    async def _close_connections(self) -> None:
        if self.replicas is not None:
            for replica in self.replicas.replicas:
                await replica.client.close()
