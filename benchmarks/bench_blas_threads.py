"""What one BLAS thread saves bench's own processes, and what it costs.

    python benchmarks/bench_blas_threads.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                            [--rounds 3] [--limit N]
                                            [--metrics rouge,entities all]

`bench` asks numpy's OpenBLAS for one thread unless ``OPENBLAS_NUM_THREADS`` is set
(`benchmark.runs.blas_threads`). Here every command runs in a fresh interpreter twice,
in interleaved rounds (which goes first alternates), after an unmeasured pass of each
metric set has filled the user cache: as bench runs it (the variable unset), and with
the variable set to the machine's core count, which is what OpenBLAS starts without it.
Per metric set: `bench run` of lead-3 in a fresh results folder (first model, the
dataset analysis computed), then of lead-1 in the same folder (second model, the
analysis read), then `bench compare` of the two run folders (10,000 resamples, every
metric). Printed: the median CPU seconds (user + system of the process tree) and wall
seconds; the median of CPU less wall, which tells the threads' spinning apart from the
noise between processes (these commands keep one core busy, so with one thread CPU is
their wall time; what OpenBLAS's threads spend beside it is CPU beyond the wall time);
and one thread's ÷ the core count's (below 1: one thread takes less).

The number of threads changes how the matrix products are shared out, not what a run
computes: the runs' items (less their timings) and aggregates are compared exactly, and
the script stops if any differs. `bench compare`'s numbers come from matrix products,
whose sums the threads add in another order: they may differ by at most 1e-5 (scores
are on a 0-100 scale, shown to two decimals), and the largest difference seen is printed.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_gc import items_of

from benchmark.runs.blas_threads import VARIABLE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
CORES = str(os.cpu_count() or 1)
SETTINGS = {"one (bench)": None, f"{CORES} (OpenBLAS's own)": CORES}


def timed(command: list[str], *, env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """CPU and wall seconds of `command` and its children, and its output."""
    before, began = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[3:6])} failed ({done.returncode}): "
                         f"{done.stderr.strip()[-400:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stdout


def outputs(results: Path, model: str) -> list[str]:
    """The scored items of `model`'s run in `results`, without timings, and its
    aggregates (the means and their intervals)."""
    [folder] = results.glob(f"*-{model}-*")
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    return items_of(results, model) + [json.dumps([record["aggregates"], record["corpus"]],
                                                  sort_keys=True)]


def comparison(table: str) -> object:
    """`bench compare`'s JSON less what names the run folders (made at other times)."""
    def strip(value):
        if isinstance(value, dict):
            return {key: strip(inner) for key, inner in value.items()
                    if key not in ("run_dir", "run_id")}
        return [strip(inner) for inner in value] if isinstance(value, list) else value
    return strip(json.loads(table))


def largest_difference(ours, theirs, where: str = "") -> float:
    """The largest difference between the numbers of two comparisons; stops where
    anything else differs."""
    if isinstance(ours, dict) and isinstance(theirs, dict) and ours.keys() == theirs.keys():
        return max((largest_difference(ours[key], theirs[key], f"{where}/{key}")
                    for key in ours), default=0.0)
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return max((largest_difference(a, b, f"{where}[{k}]")
                    for k, (a, b) in enumerate(zip(ours, theirs))), default=0.0)
    numbers = (int, float)
    if isinstance(ours, numbers) and isinstance(theirs, numbers) \
            and not isinstance(ours, bool) and not isinstance(theirs, bool):
        return abs(ours - theirs)
    if ours != theirs:
        raise SystemExit(f"bench compare differs between the settings at {where}: "
                         f"{ours!r} against {theirs!r}")
    return 0.0


