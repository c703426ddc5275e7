"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests and benchmarks.

It speaks ``POST /v1/chat/completions`` and ``GET /v1/models`` over real sockets (a
`ThreadingHTTPServer` in a daemon thread, one thread per request), so the `openai` SDK,
its HTTP client, timeouts and our retry loop run exactly as against vLLM or TGI.

What a test can control:

- ``latency``: seconds every answer waits (per request, in parallel across requests);
- ``inject(substring, kind, times=None, ...)``: requests whose user message contains
  `substring` get a failure: ``"500"``, ``"429"`` (with ``Retry-After``), ``"empty"``
  (empty content), ``"invalid_json"`` (a 200 whose body is not JSON), ``"slow"``
  (waits ``delay`` seconds, to trigger client timeouts), ``"trickle"`` (a normal answer
  sent in ten pieces spread over ``delay`` seconds: no single read waits long, only the
  whole request does) or ``"echo_500"`` (a 500 whose message quotes the request's
  ``Authorization`` header, as a debugging proxy might); `times` limits how many
  requests fail before the server answers normally (None: forever);
- ``hold(substring)``: requests whose user message contains `substring` wait until the
  returned `threading.Event` is set (a test orders completions without timing);
- ``max_concurrent``: a rate limit; a request arriving while that many are in flight
  gets a 429;
- ``api_key``: when set, requests without ``Authorization: Bearer <key>`` get a 401;
- ``strict_model``: when set, a chat request for a model other than ``fake-model`` gets
  a 404 "model does not exist", as OpenAI and vLLM answer a wrong model name;
- ``reply``: the function from the user message to the answer text;
- ``logprobs``: when set, requests asking for ``logprobs`` get, for each token of the
  answer (`logprob_tokens`: digits apart, other runs of characters whole), the
  alternatives this function gives for that token (``[(token, logprob), ...]``).

What it records: every request body (`requests`), the query strings (`queries`), a counter per user message
(`count(substring)`), and the maximum number of requests in flight (`max_in_flight`;
a request counts from its arrival until just before its answer is written, so a client
never sees its answer before the server has stopped counting it), also served as JSON
at ``GET /stats``. Run as a script (``python tests/fake_openai.py --latency 0.2``) it
serves in its own process and prints its URL, so benchmarks do not
share the client's interpreter lock with the server.
Usage numbers are whitespace word counts: ``prompt_tokens`` over all messages,
``completion_tokens`` over the answer, so tests can compute them by hand.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

FAILURE_KINDS = ("500", "429", "empty", "invalid_json", "slow", "trickle", "echo_500")
_TRICKLE_PIECES = 10
HOLD_LIMIT = 10.0  # a held request is answered after this long even if never released
SERVED_MODEL = "fake-model"  # what GET /v1/models lists


def default_reply(user_message: str) -> str:
    """A chat-model-like answer: reasoning, a preamble, then the last line as a bullet."""
    last = user_message.strip().splitlines()[-1].strip()
    return f"<think>أقرأ المقال.</think>\nإليك ملخصاً للمقال:\n- {last}"


@dataclass
class Injection:
    substring: str
    kind: str
    remaining: int | None  # None: forever
    retry_after: float = 0.0
    delay: float = 0.0


