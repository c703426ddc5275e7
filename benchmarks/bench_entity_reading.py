"""CPU time of a first model's entity work, and of its word reading alone, in this
checkout and another, alternately in fresh processes: for changes that save memory
traffic rather than instructions (callgrind's counts, `count_entity_instructions.py`,
do not see a cache miss).

    python benchmarks/bench_entity_reading.py --old DIR [--new .] [--items 0]
                                              [--rounds 5] [--case first words]

Cases, on the first ``--items`` BBC items (0: all 3,797), every cache cold, in the
order a first model's run reads the texts (each article, its summary, its lead-3):

- ``first``: the ``entities`` metric's `prepare` (article and summary) and
  `score_prepared` (lead-3);
- ``words``: `stream.text_words` of the same texts alone (split, look up, learn);
- ``distinct``: `matching.distinct` of the rules' entities of the same texts (as the
  metric keeps one mention per entity), extracted beforehand, 5 times over.

Each round starts one process per checkout per case, alternately; a row keeps the
median of the rounds (the CPU time of the work, ``time.process_time``) and the ratio
new ÷ old. On a shared machine a round can be slowed by other programs: read the
medians, and rerun on a quiet machine for figures. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
CASES = ("first", "words", "distinct")


def work(case: str, items: int) -> float:
    """The case's CPU seconds in this process (after its set-up)."""
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.entities.matching import distinct
    from benchmark.entities.stream import text_words
    from benchmark.metrics.base import ItemInput
    from benchmark.metrics.entities import EntityMetric
    from benchmark.text import get_profile, split_sentences

    metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
    load_gazetteer()
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if items and n >= items:
                break
            record = json.loads(line)
            lead = "\n".join(split_sentences(record["article"])[:3])
            rows.append((record["article"], record["summary"], lead))
    if case == "distinct":
        found = [metric.backend.extract(text) for texts in rows for text in texts]
        start = time.process_time()
        for _ in range(5):
            for entities in found:
                distinct(entities)
        return time.process_time() - start
    start = time.process_time()
    if case == "first":
        for article, summary, lead in rows:
            prepared = metric.prepare(references=[summary], source=article)
            metric.score_prepared(ItemInput(lead, [summary], article), prepared)
    else:
        for texts in rows:
            for text in texts:
                text_words(text)
    return time.process_time() - start


def measure(checkout: Path, case: str, items: int) -> float:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--pass", case,
                           "--items", str(items)], cwd=checkout, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(checkout),
                                          "PYTHONHASHSEED": "0"})
    if done.returncode:
        raise SystemExit(f"{case} failed in {checkout}:\n{done.stderr[-2000:]}")
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path)
    parser.add_argument("--new", type=Path, default=ROOT)
    parser.add_argument("--items", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--case", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--pass", dest="single", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.single:
        print(work(args.single, args.items))
        return
    if args.old is None:
        parser.error("--old DIR is required")
    old, new = args.old.resolve(), args.new.resolve()
    times: dict[tuple[str, Path], list[float]] = {}
    for _ in range(args.rounds):
        for case in args.case:
            for checkout in (old, new):
                times.setdefault((case, checkout), []).append(measure(checkout, case,
                                                                      args.items))
    print(f"{args.items or 'all'} BBC items; CPU s, medians of {args.rounds} alternate "
          f"rounds (load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"| case | {old.name} | {new.name} | new ÷ old |\n|---|---|---|---|")
    for case in args.case:
        before = statistics.median(times[case, old])
        after = statistics.median(times[case, new])
        print(f"| {case} | {before:.3f} | {after:.3f} | {after / before:.3f} |")


if __name__ == "__main__":
    main()
