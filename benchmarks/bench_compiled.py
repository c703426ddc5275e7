"""What the opt-in compiled build gives: the modules mypyc compiles, against plain Python.

    pip install -e ".[perf]"   # mypy (its mypyc compiles), the kernel peers; a C compiler
    python benchmarks/bench_compiled.py [--rounds 3] [--limit 0] [--keep DIR]

The modules of ``[tool.bench.compile]`` in pyproject.toml (those the opt-in
``BENCH_COMPILE=1`` build compiles, setup.py: the entity rules and the ROUGE kernels)
are compiled by mypyc as they are, into a copy of the package in a temporary folder;
nothing in this checkout changes. Then, in fresh processes on the compiled copy and on
a plain copy in turn, for `--rounds` rounds:

- the entity work of a first model's run (the ``entities`` metric's `prepare` of each
  BBC article and summary and `score_prepared` of its lead-3, every cache cold, the
  collector as bench sets it): CPU seconds, and a digest of every item's scores, which
  must be the same for both copies (the script stops if not);
- the ROUGE kernel row of `bench_side_by_side.py` (ROUGE-1/2/L/Lsum of lead-3 against
  the summary on the same tokens, ours against rouge-score-rs's native call, numbers
  checked identical first), where rouge-score-rs is installed: the median of 9 timed
  pairs per process, ours ÷ theirs.

With ``--keep DIR`` the compiled copy is left in DIR, and ``python
benchmarks/bench_side_by_side.py --checkout DIR`` puts whole runs of it beside this
checkout's.

Not collected by pytest (the file name does not start with ``test_``).
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
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"

# The entity work, in a process of its own: CPU seconds and a digest of the scores.
ENTITY_WORK = """
import gc, hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from benchmark.entities import stream
assert stream.__file__.startswith(sys.argv[1]), stream.__file__
from benchmark.entities.gazetteer import load_gazetteer
from benchmark.metrics.base import ItemInput
from benchmark.metrics.entities import EntityMetric
from benchmark.runs.collector import collect_less_often
from benchmark.text import get_profile, split_sentences
limit = int(sys.argv[3])
items = []
with open(sys.argv[2], encoding="utf-8") as handle:
    for count, line in enumerate(handle):
        if limit and count >= limit:
            break
        record = json.loads(line)
        article = record["article"]
        items.append((article, record["summary"], "\\n".join(split_sentences(article)[:3])))
metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
load_gazetteer()
collect_less_often()
began = time.process_time()
scores = []
for article, summary, prediction in items:
    prepared = metric.prepare(references=[summary], source=article)
    scores.append(metric.score_prepared(ItemInput(prediction, [summary], article), prepared))
cpu = time.process_time() - began
digest = hashlib.sha256()
for score in scores:
    digest.update(json.dumps(score, sort_keys=True, ensure_ascii=False).encode())
print(json.dumps({"cpu": cpu, "digest": digest.hexdigest(),
                  "compiled": stream.__file__.endswith(".so")}))
"""

# The side-by-side's ROUGE kernel row, in a process of its own (numbers checked
# identical to rouge-score-rs's before timing): ours and ours ÷ theirs, medians.
KERNEL_WORK = """
import json, statistics, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
sys.path.insert(1, sys.argv[4])
from benchmark.kernels import rouge
assert rouge.__file__.startswith(sys.argv[1]), rouge.__file__
import side_by_side_peers as peers
limit = int(sys.argv[3]) or None
[row] = [row for row in peers.kernel_rows(Path(sys.argv[2]), limit=limit)
         if row[0].startswith("ROUGE")]
_, ours, theirs, _ = row
pairs = [peers.time_pair(ours, theirs) for _ in range(9)]
print(json.dumps({"ours": statistics.median(o for o, _ in pairs),
                  "ratio": statistics.median(o / t for o, t in pairs),
                  "compiled": rouge.__file__.endswith(".so")}))
