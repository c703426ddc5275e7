"""Two parts of a second model's run outside the metrics, in two checkouts side by side.

    python benchmarks/bench_second_model_parts.py --old ../before [--rounds 5]
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--metrics rouge,entities]

First a lead-3 run (this checkout, in a temporary folder) leaves the dataset analysis
and its items; then, in each round, each checkout in turn (a fresh interpreter with
that checkout first on the path) times:

- the tally: `ItemTally.add_written` over the lead-3 run's item lines, as a fresh run
  adds the lines it writes, then `corpus_values` (what `Metric.aggregate` reads back
  from the table);
- the analysis read-back: `AnalysisStore.get` of every item's stored analyses, 64
  items at a time as the scoring pool asks (SQLite, unpickling).

CPU seconds (`time.process_time`), medians over the rounds; each checkout's results
are digested (the tally's summary and corpus values; every analysis pickled again, and
the entities' reprs) and must be equal across checkouts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import glob, hashlib, json, os, pickle, sys, time
from pathlib import Path
from benchmark.runs import aggregate
from benchmark.runs.analysis import AnalysisStore, example_key
from benchmark.data import open_examples
from benchmark.scorer import Scorer
work, dataset, metrics = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
scorer = Scorer(metrics.split(","))
lines = [json.loads(line) for line in open(glob.glob(str(work / "runs" / "*" / "items.jsonl"))[0])]
began = time.process_time()
tally = aggregate.ItemTally(scorer)
for line in lines:
    tally.add_written(line)
corpus = aggregate.corpus_values(scorer, tally.scored)
tally_cpu = time.process_time() - began
summary = tally.summary(seed=0, max_failures=0)
keys = [example_key(example) for example in open_examples(dataset).iter_examples()]
folder = next((work / "runs" / ".cache" / "analysis").iterdir())
store = AnalysisStore(tuple(sorted((path.name.split("-")[0], path)
                                   for path in folder.glob("*.sqlite"))))
began = time.process_time()
got = {}
for start in range(0, len(keys), 64):
    got.update(store.get(keys[start:start + 64]))
read_cpu = time.process_time() - began
digest = hashlib.sha256(repr((summary, corpus)).encode())
for key in sorted(got):
    for name, value in sorted(got[key].items()):
        digest.update(pickle.dumps(value, protocol=5))
        digest.update(repr(value).encode() if name == "entities" else b"")
print(json.dumps({"tally": tally_cpu, "read": read_cpu, "items": len(got),
                  "digest": digest.hexdigest()}))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--metrics", default="rouge,entities")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = {**os.environ, "BENCH_CACHE_DIR": str(work / "cache")}
        subprocess.run([sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3",
                        "--metrics", args.metrics, "--dataset", str(args.dataset.resolve()),
                        "--output-dir", str(work / "runs")], env={**env, "PYTHONPATH": str(ROOT)},
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
        checkouts = {"this": ROOT, args.old.name: args.old.resolve()}
        figures: dict[str, list[dict]] = {name: [] for name in checkouts}
        for number in range(args.rounds):
            for name, root in checkouts.items():
                done = subprocess.run([sys.executable, "-c", CHILD, str(work),
                                       str(args.dataset.resolve()), args.metrics],
                                      env={**env, "PYTHONPATH": str(root)}, cwd=work,
                                      check=True, capture_output=True, text=True)
                figures[name].append(json.loads(done.stdout))
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    digests = {figure["digest"] for rows in figures.values() for figure in rows}
    print(f"{args.dataset.name}, {figures['this'][0]['items']} items; CPU seconds, medians "
          f"of {args.rounds} interleaved rounds; results identical: "
          f"{'yes' if len(digests) == 1 else 'NO'}\n")
    print("| part | this checkout | " + args.old.name + " | this ÷ other |\n|---|---|---|---|")
    for part, what in (("tally", "item tally and corpus values"),
                       ("read", "analysis read-back, 64 items a time")):
        ours = statistics.median(f[part] for f in figures["this"])
        theirs = statistics.median(f[part] for f in figures[args.old.name])
        print(f"| {what} | {ours:.3f} s | {theirs:.3f} s | {ours / theirs:.2f}x |")
    if len(digests) != 1:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
