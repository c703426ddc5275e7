"""What the ``bench`` command's process spends on ending, and what ending at once saves.

    python benchmarks/bench_exit.py [--rounds 5] [--dataset ../shared/corpora/ant_bbc.jsonl]

Each case is one ``bench run`` on the whole dataset, in a folder of its own, run two
ways in each round, the order alternating: through `benchmark.cli.app.command`, as the
console script and ``python -m benchmark.cli`` run it (`benchmark.cli.ending` ends the
process at once), and through `benchmark.cli.app.main` in a process that then exits as
Python does (the heap torn down object by object, the last full collection). The cases
are the side-by-side table's run rows: a first model (lead-3) with ``--metrics rouge``,
``rouge,entities`` and ``all``, and a second model (lead-1, in the results folder the
first left) with ``rouge,entities`` and ``all``. Each first-model case writes to a
fresh folder, so both ways do the same work; a second model finds the first's analyses
either way.

Printed per case, both ways: CPU seconds (user + system of the process, medians), and
of them, the process's ending: its CPU less what it had spent when its last `atexit`
handler ran. The ending is measured inside each process, so the noise between
processes (a few percent on a shared machine) does not blur it. The two ways' items
are compared after the last round (equal but for the latencies). Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_side_by_side import cpu_of  # a script beside this one

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"

# The command run one way or the other, with its CPU seconds at the end of the last
# `atexit` handler written down (the first registered runs last): what the process
# spent but its ending.
WRAPPER = """import atexit, sys, time
mark = sys.argv.pop(1)
def spent_before_the_end():
    with open(mark, "w") as handle:
        handle.write(repr(time.process_time()))
atexit.register(spent_before_the_end)
from benchmark.cli.app import {entry}
sys.argv[0] = "bench"
{entry}()
"""
WAYS = {"at once": WRAPPER.format(entry="command"), "normal": WRAPPER.format(entry="main")}
CASES = [("lead-3", "rouge"), ("lead-3", "rouge,entities"), ("lead-1", "rouge,entities"),
         ("lead-3", "all"), ("lead-1", "all")]


def items_of(folder: Path, model: str) -> list[dict]:
    """The items of `model`'s run under `folder`, without their latencies."""
    (run,) = [path for path in folder.iterdir() if f"-{model}-" in path.name]
    items = [json.loads(line) for line in (run / "items.jsonl").open(encoding="utf-8")]
    for item in items:
        del item["latency_s"]
    return items


def one_round(number: int, work: Path, env: dict[str, str], dataset: Path,
              figures: dict[tuple[str, str, str], list[float]]) -> None:
    """Every case both ways (the order alternating by round): the process's CPU, and
    what it spent after its last `atexit` handler."""
    ways = list(WAYS) if number % 2 == 0 else list(reversed(WAYS))
    mark = work / "spent"
    for way in ways:
        for model, metrics in CASES:
            results = work / f"round{number}" / way.replace(" ", "-") / metrics
            spent = cpu_of([sys.executable, "-c", WAYS[way], str(mark), "run", "--model",
                            model, "--metrics", metrics, "--dataset", str(dataset),
                            "--output-dir", str(results)], env=env, cwd=work)
            figures.setdefault((model, metrics, way), []).append(spent)
            figures.setdefault((model, metrics, f"{way}, ending"), []).append(
                spent - float(mark.read_text()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dataset", type=Path, default=CORPUS)
    args = parser.parse_args()
    figures: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_CACHE_DIR": str(work / "cache")}
        for number in range(args.rounds):
            one_round(number, work, env, args.dataset, figures)
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
        last = work / f"round{args.rounds - 1}"
        for model, metrics in CASES:
            fast, normal = (items_of(last / way / metrics, model)
                            for way in ("at-once", "normal"))
            if fast != normal:
                raise SystemExit(f"{model} --metrics {metrics}: the items differ")
    print(f"\n{args.dataset.name}, all items; CPU seconds of the whole process, medians of "
          f"{args.rounds} interleaved rounds; the items of both ways equal\n")
    print("| run | normal exit | of which its ending | at once | of which its ending |")
    print("|---|---|---|---|---|")
    for model, metrics in CASES:
        which = "first" if model == "lead-3" else "second"
        normal, normal_end, fast, fast_end = (
            statistics.median(figures[(model, metrics, way)])
            for way in ("normal", "normal, ending", "at once", "at once, ending"))
        print(f"| `--metrics {metrics}`, {which} model | {normal:.3f} s | {normal_end:.3f} s | "
              f"{fast:.3f} s | {fast_end:.3f} s |")


if __name__ == "__main__":
    main()
