"""Time `bench run --model M --metrics rouge,entities` on BBC: a dataset's first model
(lead-3) against a second one (lead-1, the dataset analysis reused), and 1 scoring
worker against 2.

    python benchmarks/bench_run.py [--limit 500] [--workers 2] [--rounds 3] [--ceiling]
                                   [--checkout PATH ...]

Each case runs the real CLI in a subprocess, in a fresh temporary output folder: "first
model" starts with no cache, "second model" runs lead-1 over the cache the first run
left. Wall seconds and the CPU seconds of the
subprocess tree are printed, with ratios, and how many scoring processes the run
used (``--workers`` is capped by the CPUs idle at the run's start: each run's reason,
from ``timing.worker_plan``, is printed, and the CPUs idle before and after each round,
so the output says whether the machine was idle). `--checkout` adds the same cases for another
checkout of the project (e.g. the code before this work), measured in the same run.
`--ceiling` also runs two independent 1-worker first-model runs at the same time: on
a virtual machine two busy processes may not get twice the work of one done, and that
ratio is the most 2 workers can give. The machine's other load counts: run it on an
idle machine for headline figures.
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

ROOT = Path(__file__).resolve().parents[1]


def command_for(checkout: Path, *, model: str, corpus: Path, output: Path,
                limit: int | None, workers: int) -> list[str]:
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", model,
               "--metrics", "rouge,entities", "--dataset", str(corpus),
               "--output-dir", str(output), "--workers", str(workers)]
    return command + (["--limit", str(limit)] if limit else [])


def bench_run(checkout: Path, *, model: str, corpus: Path, output: Path, limit: int | None,
              workers: int) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, scoring processes used) of one `bench run`."""
    command = command_for(checkout, model=model, corpus=corpus, output=output, limit=limit,
                          workers=workers)
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=output.parent, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench run failed ({checkout}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    newest = max(output.glob("*/run.json"), key=lambda path: path.stat().st_mtime)
    timing = json.loads(newest.read_text(encoding="utf-8"))["timing"]
    used = timing.get("scoring_processes")
    plan = timing.get("worker_plan") or {}
    if workers > 1:
        print(f"  --workers {workers}: {plan.get('reason', '?')}", flush=True)
    return wall, cpu, "?" if used is None else str(used)


def two_at_once(checkout: Path, *, corpus: Path, limit: int | None) -> float:
    """Wall seconds of two independent first-model runs (1 worker each) started
    together: what this machine gives two busy processes, the ceiling for 2 workers."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        running = [subprocess.Popen(command_for(checkout, model="lead-3", corpus=corpus,
                                                output=Path(folder) / f"results{i}",
                                                limit=limit, workers=1),
                                    env=env, cwd=folder, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
                   for i in range(2)]
        if any(process.wait() for process in running):
            raise SystemExit("a bench run of the pair failed")
        return time.perf_counter() - start


def cases(checkout: Path, *, corpus: Path, limit: int | None, workers: int):
    """(case, workers, wall, cpu, processes used) for a first and a second model with 1
    and `workers` workers."""
    for count in dict.fromkeys((1, workers)):
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "results"
            for case, model in (("first model (lead-3)", "lead-3"),
                                ("second model (lead-1)", "lead-1")):
                wall, cpu, used = bench_run(checkout, model=model, corpus=corpus,
                                            output=output, limit=limit, workers=count)
                yield case, count, wall, cpu, used


def machine_state() -> str:
    """The usable CPUs, how many are idle over a second and the load average: whether
    the machine was idle while measuring."""
    from benchmark.runs.workers import measure_idle_cpus, usable_cpus

    cpus = usable_cpus()
    idle, how = measure_idle_cpus(cpus, window_s=1.0)
    seen = f"{idle:.1f} idle ({how})" if idle is not None else "idle time unknown"
    return (f"{len(cpus)} CPUs usable, {seen}, load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--limit", type=int, default=500, help="items (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1,
                        help="rounds of all cases, in turn; medians are printed")
    parser.add_argument("--ceiling", action="store_true",
                        help="also time two 1-worker runs at once (what 2 processes get here)")
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another checkout to measure the same way (repeatable)")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    limit = args.limit or None
    print(f"bench run --metrics rouge,entities on {corpus.name}, "
          f"{args.limit or 'all'} items; {machine_state()}; medians of {args.rounds} "
          "round(s)")
    rows: dict[tuple[str, str, int], list[tuple[float, float, str]]] = {}
    pairs: list[float] = []
    for _ in range(args.rounds):
        for checkout in [ROOT, *args.checkout]:
            name = "this checkout" if checkout == ROOT else str(checkout.name)
            for case, count, wall, cpu, used in cases(checkout.resolve(), corpus=corpus,
                                                       limit=limit, workers=args.workers):
                rows.setdefault((name, case, count), []).append((wall, cpu, used))
        if args.ceiling:
            pairs.append(two_at_once(ROOT, corpus=corpus, limit=limit))
        print(f"round done; {machine_state()}", flush=True)
    print("\n| code | case | --workers | processes used | wall | CPU | 1 worker's wall / this |"
          "\n|---|---|---|---|---|---|---|")
    for (name, case, count), measured in rows.items():
        wall = statistics.median(m[0] for m in measured)
        cpu = statistics.median(m[1] for m in measured)
        used = ",".join(sorted({m[2] for m in measured}))
        single = statistics.median(m[0] for m in rows[(name, case, 1)])
        walls = ", ".join(f"{m[0]:.1f}" for m in measured)
        print(f"| {name} | {case} | {count} | {used} | {wall:.1f} s ({walls}) | {cpu:.1f} s | "
              f"{single / wall:.2f}x |", flush=True)
    if pairs:
        single = statistics.median(m[0] for m in rows[("this checkout", "first model (lead-3)", 1)])
        pair = statistics.median(pairs)
        print(f"\nTwo 1-worker first-model runs at once: {pair:.1f} s "
              f"({', '.join(f'{p:.1f}' for p in pairs)}): this machine gives two busy "
              f"processes {2 * single / pair:.2f}x the work of one in the same time.")


if __name__ == "__main__":
    main()
