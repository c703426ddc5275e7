"""The fixed costs of a second model's run, piece by piece, in two checkouts.

    python benchmarks/bench_fixed_costs.py --old ../before [--rounds 7]
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--pieces NAME,...]

Each piece runs in a fresh interpreter with one checkout first on the path, ours and
the other's alternating in each round; CPU time (`time.process_time`) of the piece
alone, medians, and ours ÷ theirs as the median of the rounds' ratios:

- ``imports``: every module a ``bench run --metrics rouge,entities`` imports (the
  ``benchmark`` modules of a run, imported by name: their third-party imports follow);
- ``patterns``: importing the entity rules with a compiled-pattern cache that also holds
  the patterns of 24 earlier rule sets (as a machine that ran several versions of the
  rules has), each checkout's own cache;
- ``read``: reading the dataset's examples (`read_jsonl`) and the second read's digest
  of each (`check_bytes` into SHA-256), as ``StreamedData.iter_examples`` does;
- ``encode``: the items.jsonl bytes of a lead-1 run's lines (`jsonl.encode`);
- ``tally``: adding those lines to the run's tally as they are written
  (`ItemTally.add_written`);
- ``environment``: the run record's environment (`Environment.current`: library
  versions, platform, git commit).

The lines are a lead-1 ``--metrics rouge,entities`` run's items.jsonl on the whole
dataset, made once by this checkout. Each piece's output is checked equal in both
checkouts first (the bytes written, the tally's summary, the examples' digest). The
machine's load moves single figures; the lead reruns them on a quiet one. Not collected
by pytest.
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
PIECES = ("imports", "patterns", "read", "encode", "tally", "environment")

CHILD = r'''
import hashlib, json, sys, time
piece, data, lines_file, modules = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
from pathlib import Path
if piece == "imports":
    started = time.process_time()
    for name in modules.split(","):
        try:
            __import__(name)
        except ModuleNotFoundError:  # a module only one checkout has
            pass
    spent = time.process_time() - started
    result = len(sys.modules)
elif piece == "patterns":
    import benchmark.text, benchmark.entities.patterns
    started = time.process_time()
    import benchmark.entities.numbers, benchmark.entities.dates
    spent = time.process_time() - started
    result = benchmark.entities.dates.PATTERN.pattern[:50]
elif piece == "read":
    from benchmark.data.streamed import check_bytes
    from benchmark.data.tabular import read_jsonl
    started = time.process_time()
    digest = hashlib.sha256()
    for _, example in read_jsonl(Path(data), shown="data"):
        digest.update(check_bytes(example))
    spent = time.process_time() - started
    result = digest.hexdigest()
else:
    lines = [json.loads(raw) for raw in open(lines_file, encoding="utf-8")]
    if piece == "encode":
        from benchmark import jsonl
        started = time.process_time()
        written = b"".join(jsonl.encode(line) for line in lines)
        spent = time.process_time() - started
        result = hashlib.sha256(written).hexdigest()
    elif piece == "tally":
        from benchmark.runs.aggregate import ItemTally
        from benchmark.scorer import Scorer
        tally = ItemTally(Scorer(["rouge", "entities"]))
        started = time.process_time()
        for line in lines:
            tally.add_written(line)
        spent = time.process_time() - started
        summary = tally.summary(seed=0, max_failures=0)
        result = json.dumps({key: value.model_dump() for key, value in summary.aggregates.items()},
                            sort_keys=True)[:2000]
    else:
        from benchmark.runs.record import Environment
        started = time.process_time()
        environment = Environment.current()
        spent = time.process_time() - started
        result = json.dumps(environment.libraries, sort_keys=True)
print(json.dumps({"seconds": spent, "result": str(result)}))
'''

STALE = r'''
import sys
from benchmark.entities.compiled import compile_cached
words = ["كلمة%d" % i for i in range(400)]
for version in range(24):  # earlier rule sets: large alternations, each a little different
    compile_cached("(?:" + "|".join(word + "ة" * (version % 3) for word in words[version:])
                   + ")" + "[0-9]{%d}" % (version + 1))
import benchmark.entities.rules  # this checkout's own patterns
'''


def child(checkout: Path, piece: str, args: argparse.Namespace, cache: Path) -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if key != "PYTHONDONTWRITEBYTECODE"}
    environment.update(PYTHONPATH=str(checkout), BENCH_CACHE_DIR=str(cache),
                       PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-c", CHILD, piece, str(args.dataset),
                           str(args.lines), args.modules], cwd=checkout, env=environment,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{piece} failed in {checkout}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def prepare(checkout: Path, cache: Path) -> None:
    """Each checkout's pattern cache, with earlier rule sets' patterns in it."""
    environment = {**os.environ, "PYTHONPATH": str(checkout), "BENCH_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-c", STALE], cwd=checkout, env=environment, check=True)


def make_lines(work: Path, args: argparse.Namespace) -> tuple[Path, str]:
    """A lead-1 run's item lines (made by this checkout), and the benchmark modules
    such a run imports."""
    environment = {**os.environ, "BENCH_CACHE_DIR": str(work / "cache")}
    script = ("import atexit, json, sys\nout = sys.argv.pop(1)\n"
              "atexit.register(lambda: json.dump([m for m in sys.modules if m.startswith("
              "'benchmark')], open(out, 'w')))\n"
              "from benchmark.cli.app import main\nsys.argv[0] = 'bench'\nmain()\n")
    subprocess.run([sys.executable, "-c", script, str(work / "modules.json"), "run", "--model",
                    "lead-1", "--metrics", "rouge,entities", "--dataset",
                    str(args.dataset.resolve()), "--output-dir", str(work / "results")],
                   cwd=work, env={**environment, "PYTHONPATH": str(ROOT)}, check=True,
                   capture_output=True)
    [items] = (work / "results").glob("*/items.jsonl")
    modules = json.loads((work / "modules.json").read_text())
    return items, ",".join(module for module in modules if module != "benchmark.cli.__main__")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other checkout")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--pieces", default=",".join(PIECES))
    args = parser.parse_args()
    checkouts = {"ours": ROOT, "theirs": args.old.resolve()}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        args.lines, args.modules = make_lines(work, args)
        caches = {name: work / f"cache-{name}" for name in checkouts}
        for name, checkout in checkouts.items():
            prepare(checkout, caches[name])
        print(f"{args.dataset.name}; CPU ms, medians of {args.rounds} interleaved rounds\n")
        print("| piece | ours | theirs | ours ÷ theirs |\n|---|---|---|---|")
        for piece in args.pieces.split(","):
            seconds = {name: [] for name in checkouts}
            results = {}
            for _ in range(args.rounds):
                for name, checkout in checkouts.items():
                    found = child(checkout, piece, args, caches[name])
                    seconds[name].append(found["seconds"])
                    results.setdefault(name, found["result"])
            if piece != "imports" and results["ours"] != results["theirs"]:
                raise SystemExit(f"{piece}: the checkouts differ:\n{results}")
            ratios = [a / b for a, b in zip(seconds["ours"], seconds["theirs"])]
            print(f"| {piece} | {statistics.median(seconds['ours']) * 1000:.1f} | "
                  f"{statistics.median(seconds['theirs']) * 1000:.1f} | "
                  f"{statistics.median(ratios):.2f} |", flush=True)


if __name__ == "__main__":
    main()
