"""Extraction speed of the ``rules`` backend, on one core: tokens per second for articles
of 10k, 50k and 100k words, and the time ratio of 100k to 50k words (about 2 when
linear). The long articles are distinct BBC articles from ``../shared/corpora`` joined
together (many different names, so the per-text alias lists grow as in real text), or
the seed article's body repeated when the corpora are absent.

    python benchmarks/bench_entities.py [--repeats 3] [--clock wall|cpu]

``--clock cpu`` times with the process's CPU time, which other programs on a shared
machine disturb less than wall-clock time. To compare two versions of the rules in the
same minutes, run the script twice with ``PYTHONPATH`` pointing at each checkout.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from benchmark.entities.rules import RulesBackend

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "datasets" / "000_04dacd3f9b1a1c24.txt"
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"


def article_of(words: int) -> str:
    """At least `words` words of real article text."""
    if CORPUS.is_file():
        parts, count = [], 0
        with CORPUS.open(encoding="utf-8") as handle:
            for line in handle:
                article = json.loads(line)["article"]
                parts.append(article)
                count += len(article.split())
                if count >= words:
                    return "\n".join(parts)
    body = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    copies = words // len(body.split()) + 1
    return "\n".join([body] * copies)


def best_time(backend: RulesBackend, text: str, repeats: int, *, clock) -> float:
    times = []
    for _ in range(repeats):
        start = clock()
        backend.extract(text)
        times.append(clock() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    backend = RulesBackend()
    backend.extract("تحميل القوائم")  # load the gazetteer outside the timing
    seconds = {}
    for words in (10_000, 50_000, 100_000):
        text = article_of(words)
        tokens = len(text.split())
        seconds[words] = best_time(backend, text, args.repeats, clock=clock)
        print(f"{tokens:>8} tokens  {seconds[words]:7.2f} s  "
              f"{tokens / seconds[words]:>9,.0f} tokens/s")
    print(f"time ratio 100k / 50k words: {seconds[100_000] / seconds[50_000]:.2f} "
          "(2.0 = linear)")


if __name__ == "__main__":
    main()
