"""Throughput of the ``openai:`` backend over 1 replica against N replicas.

Starts N test servers (tests/fake_openai.py) on 127.0.0.1, each in its own process with
a fixed latency per request, and summarizes the same articles through
`OpenAISummarizer.stream` (in batches of `batch_size`, as the harness does) with
``concurrency`` requests per replica: first on one replica, then on all N, then on all N
plus one URL that refuses connections. Prints wall time, articles per second, the
speed-up, and the most requests each server saw in flight (never above
``concurrency``: each replica keeps its own limit).

    python benchmarks/bench_replicas.py          # 200 articles, 200 ms, 3 replicas x 4
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from benchmark.data.example import Example
from benchmark.summarizers.openai_compat import OpenAISummarizer

ROOT = Path(__file__).resolve().parents[1]


def articles(n: int) -> list[Example]:
    return [Example(id=f"a{i}", article=f"مقال رقم {i} عن الاقتصاد والأسواق.\nالسطر {i}.",
                    bullets=("نقطة",)) for i in range(n)]


def time_stream(urls: list[str], examples: list[Example], concurrency: int) -> float:
    summarizer = OpenAISummarizer("openai:fake-model", {
        "base_url": urls, "api_key_env": "none", "concurrency": concurrency,
        "backoff": 0.05}, seed=0)
    try:
        started = time.perf_counter()
        errors = 0
        for start in range(0, len(examples), summarizer.batch_size):
            batch = examples[start:start + summarizer.batch_size]
            errors += sum(p.error is not None for _, p in summarizer.stream(batch))
        elapsed = time.perf_counter() - started
    finally:
        summarizer.close()
    if errors:
        raise SystemExit(f"{errors} requests failed")
    return elapsed


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def max_in_flight(url: str) -> int:
    with urllib.request.urlopen(url.removesuffix("/v1") + "/stats") as response:
        return json.load(response)["max_in_flight"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4, help="per replica")
    args = parser.parse_args()
    examples = articles(args.articles)
    command = [sys.executable, str(ROOT / "tests" / "fake_openai.py"),
               "--latency", str(args.latency)]
    servers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
               for _ in range(args.replicas)]
    try:
        urls = [server.stdout.readline().strip() for server in servers]
        print(f"{args.articles} articles, {args.latency * 1000:.0f} ms per request, "
              f"concurrency {args.concurrency} per replica")
        one = time_stream(urls[:1], examples, args.concurrency)
        print(f"  1 replica : {one:6.2f} s ({args.articles / one:6.1f}/s)")
        many = time_stream(urls, examples, args.concurrency)
        print(f"  {args.replicas} replicas: {many:6.2f} s ({args.articles / many:6.1f}/s)  "
              f"speed-up x{one / many:.2f}")
        dead = time_stream([refused_url(), *urls], examples, args.concurrency)
        print(f"  {args.replicas} replicas + 1 refusing: {dead:6.2f} s "
              f"({args.articles / dead:6.1f}/s)  speed-up x{one / dead:.2f}")
        print("  most in flight per server: "
              + ", ".join(str(max_in_flight(url)) for url in urls))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
