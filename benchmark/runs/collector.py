"""How often the cyclic garbage collector runs in bench's own processes.

A run makes millions of short-lived containers (token lists, entities, scores) while
its heap grows (word memos, loaded analyses, compiled patterns). At CPython's default
threshold the youngest generation is collected after every 700 net allocations: about
1,400 collections in a first model's run with entities, each rescanning whatever is
still alive, with the older generations rescanned every tenth and hundredth time.
Collecting the youngest after 100,000 instead leaves about twenty collections
and no full one, with the same peak memory to the megabyte on full BBC runs: little of
what a run makes forms cycles, and what does is still collected. 20,000, the threshold
before, left twice the time inside the collector (0.2 s of a first model's run with
entities against 0.1 s); `benchmarks/bench_gc.py` measures them.

Only bench's own processes do this (the command, its scoring workers); code that
imports `benchmark` as a library keeps its collector as it was.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 100_000  # CPython's default: 700


def collect_less_often() -> None:
    """Collect the youngest generation after `YOUNG_THRESHOLD` net allocations (the
    older generations' thresholds, counted in collections of the younger, unchanged)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, oldest)
