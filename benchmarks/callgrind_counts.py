"""What the scripts that count instructions share (`count_*_instructions.py`,
`bench_summary.py`, `bench_analysis_reads.py`, `bench_bootstrap.py --count`): running a
child under valgrind's callgrind and reading the instructions it collected (a count the
machine's load does not move). Not collected by pytest."""

from __future__ import annotations

import shutil
import subprocess

CALLGRIND = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]


def require_valgrind() -> None:
    """Stop with what to install when valgrind is missing."""
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed: apt-get install valgrind")


def collected(done: subprocess.CompletedProcess) -> int | None:
    """The instructions callgrind says it collected in a finished child run (its last
    ``Collected :`` line); None when the run failed or printed no count."""
    if done.returncode:
        return None
    totals = [line for line in done.stderr.splitlines() if "Collected :" in line]
    return int(totals[-1].split()[-1]) if totals else None


def count(arguments: list[str], env: dict[str, str] | None = None) -> int:
    """The instructions of the child ``arguments`` (a command line) under callgrind;
    stops with the end of its error output when it fails or prints no count."""
    done = subprocess.run([*CALLGRIND, *arguments], capture_output=True, text=True, env=env)
    instructions = collected(done)
    if instructions is None:
        raise SystemExit(done.stderr[-2000:])
    return instructions
