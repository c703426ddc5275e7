"""Instructions of the entities metric's prediction side as a second model's run meets
it, in this checkout and another (valgrind's callgrind).

    python benchmarks/count_prediction_instructions.py --old DIR [--new .] [--items 1000]

`count_entity_instructions.py`'s ``second`` case makes the items' analyses in the
process it counts, so the words and names of every article are already remembered
there (the word facts, the clitic readings, the known names) when the predictions are
read. A second model's run never reads the articles: it takes their entities from the
store and meets each prediction's words, and each article's names, for the first time
in that process. Here, per checkout: a first child (not counted) makes the analyses of
the first ``--items`` BBC items and pickles them to a file, as the store keeps them;
a second child, under ``valgrind --tool=callgrind`` with ``PYTHONHASHSEED=0``, reads
the file, sets up (imports, word lists) and then, inside `operator.call` (the one call
of CPython's ``_operator_call``, where callgrind collects), unpickles each analysis and
scores the lead sentence against it with `EntityMetric.score_prepared`. Prints millions
of instructions per checkout and their ratio. About 20-40 s per checkout for 1,000
items. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_counts import CALLGRIND, collected, require_valgrind

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"


def _metric():
    from benchmark.metrics.entities import EntityMetric
    from benchmark.text import get_profile

    return EntityMetric.create(get_profile("ar"), {"ner": "rules"})


def prepare(items: int, out: Path) -> None:
    """The first child: each item's article, summary, lead sentence and pickled analysis."""
    from benchmark.text import split_sentences

    metric, rows = _metric(), []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(items), handle):
            record = json.loads(line)
            sentences = split_sentences(record["article"])
            analysis = metric.prepare(references=[record["summary"]], source=record["article"])
            rows.append((record["article"], record["summary"],
                         sentences[0] if sentences else "", pickle.dumps(analysis)))
    out.write_bytes(pickle.dumps(rows))


def score(rows_file: Path) -> None:
    """The counted child: unpickle each analysis and score the lead sentence."""
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.base import ItemInput

    metric = _metric()
    load_gazetteer()
    rows = pickle.loads(rows_file.read_bytes())

    def work() -> None:
        for article, summary, lead, blob in rows:
            metric.score_prepared(ItemInput(lead, [summary], article), pickle.loads(blob))

    operator.call(work)


def count(checkout: Path, items: int, folder: Path) -> int:
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(checkout),
                   "BENCH_CACHE_DIR": str(folder / "cache")}
    rows = folder / "rows.pickle"
    script = str(Path(__file__).resolve())
    subprocess.run([sys.executable, script, "--prepare", str(rows), "--items", str(items)],
                   cwd=checkout, env=environment, check=True, capture_output=True)
    done = subprocess.run([*CALLGRIND, "--collect-atstart=no",
                           "--toggle-collect=_operator_call", sys.executable, script,
                           "--score", str(rows)],
                          cwd=checkout, env=environment, capture_output=True, text=True)
    found = collected(done)
    if found:
        return found
    raise SystemExit(f"callgrind gave no count in {checkout}:\n{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="the other checkout (required)")
    parser.add_argument("--new", type=Path, default=ROOT, help="this checkout (default)")
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--score", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.items, args.prepare)
        return
    if args.score:
        score(args.score)
        return
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the count reads the BBC corpus")
    if args.old is None:
        parser.error("--old is required: the checkout to count against")
    require_valgrind()
    old, new = args.old.resolve(), args.new.resolve()
    counts = []
    for checkout in (old, new):
        with tempfile.TemporaryDirectory() as folder:
            counts.append(count(checkout, args.items, Path(folder)))
    print(f"{args.items} BBC items, the lead sentence scored against stored analyses; "
          "millions of instructions (callgrind, PYTHONHASHSEED=0), the work alone")
    print(f"| {old.name} | {new.name} | new ÷ old |\n|---|---|---|")
    print(f"| {counts[0] / 1e6:,.1f} | {counts[1] / 1e6:,.1f} | {counts[1] / counts[0]:.3f} |")


if __name__ == "__main__":
    main()
