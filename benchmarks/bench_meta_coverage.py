"""How honest are `bench meta`'s intervals, and how wide for a given study size?

A simulated world: each system has a quality, each (item, system) summary a quality
around it; a metric reads the summary's quality with noise; each annotator rates it
1-5 (the quality plus their own noise, rounded). A study draws `n` items and `m`
systems from that world and `k` annotators rate every summary; `bench meta`'s functions
give Kendall's tau at both levels with the items+systems bootstrap interval, and
Krippendorff's alpha with the items bootstrap interval.

The true values are those of the world: summary level, the expected per-item tau
between metric and the annotators' mean over many items and many draws of m systems;
system level, the expected tau across m systems of their mean scores over very many
items; alpha, that of the annotators on very many items of the study's systems (how
much the systems differ is part of what alpha measures). Coverage is the share of
studies whose 95% interval holds the true value; width is the interval's median width.

    python benchmarks/bench_meta_coverage.py                 # the table in docs/human.md
    python benchmarks/bench_meta_coverage.py --reps 40 --quick

Seeded: the same arguments print the same table.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from benchmark.report.meta_alpha import alpha_with_interval
from benchmark.report.meta_corr import correlate_levels, kendall

SYSTEM_SPREAD, ITEM_SPREAD, METRIC_NOISE, ANNOTATOR_NOISE = 0.5, 1.0, 0.8, 0.7
METRIC_SYSTEM_BIAS = 0.3  # the metric misjudges whole systems too (style, length)
POPULATION_SYSTEMS, POPULATION_ITEMS = 60, 4000


def ratings(quality: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k annotators' 1-5 ratings of every summary: (k, items, systems)."""
    noisy = quality[None] + rng.normal(0, ANNOTATOR_NOISE, (k,) + quality.shape)
    return np.clip(np.rint(3 + noisy), 1, 5)


class World:
    def __init__(self, seed: int):
        rng = np.random.default_rng(seed)
        self.system_quality = rng.normal(0, SYSTEM_SPREAD, POPULATION_SYSTEMS)
        self.metric_bias = rng.normal(0, METRIC_SYSTEM_BIAS, POPULATION_SYSTEMS)
        self.rng = rng

    def study(self, n: int, m: int, k: int, rng: np.random.Generator):
        systems = rng.choice(POPULATION_SYSTEMS, size=m, replace=False)
        quality = self.system_quality[systems][None] + rng.normal(0, ITEM_SPREAD, (n, m))
        metric = quality + self.metric_bias[systems][None] + rng.normal(0, METRIC_NOISE, (n, m))
        return metric, ratings(quality, k, rng), systems

    def alpha_of(self, systems: np.ndarray, k: int) -> float:
        """Alpha of the annotators on very many items of these systems: what a study of
        them estimates (alpha depends on how different the systems are)."""
        rng = np.random.default_rng(11)
        quality = (self.system_quality[systems][None]
                   + rng.normal(0, ITEM_SPREAD, (POPULATION_ITEMS, len(systems))))
        table = ratings(quality, max(k, 2), rng).reshape(max(k, 2), -1).T
        return alpha_with_interval(table, level="ordinal", resamples=0).alpha

    def truth(self, m: int, k: int, draws: int = 400) -> dict[str, float]:
        rng, system_rng = np.random.default_rng(99), np.random.default_rng(98)
        summary, system = [], []
        for _ in range(draws):
            metric, rated, _ = self.study(400, m, k, rng)
            taus = kendall(metric[None], rated.mean(axis=0)[None])[0, 0]
            summary.append(np.nanmean(taus))
            chosen = system_rng.choice(POPULATION_SYSTEMS, size=m, replace=False)
            # infinitely many items: the metric's mean and the raters' expected mean
            metric_means = self.system_quality[chosen] + self.metric_bias[chosen]
            expected_rating = self._expected_rating(self.system_quality[chosen])
            system.append(kendall(metric_means[None], expected_rating[None])[0, 0])
        return {"summary": float(np.mean(summary)), "system": float(np.nanmean(system))}

    def _expected_rating(self, means: np.ndarray) -> np.ndarray:
        """A system's expected rating over items and annotators (Monte Carlo)."""
        rng = np.random.default_rng(7)
        quality = means[None] + rng.normal(0, ITEM_SPREAD, (20_000, len(means)))
        return ratings(quality, 1, rng)[0].mean(axis=0)


