"""Family-wise false positives and power of ``bench compare``'s tests, by simulation.

    python benchmarks/bench_compare_fwer.py --results DIR [--trials 200] [--items 500]

DIR holds runs of lead-1, lead-3, textrank and random-3 on ant_bbc.jsonl (see README,
"Comparisons"). Two parts:

1. False positives. k = 2, 4, 8, 16 systems of equal quality: on each of `--items`
   random BBC items, system j scores ``clip(x_i + s_ij * |d_ij|, 0, 1)``, where x is
   lead-3's real ROUGE-2 F, s a random sign and d a randomly drawn real per-item
   difference between textrank and lead-3 (realistic, heavy-tailed noise). The systems
   are exchangeable, so every difference found is false. For each k: the share of
   tables that mark any pair (target <= alpha = 5%), with compare's default family (all
   pairs, Holm) and with the old one (the observed best against the rest).
2. Power. Random subsets of n BBC items of the real runs, all four systems compared:
   how often each real pair is marked (its full-data difference taken as true).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from benchmark.report.compare import compare_runs
from benchmark.report.result import StatsSettings
from benchmark.report.select import Selection, select_runs
from benchmark.runs.record import RunRecord
from benchmark.runs.run import Run
from benchmark.stats.bootstrap import resample
from benchmark.stats.holm import holm
from benchmark.stats.paired import pair_test

METRIC = "rouge2_f"
ALPHA = 0.05


def synthetic(label: str, values: np.ndarray, template: RunRecord) -> Run:
    """A run with the given per-item values (ids i0, i1, ...), sharing `template`'s
    record (same dataset and signatures, so the runs are comparable)."""
    record = template.model_copy(update={"label": label})
    items = [{"id": f"i{j}", METRIC: float(v)} for j, v in enumerate(values)]
    return Run.in_memory(Path(label), record, items)


def real_values(results: Path) -> tuple[dict[str, np.ndarray], RunRecord]:
    runs = select_runs(Selection(results=results)).runs
    by_label = {}
    for run in runs:
        values = run.values(METRIC)
        by_label[run.label] = np.array([values[i] for i in sorted(values)])
    return by_label, runs[0].record


def old_family_marks(runs: list[Run], resamples: int, seed: int) -> bool:
    """The previous default: the observed best against each other system, Holm over
    k - 1 tests on each p-value, a pair marked when both tests are below alpha."""
    matrix = np.column_stack([list(run.values(METRIC).values()) for run in runs])
    resampled = resample(matrix, resamples=resamples, seed=seed)
    best = int(np.argmax(resampled.means))
    tests = [pair_test(resampled, i, best) for i in range(len(runs)) if i != best]
    boot = holm([t.p_bootstrap for t in tests])
    flip = holm([t.p_randomization for t in tests])
    return any(b < ALPHA and f < ALPHA for b, f in zip(boot, flip))


def false_positives(base: np.ndarray, noise: np.ndarray, template: RunRecord, *, k: int,
                    trials: int, items: int, resamples: int, rng) -> tuple[float, float]:
    new = old = 0
    for trial in range(trials):
        chosen = rng.choice(base.size, size=items, replace=False)
        runs = []
        for j in range(k):
            signs = rng.choice((-1.0, 1.0), size=items)
            drawn = np.abs(noise[rng.integers(0, noise.size, size=items)])
            runs.append(synthetic(f"s{j}", np.clip(base[chosen] + signs * drawn, 0, 1),
                                  template))
        result = compare_runs(runs, [METRIC], settings=StatsSettings(resamples=resamples,
                                                                    seed=trial))
        new += any(pair.significant for pair in result.pairs)
        old += old_family_marks(runs, resamples, trial)
    return new / trials, old / trials


def power(real: dict[str, np.ndarray], template: RunRecord, *, n: int, trials: int,
          resamples: int, rng) -> dict[tuple[str, str], float]:
    marked: dict[tuple[str, str], int] = {}
    size = next(iter(real.values())).size
    for trial in range(trials):
        chosen = rng.choice(size, size=n, replace=False)
        runs = [synthetic(label, values[chosen], template) for label, values in real.items()]
        result = compare_runs(runs, [METRIC], settings=StatsSettings(resamples=resamples,
                                                                    seed=trial))
        for pair in result.pairs:
            key = tuple(sorted((pair.a, pair.b)))
            marked[key] = marked.get(key, 0) + pair.significant
    return {key: count / trials for key, count in marked.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--resamples", type=int, default=2000,
                        help="per test (compare raises it where Holm needs more)")
    parser.add_argument("--power-trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--k", type=int, nargs="+", default=[2, 4, 8, 16])
    parser.add_argument("--no-power", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    real, template = real_values(args.results)
    real = {label: values for label, values in real.items()
            if label in ("lead-1", "lead-3", "textrank", "random-3")}
    base, noise = real["lead-3"], real["textrank"] - real["lead-3"]
    print(f"false positives: {args.trials} tables per k, {args.items} items, "
          f"{args.resamples}+ resamples, alpha {ALPHA}")
    print(f"{'k':>3}  {'pairs':>5}  {'all pairs + Holm':>16}  {'best vs rest (old)':>18}  "
          f"{'seconds':>7}")
    for k in args.k:
        began = time.perf_counter()
        new, old = false_positives(base, noise, template, k=k, trials=args.trials,
                                   items=args.items, resamples=args.resamples, rng=rng)
        print(f"{k:>3}  {k * (k - 1) // 2:>5}  {100 * new:>15.1f}%  {100 * old:>17.1f}%  "
              f"{time.perf_counter() - began:>7.1f}")
    if args.no_power:
        return
    full = {label: 100 * values.mean() for label, values in real.items()}
    print(f"\npower on real BBC pairs ({METRIC} x100, full-data means: "
          + ", ".join(f"{label} {mean:.2f}" for label, mean in full.items()) + ")")
    sizes = (10, 25, 50, 100)
    results = {n: power(real, template, n=n, trials=args.power_trials,
                        resamples=args.resamples, rng=rng) for n in sizes}
    print(f"{'pair':<22}{'diff':>7}" + "".join(f"{'n=' + str(n):>8}" for n in sizes))
    for key in sorted(results[sizes[0]], key=lambda k: abs(full[k[0]] - full[k[1]])):
        diff = abs(full[key[0]] - full[key[1]])
        print(f"{key[0] + ' / ' + key[1]:<22}{diff:>7.2f}"
              + "".join(f"{100 * results[n][key]:>7.0f}%" for n in sizes))


if __name__ == "__main__":
    main()