def environment(work: Path, threads: str | None) -> dict[str, str]:
    """This process's environment for a command in `work`: this checkout's modules, a
    user cache of its own, and `VARIABLE` set to `threads` (unset with None)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_CACHE_DIR": str(work / "cache")}
    env.pop(VARIABLE, None)
    if threads:
        env[VARIABLE] = threads
    return env


def one_setting(place: Path, env: dict[str, str], metrics: str, args: argparse.Namespace
                ) -> tuple[dict[str, tuple[float, float]], list]:
    """First model, second model and their comparison in `place`: each one's (CPU, wall),
    and what they computed (the runs' outputs, the comparison)."""
    bench = [sys.executable, "-m", "benchmark.cli"]
    limit = ["--limit", str(args.limit)] if args.limit else []
    results = place / "results"
    timings = {}
    for model, which in (("lead-3", "first model"), ("lead-1", "second model")):
        cpu, wall, _ = timed([*bench, "run", "--model", model, "--metrics", metrics,
                              "--dataset", str(args.dataset), "--output-dir", str(results),
                              *limit], env=env, cwd=place)
        timings[which] = (cpu, wall)
    runs = [str(next(results.glob(f"*-{model}-*"))) for model in ("lead-3", "lead-1")]
    cpu, wall, table = timed([*bench, "compare", *runs, "--format", "json"], env=env, cwd=place)
    timings["compare"] = (cpu, wall)
    return timings, [outputs(results, "lead-3"), outputs(results, "lead-1"), comparison(table)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--metrics", nargs="+", default=["rouge,entities", "all"])
    args = parser.parse_args()
    measured: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    largest = 0.0  # bench compare's largest difference between the settings
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # Fill the user cache first (compiled patterns, the dataset's identity), as on a
        # machine where bench ran before: the first command measured would pay for it.
        for metrics in args.metrics:
            warm = work / f"warm-{metrics}"
            warm.mkdir()
            one_setting(warm, environment(work, None), metrics, args)
        for number in range(args.rounds):
            for metrics in args.metrics:
                seen = {}
                order = list(SETTINGS.items())[::1 if number % 2 == 0 else -1]  # alternate
                for setting, threads in order:
                    place = work / f"r{number}-{metrics}-{threads or 1}"
                    place.mkdir()
                    timings, seen[setting] = one_setting(place, environment(work, threads),
                                                         metrics, args)
                    for which, timing in timings.items():
                        measured.setdefault((metrics, which, setting), []).append(timing)
                ours, theirs = (seen[setting] for setting in SETTINGS)
                if ours[:2] != theirs[:2]:
                    raise SystemExit(f"{metrics}: the runs differ between the settings")
                difference = largest_difference(ours[2], theirs[2])
                if difference > 1e-5:
                    raise SystemExit(f"{metrics}: bench compare differs between the settings "
                                     f"by {difference:.1e}")
                largest = max(largest, difference)
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    print(f"\n{args.dataset.name}, {args.limit or 'all'} items, {CORES} cores; medians of "
          f"{args.rounds} interleaved rounds; runs identical; bench compare's numbers "
          f"within {largest:.1e}\n")
    print("| command | BLAS threads | CPU s | wall s | CPU - wall s | CPU ÷ OpenBLAS's own "
          "| wall ÷ OpenBLAS's own |")
    print("|---|---|---|---|---|---|---|")
    own = list(SETTINGS)[1]
    for metrics in args.metrics:
        for which in ("first model", "second model", "compare"):
            base = measured[(metrics, which, own)]
            for setting in SETTINGS:
                runs = measured[(metrics, which, setting)]
                cpu = statistics.median(new[0] / old[0] for new, old in zip(runs, base))
                wall = statistics.median(new[1] / old[1] for new, old in zip(runs, base))
                what = "bench compare" if which == "compare" else f"bench run, {which}"
                print(f"| {what} (`--metrics {metrics}`) | {setting} "
                      f"| {statistics.median(r[0] for r in runs):.2f} "
                      f"| {statistics.median(r[1] for r in runs):.2f} "
                      f"| {statistics.median(r[0] - r[1] for r in runs):.3f} "
                      f"| {cpu:.3f}x | {wall:.3f}x |")


if __name__ == "__main__":
    main()
