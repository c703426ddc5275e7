"""Instructions of a whole second model's run, in two checkouts (valgrind's callgrind).

    python benchmarks/count_run_instructions.py --old ../before [--repeats 2]
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--metrics rouge,entities] [--limit N]
        [--head N]

A change that saves a few percent of a run is under the CPU-time noise of a shared
2-core machine; an instruction count is not. In each checkout, in a temporary folder
of its own: a lead-3 run (natively) leaves the dataset analysis, as a first model does
(each checkout's own: the store is keyed by the code that analyses); then `--repeats`
lead-1 runs, each in a fresh copy of that folder, run under ``valgrind
--tool=callgrind`` with ``PYTHONHASHSEED=0``. Prints each count (millions of
instructions: the whole process, start-up and imports included) and the ratio of the
medians. Each checkout's modules are compiled by its native run first. About 3-4
minutes per counted run on all of BBC. ``--head N``: the dataset is a copy of the
first N lines of `--dataset` (the same file for both checkouts), read whole: what a run
costs besides its items (imports, the configuration, the record, the writes), in a few
seconds per counted run, without what ``--limit`` adds of its own (a scan of the whole
dataset to pick the items). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_counts import CALLGRIND, collected, require_valgrind

ROOT = Path(__file__).resolve().parents[1]


def bench(checkout: Path, work: Path, model: str, metrics: str, results: Path,
          args: argparse.Namespace, *, prefix: list[str] = ()) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}  # compiled once, as installed
    environment.update(PYTHONHASHSEED="0", PYTHONPATH=str(checkout),
                       BENCH_CACHE_DIR=str(work / "cache"))
    limit = ["--limit", str(args.limit)] if args.limit else []
    command = [*prefix, sys.executable, "-m", "benchmark.cli", "run", "--model", model,
               "--metrics", metrics, "--dataset", str(args.dataset.resolve()),
               "--output-dir", str(results), *limit]
    done = subprocess.run(command, cwd=work, env=environment, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"failed in {checkout}: {' '.join(command[:8])} ...\n"
                         f"{done.stderr[-2000:]}")
    return done


def counts(checkout: Path, args: argparse.Namespace) -> list[int]:
    """Instructions of each lead-1 run in `checkout` (millions)."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        if args.head:
            args = argparse.Namespace(**{**vars(args), "dataset": _head(args, work)})
        first = work / "first"
        bench(checkout, work, "lead-3", args.metrics, first, args)
        for number in range(args.repeats):
            results = work / f"second{number}"
            shutil.copytree(first, results)
            done = bench(checkout, work, "lead-1", args.metrics, results, args,
                         prefix=CALLGRIND)
            total = collected(done)
            if total is None:
                raise SystemExit(f"callgrind gave no count in {checkout}:\n{done.stderr[-2000:]}")
            found.append(total // 1_000_000)
            print(f"{checkout.name}: {found[-1]:,} M", file=sys.stderr)
    return found


def _head(args: argparse.Namespace, work: Path) -> Path:
    """The first `args.head` lines of the dataset, as a dataset file of the same name."""
    with open(args.dataset, "rb") as source:
        lines = [line for _, line in zip(range(args.head), source)]
    path = work / "head" / args.dataset.name
    path.parent.mkdir()
    path.write_bytes(b"".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other checkout")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--metrics", default="rouge,entities")
    parser.add_argument("--limit", type=int, default=0, help="items (0: all)")
    parser.add_argument("--head", type=int, default=0,
                        help="a dataset of the first N lines of --dataset (0: the whole file)")
    args = parser.parse_args()
    require_valgrind()
    ours, theirs = counts(ROOT, args), counts(args.old.resolve(), args)
    print(f"`bench run --model lead-1 --metrics {args.metrics}` after lead-3, "
          f"{args.dataset.name}{f', {args.limit} items' if args.limit else ''}"
          f"{f', its first {args.head} lines' if args.head else ''}; millions "
          f"of instructions (callgrind, PYTHONHASHSEED=0)\n")
    print("| checkout | runs | median |\n|---|---|---|")
    for name, found in (("this checkout", ours), (args.old.name, theirs)):
        print(f"| {name} | {', '.join(f'{n:,}' for n in found)} | "
              f"{statistics.median(found):,.0f} |")
    print(f"\nthis ÷ {args.old.name}: {statistics.median(ours) / statistics.median(theirs):.3f}")


if __name__ == "__main__":
    main()
