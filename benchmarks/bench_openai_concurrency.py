"""Throughput of the ``openai:`` backend at concurrency N against concurrency 1.

Starts the test server (tests/fake_openai.py) on 127.0.0.1 in its own process, with a
fixed latency per request, summarizes the same articles through
`OpenAISummarizer.stream` at both settings (in batches of `batch_size`, as the harness
does), and prints wall time, articles per second and the speed-up. With
``--bench-run`` it also times the whole ``bench run --model openai:...`` command
(harness, cache disabled, scoring included) at both settings.

    python benchmarks/bench_openai_concurrency.py            # 200 articles, 200 ms, 16 vs 1
    python benchmarks/bench_openai_concurrency.py --bench-run
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmark.data.example import Example
from benchmark.summarizers.openai_compat import OpenAISummarizer

ROOT = Path(__file__).resolve().parents[1]


def articles(n: int) -> list[Example]:
    return [Example(id=f"a{i}", article=f"مقال رقم {i} عن الاقتصاد والأسواق.\nالسطر {i}.",
                    bullets=("نقطة",)) for i in range(n)]


def time_stream(url: str, examples: list[Example], concurrency: int) -> float:
    summarizer = OpenAISummarizer("openai:fake-model", {
        "base_url": url, "api_key_env": "none", "concurrency": concurrency}, seed=0)
    try:
        started = time.perf_counter()
        errors = 0
        for start in range(0, len(examples), summarizer.batch_size):  # as the harness does
            batch = examples[start:start + summarizer.batch_size]
            errors += sum(p.error is not None for _, p in summarizer.stream(batch))
        elapsed = time.perf_counter() - started
    finally:
        summarizer.close()
    if errors:
        raise SystemExit(f"{errors} requests failed")
    return elapsed


def time_bench_run(url: str, examples: list[Example], concurrency: int) -> float:
    from typer.testing import CliRunner

    from benchmark.cli.app import app

    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp) / "d.jsonl"
        dataset.write_text("".join(json.dumps({"id": e.id, "article": e.article,
                                               "summary": "نقطة"}, ensure_ascii=False) + "\n"
                                   for e in examples), encoding="utf-8")
        started = time.perf_counter()
        result = CliRunner().invoke(app, [
            "run", "--model", "openai:fake-model", "--dataset", str(dataset),
            "--output-dir", str(Path(tmp) / "out"), "--base-url", url,
            "--api-key-env", "none", "--concurrency", str(concurrency), "--no-cache"])
        elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"bench run failed ({result.exit_code}): {result.output}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--bench-run", action="store_true",
                        help="also time the full `bench run` command")
    args = parser.parse_args()
    examples = articles(args.articles)
    command = [sys.executable, str(ROOT / "tests" / "fake_openai.py"),
               "--latency", str(args.latency)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        rows = [("stream", time_stream)]
        if args.bench_run:
            rows.append(("bench run", time_bench_run))
        print(f"{args.articles} articles, {args.latency * 1000:.0f} ms per request")
        for label, timer in rows:
            slow = timer(url, examples, 1)
            fast = timer(url, examples, args.concurrency)
            print(f"{label:>9}: concurrency 1: {slow:6.2f} s ({args.articles / slow:6.1f}/s)"
                  f"  concurrency {args.concurrency}: {fast:6.2f} s "
                  f"({args.articles / fast:6.1f}/s)  speed-up x{slow / fast:.1f}")
        stats_url = url.removesuffix("/v1") + "/stats"
        with urllib.request.urlopen(stats_url) as response:
            stats = json.load(response)
        print(f"server: {stats['requests']} requests, at most {stats['max_in_flight']} "
              "in flight")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
