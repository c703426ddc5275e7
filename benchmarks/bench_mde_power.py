"""Is a pair's MDE what its test detects with 80% power? A simulation on real BBC data.

    python benchmarks/bench_mde_power.py --results DIR [--trials 200] [--resamples 2000]
                                         [--models lead-1 lead-3 textrank]

DIR holds runs of lead-1, lead-3 and textrank on ant_bbc.jsonl (all 3,797 items), and
maybe others: only the runs labelled as `--models` names are compared and simulated:

    bench run --model lead-1 --dataset ../shared/corpora/ant_bbc.jsonl --output-dir DIR
    (and lead-3, textrank)

Two parts, both printed as Markdown:

1. The comparison of the three runs (`bench compare` with its defaults: 10,000
   resamples, all pairs, Holm): each pair's difference, adjusted p-value and MDE on
   ROUGE-2 F. These are the figures of "Reading a comparison" in docs/statistics.md.
2. Power at the MDE. For each real pair, its per-item differences are centred (a true
   difference of 0) and shifted by a true difference delta; a trial draws a new test set
   of 3,797 items from the BBC items (with replacement), builds two runs whose per-item
   difference is that shifted difference, and tests them with `compare_runs` itself at
   the level the real comparison uses for the pair (alpha / m, m = 3 pairs). The share
   of trials that mark the pair is the power at delta; at delta = MDE it should be about
   80% (the MDE comes from a normal approximation of the mean difference; the test marks
   a pair only when the paired bootstrap and the randomization test both reject). Also
   shown: delta = MDE / 2 and delta = 0 (the false-positive rate, at most alpha / m).
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from benchmark.report.compare import compare_runs
from benchmark.report.compare_view import pairs_table
from benchmark.report.result import StatsSettings
from benchmark.report.select import Selection, select_runs
from benchmark.report.tables import render_markdown
from benchmark.runs.record import RunRecord
from bench_compare_fwer import METRIC, synthetic  # a script beside this one

ALPHA = 0.05


def detected(base: np.ndarray, shifted: np.ndarray, template: RunRecord, *, alpha: float,
             resamples: int, seed: int) -> bool:
    runs = [synthetic("a", base + shifted, template), synthetic("b", base, template)]
    result = compare_runs(runs, [METRIC], settings=StatsSettings(resamples=resamples,
                                                                 seed=seed, alpha=alpha))
    (pair,) = result.pairs
    return pair.significant


def power(values: dict[str, np.ndarray], a: str, b: str, delta: float, template: RunRecord,
          *, alpha: float, trials: int, resamples: int, rng) -> float:
    """Share of trials whose test marks a true difference of `delta` (stored scale)."""
    differences = values[a] - values[b]
    centred = differences - differences.mean()
    hits = 0
    for trial in range(trials):
        drawn = rng.integers(0, centred.size, size=centred.size)
        hits += detected(values[b][drawn], centred[drawn] + delta, template, alpha=alpha,
                         resamples=resamples, seed=int(rng.integers(2**31)))
    return hits / trials


def binomial_interval(share: float, trials: int) -> tuple[float, float]:
    half = 1.96 * math.sqrt(share * (1 - share) / trials)
    return max(0.0, share - half), min(1.0, share + half)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--models", nargs="+", default=["lead-1", "lead-3", "textrank"],
                        help="the labels of the runs to compare (others in DIR are left out)")
    args = parser.parse_args()
    found = select_runs(Selection(results=args.results)).runs
    runs = [run for run in found if run.label in args.models]
    missing = sorted(set(args.models) - {run.label for run in runs})
    if missing:
        raise SystemExit(f"{args.results}: no run labelled {', '.join(missing)}")
    result = compare_runs(runs, ["rouge1_f", METRIC])
    print(f"**The comparison ({result.dataset_identity}, {len(runs)} runs)**\n")
    from benchmark.report.compare_view import render_result

    print(render_result(result, "md"))
    print()
    print(render_markdown(pairs_table(result)))
    values = {}
    for run in runs:
        per_item = run.values(METRIC)
        values[run.label] = np.array([per_item[i] for i in sorted(per_item)])
    pairs = [p for p in result.pairs if p.metric == METRIC]
    level = ALPHA / len(pairs)
    rng = np.random.default_rng(args.seed)
    print(f"\n**Power by simulation ({args.trials} trials each, {args.resamples} resamples, "
          f"alpha {ALPHA}/{len(pairs)})**\n")
    print("| pair | mde (x100) | true difference | power | 95% interval |")
    print("|---|---:|---:|---:|---|")
    began = time.process_time()
    for pair in pairs:
        for fraction in (1.0, 0.5, 0.0):
            delta = fraction * pair.mde / 100
            share = power(values, pair.a, pair.b, delta, runs[0].record, alpha=level,
                          trials=args.trials, resamples=args.resamples, rng=rng)
            low, high = binomial_interval(share, args.trials)
            print(f"| {pair.a} - {pair.b} | {pair.mde:.2f} | {100 * delta:.2f} "
                  f"({fraction:g} mde) | {share:.1%} | {low:.1%} to {high:.1%} |")
    print(f"\nCPU time of the simulation: {time.process_time() - began:.0f} s")


if __name__ == "__main__":
    main()
