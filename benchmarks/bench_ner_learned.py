"""Speed of the ``learned`` NER backend against ``rules``, in the same run.

Two measurements, each backend in its own fresh process per round, rounds alternating
(rules, learned, rules, ...), the median of the rounds kept:

* extraction: one pass over the articles of the first `--items` BBC records (cold
  caches, as a first run pays), in word tokens per second of CPU time on one core,
  after loading (the model load is timed apart);
* a full run: ``bench run --model lead-3 --metrics rouge,entities --dataset
  ../shared/corpora/ant_bbc.jsonl --ner NAME`` into a temporary folder, its CPU time
  (user + system of the child processes) and wall time, and the ratio learned / rules.

    python benchmarks/bench_ner_learned.py [--items 500] [--rounds 3] [--run-rounds 1]
                                           [--no-run]

CPU time is less disturbed than wall time by other programs on a shared machine, but
not immune to them. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
BACKENDS = ("rules", "learned")

_EXTRACT = """
import json, sys, time
from benchmark.entities.extract import get_backend
from benchmark.entities.tokens import word_tokens
name, path, items = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = []
with open(path, encoding="utf-8") as handle:
    for line in handle:
        texts.append(json.loads(line)["article"])
        if len(texts) == items:
            break
tokens = sum(len(word_tokens(t)) for t in texts)
started = time.process_time()
backend = get_backend(name)
backend.extract("تجربة")  # loads the lists, and the model
loaded = time.process_time()
for text in texts:
    backend.extract(text)
done = time.process_time()
print(json.dumps({"tokens": tokens, "load_s": loaded - started, "cpu_s": done - loaded}))
"""


def extraction_round(name: str, items: int) -> dict:
    output = subprocess.run([sys.executable, "-c", _EXTRACT, name, str(CORPUS), str(items)],
                            check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.splitlines()[-1])


def run_round(name: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3",
                        "--metrics", "rouge,entities", "--dataset", str(CORPUS), "--ner",
                        name, "--output-dir", folder], check=True, capture_output=True,
                       cwd=ROOT)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"cpu_s": cpu, "wall_s": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--run-rounds", type=int, default=1)
    parser.add_argument("--no-run", action="store_true", help="skip the full BBC runs")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"skipped: {CORPUS} is absent")
    rounds: dict[str, list[dict]] = {name: [] for name in BACKENDS}
    for _ in range(args.rounds):
        for name in BACKENDS:
            rounds[name].append(extraction_round(name, args.items))
    print(f"extraction, {args.items} BBC articles, CPU time, median of {args.rounds} rounds")
    speeds = {}
    for name, results in rounds.items():
        tokens = results[0]["tokens"]
        cpu = statistics.median(r["cpu_s"] for r in results)
        load = statistics.median(r["load_s"] for r in results)
        speeds[name] = tokens / cpu
        print(f"  {name:<8} {tokens} tokens in {cpu:.2f} s: {tokens / cpu:,.0f} tokens/s "
              f"(load {load:.2f} s)")
    print(f"  learned / rules speed: {speeds['learned'] / speeds['rules']:.2f}")
    if args.no_run:
        return
    runs: dict[str, list[dict]] = {name: [] for name in BACKENDS}
    for _ in range(args.run_rounds):
        for name in BACKENDS:
            runs[name].append(run_round(name))
    print(f"bench run lead-3 rouge,entities on all BBC, median of {args.run_rounds} rounds")
    cpu = {}
    for name, results in runs.items():
        cpu[name] = statistics.median(r["cpu_s"] for r in results)
        wall = statistics.median(r["wall_s"] for r in results)
        print(f"  {name:<8} CPU {cpu[name]:.1f} s, wall {wall:.1f} s")
    print(f"  learned / rules CPU time: {cpu['learned'] / cpu['rules']:.2f}")


if __name__ == "__main__":
    main()
