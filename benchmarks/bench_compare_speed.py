"""Time ``bench compare`` over 10 runs x 3,797 items x 10,000 resamples.

    python benchmarks/bench_compare_speed.py --results DIR [--runs 10]

DIR holds runs on ant_bbc.jsonl (see README, "Comparisons"). The benchmark writes
`--runs` run folders to a temporary directory, each a real run's per-item scores (the
four ROUGE F keys) with the items of a random half swapped with another real run's, so
the systems differ a little, as real ones do. Then it times the whole comparison
(selecting and reading the runs, resampling, every pair of every metric, groups,
rendering) as ``bench compare`` does it, and, for one metric, the per-pair reference
loops of `tests/stats_oracles.py` (one bootstrap and one randomization test per pair)
against the vectorized tests, printing the ratio. numpy's BLAS gets one thread, as in
the `bench` command (`benchmark.runs.blas_threads`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmark.runs.blas_threads import one_blas_thread

one_blas_thread()  # as the bench command asks, before numpy loads

import numpy as np  # noqa: E402

from benchmark.report.compare import compare_runs  # noqa: E402
from benchmark.report.compare_view import render_result  # noqa: E402
from benchmark.report.result import StatsSettings  # noqa: E402
from benchmark.report.select import Selection, select_runs  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from stats_oracles import approximate_randomization_p, paired_bootstrap_p  # noqa: E402

KEYS = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")


def write_runs(source: Path, target: Path, count: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    runs = [run for run in select_runs(Selection(results=source)).runs
            if not run.record.model.upper_bound]
    values = [{key: run.values(key) for key in KEYS} for run in runs]
    ids = sorted(values[0][KEYS[0]])
    for number in range(count):
        first, second = rng.choice(len(runs), size=2, replace=False)
        swapped = set(rng.choice(ids, size=len(ids) // 2, replace=False))
        folder = target / f"run-{number:02d}"
        folder.mkdir(parents=True)
        record = runs[first].record.model_copy(update={"label": f"system-{number:02d}"})
        record.write(folder / "run.json")
        with (folder / "items.jsonl").open("w", encoding="utf-8") as handle:
            for item in ids:
                chosen = values[second] if item in swapped else values[first]
                line = {"id": item, "prediction": "", "error": None,
                        **{key: chosen[key][item] for key in KEYS}}
                handle.write(json.dumps(line) + "\n")


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-compare-speed-"))
    try:
        write_runs(args.results, folder, args.runs, args.seed)
        settings = StatsSettings(resamples=args.resamples)

        def whole():
            runs = select_runs(Selection(results=folder)).runs
            return render_result(compare_runs(runs, settings=settings), "text")

        text, wall, cpu = timed(whole)
        items = text.split("\n")[3].split()[3]  # the n column of the first row
        print(f"bench compare, {args.runs} runs x {items} items x {len(KEYS)} metrics, "
              f"{args.resamples} resamples: wall {wall:.2f} s, CPU {cpu:.2f} s")
        runs = select_runs(Selection(results=folder)).runs
        key = "rouge2_f"
        columns = [runs[i].values(key) for i in range(len(runs))]
        ids = sorted(columns[0])
        matrix = [np.array([c[item] for item in ids]) for c in columns]
        pairs = [(a, b) for a in range(len(runs)) for b in range(a + 1, len(runs))]

        def reference():
            for a, b in pairs:
                paired_bootstrap_p(matrix[a], matrix[b], n_resamples=args.resamples)
                approximate_randomization_p(matrix[a], matrix[b], n_resamples=args.resamples)

        def vectorized():
            compare_runs(runs, [key], settings=settings)

        _, ref_wall, ref_cpu = timed(reference)
        _, vec_wall, vec_cpu = timed(vectorized)
        print(f"one metric, {len(pairs)} pairs: per-pair loops {ref_cpu:.2f} s CPU "
              f"({ref_wall:.2f} s wall), vectorized {vec_cpu:.2f} s CPU ({vec_wall:.2f} s "
              f"wall): {ref_cpu / vec_cpu:.0f}x less CPU")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
