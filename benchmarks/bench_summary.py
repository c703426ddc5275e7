"""A run's summary from its items (`ItemTally.summary`: the bootstrap intervals and the
metrics' corpus values) in instructions, here and in another checkout.

    python benchmarks/bench_summary.py --items RUN/items.jsonl --metrics rouge,entities
        [--checkout DIR]

Each count is of a child process under valgrind's callgrind (a count the machine's
load does not move) that reads the items into a tally and makes the summary, less that
of a child that only reads them, in millions; with ``--checkout``, the same in that
checkout (e.g. one before a change), and the ratio. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from callgrind_counts import count, require_valgrind

ROOT = Path(__file__).resolve().parents[1]


def child(items: Path, metrics: str, summarize: bool) -> None:
    from benchmark.runs.aggregate import ItemTally
    from benchmark.scorer import Scorer

    tally = ItemTally(Scorer(metrics.split(",")))
    with items.open(encoding="utf-8") as lines:
        for line in lines:
            tally.add(json.loads(line))
    if summarize:
        tally.summary(seed=12345, max_failures=0)


def counted(checkout: Path, args: argparse.Namespace, summarize: bool) -> int:
    return count([sys.executable, __file__, "--items", str(args.items), "--metrics",
                  args.metrics, "--child", "summary" if summarize else "read"],
                 env={**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(checkout)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=Path, required=True)
    parser.add_argument("--metrics", default="rouge,entities")
    parser.add_argument("--checkout", type=Path)
    parser.add_argument("--child", choices=("read", "summary"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.items, args.metrics, args.child == "summary")
        return
    require_valgrind()
    args.items = args.items.resolve()
    found = {}
    for checkout in (ROOT, *([args.checkout.resolve()] if args.checkout else [])):
        found[checkout] = counted(checkout, args, True) - counted(checkout, args, False)
        print(f"{checkout.name}: summary {found[checkout] / 1e6:.1f} M instructions")
    if args.checkout:
        print(f"this / {args.checkout.name}: {found[ROOT] / found[args.checkout.resolve()]:.3f}")


if __name__ == "__main__":
    main()
