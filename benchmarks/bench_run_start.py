"""The fixed costs of a second model's run, in two checkouts, interleaved rounds.

    python benchmarks/bench_run_start.py --old ../before [--rounds 7]
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--metrics rouge,entities]

In each checkout, in a temporary folder of its own, a lead-3 run leaves the dataset
analysis (each checkout's own: the store is keyed by the code that analyses). Then, in
each round, each checkout in turn runs ``bench run --model lead-1`` in a fresh copy of
that folder, in a fresh interpreter with the checkout first on the path, through a
small wrapper that reads the process's CPU clock (`time.process_time`, counted from the
process's start, the interpreter's own start included) at four points:

- ``start``: the run folder is open and the first batch is about to be read (the
  progress bar's ``start``): imports, argument parsing, reading the configuration and
  the dataset's identity, the summarizer, the scorer, the claim;
- ``first item``: the first batch's lines are written (the bar's first ``update``;
  this includes scoring that batch, about 1/60 of the items on BBC);
- ``end``: the process exits (after the summary, the intervals and the record);
- ``end - last``: the time after the last batch was written (the summary,
  bootstrap intervals, the record, the printed table).

Medians over the rounds, and ours ÷ theirs as the median of the rounds' ratios. The
wrapper imports ``benchmark.cli.progress`` (which both checkouts have) before the
command; everything else is imported as ``bench`` does. Each checkout's modules are
compiled by its lead-3 run first, as an installer would. The two runs' items.jsonl
(without latencies) and run.json scores must be equal. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import atexit, json, sys, time
marks = {"interpreter": time.process_time()}
from benchmark.cli import progress
start, update = progress.ProgressBar.start, progress.ProgressBar.update
def on_start(self, *args, **kwargs):
    marks.setdefault("start", time.process_time())
    return start(self, *args, **kwargs)
def on_update(self, n):
    result = update(self, n)
    marks.setdefault("first item", time.process_time())
    marks["last"] = time.process_time()
    return result
progress.ProgressBar.start, progress.ProgressBar.update = on_start, on_update
def write():
    marks["end"] = time.process_time()
    with open(OUT_PATH, "w") as file:
        json.dump(marks, file)
atexit.register(write)
sys.argv = ["bench", *sys.argv[2:]]
from benchmark.cli.app import main
main()
'''


def environment(checkout: Path, work: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key != "PYTHONDONTWRITEBYTECODE"}  # compiled once, as installed
    env.update(PYTHONPATH=str(checkout), BENCH_CACHE_DIR=str(work / "cache"))
    return env


def bench_args(model: str, args: argparse.Namespace, results: Path) -> list[str]:
    return ["run", "--model", model, "--metrics", args.metrics, "--dataset",
            str(args.dataset.resolve()), "--output-dir", str(results)]


def first_model(checkout: Path, work: Path, args: argparse.Namespace) -> Path:
    results = work / "first"
    done = subprocess.run([sys.executable, "-m", "benchmark.cli",
                           *bench_args("lead-3", args, results)], cwd=work,
                          env=environment(checkout, work), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"lead-3 failed in {checkout}:\n{done.stderr[-2000:]}")
    return results


def second_model(checkout: Path, work: Path, first: Path, number: int,
                 args: argparse.Namespace) -> tuple[dict[str, float], Path]:
    results = work / f"second{number}"
    if results.exists():
        shutil.rmtree(results)
    shutil.copytree(first, results)
    marks = work / f"marks{number}.json"
    code = CHILD.replace("OUT_PATH", repr(str(marks)))
    done = subprocess.run([sys.executable, "-c", code, "bench",
                           *bench_args("lead-1", args, results)], cwd=work,
                          env=environment(checkout, work), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"lead-1 failed in {checkout}:\n{done.stderr[-2000:]}")
    return json.loads(marks.read_text()), results


def outputs(results: Path) -> tuple[list[dict], dict]:
    """The lead-1 run's items (without latencies) and its record's scores."""
    folder = next(path for path in results.iterdir()
                  if path.is_dir() and "lead-1" in path.name)
    items = [json.loads(line) for line in (folder / "items.jsonl").read_text().splitlines()]
    for item in items:
        item.pop("latency_s", None)
    record = json.loads((folder / "run.json").read_text())
    return items, {key: record.get(key) for key in ("aggregates", "corpus", "items")}


PHASES = ("interpreter", "start", "first item", "end - last", "end")


def phases(marks: dict[str, float]) -> dict[str, float]:
    return {"interpreter": marks["interpreter"], "start": marks["start"],
            "first item": marks["first item"], "end - last": marks["end"] - marks["last"],
            "end": marks["end"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--metrics", default="rouge,entities")
    args = parser.parse_args()
    checkouts = {"this checkout": ROOT, args.old.name: args.old.resolve()}
    seen: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory() as folder:
        works = {name: Path(folder) / str(number) for number, name in enumerate(checkouts)}
        firsts = {}
        for name, checkout in checkouts.items():
            works[name].mkdir()
            firsts[name] = first_model(checkout, works[name], args)
        results = {}
        for number in range(args.rounds):
            for name, checkout in checkouts.items():
                marks, results[name] = second_model(checkout, works[name], firsts[name],
                                                    number % 2, args)
                seen[name].append(phases(marks))
            if number == 0:
                found = [outputs(path) for path in results.values()]
                if found[0] != found[1]:
                    raise SystemExit("the two checkouts' lead-1 runs differ")
            print(f"round {number + 1}: " + ", ".join(
                f"{name} {seen[name][-1]['start']:.3f}/{seen[name][-1]['end']:.3f}"
                for name in checkouts), file=sys.stderr)
    ours, theirs = seen["this checkout"], seen[args.old.name]
    print(f"`bench run --model lead-1 --metrics {args.metrics}` after lead-3, "
          f"{args.dataset.name}; CPU seconds of the process at each point, medians of "
          f"{args.rounds} interleaved rounds; items and scores identical\n")
    print(f"| point | this checkout | {args.old.name} | ours ÷ theirs |\n|---|---|---|---|")
    for phase in PHASES:
        ratio = statistics.median(a[phase] / b[phase] for a, b in zip(ours, theirs))
        print(f"| {phase} | {statistics.median(a[phase] for a in ours):.3f} | "
              f"{statistics.median(b[phase] for b in theirs):.3f} | {ratio:.3f} |")


if __name__ == "__main__":
    main()
