"""Time `bench run --model M --metrics rouge,entities` on BBC: a dataset's first model
(lead-3) against a second one (lead-1, the dataset analysis reused), and 1 scoring
worker against 2.

    python benchmarks/bench_run.py [--limit 500] [--workers 2] [--checkout PATH ...]

Each case runs the real CLI in a subprocess, in a fresh temporary output folder: "first
model" starts with no cache, "second model" runs lead-1 over the cache the first run
left. Wall seconds and the CPU seconds of the
subprocess tree are printed, with ratios, and how many scoring processes the run
used (``--workers`` is capped by the CPUs the machine leaves idle). `--checkout` adds the same cases for another
checkout of the project (e.g. the code before this work), measured in the same run.
The machine's other load counts: run it on an idle machine for headline figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_run(checkout: Path, *, model: str, corpus: Path, output: Path, limit: int | None,
              workers: int) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, scoring processes used) of one `bench run`."""
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", model,
               "--metrics", "rouge,entities", "--dataset", str(corpus),
               "--output-dir", str(output), "--workers", str(workers)]
    if limit:
        command += ["--limit", str(limit)]
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
    used = json.loads(newest.read_text(encoding="utf-8"))["timing"].get("scoring_processes")
    return wall, cpu, "?" if used is None else str(used)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--limit", type=int, default=500, help="items (0: all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another checkout to measure the same way (repeatable)")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    print(f"bench run --metrics rouge,entities on {corpus.name}, "
          f"{args.limit or 'all'} items; {len(os.sched_getaffinity(0))} CPUs usable, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| code | case | --workers | processes used | wall | CPU | 1 worker's wall / this |"
          "\n|---|---|---|---|---|---|---|")
    for checkout in [ROOT, *args.checkout]:
        name = "this checkout" if checkout == ROOT else str(checkout.name)
        single: dict[str, float] = {}
        for case, count, wall, cpu, used in cases(checkout.resolve(), corpus=corpus,
                                                   limit=args.limit or None,
                                                   workers=args.workers):
            single.setdefault(case, wall)
            print(f"| {name} | {case} | {count} | {used} | {wall:.1f} s | {cpu:.1f} s | "
                  f"{single[case] / wall:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
