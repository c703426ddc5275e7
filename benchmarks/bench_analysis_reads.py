"""What reading the dataset analysis back costs a second model, part by part, in
instructions (valgrind's callgrind: a count the machine's load does not move).

    python benchmarks/bench_analysis_reads.py [--folder DIR] [--metrics all]
        [--dataset ../shared/corpora/ant_bbc.jsonl] [--checkout DIR]

Without ``--folder``, a lead-3 run in a temporary folder leaves the store first (as a
first model does). Then, for each metric's file, a second model's reads are repeated
in a child process under callgrind, a batch of 64 item keys at a time (a run's batch):
the SQLite queries alone (``fetchall``), those and ``pickle.loads`` of each value (what
``_read`` does), and ``AnalysisStore.get`` over all files (what a run calls). Each count
is less that of the child's set-up (imports, keys), in millions. Not collected by
pytest.

With ``--checkout DIR`` (another checkout of bench, e.g. one before a change) the
first model and the reads run with that checkout's code (and its own store: the store
is keyed by the code that analyses), for a before/after table.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_counts import count, require_valgrind

ROOT = Path(__file__).resolve().parents[1]
BATCH = 64
PARTS = ("setup", "queries", "read", "get")


def store_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".cache/analysis/*/*.sqlite"))


def child(folder: Path, part: str, metric: str | None) -> None:
    """One part, once (run under callgrind by `main`)."""
    import benchmark.metrics.entities  # noqa: F401  (the analyses' classes, as a run has
    import benchmark.metrics.extractive  # noqa: F401  them imported before it reads)
    import benchmark.metrics.rouge  # noqa: F401
    from benchmark.runs import analysis

    files = [path for path in store_files(folder)
             if metric is None or path.name.startswith(metric + "-")]
    keys = [key for (key,) in sqlite3.connect(files[0]).execute("SELECT key FROM analyses")]
    batches = [keys[start:start + BATCH] for start in range(0, len(keys), BATCH)]
    if part == "queries":
        for path in files:
            connection = analysis._reader(path)
            for batch in batches:
                connection.execute("SELECT key, value FROM analyses WHERE key IN "
                                   f"({','.join('?' * len(batch))})", batch).fetchall()
    elif part == "read":
        for path in files:
            for batch in batches:
                analysis._read(path, batch)
    elif part == "get":
        store = analysis.AnalysisStore(tuple((path.name.split("-")[0], path)
                                             for path in files))
        for batch in batches:
            store.get(batch)
    pickle.dumps(len(keys))


def counted(folder: Path, part: str, metric: str | None, checkout: Path) -> int:
    command = [sys.executable, __file__, "--folder", str(folder), "--child", part]
    if metric:
        command += ["--metric", metric]
    return count(command, env={**os.environ, "PYTHONHASHSEED": "0",
                               "PYTHONPATH": str(checkout)})


def first_model(folder: Path, args: argparse.Namespace) -> None:
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3",
               "--metrics", args.metrics, "--dataset", str(args.dataset.resolve()),
               "--output-dir", str(folder)]
    subprocess.run(command, check=True, capture_output=True, cwd=folder,
                   env={**os.environ, "BENCH_CACHE_DIR": str(folder / "cache"),
                        "PYTHONPATH": str(args.checkout)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="a results folder a first model left")
    parser.add_argument("--metrics", default="all")
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--child", choices=PARTS, help=argparse.SUPPRESS)
    parser.add_argument("--metric", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.folder, args.child, args.metric)
        return
    require_valgrind()
    args.checkout = args.checkout.resolve()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder
        if folder is None:
            folder = Path(temporary)
            first_model(folder, args)
        metrics = [path.name.split("-")[0] for path in store_files(folder)]
        for metric in metrics:
            base = counted(folder, "setup", metric, args.checkout)
            queries, read = (counted(folder, part, metric, args.checkout) - base
                             for part in ("queries", "read"))
            print(f"{metric:12s} queries {queries / 1e6:7.1f} M, read (queries + loads) "
                  f"{read / 1e6:7.1f} M")
        base = counted(folder, "setup", None, args.checkout)
        got = counted(folder, "get", None, args.checkout) - base
        print(f"{'all files':12s} get {got / 1e6:7.1f} M")


if __name__ == "__main__":
    main()
