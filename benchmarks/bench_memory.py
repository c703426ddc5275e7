"""Peak memory of `bench run --model lead-3 --metrics rouge,entities` as the dataset
grows: 1x, 2x and 4x the BBC corpus (its pairs repeated under new ids), first run (the
dataset analysis computed and stored) and a second model's run (lead-1, reusing it),
on the local executor. Repeating the same texts keeps the vocabulary (and so the
bounded word caches of the entity rules) the same at every size: what grows is per-item
state.

    python benchmarks/bench_memory.py [--base 1000] [--factors 1,2,4] [--workers 1]

Each case is the real CLI in a subprocess; its peak resident memory (ru_maxrss) is
printed beside two references: a process that only imports what a run imports, and one
that also loads the same dataset whole (`load_examples`, every text in memory). A run
reads a JSON Lines dataset a batch at a time (`open_examples`), so its peak stays flat
as the dataset grows when the per-item state (scores, analyses, predictions) streams
too; the whole-load column shows what holding the dataset would cost.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTS_ONLY = "import sys, benchmark.data, benchmark.scorer, benchmark.runs.harness"
LOAD_WHOLE = IMPORTS_ONLY + "; benchmark.data.load_examples(sys.argv[1])"


def peak_mb(command: list[str], *, cwd: Path) -> float:
    """Peak resident memory (MB) of `command` and the processes it waited for."""
    wrapper = ("import resource, subprocess, sys; "
               "done = subprocess.run(sys.argv[1:]); "
               "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
               "print(peak, file=sys.stderr); sys.exit(done.returncode)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", wrapper, *command], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:6])} failed:\n{done.stderr[-2000:]}")
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def grown_corpus(source: Path, target: Path, *, base: int, items: int) -> None:
    """`items` pairs: the first `base` of the source's, repeated under new ids."""
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
            if line.strip()][:base]
    with target.open("w", encoding="utf-8") as out:
        for i in range(items):
            row = dict(rows[i % len(rows)], id=f"copy{i // len(rows)}-{rows[i % len(rows)]['id']}")
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--base", type=int, default=0,
                        help="items at factor 1 (0: the whole corpus)")
    parser.add_argument("--factors", default="1,2,4")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    size = args.base or sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
    print(f"peak memory of bench run (rouge,entities, --workers {args.workers}); "
          f"factor 1 = {size} items of {corpus.name}")
    print("| items | imports only | imports + the dataset loaded whole | first run (lead-3) "
          "| second model (lead-1) |\n|---|---|---|---|---|")
    for factor in (int(f) for f in args.factors.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            dataset = folder / "grown.jsonl"
            grown_corpus(corpus, dataset, base=size, items=size * factor)
            imports = peak_mb([sys.executable, "-c", IMPORTS_ONLY], cwd=folder)
            loaded = peak_mb([sys.executable, "-c", LOAD_WHOLE, str(dataset)], cwd=folder)
            runs = []
            for model in ("lead-3", "lead-1"):
                runs.append(peak_mb([sys.executable, "-m", "benchmark.cli", "run", "--model",
                                     model, "--metrics", "rouge,entities", "--dataset",
                                     str(dataset), "--output-dir", str(folder / "results"),
                                     "--workers", str(args.workers)], cwd=folder))
            print(f"| {size * factor} | {imports:.0f} MB | {loaded:.0f} MB | {runs[0]:.0f} MB | "
                  f"{runs[1]:.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
