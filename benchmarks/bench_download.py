"""Checksummed downloads: `benchmark.data.download` against `pooch.retrieve`.

Both fetch one file from a local HTTP server on 127.0.0.1 (no network) and verify its
SHA-256. Measured, in interleaved rounds (medians):

- a clean download: CPU seconds of the client (``time.process_time``), per implementation;
- an interrupted one: the server closes the first response after half the file; the
  client is called again. Counted: bytes the server sent in all, and requests.

pooch is not a dependency of the package: the script reports the hand-written client
alone when pooch is not installed (``pip install pooch`` to compare).

    python benchmarks/bench_download.py [--file ../shared/corpora/ant_bbc.jsonl] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmark.data import download  # noqa: E402


class Server:
    """Serves `payload` at /data.jsonl with Range support; `cut_next` closes the next
    response after that many bytes (an interrupted download)."""

    def __init__(self, payload: bytes):
        self.payload = payload
        self.sent = 0
        self.requests = 0
        self.cut_next: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests += 1
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                body = server.payload[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_next is not None:
                    body, server.cut_next = body[:server.cut_next], None
                self.wfile.write(body)
                server.sent += len(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/data.jsonl"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.sent, self.requests = 0, 0


def ours(server: Server, sha: str, cache: Path) -> None:
    download.cache_root = lambda: cache  # the cache folder of this round
    download.fetch(name="bench", url=server.url, sha256=sha)


def theirs(server: Server, sha: str, cache: Path) -> None:
    import pooch

    pooch.get_logger().setLevel("WARNING")
    pooch.retrieve(server.url, known_hash=f"sha256:{sha}", path=cache, fname="data.jsonl",
                   progressbar=False)


def clean_cpu(fetch, server: Server, sha: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.process_time()
        fetch(server, sha, Path(folder))
        return time.process_time() - started


def interrupted(fetch, server: Server, sha: str) -> dict:
    server.reset()
    with tempfile.TemporaryDirectory() as folder:
        server.cut_next = len(server.payload) // 2
        try:
            fetch(server, sha, Path(folder))
        except Exception:  # noqa: BLE001 (each client fails its own way)
            pass
        fetch(server, sha, Path(folder))
    return {"bytes_sent": server.sent, "requests": server.requests,
            "payload_bytes": len(server.payload)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=ROOT.parent / "shared" / "corpora"
                        / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    payload = args.file.read_bytes()
    sha = hashlib.sha256(payload).hexdigest()
    server = Server(payload)
    clients = {"hand-written": ours}
    try:
        import pooch  # noqa: F401

        clients["pooch"] = theirs
    except ImportError:
        print("pooch is not installed: the hand-written client alone", file=sys.stderr)
    cpu: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(args.rounds):  # interleaved rounds
        for name, fetch in clients.items():
            cpu[name].append(clean_cpu(fetch, server, sha))
    result = {"file_bytes": len(payload), "rounds": args.rounds,
              "clean_download_cpu_s_median": {n: statistics.median(v) for n, v in cpu.items()},
              "interrupted_at_half": {n: interrupted(f, server, sha)
                                      for n, f in clients.items()}}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
