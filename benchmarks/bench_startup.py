"""Start-up time of the ``bench`` command against ``sacrebleu --help`` and ``python -c pass``.

    python benchmarks/bench_startup.py [--rounds 7] [--checkout ../before]

Every command runs in a fresh interpreter, in an empty folder (nothing there shadows a
module), with this checkout first on ``PYTHONPATH``; its CPU time is user + system time
(`resource.getrusage`). Each round runs every command once, in turn (interleaved), so
a change in the machine's load hits all of them; the table shows the median CPU and
wall seconds over the rounds and, for each ratio, the median of the rounds' ratios
(ours ÷ theirs: below 1, ours takes less). Issue 21's target: ``bench --help`` at or
below ``sacrebleu --help``.

Each command runs once before the rounds with bytecode writing allowed, so the checkout
is measured as installed (an installer compiles the modules; sacrebleu's are) even when
``PYTHONDONTWRITEBYTECODE`` is set. ``--checkout PATH`` adds the ``bench`` rows of
another checkout (say, the code before a change) to the same rounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = [sys.executable, "-m", "benchmark.cli"]
BENCH_COMMANDS = {  # label -> arguments of bench
    "bench --help": ["--help"],
    "bench run --help": ["run", "--help"],
    "bench list metrics": ["list", "metrics"],
    "bench list summarizers": ["list", "summarizers"],
    "bench compare (no runs)": ["compare", "--results", "{empty}"],
}


def measure(command: list[str], *, env: dict[str, str], cwd: str) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=env, cwd=cwd)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sacrebleu_script() -> str | None:
    beside = Path(sys.executable).parent / "sacrebleu"
    return str(beside) if beside.exists() else shutil.which("sacrebleu")


def cases(checkouts: list[Path], empty: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """label -> (command, environment), in the order of a round."""
    plain = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    found = {"python -c pass": ([sys.executable, "-c", "pass"], plain)}
    sacrebleu = sacrebleu_script()
    if sacrebleu:
        found["sacrebleu --help"] = ([sacrebleu, "--help"], plain)
    for checkout in checkouts:
        suffix = "" if checkout == ROOT else f" ({checkout.name})"
        env = {**plain, "PYTHONPATH": str(checkout)}
        for label, arguments in BENCH_COMMANDS.items():
            found[label + suffix] = ([*BENCH, *(a.replace("{empty}", empty) for a in arguments)],
                                     env)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another checkout whose bench commands to measure in the same "
                             "rounds (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as empty:
        found = cases([ROOT, *(path.resolve() for path in args.checkout)], empty)
        for command, env in found.values():  # compile the modules once, as installed
            warm = {key: value for key, value in env.items()
                    if key != "PYTHONDONTWRITEBYTECODE"}
            measure(command, env=warm, cwd=empty)
        runs: dict[str, list[tuple[float, float]]] = {label: [] for label in found}
        for _ in range(args.rounds):
            for label, (command, env) in found.items():
                runs[label].append(measure(command, env=env, cwd=empty))
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.rounds} interleaved rounds"
          "; ratios ours ÷ theirs, the median of the rounds' ratios")
    print(f"{'command':<36}{'wall s':>8}{'CPU s':>8}{'÷ python':>10}{'÷ sacrebleu':>13}")
    for label, measured in runs.items():
        ratios = [f"{statistics.median(c / b[1] for (_, c), b in zip(measured, runs[base])):.2f}"
                  if base in runs and label != base else ""
                  for base in ("python -c pass", "sacrebleu --help")]
        print(f"{label:<36}{statistics.median(w for w, _ in measured):>8.3f}"
              f"{statistics.median(c for _, c in measured):>8.3f}{ratios[0]:>10}{ratios[1]:>13}")


if __name__ == "__main__":
    main()