"""


def compiled_modules() -> list[str]:
    """The modules the opt-in compiled build compiles (``[tool.bench.compile]`` in
    pyproject.toml), as paths from the repository root."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["bench"]["compile"]["modules"]


def copy_package(folder: Path) -> None:
    shutil.copytree(ROOT / "benchmark", folder / "benchmark",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))


def compile_modules(folder: Path) -> None:
    """mypyc on the listed modules of the copy in `folder` (extension modules beside them)."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", "mypyc", "--ignore-missing-imports",
                           "--follow-imports=silent", *compiled_modules()], cwd=folder,
                          env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if ": error:" in line]
        raise SystemExit("mypyc could not compile the modules:\n" + "\n".join(
            errors[:20] or done.stderr.splitlines()[-20:]))


def measure(code: str, folder: Path, limit: int) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(folder), str(CORPUS), str(limit),
                           str(ROOT / "benchmarks")], cwd=folder, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise SystemExit(f"the work failed in {folder}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="BBC items (0: all)")
    parser.add_argument("--keep", type=Path, help="leave the compiled copy here")
    args = parser.parse_args()
    try:
        import mypyc  # noqa: F401
    except ImportError:
        raise SystemExit("mypyc is not installed: pip install -e \".[perf]\" (it comes with mypy)")
    kernels = _installed("rouge_score_rs")
    copies = ("compiled", "plain")
    entity_runs: dict[str, list[dict]] = {name: [] for name in copies}
    kernel_runs: dict[str, list[dict]] = {name: [] for name in copies}
    with tempfile.TemporaryDirectory() as work:
        folders = {"compiled": args.keep or Path(work) / "compiled",
                   "plain": Path(work) / "plain"}
        for folder in folders.values():
            folder.mkdir(parents=True, exist_ok=True)
            copy_package(folder)
        compile_modules(folders["compiled"])
        for number in range(args.rounds):
            for name in copies:
                entity_runs[name].append(measure(ENTITY_WORK, folders[name], args.limit))
                if kernels:
                    kernel_runs[name].append(measure(KERNEL_WORK, folders[name], args.limit))
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    for runs in (entity_runs, kernel_runs):
        if any(not run["compiled"] for run in runs["compiled"]) \
                or any(run["compiled"] for run in runs["plain"]):
            raise SystemExit("the copies did not load as built (compiled and plain)")
    if len({run["digest"] for name in copies for run in entity_runs[name]}) != 1:
        raise SystemExit("the compiled rules' scores differ from the plain ones")

    cpu = {name: statistics.median(run["cpu"] for run in entity_runs[name]) for name in copies}
    ratio = statistics.median(c["cpu"] / p["cpu"]
                              for c, p in zip(entity_runs["compiled"], entity_runs["plain"]))
    print(f"\n{CORPUS.name}, {args.limit or 'all'} items; CPU seconds, medians of "
          f"{args.rounds} interleaved rounds\n")
    print("A first model's entity work (every item's scores identical):\n")
    print("| rules | CPU | CPU ÷ plain |")
    print("|---|---|---|")
    print(f"| plain Python (the default install) | {cpu['plain']:.2f} s | 1.00x |")
    print(f"| compiled by mypyc (BENCH_COMPILE=1) | {cpu['compiled']:.2f} s | {ratio:.2f}x |")
    if not kernels:
        print("\n(rouge-score-rs is not installed: no kernel table; pip install -e \".[perf]\")")
        return
    print("\nROUGE-1/2/L/Lsum kernels on the same tokens, against rouge-score-rs's native "
          "call (numbers identical):\n")
    print("| kernels | CPU | ÷ rouge-score-rs |")
    print("|---|---|---|")
    for name, label in (("plain", "plain Python (the default install)"),
                        ("compiled", "compiled by mypyc (BENCH_COMPILE=1)")):
        runs = kernel_runs[name]
        print(f"| {label} | {statistics.median(run['ours'] for run in runs):.3f} s "
              f"| {statistics.median(run['ratio'] for run in runs):.2f}x |")


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    main()
