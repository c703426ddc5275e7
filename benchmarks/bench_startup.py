"""Start-up time of the ``bench`` command against a bare ``python -c pass``.

    python benchmarks/bench_startup.py [--rounds 7]

Each command runs ``--rounds`` times in a fresh interpreter; the table shows the median
wall and CPU (user + system) seconds, and the ratio to ``python -c pass``. The commands
read nothing heavy: a slow one imports something it does not need (the goal is under
0.5 s wall on an idle machine; CPU time is the steadier figure on a loaded one).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "bench --help": [sys.executable, "-m", "benchmark.cli", "--help"],
    "bench run --help": [sys.executable, "-m", "benchmark.cli", "run", "--help"],
    "bench list metrics": [sys.executable, "-m", "benchmark.cli", "list", "metrics"],
    "bench list summarizers": [sys.executable, "-m", "benchmark.cli", "list", "summarizers"],
    "bench compare (no runs)": [sys.executable, "-m", "benchmark.cli", "compare",
                                "--results", "{empty}"],
}


def measure(command: list[str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        rows = []
        for label, command in COMMANDS.items():
            command = [part.replace("{empty}", empty) for part in command]
            measure(command)  # warm the file cache
            runs = [measure(command) for _ in range(args.rounds)]
            rows.append((label, statistics.median(w for w, _ in runs),
                         statistics.median(c for _, c in runs)))
    base_wall, base_cpu = rows[0][1], rows[0][2]
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.rounds} runs")
    print(f"{'command':<26}{'wall s':>9}{'cpu s':>9}{'wall / python':>15}")
    for label, wall, cpu in rows:
        print(f"{label:<26}{wall:>9.3f}{cpu:>9.3f}{wall / base_wall:>15.1f}")


if __name__ == "__main__":
    main()
