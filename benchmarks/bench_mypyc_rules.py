"""What compiling the entity rules unchanged would give: mypyc against plain Python.

    pip install -e ".[perf]"   # mypy, whose mypyc compiles the modules (and a C compiler)
    python benchmarks/bench_mypyc_rules.py [--rounds 3] [--limit 0] [--keep DIR]

The rules (the modules of ``[tool.bench.compile]`` in pyproject.toml, those the opt-in
``BENCH_COMPILE=1`` build compiles: `benchmark/entities/` but `Entity`'s module, the
pattern cache, the package's surface and the other backends) are compiled by mypyc as
they are, into a copy of the package in a temporary folder; nothing in this checkout
changes. Then the entity work
of a first model's run (the ``entities`` metric's `prepare` of each BBC article and
summary and `score_prepared` of its lead-3, every cache cold, the collector as bench
sets it) runs in fresh processes on the compiled copy and on a plain copy, in turn, for
`--rounds` rounds: CPU seconds, medians, and a digest of every item's scores, which
must be the same for both (the script stops if not).

This measures what the opt-in compiled build gives (setup.py); by default the package
installs as pure Python. With ``--keep DIR`` the
compiled copy is left in DIR, and ``python benchmarks/bench_side_by_side.py
--checkout DIR`` puts whole runs of it beside this checkout's.

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
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


def compiled_modules() -> list[str]:
    """The modules the opt-in compiled build compiles (``[tool.bench.compile]`` in
    pyproject.toml), as paths from the repository root."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["bench"]["compile"]["modules"]


# The entity work, in a process of its own: CPU seconds and a digest of the scores.
WORK = """
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


def copy_package(folder: Path) -> None:
    shutil.copytree(ROOT / "benchmark", folder / "benchmark",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))


def compile_rules(folder: Path) -> None:
    """mypyc on the rules modules of the copy in `folder` (extension modules beside them)."""
    modules = compiled_modules()
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-m", "mypyc", "--ignore-missing-imports",
                           "--follow-imports=silent", *modules], cwd=folder,
                          env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if ": error:" in line]
        raise SystemExit("mypyc could not compile the rules:\n" + "\n".join(errors[:20]
                         or done.stderr.splitlines()[-20:]))


def measure(folder: Path, limit: int) -> dict:
    import json

    done = subprocess.run([sys.executable, "-c", WORK, str(folder), str(CORPUS), str(limit)],
                          cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the entity work failed in {folder}:\n{done.stderr[-2000:]}")
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
    with tempfile.TemporaryDirectory() as work:
        compiled, plain = args.keep or Path(work) / "compiled", Path(work) / "plain"
        for folder in (compiled, plain):
            folder.mkdir(parents=True, exist_ok=True)
            copy_package(folder)
        compile_rules(compiled)
        runs: dict[str, list[dict]] = {"compiled": [], "plain": []}
        for number in range(args.rounds):
            for name, folder in (("compiled", compiled), ("plain", plain)):
                runs[name].append(measure(folder, args.limit))
            print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    if not all(run["compiled"] for run in runs["compiled"]) \
            or any(run["compiled"] for run in runs["plain"]):
        raise SystemExit("the copies did not load as built (compiled and plain)")
    digests = {run["digest"] for name in runs for run in runs[name]}
    if len(digests) != 1:
        raise SystemExit("the compiled rules' scores differ from the plain ones")
    cpu = {name: statistics.median(run["cpu"] for run in runs[name]) for name in runs}
    ratio = statistics.median(c["cpu"] / p["cpu"]
                              for c, p in zip(runs["compiled"], runs["plain"]))
    print(f"\n{CORPUS.name}, {args.limit or 'all'} items: a first model's entity work, "
          f"CPU seconds, medians of {args.rounds} interleaved rounds; every item's scores "
          "identical\n")
    print("| rules | CPU | CPU ÷ plain |")
    print("|---|---|---|")
    print(f"| plain Python (the default install) | {cpu['plain']:.2f} s | 1.00x |")
    print(f"| compiled by mypyc (BENCH_COMPILE=1) | {cpu['compiled']:.2f} s | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
