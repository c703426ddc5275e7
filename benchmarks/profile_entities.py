"""Where the entity work of a first-model run goes: cProfile of what `bench run --model
lead-3 --metrics rouge,entities` asks of the ``entities`` metric on BBC when no dataset
analysis is cached (each article and reference extracted, then the lead-3 prediction
extracted and matched), with every cache cold, printing the top functions by their own
time and by cumulative time, and the CPU time of the same work without the profiler.

    python benchmarks/profile_entities.py [--limit 1000] [--top 25] [--sort tottime]

The items are the first `--limit` of ``../shared/corpora/ant_bbc.jsonl`` (all 3,797
with ``--limit 0``). Nothing is cached between the two passes: each runs in a fresh
process, the unprofiled one first. CPU time (``time.process_time``), one core; other
programs on a shared machine still slow it.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"


def load_items(limit: int) -> list[tuple[str, str, str]]:
    """(article, reference, lead-3 prediction) of the first `limit` BBC items."""
    from benchmark.text import split_sentences

    items = []
    with CORPUS.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if limit and count >= limit:
                break
            record = json.loads(line)
            article = record["article"]
            items.append((article, record["summary"],
                          "\n".join(split_sentences(article)[:3])))
    return items


def entity_work(metric, items: list[tuple[str, str, str]]) -> None:
    """What the run harness asks of the metric for a first model: `prepare` (article
    and reference), then `score_prepared` (the prediction)."""
    from benchmark.metrics.base import ItemInput

    for article, reference, prediction in items:
        prepared = metric.prepare(references=[reference], source=article)
        metric.score_prepared(ItemInput(prediction, [reference], article), prepared)


def measure(limit: int, *, profile: bool, top: int, sort: str) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    items = load_items(limit)
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.entities import EntityMetric
    from benchmark.text import get_profile

    # Imports (the patterns compile) and the word lists are paid once per process, not
    # per item: `bench_entities.py` times them.
    metric = EntityMetric(get_profile("ar"), ner="rules")
    load_gazetteer()
    if not profile:
        cpu = time.process_time()
        entity_work(metric, items)
        print(f"{len(items)} items, entity work without the profiler: "
              f"{time.process_time() - cpu:.2f} s CPU")
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(entity_work, metric, items)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"under the profiler: {total:.2f} s CPU; top {top} by {sort}")
    print(f"{'own s':>8} {'own %':>6} {'cum s':>8} {'cum %':>6} {'calls':>10}  function")
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2 if sort == "tottime" else 3],
                  reverse=True)
    for (path, line, name), (_, calls, own, cumulative, _) in rows[:top]:
        where = f"{Path(path).name}:{line}" if line else path
        print(f"{own:8.2f} {100 * own / total:6.1f} {cumulative:8.2f} "
              f"{100 * cumulative / total:6.1f} {calls:>10}  {name} ({where})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="items (0: all)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="tottime")
    parser.add_argument("--pass", dest="which", choices=("plain", "profile"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the profile reads the BBC corpus")
    if args.which:
        measure(args.limit, profile=args.which == "profile", top=args.top, sort=args.sort)
        return
    for which in ("plain", "profile"):  # fresh processes: no cache carried over
        subprocess.run([sys.executable, __file__, "--pass", which, "--limit", str(args.limit),
                        "--top", str(args.top), "--sort", args.sort], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
