"""Run the same commands in two checkouts and show that nothing moved.

    python benchmarks/compare_checkouts.py --old main [--new .] \
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--models lead-3 lead-1] \
        [--metrics all] [--compare-metric KEY ...]

`--old` and `--new` are checkout folders or git revisions (a revision is checked out
in a temporary worktree, removed afterwards). In each checkout, with this interpreter,
every model is run (``bench run --metrics ...``) into a fresh results folder, then
``bench compare --format json`` ranks the runs. Compared, between the checkouts:

- each model's ``run.json``, field by field, ignoring the run id, times (created,
  finished, seconds, latency, items per second), the worker plan (it depends on the
  CPUs idle at the start) and the environment; and whether the remaining keys come in
  the same order;
- each model's ``items.jsonl``, item by item, ignoring each item's latency;
- the compare JSON, ignoring the run folders it names (``--compare-metric KEY``: the
  keys ``bench compare --metric`` shows, needed when the runs have no ROUGE, e.g.
  ``--metrics chrf --compare-metric chrf``).

Prints one line per comparison and every difference found; exits 1 if there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOLATILE_RECORD = ("run_id", "created", "finished", "environment")
VOLATILE_TIMING = ("wall_seconds", "summarize_seconds", "score_seconds", "latency_s",
                   "items_per_second", "worker_plan")  # the plan: the CPUs idle at the start


def checkout(spec: str, stack: ExitStack) -> Path:
    """A folder holding the checkout `spec` (a folder, or a git revision checked out in
    a temporary worktree)."""
    if Path(spec).is_dir():
        return Path(spec).resolve()
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "checkout"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder),
                    spec], check=True, capture_output=True)
    stack.callback(subprocess.run, ["git", "-C", str(ROOT), "worktree", "remove",
                                    "--force", str(folder)], capture_output=True)
    return folder


def bench(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    return subprocess.run([sys.executable, "-m", "benchmark.cli", *args], cwd=folder,
                          env=env, capture_output=True, text=True, check=True)


def run_all(folder: Path, results: Path, *, dataset: Path, models: list[str],
            metrics: str, shown: list[str]) -> tuple[dict[str, Path], dict, dict[str, float]]:
    """Run every model, then compare: run folders by model, the compare JSON, and the
    wall seconds of each command."""
    runs, seconds = {}, {}
    for model in models:
        before = set(results.iterdir()) if results.exists() else set()
        began = time.perf_counter()
        bench(folder, "run", "--model", model, "--dataset", str(dataset), "--metrics",
              metrics, "--output-dir", str(results))
        seconds[f"run {model}"] = time.perf_counter() - began
        (runs[model],) = [p for p in set(results.iterdir()) - before
                          if not p.name.startswith(".")]
    began = time.perf_counter()
    compared = bench(folder, "compare", "--results", str(results), "--format", "json",
                     *[argument for key in shown for argument in ("--metric", key)])
    seconds["compare"] = time.perf_counter() - began
    return runs, json.loads(compared.stdout), seconds


def stable_record(path: Path) -> dict:
    record = json.loads(path.read_text(encoding="utf-8"))
    for key in VOLATILE_RECORD:
        record.pop(key, None)
    for key in VOLATILE_TIMING:
        record.get("timing", {}).pop(key, None)
    return record


def differences(old, new, where: str = "") -> list[str]:
    """Every path where two JSON values differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in list(old) + [k for k in new if k not in old]:
            if key not in new or key not in old:
                found.append(f"{where}.{key}: only in {'old' if key in old else 'new'}")
            else:
                found += differences(old[key], new[key], f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for i, (a, b) in enumerate(zip(old, new))
                for d in differences(a, b, f"{where}[{i}]")]
    if old != new or type(old) is not type(new):
        return [f"{where}: {old!r} != {new!r}"]
    return []


def key_order(value) -> list:
    if isinstance(value, dict):
        return [(key, key_order(inner)) for key, inner in value.items()]
    if isinstance(value, list):
        return [key_order(inner) for inner in value]
    return []


def compare_items(old: Path, new: Path) -> tuple[int, list[str]]:
    def lines(path: Path) -> list[dict]:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        for item in items:
            item.pop("latency_s", None)
        return items

    old_items, new_items = lines(old), lines(new)
    if len(old_items) != len(new_items):
        return len(old_items), [f"{len(old_items)} items != {len(new_items)} items"]
    found = [d for i, (a, b) in enumerate(zip(old_items, new_items))
             for d in differences(a, b, f"[{i}] {a.get('id')}")]
    return len(old_items), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="folder or git revision")
    parser.add_argument("--new", default=str(ROOT), help="folder or git revision")
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--models", nargs="+", default=["lead-3", "lead-1"])
    parser.add_argument("--metrics", default="all")
    parser.add_argument("--compare-metric", action="append", default=[],
                        help="a key bench compare shows (repeatable; needed without ROUGE)")
    args = parser.parse_args()
    problems = 0
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        outputs = {}
        for side in ("old", "new"):
            folder = checkout(getattr(args, side), stack)
            outputs[side] = run_all(folder, work / side, dataset=args.dataset.resolve(),
                                    models=args.models, metrics=args.metrics,
                                    shown=args.compare_metric)
            print(f"{side}: {folder} " + ", ".join(f"{name} {s:.1f} s" for name, s in
                                                    outputs[side][2].items()))
        (old_runs, old_json, _), (new_runs, new_json, _) = outputs["old"], outputs["new"]
        for model in args.models:
            a = stable_record(old_runs[model] / "run.json")
            b = stable_record(new_runs[model] / "run.json")
            found = differences(a, b)
            same_order = key_order(a) == key_order(b)
            print(f"run.json {model}: {len(found)} differences; key order "
                  f"{'identical' if same_order else 'differs'}")
            count, item_found = compare_items(old_runs[model] / "items.jsonl",
                                              new_runs[model] / "items.jsonl")
            print(f"items.jsonl {model}: {count} items, {len(item_found)} differences")
            for line in (found + item_found)[:20]:
                print("   ", line)
            problems += len(found) + len(item_found) + (not same_order)
        for row in old_json["rows"] + new_json["rows"]:
            row.pop("run_dir")
        found = differences(old_json, new_json)
        print(f"compare JSON: {len(old_json['rows'])} rows, {len(old_json['pairs'])} pairs,"
              f" {len(found)} differences; key order "
              f"{'identical' if key_order(old_json) == key_order(new_json) else 'differs'}")
        for line in found[:20]:
            print("   ", line)
        problems += len(found) + (key_order(old_json) != key_order(new_json))
    print("identical" if not problems else f"{problems} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
