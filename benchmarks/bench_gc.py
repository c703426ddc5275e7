"""What collecting the youngest generation less often saves a run, and what it costs.

    python benchmarks/bench_gc.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                  [--rounds 3] [--limit N] [--metrics rouge,entities all]
                                  [--thresholds 700 20000 100000]

`bench` collects the youngest generation of the cyclic garbage collector after 100,000
net allocations instead of CPython's 700 (`benchmark.runs.collector`). Here every
`bench run` runs in a fresh interpreter with the collector's threshold set to each of
`--thresholds` (default: 700 and bench's) in turn (interleaved rounds): lead-3 in a
fresh results folder (first model, the dataset analysis computed), then lead-1 in the
same folder (second model, the analysis read), for each metric set. Per run: the CPU seconds of the process, the CPU seconds inside
the collector (timed by `gc.callbacks`), the collections of each generation, and the
peak resident memory. Printed: medians over the rounds, and each ÷ the first threshold.

The threshold changes when the collector runs, never what a run computes: the runs'
items are compared, and the script stops if any differs.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
DEFAULT = 700  # CPython's threshold for the youngest generation

# Runs `bench` with the threshold set, and writes what it measured to $BENCH_GC_REPORT.
PRELUDE = """
import atexit, gc, json, os, resource, sys, time
import benchmark.runs.collector as collector
collector.YOUNG_THRESHOLD = int(os.environ["BENCH_GC_YOUNG"])
inside, began, collections = [0.0], [0.0], [0, 0, 0]
def timed(phase, info):
    if phase == "start":
        began[0] = time.process_time()
    else:
        inside[0] += time.process_time() - began[0]
        collections[info["generation"]] += 1
gc.callbacks.append(timed)
def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(os.environ["BENCH_GC_REPORT"], "w") as out:
        json.dump({"cpu": usage.ru_utime + usage.ru_stime, "gc": inside[0],
                   "collections": collections, "peak_mb": usage.ru_maxrss / 1024}, out)
atexit.register(report)
sys.argv = ["bench", *sys.argv[1:]]
from benchmark.cli.app import main
main()
"""


def bench_run(model: str, metrics: str, results: Path, young: int, args) -> dict:
    report = results.parent / f"report-{young}.json"
    command = [sys.executable, "-c", PRELUDE, "run", "--model", model, "--metrics", metrics,
               "--output-dir", str(results), "--dataset", str(args.dataset)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_GC_YOUNG": str(young),
           "BENCH_GC_REPORT": str(report), "BENCH_CACHE_DIR": str(results.parent / "cache")}
    done = subprocess.run(command, env=env, cwd=results.parent, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench run failed ({done.returncode}): {done.stderr.strip()[-400:]}")
    return json.loads(report.read_text())


def items_of(results: Path, model: str) -> list[str]:
    """The scored items of `model`'s run in `results`, without timings."""
    [folder] = results.glob(f"*-{model}-*")
    rows = []
    for line in (folder / "items.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("latency_s", None)
        rows.append(json.dumps(record, sort_keys=True))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--metrics", nargs="+", default=["rouge", "rouge,entities", "all"])
    parser.add_argument("--thresholds", type=int, nargs="+", default=None,
                        help="young thresholds to measure (default: 700 and bench's); the "
                             "first is the one the ratios divide by")
    args = parser.parse_args()
    from benchmark.runs.collector import YOUNG_THRESHOLD

    thresholds = tuple(args.thresholds or (DEFAULT, YOUNG_THRESHOLD))
    measured: dict[tuple[str, str, int], list[dict]] = {}
    with tempfile.TemporaryDirectory() as work:
        for number in range(args.rounds):
            for metrics in args.metrics:
                for young in thresholds:
                    place = Path(work) / f"r{number}-{metrics}-{young}"
                    place.mkdir()
                    results = place / "results"
                    for model, which in (("lead-3", "first"), ("lead-1", "second")):
                        measured.setdefault((metrics, which, young), []).append(
                            bench_run(model, metrics, results, young, args))
                places = [Path(work) / f"r{number}-{metrics}-{young}" / "results"
                          for young in thresholds]
                for model in ("lead-3", "lead-1"):
                    if any(items_of(places[0], model) != items_of(place, model)
                           for place in places[1:]):
                        raise SystemExit(f"{metrics} {model}: the items differ between "
                                         "the thresholds")
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    named = ", ".join(f"{young}" + (" (default)" if young == DEFAULT else
                                     " (bench)" if young == YOUNG_THRESHOLD else "")
                      for young in thresholds)
    print(f"\n{args.dataset.name}, {args.limit or 'all'} items; medians of {args.rounds} "
          f"interleaved rounds; young thresholds {named}; items identical\n")
    print("| run | threshold | CPU s | in the collector s | collections (gen 0/1/2) "
          f"| peak MB | CPU ÷ {thresholds[0]} |")
    print("|---|---|---|---|---|---|---|")
    for metrics in args.metrics:
        for which in ("first", "second"):
            base = measured[(metrics, which, thresholds[0])]
            for young in thresholds:
                runs = measured[(metrics, which, young)]
                ratio = statistics.median(run["cpu"] / old["cpu"]
                                          for run, old in zip(runs, base))
                counts = "/".join(str(round(statistics.median(run["collections"][g]
                                                              for run in runs)))
                                  for g in range(3))
                print(f"| `--metrics {metrics}`, {which} model | {young} "
                      f"| {statistics.median(r['cpu'] for r in runs):.2f} "
                      f"| {statistics.median(r['gc'] for r in runs):.3f} | {counts} "
                      f"| {statistics.median(r['peak_mb'] for r in runs):.0f} "
                      f"| {ratio:.3f}x |")


if __name__ == "__main__":
    main()
