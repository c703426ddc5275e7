"""The annotation app on a real uvicorn server on 127.0.0.1, in a thread, for tests."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def running_app(study: Path, *, agreement=None) -> Iterator[str]:
    """The base URL of the app serving `study` on a free port, stopped afterwards."""
    import uvicorn

    from benchmark.human.app import create_app

    config = uvicorn.Config(create_app(study, agreement=agreement), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not (server.started and server.servers):
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the annotation app did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Reply:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def request(url: str, *, method: str | None = None, body: bytes | None = None,
            json_body=None, content_type: str = "application/json") -> Reply:
    """One HTTP request (a POST when it has a body), redirects not followed, errors
    returned as replies."""
    if json_body is not None:
        body = json.dumps(json_body).encode()
    method = method or ("POST" if body is not None else "GET")
    headers = {"Content-Type": content_type} if body is not None else {}
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=body, method=method,
                                                headers=headers), timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())