def run_config(world: World, n: int, m: int, k: int, *, reps: int, resamples: int,
               seed: int) -> dict:
    truth = world.truth(m, k)
    rng = np.random.default_rng(seed)
    hits = {"summary": [], "system": [], "alpha": []}
    widths = {"summary": [], "system": [], "alpha": []}
    for rep in range(reps):
        metric, rated, systems = world.study(n, m, k, rng)
        levels = correlate_levels(metric[None], rated.mean(axis=0)[None], resamples=resamples,
                                  seed=seed + rep)
        for level in ("summary", "system"):
            low, high = (float(v[0, 0]) for v in levels[level].interval("kendall"))
            hits[level].append(low <= truth[level] <= high)
            widths[level].append(high - low)
        if k >= 2:
            table = rated.reshape(k, -1).T
            items = np.repeat(np.arange(n), m)
            alpha = alpha_with_interval(table, level="ordinal", clusters=items,
                                        resamples=resamples, seed=seed + rep)
            hits["alpha"].append(alpha.low <= world.alpha_of(systems, k) <= alpha.high)
            widths["alpha"].append(alpha.high - alpha.low)
    return {"n": n, "m": m, "k": k, "truth": truth,
            "coverage": {key: float(np.mean(v)) if v else None for key, v in hits.items()},
            "width": {key: float(np.median(v)) if v else None for key, v in widths.items()}}


def spread_check(world: World, *, n: int = 50, m: int = 5, k: int = 3, studies: int = 200,
                 resamples: int = 1000, seed: int = 1) -> dict[str, float]:
    """Why the summary-level interval is conservative: the spread of the estimate over
    studies (new items and new systems each time) against the spread of its resamples,
    items and systems together (what bench meta uses) or items alone."""
    from benchmark.report.meta_corr import summary_level

    rng = np.random.default_rng(seed)
    estimates = []
    for _ in range(studies):
        metric, rated, _ = world.study(n, m, k, rng)
        estimates.append(np.nanmean(kendall(metric[None], rated.mean(axis=0)[None])[0, 0]))
    both, items_only = [], []
    for _ in range(20):
        metric, rated, _ = world.study(n, m, k, rng)
        x, y = metric[None], rated.mean(axis=0)[None]
        levels = correlate_levels(x, y, resamples=resamples, seed=seed)
        both.append(np.nanstd(levels["summary"].boot["kendall"]))
        drawn = rng.integers(0, n, size=(resamples, n))
        same = np.tile(np.arange(m), (resamples, 1))
        items_only.append(np.nanstd(summary_level(x, y, drawn, same).values["kendall"]))
    return {"over studies": float(np.std(estimates)),
            "resampling items and systems": float(np.mean(both)),
            "resampling items only": float(np.mean(items_only))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100, help="simulated studies per row")
    parser.add_argument("--resamples", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a few rows only")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--spread", action="store_true",
                        help="only compare the spreads of the summary-level estimate")
    args = parser.parse_args()
    if args.spread:
        spreads = spread_check(World(args.seed), seed=args.seed)
        print("summary-level tau, 50 items, 5 systems, 3 annotators; standard deviation:")
        for name, value in spreads.items():
            print(f"  {name}: {value:.3f}")
        return
    grid = ([(50, 5, 2), (100, 10, 3)] if args.quick else
            [(n, m, k) for m in (5, 10) for n in (25, 50, 100, 200) for k in (1, 3)]
            + [(100, 5, 2), (100, 10, 2)])
    world = World(args.seed)
    rows = []
    print(f"reps {args.reps}, resamples {args.resamples}, seed {args.seed}; "
          "coverage of 95% intervals (width: median)")
    print("| items | systems | annotators | summary tau: coverage (width) | system tau: "
          "coverage (width) | alpha: coverage (width) | true tau: summary / system |")
    print("|---:|---:|---:|---|---|---|---|")
    for n, m, k in grid:
        start = time.process_time()
        row = run_config(world, n, m, k, reps=args.reps, resamples=args.resamples,
                         seed=args.seed)
        row["cpu_s"] = time.process_time() - start
        rows.append(row)
        cells = [_cell(row, key) for key in ("summary", "system", "alpha")]
        truth = row["truth"]
        print(f"| {n} | {m} | {k} | {' | '.join(cells)} | {truth['summary']:.3f} / "
              f"{truth['system']:.3f} |", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=2)


def _cell(row: dict, key: str) -> str:
    coverage, width = row["coverage"][key], row["width"][key]
    return "-" if coverage is None else f"{coverage:.2f} ({width:.2f})"


if __name__ == "__main__":
    main()
