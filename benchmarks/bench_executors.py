"""Scoring the same saved predictions with the local executor and with Ray.

Lead-3 predictions of the first N BBC articles are scored (``bench score``'s code path,
default metrics ``rouge,entities``) three ways: local with 1 worker, local with
``--workers`` processes, and Ray tasks on a local Ray instance with as many CPUs. Prints
each wall time (Ray's start-up timed apart) and checks that every per-item value is
identical across the three. On one machine Ray can only match the local pool: it is for
clusters, where ``--ray-address`` names the head node.

    python benchmarks/bench_executors.py                 # 400 articles, 2 CPUs
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from benchmark.data import load_examples
from benchmark.runs.harness import score_predictions
from benchmark.scorer import Scorer
from benchmark.summarizers.registry import create_summarizer

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"


def items(run_dir) -> dict[str, dict]:
    lines = (json.loads(line) for line in run_dir.items_file.read_text("utf-8").splitlines())
    return {line.pop("id"): {k: v for k, v in line.items() if k != "latency_s"}
            for line in lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2, help="and Ray CPUs")
    parser.add_argument("--metrics", default="rouge,entities")
    parser.add_argument("--dataset", type=Path, default=BBC)
    args = parser.parse_args()
    data = load_examples(args.dataset, limit=args.articles)
    lead3 = create_summarizer("lead-3")
    predictions = {ex.id: p.text for ex, p in zip(data.examples,
                                                  lead3.summarize(data.examples))}
    metrics = [m.strip() for m in args.metrics.split(",")]
    print(f"{len(predictions)} articles of {data.name}, metrics {args.metrics}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("local, 1 worker", "local", 1),
                (f"local, {args.workers} workers", "local", args.workers),
                (f"ray, {args.workers} CPUs", "ray", 1)]
        for label, executor, workers in runs:
            if executor == "ray":
                import ray

                began = time.perf_counter()
                ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
                print(f"  (ray start-up: {time.perf_counter() - began:.1f} s, not counted)")
            began = time.perf_counter()
            outcome = score_predictions(data=data, predictions=predictions, name="lead-3",
                                        scorer=Scorer(metrics, "ar"),
                                        output_dir=Path(tmp) / label.replace(" ", ""),
                                        workers=workers, executor=executor)
            seconds = time.perf_counter() - began
            results[label] = items(outcome.run)
            print(f"  {label:>18}: {seconds:6.1f} s")
        if "ray" in {r[1] for r in runs}:
            import ray

            ray.shutdown()
    first, *others = results.values()
    same = all(other == first for other in others)
    print(f"  identical per-item values across executors: {same}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
