"""Time the README's test command (`python -m pytest -q -p no:cacheprovider`) and list
its slowest tests.

    python benchmarks/bench_tests.py [--checkout PATH ...] [--slowest 8]

`--checkout` runs the same command in another checkout of the project (e.g. the code
before the speed work: `git worktree add ../before 091c599`) in the same session, so
the two figures share the machine's load. The machine's other load counts: run it on
an idle machine for headline figures.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
_DURATION = re.compile(r"^(\d+\.\d+)s (call|setup|teardown)\s+(\S+)")
_SUMMARY = re.compile(r"(\d+) passed(?:, (\d+) skipped)?")


def run_suite(checkout: Path, *, slowest: int) -> tuple[float, str, list[str]]:
    """(wall seconds, pytest's summary, the slowest phases) of the suite in `checkout`."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    done = subprocess.run([*COMMAND, f"--durations={slowest}"], cwd=checkout, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = done.stdout.splitlines()
    summary = next((line.strip("= ") for line in reversed(lines) if _SUMMARY.search(line)),
                   f"exit {done.returncode}")
    if done.returncode != 0:
        raise SystemExit(f"the suite failed in {checkout} ({summary}):\n"
                         + "\n".join(lines[-30:]))
    phases = [f"{m.group(1)} s {m.group(2)} {m.group(3)}"
              for m in map(_DURATION.match, lines) if m]
    return wall, summary, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another checkout to time the same way (repeatable)")
    parser.add_argument("--slowest", type=int, default=8)
    args = parser.parse_args()
    print(f"README test command; {len(os.sched_getaffinity(0))} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    results = []
    for checkout in [ROOT, *args.checkout]:
        wall, summary, phases = run_suite(checkout.resolve(), slowest=args.slowest)
        name = "this checkout" if checkout == ROOT else checkout.name
        results.append((name, wall, summary))
        print(f"\n{name}: {wall:.0f} s wall ({summary}); slowest:")
        for phase in phases:
            print(f"  {phase}")
    print("\n| code | wall | tests | vs this checkout |\n|---|---|---|---|")
    for name, wall, summary in results:
        print(f"| {name} | {wall:.0f} s | {summary} | {wall / results[0][1]:.2f}x |")


if __name__ == "__main__":
    main()
