"""Extraction speed of the ``rules`` backend on one core, against the extractor before
the speed work (issue 8), in the same run.

Two measurements, each in a fresh process per extractor (so no cache is shared):

* words per second on articles of 10k, 50k and 100k words (best of `--repeats` rounds), and
  the time ratio of 100k to 50k words (about 2 when linear). The long articles are
  distinct BBC articles from ``../shared/corpora`` joined together (many different
  names, so the per-text alias lists grow as in real text), or the seed article's body
  repeated when the corpora are absent;
* one pass over the articles and summaries of the first 500 BBC items (summaries with
  the article's entities as ``known``, as the metric does): what a first run pays,
  with every cache cold.

The previous extractor is the rules commit the equivalence fixture was written from
(``tests/data/entities_bbc500.jsonl.gz``; `--baseline REF` picks another), unpacked
with ``git archive`` into a temporary folder.

    python benchmarks/bench_entities.py [--repeats 3] [--baseline REF] [--clock cpu|wall]

Both clocks are printed; words per second and the ratios use `--clock` (default
``cpu``: the process's CPU time, which other programs on a shared machine disturb less
than wall-clock time, though they still slow it).

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "datasets" / "000_04dacd3f9b1a1c24.txt"
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
FIXTURE = ROOT / "tests" / "data" / "entities_bbc500.jsonl.gz"
SIZES = (10_000, 50_000, 100_000)
ONE_PASS_ITEMS = 500


def article_of(words: int) -> str:
    """At least `words` words of real article text."""
    if CORPUS.is_file():
        parts, count = [], 0
        with CORPUS.open(encoding="utf-8") as handle:
            for line in handle:
                article = json.loads(line)["article"]
                parts.append(article)
                count += len(article.split())
                if count >= words:
                    return "\n".join(parts)
    body = SEED.read_text(encoding="utf-8").split("\n", 2)[2]
    copies = words // len(body.split()) + 1
    return "\n".join([body] * copies)


def timed(call) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of `call()`."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def one_pass(backend) -> dict:
    """Articles and summaries of the first items, once each, caches cold."""
    items = []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(ONE_PASS_ITEMS), handle):
            record = json.loads(line)
            items.append((record["article"], record["summary"]))

    def run() -> None:
        for article, summary in items:
            backend.extract(summary, known=backend.extract(article))

    wall, cpu = timed(run)
    words = sum(len(article.split()) + len(summary.split()) for article, summary in items)
    return {"words": words, "wall": wall, "cpu": cpu}


def measure(repeats: int) -> dict:
    """This process's extractor (whatever ``benchmark`` imports): one pass, then sizes."""
    from benchmark.entities.rules import RulesBackend

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    backend = RulesBackend()
    backend.extract("تحميل القوائم")  # load the gazetteer outside the timing
    result = {"signature": backend.signature(), "sizes": {}}
    if CORPUS.is_file():
        result["one_pass"] = one_pass(backend)
    texts = {words: article_of(words) for words in SIZES}
    runs: dict[int, list[tuple[float, float]]] = {words: [] for words in SIZES}
    for _ in range(repeats):  # rounds over the sizes: a busy minute spoils one round
        for words, text in texts.items():
            runs[words].append(timed(lambda: backend.extract(text)))
    for words, text in texts.items():
        result["sizes"][str(words)] = {"words": len(text.split()),
                                       "wall": min(wall for wall, _ in runs[words]),
                                       "cpu": min(cpu for _, cpu in runs[words])}
    return result


def run_version(*, source: Path, repeats: int) -> dict:
    """`measure` in a fresh process that imports ``benchmark`` from `source`."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run([sys.executable, __file__, "--measure", "--repeats", str(repeats)],
                          env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def baseline_commit() -> str:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        return json.loads(handle.readline())["rules_commit"]


def report(label: str, result: dict, before: dict | None, *, clock: str) -> None:
    print(f"{label}: {result['signature']}")
    rows = list(result["sizes"].items())
    if "one_pass" in result:
        rows.insert(0, (f"one pass, {ONE_PASS_ITEMS} BBC items", result["one_pass"]))
    for name, row in rows:
        line = (f"  {name:>24}: {row['words']:>7} words  {row['wall']:6.2f} s wall "
                f"{row['cpu']:6.2f} s CPU  {row['words'] / row[clock]:>9,.0f} words/s {clock}")
        if before is not None:
            old = before["one_pass"] if name.startswith("one pass") else before["sizes"][name]
            line += f"  {old[clock] / row[clock]:5.1f}x faster ({clock})"
        print(line)
    sizes = result["sizes"]
    print(f"  time ratio 100k / 50k words: "
          f"{sizes['100000'][clock] / sizes['50000'][clock]:.2f} (2.0 = linear)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="git commit of the previous extractor "
                        "(default: the fixture's rules commit)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.repeats)))
        return
    commit = args.baseline or baseline_commit()
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", commit, "benchmark"], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        before = run_version(source=Path(folder), repeats=args.repeats)
    after = run_version(source=ROOT, repeats=args.repeats)
    report(f"before ({commit})", before, None, clock=args.clock)
    report("now", after, before, clock=args.clock)


if __name__ == "__main__":
    main()