class FakeOpenAIServer:
    def __init__(self, *, latency: float = 0.0, api_key: str | None = None,
                 max_concurrent: int | None = None, strict_model: bool = False,
                 reply: Callable[[str], str] = default_reply,
                 logprobs: Callable[[str], list[tuple[str, float]]] | None = None):
        self.latency = latency
        self.logprobs = logprobs
        self.api_key = api_key
        self.max_concurrent = max_concurrent
        self.strict_model = strict_model
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.prompt_counts: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.statuses: Counter[int] = Counter()
        self.queries: list[str] = []  # query strings the requests carried
        self._injections: list[Injection] = []
        self._holds: list[tuple[str, threading.Event]] = []
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True, name="fake-openai")

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FakeOpenAIServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control -----------------------------------------------------------------------
    def inject(self, substring: str, kind: str, *, times: int | None = None,
               retry_after: float = 0.0, delay: float = 1.0) -> None:
        if kind not in FAILURE_KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; one of {FAILURE_KINDS}")
        with self._lock:
            self._injections.append(Injection(substring, kind, times, retry_after, delay))

    def hold(self, substring: str) -> threading.Event:
        """Make matching requests wait (at most `HOLD_LIMIT` s) until the event is set."""
        event = threading.Event()
        with self._lock:
            self._holds.append((substring, event))
        return event

    def clear_injections(self) -> None:
        with self._lock:
            self._injections.clear()

    def count(self, substring: str) -> int:
        """How many requests had a user message containing `substring`."""
        with self._lock:
            return sum(n for prompt, n in self.prompt_counts.items() if substring in prompt)

    def reset_counters(self) -> None:
        with self._lock:
            self.requests.clear()
            self.prompt_counts.clear()
            self.statuses.clear()
            self.max_in_flight = 0

    # -- request handling (called from handler threads) --------------------------------
    def _enter(self) -> bool:
        with self._lock:
            if self.max_concurrent is not None and self.in_flight >= self.max_concurrent:
                return False
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return True

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _injection_for(self, user_message: str) -> Injection | None:
        with self._lock:
            for injection in self._injections:
                if injection.substring in user_message and injection.remaining != 0:
                    if injection.remaining is not None:
                        injection.remaining -= 1
                    return injection
        return None

    def _record(self, body: dict[str, Any], user_message: str, status: int) -> None:
        with self._lock:
            self.requests.append(body)
            self.prompt_counts[user_message] += 1
            self.statuses[status] += 1

    def completion(self, body: dict[str, Any], content: str) -> dict[str, Any]:
        prompt_words = sum(len(str(m.get("content", "")).split())
                           for m in body.get("messages", []))
        choice: dict[str, Any] = {"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": content}}
        if body.get("logprobs") and self.logprobs is not None:
            choice["logprobs"] = {"content": [
                {"token": token, "logprob": 0.0, "bytes": None,
                 "top_logprobs": [{"token": alt, "logprob": lp, "bytes": None}
                                  for alt, lp in self.logprobs(token)]}
                for token in logprob_tokens(content)]}
        return {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", "fake"),
            "choices": [choice],
            "usage": {"prompt_tokens": prompt_words,
                      "completion_tokens": len(content.split()),
                      "total_tokens": prompt_words + len(content.split())},
        }


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that disconnects mid-answer (a killed run) is expected: no traceback."""
        import sys

        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def logprob_tokens(content: str) -> list[str]:
    """The answer cut into tokens for ``logprobs``: each digit alone, other runs whole."""
    import re

    return re.findall(r"\d|[^\d]+", content)


def tagged(message: str, tag: str) -> str:
    """The text a judge prompt encloses in ``<tag-CODE>`` ... ``</tag-CODE>`` (e.g. tag
    ``candidate``), unescaped, as a judge reading the prompt would take it."""
    import html
    import re

    match = re.search(rf"<{re.escape(tag)}-([0-9a-f]{{8}})>\n(.*?)\n</{re.escape(tag)}-\1>",
                      message, re.DOTALL)
    if match is None:
        raise ValueError(f"no <{tag}-...> section in the message")
    return html.unescape(match.group(2))


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def _user_message(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[-1].get("content", "")) if users else ""


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    """The request handler class of `server` (http.server makes one per request)."""
    return type("Handler", (_Handler,), {"fake": server})


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAIServer  # set by `_make_handler`
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    # Headers and body go out in two writes; with Nagle's algorithm on, the second
    # waits for the client's delayed ACK (~40 ms per request on Linux).
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, payload: bytes, *, headers: dict[str, str] | None = None,
              trickle: float = 0.0) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not trickle:
            self.wfile.write(payload)
            return
        self.wfile.flush()
        step = -(-len(payload) // _TRICKLE_PIECES)
        for start in range(0, len(payload), step):
            time.sleep(trickle / _TRICKLE_PIECES)
            self.wfile.write(payload[start:start + step])
            self.wfile.flush()

    def _json(self, status: int, obj: Any, **kwargs: Any) -> None:
        self._send(status, _dumps(obj), **kwargs)

    def _authorized(self) -> bool:
        if self.fake.api_key is None:
            return True
        if self.headers.get("Authorization") == f"Bearer {self.fake.api_key}":
            return True
        self._json(401, {"error": {"message": "invalid api key", "type": "auth"}})
        return False

    def route(self) -> str:
        """The path without its query (a base URL may carry ``?key=...``)."""
        path, _, query = self.path.partition("?")
        if query:
            with self.fake._lock:
                self.fake.queries.append(query)
        return path.rstrip("/")

    def do_GET(self) -> None:
        path = self.route()
        if path == "/stats":
            with self.fake._lock:
                stats = {"requests": len(self.fake.requests),
                         "max_in_flight": self.fake.max_in_flight,
                         "statuses": dict(self.fake.statuses)}
            self._json(200, stats)
        elif path != "/v1/models":
            self._json(404, {"error": {"message": f"no route {self.path}"}})
        elif self._authorized():
            self._json(200, {"object": "list", "data": [
                {"id": SERVED_MODEL, "object": "model", "owned_by": "tests"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.route() != "/v1/chat/completions":
            self._json(404, {"error": {"message": f"no route {self.path}"}})
            return
        if not self._authorized():
            return
        body = json.loads(raw or b"{}")
        user = _user_message(body)
        if self.fake.strict_model and body.get("model") != SERVED_MODEL:
            self.fake._record(body, user, 404)
            self._json(404, {"error": {
                "message": f"The model `{body.get('model')}` does not exist.",
                "type": "NotFoundError", "code": 404}})
            return
        if not self.fake._enter():
            self.fake._record(body, user, 429)
            self._json(429, {"error": {"message": "rate limited"}},
                       headers={"Retry-After": "0"})
            return
        try:
            status, payload, headers, trickle = self._answer(body, user)
        finally:
            self.fake._leave()  # before writing: the client cannot overtake the count
        self._send(status, payload, headers=headers, trickle=trickle)

    def _answer(self, body: dict[str, Any],
                user: str) -> tuple[int, bytes, dict[str, str], float]:
        """(status, body, headers, seconds to spread the body over)."""
        for substring, event in list(self.fake._holds):
            if substring in user:
                event.wait(HOLD_LIMIT)
        injection = self.fake._injection_for(user)
        time.sleep(self.fake.latency)
        kind = injection.kind if injection else None
        if kind == "slow":
            time.sleep(injection.delay)
        status = {"500": 500, "429": 429, "echo_500": 500}.get(kind or "", 200)
        self.fake._record(body, user, status)
        if kind == "500":
            return 500, _dumps({"error": {"message": "injected server error"}}), {}, 0.0
        if kind == "echo_500":
            echoed = f"upstream refused headers: {self.headers.get('Authorization')}"
            return 500, _dumps({"error": {"message": echoed}}), {}, 0.0
        if kind == "429":
            return (429, _dumps({"error": {"message": "injected rate limit"}}),
                    {"Retry-After": f"{injection.retry_after:g}"}, 0.0)
        if kind == "invalid_json":
            return 200, b'{"choices": [ this is not json', {}, 0.0
        content = "" if kind == "empty" else self.fake.reply(user)
        trickle = injection.delay if kind == "trickle" else 0.0
        return 200, _dumps(self.fake.completion(body, content)), {}, trickle



def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the fake OpenAI API until killed.")
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    server = FakeOpenAIServer(latency=args.latency)
    print(server.url, flush=True)
    server._httpd.serve_forever(0.05)


if __name__ == "__main__":
    main()
