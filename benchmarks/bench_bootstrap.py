"""A run's bootstrap intervals (`bootstrap_cis`) against the plain numpy path they
replace: the same numbers to the bit, and the cost of each.

    python benchmarks/bench_bootstrap.py [--items RUN/items.jsonl] [--rounds 5] [--count]

The columns are a run's score columns: those of ``--items`` (an items.jsonl: every
float key, without the items that lack it or hold None, as a run's summary takes them),
or generated ones with the sizes of a ``--metrics rouge,entities`` run on BBC (twelve
ROUGE columns of 3,797 items, twenty entity columns of 38 to 3,502). The plain path is
the one before the shared stream: for each size, ``default_rng(seed).integers`` a chunk
of rows at a time, then ``take`` and ``mean`` per column. Prints CPU milliseconds of
each (interleaved rounds, medians) and, with ``--count``, the instructions of each
under valgrind's callgrind (a count the machine's load does not move), less those of
the set-up alone. Not collected
by pytest.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from benchmark.stats.bootstrap import MAX_DRAWS_AT_ONCE, N_RESAMPLES, bootstrap_cis
from callgrind_counts import count, require_valgrind

SIZES = [3797] * 12 + [3477, 3502, 3376, 1475, 1507, 2198, 2280, 1553, 1545, 375, 580,
                       947, 992, 200, 226, 42, 38, 121, 133, 3793]


def columns(items: Path | None) -> dict[str, np.ndarray]:
    if items is None:
        rng = np.random.default_rng(2026)
        found = {}
        for number, size in enumerate(SIZES):
            found[f"c{number}"] = (rng.random(size) if number % 3 else
                                   rng.integers(0, 4, size) / 3)
        found["copy"] = found["c0"].copy()  # a column equal to another (a run has some)
        return found
    lists: dict[str, list[float]] = {}
    with items.open(encoding="utf-8") as lines:
        for line in lines:
            for key, value in json.loads(line).items():
                if type(value) is float:
                    lists.setdefault(key, []).append(value)
    return {key: np.array(values) for key, values in lists.items()}


def plain_means(data: dict[str, np.ndarray], seed: int) -> dict[str, np.ndarray]:
    """The plain path: numpy's draws for each size, then take and mean per column."""
    by_size: dict[int, dict[str, np.ndarray]] = {}
    for key, values in data.items():
        by_size.setdefault(values.size, {})[key] = values
    means = {}
    for size, group in by_size.items():
        rng = np.random.default_rng(seed)
        found = {key: np.empty(N_RESAMPLES) for key in group}
        rows = max(1, min(200, MAX_DRAWS_AT_ONCE // size))
        for start in range(0, N_RESAMPLES, rows):
            stop = min(start + rows, N_RESAMPLES)
            index = rng.integers(0, size, size=(stop - start, size))
            for key, values in group.items():
                found[key][start:stop] = values.take(index).mean(axis=1)
        means.update(found)
    return means


def plain_intervals(data: dict[str, np.ndarray], seed: int) -> dict[str, tuple[float, float]]:
    means = plain_means(data, seed)
    return {key: tuple(np.quantile(means[key], [0.025, 0.975])) for key in data}


def ours(data: dict[str, np.ndarray], seed: int) -> dict[str, tuple[float, float]]:
    return {key: (ci.low, ci.high) for key, ci in bootstrap_cis(data, seed=seed).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", action="store_true")
    parser.add_argument("--only", choices=("plain", "ours", "setup"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = columns(args.items)
    sides = {"plain": plain_intervals, "ours": ours}
    if args.only:
        if args.only != "setup":
            sides[args.only](data, 12345)
        return
    assert {k: np.float64(v).tobytes() for k, pair in ours(data, 12345).items() for v in pair} \
        == {k: np.float64(v).tobytes() for k, pair in plain_intervals(data, 12345).items()
            for v in pair}, "the intervals differ"
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, side in sides.items():
            start = time.process_time()
            side(data, 12345)
            times[name].append(time.process_time() - start)
    print(f"{len(data)} columns, {sum(v.size for v in data.values())} values: identical")
    for name in sides:
        print(f"{name:6s} {1000 * statistics.median(times[name]):7.1f} ms CPU (median of "
              f"{args.rounds})")
    if args.count:
        require_valgrind()
        counted = {}
        for name in ("setup", *sides):
            command = [sys.executable, __file__, "--only", name]
            if args.items:
                command += ["--items", str(args.items)]
            counted[name] = count(command)
            print(f"{name:6s} {counted[name] / 1e6:9.1f} M instructions (whole process)")
        own = {name: counted[name] - counted["setup"] for name in sides}
        print(f"less the set-up (imports, columns): plain {own['plain'] / 1e6:.1f} M, ours "
              f"{own['ours'] / 1e6:.1f} M, ours / plain {own['ours'] / own['plain']:.3f}")


if __name__ == "__main__":
    main()
