"""The README's table of the metric suite: lead-1, lead-3, textrank and oracle on BBC
and France 24 (full corpora), scored with rouge, extractive, length, chrf and bullets.

    python benchmarks/metric_suite.py [--output-dir DIR] [--limit N] [--corpora DIR]

Runs ``bench run`` for each (corpus, model) into DIR (default: a temporary folder) and
prints Markdown tables of the means from each run.json (x100 for ratios in [0, 1],
as they are for counts, density, compression and ratios).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
DATASETS = {"BBC": "ant_bbc.jsonl", "France 24": "ant_france24_leadsplit.jsonl"}
MODELS = ("lead-1", "lead-3", "textrank", "oracle")
METRICS = "rouge,extractive,length,chrf,bullets"
TABLES = {
    "extractiveness and length": ("ext_coverage", "ext_density", "ext_compression",
                                  "novel_1", "novel_2", "novel_3", "len_tokens",
                                  "len_sentences", "len_compression", "len_ref_ratio"),
    "chrF++, bullet coverage and ROUGE-2 for reference": (
        "chrf", "chrf_corpus", "bullet_recall", "bullets_covered", "bullet_precision",
        "rouge2_f"),
}


def run(model: str, dataset: Path, output_dir: Path, limit: int | None) -> dict:
    """The run.json of `model` on `dataset`: a complete run already in `output_dir`, or a
    new one (``bench run`` resumes an interrupted run of the same command)."""
    for done in sorted(output_dir.glob(f"*-{model}-*/run.json"), reverse=True):
        record = json.loads(done.read_text(encoding="utf-8"))
        if record["status"] == "complete" and record["dataset"]["limit"] == limit:
            return record
    args = [sys.executable, "-m", "benchmark.cli", "run", "--model", model, "--dataset",
            str(dataset), "--metrics", METRICS, "--output-dir", str(output_dir)]
    if limit:
        args += ["--limit", str(limit)]
    subprocess.run(args, check=True, capture_output=True, text=True)
    runs = sorted(p for p in output_dir.iterdir() if p.is_dir() and f"-{model}-" in p.name)
    return json.loads((runs[-1] / "run.json").read_text(encoding="utf-8"))


def cell(record: dict, key: str) -> str:
    scale = record["metrics"].get("scales", {}).get(key, 100.0)
    if key in record["aggregates"]:
        value = record["aggregates"][key]["mean"]
    else:
        value = record["corpus"].get(key)
    return "-" if value is None else f"{scale * value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output-dir", type=Path)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--corpora", type=Path, default=CORPORA,
                        help="folder with the corpora (default: ../shared/corpora)")
    args = parser.parse_args()
    output_dir = args.output_dir or Path(tempfile.mkdtemp(prefix="metric-suite-"))
    records = {}
    for corpus, file_name in DATASETS.items():
        for model in MODELS:
            records[corpus, model] = run(model, args.corpora.resolve() / file_name,
                                         output_dir / file_name.split(".")[0], args.limit)
            print(f"done {corpus} {model}", file=sys.stderr, flush=True)
    for title, keys in TABLES.items():
        print(f"\n{title}\n")
        print("| corpus | model | " + " | ".join(keys) + " |")
        print("|---|---|" + "---|" * len(keys))
        for (corpus, model), record in records.items():
            label = model + (" (upper bound)" if model == "oracle" else "")
            n = record["items"]["scored"]
            print(f"| {corpus} ({n:,}) | {label} | "
                  + " | ".join(cell(record, key) for key in keys) + " |")


if __name__ == "__main__":
    main()
