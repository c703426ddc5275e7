"""CPU cost of the ``openai:`` client per request, with the server out of the way.

Starts the test server (tests/fake_openai.py) in its own process with no latency, then
summarizes ``--articles`` articles through `OpenAISummarizer.stream` at
``--concurrency`` (batches of `batch_size`, as the harness does), ``--rounds`` times;
prints the median CPU time of this process per request (`time.process_time`: the
client's own work, SDK included) and the median wall time.

To compare two versions of the code, run this file under each (for example with
``PYTHONPATH`` pointing at an export of the other version), alternating, and compare
the medians:

    python benchmarks/bench_llm_client.py --articles 1000 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmark.data.example import Example
from benchmark.summarizers.openai_compat import OpenAISummarizer

ROOT = Path(__file__).resolve().parents[1]


def articles(n: int) -> list[Example]:
    return [Example(id=f"a{i}", article=f"مقال رقم {i} عن الاقتصاد والأسواق.\nالسطر {i}.",
                    bullets=("نقطة",)) for i in range(n)]


def one_round(url: str, examples: list[Example], concurrency: int) -> tuple[float, float]:
    summarizer = OpenAISummarizer("openai:fake-model", {
        "base_url": url, "api_key_env": "none", "concurrency": concurrency}, seed=0)
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        size = summarizer.batch_size
        for start in range(0, len(examples), size):
            for _, prediction in summarizer.stream(examples[start:start + size]):
                assert prediction.error is None, prediction.error
        return time.process_time() - cpu, time.perf_counter() - wall
    finally:
        summarizer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai.py")],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        examples = articles(args.articles)
        one_round(url, examples[:50], args.concurrency)  # warm up imports and the pool
        rounds = [one_round(url, examples, args.concurrency) for _ in range(args.rounds)]
    finally:
        server.terminate()
        server.wait()
    cpu = statistics.median(r[0] for r in rounds)
    wall = statistics.median(r[1] for r in rounds)
    print(f"{args.articles} requests at concurrency {args.concurrency}, {args.rounds} rounds: "
          f"median CPU {1000 * cpu / args.articles:.2f} ms/request, "
          f"wall {wall:.2f} s ({args.articles / wall:.0f} requests/s)")


if __name__ == "__main__":
    main()
