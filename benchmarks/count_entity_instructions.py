"""Instructions the entity work takes, in this checkout and another: a count that does
not move with the machine's load.

    python benchmarks/count_entity_instructions.py --old DIR [--new .] [--items 100]
                                                   [--case first second known]

On a shared machine a CPU-time ratio of two versions moves by 10% from one run to the
next, more than a small change saves. Here each case runs under valgrind's callgrind
(``valgrind --tool=callgrind``; Debian's ``valgrind`` package), with
``PYTHONHASHSEED=0``, once per checkout, and only the work is counted: the child sets
it up (imports, word lists, the corpus read, for ``second`` and ``known`` the
analyses), then runs the work through `operator.call`, the one call of CPython's C
function ``_operator_call`` in the process, and callgrind collects only inside it
(``--collect-atstart=no --toggle-collect=_operator_call``). The count is printed in
millions of instructions (the same count for the same code and inputs, whatever else
runs: two runs of one checkout differ by about 0.1%; subtracting a run of the set-up
alone, as this script did first, left the set-up's own variation in the difference,
up to 3% of the work for ``second``, whose set-up is 28 times its work). Each
checkout's compiled patterns come from a pattern cache of its own, filled before
counting. Instructions are not time
(cache misses and branches are not counted), but a change that removes Python-level
work removes instructions. Cases, on the first ``--items`` BBC items:

- ``first``: the ``entities`` metric's `prepare` (article and summary) and
  `score_prepared` (lead-3), every cache cold: a first model's entity work;
- ``second``: `score_prepared` of the lead sentence with the item's analysis made
  beforehand: what a second model's run asks per prediction;
- ``known``: the rules on the summary and on lead-3 with ``known=`` the article's
  entities, made beforehand;
- ``numeric`` (only when asked for): the rules' number and date pass alone on each
  article, summary and lead-3, their words read beforehand.

Each case takes about 15-40 s per checkout under valgrind. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import operator
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_counts import CALLGRIND, collected, require_valgrind

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
CASES = ("first", "second", "known", "numeric")
DEFAULT_CASES = ("first", "second", "known")


def work(case: str, items: int) -> None:
    """The case's work in this process (the child under valgrind): set up, then the
    work inside `operator.call` (what callgrind counts)."""
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.base import ItemInput
    from benchmark.metrics.entities import EntityMetric
    from benchmark.text import get_profile, split_sentences

    metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
    load_gazetteer()
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(items), handle):
            record = json.loads(line)
            sentences = split_sentences(record["article"])
            rows.append((record["article"], record["summary"], sentences))

    def first() -> None:
        for article, summary, sentences in rows:
            prepared = metric.prepare(references=[summary], source=article)
            metric.score_prepared(ItemInput("\n".join(sentences[:3]), [summary], article),
                                  prepared)

    if case == "first":
        operator.call(first)
        return
    if case == "numeric":
        operator.call(_numeric_pass(rows))
        return
    prepared = [metric.prepare(references=[summary], source=article)
                for article, summary, _ in rows]

    def later() -> None:
        for (article, summary, sentences), analysis in zip(rows, prepared):
            if case == "second":
                metric.score_prepared(ItemInput(sentences[0] if sentences else "",
                                                [summary], article), analysis)
            else:
                known = list(analysis.article or []) or None
                metric.backend.extract(summary, known=known)
                metric.backend.extract("\n".join(sentences[:3]), known=known)

    operator.call(later)


def _numeric_pass(rows):
    """The rules' number and date pass (`rules._numeric_and_ordinals`) on each article,
    summary and lead-3 of `rows`, their words read beforehand (every word known)."""
    from benchmark.entities import rules
    from benchmark.entities.stream import text_words

    texts = [text for article, summary, sentences in rows
             for text in (article, summary, "\n".join(sentences[:3]))]
    words = [text_words(text) for text in texts]

    def numeric() -> None:
        for text, read in zip(texts, words):
            rules._numeric_and_ordinals(text, read)

    return numeric


def count(checkout: Path, case: str, items: int, cache: Path) -> int:
    """Instructions of one case's work (inside `operator.call`) in a child run under
    callgrind, its compiled patterns read from `cache` (see `warm_up`)."""
    command = [*CALLGRIND, "--collect-atstart=no", "--toggle-collect=_operator_call",
               sys.executable, str(Path(__file__).resolve()), "--pass", case,
               "--items", str(items)]
    done = subprocess.run(command, cwd=checkout, env=_environment(checkout, cache),
                          capture_output=True, text=True)
    found = collected(done)
    if found:
        return found
    raise SystemExit(f"callgrind gave no count for {case} in {checkout} (a Python without "
                     f"the symbol _operator_call counts nothing):\n{done.stderr[-2000:]}")


def warm_up(checkout: Path, cache: Path) -> None:
    """Compile the checkout's patterns into a pattern cache of its own (and its modules'
    bytecode), outside the count: no other process on the machine rewrites it while
    the cases run (a pattern compiled during the work would be counted)."""
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--pass", "first",
                    "--items", "1"], cwd=checkout, env=_environment(checkout, cache),
                   check=True, capture_output=True)


def _environment(checkout: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(checkout),
            "BENCH_CACHE_DIR": str(cache)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="the other checkout (required)")
    parser.add_argument("--new", type=Path, default=ROOT, help="this checkout (default)")
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--case", nargs="+", choices=CASES, default=list(DEFAULT_CASES))
    parser.add_argument("--pass", dest="which", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the count reads the BBC corpus")
    if args.which:
        work(args.which, args.items)
        return
    if args.old is None:
        parser.error("--old is required: the checkout to count against")
    require_valgrind()
    old, new = args.old.resolve(), args.new.resolve()
    print(f"{args.items} BBC items; millions of instructions (callgrind, PYTHONHASHSEED=0), "
          "the work alone")
    print(f"| case | {old.name} | {new.name} | new ÷ old |")
    print("|---|---|---|---|")
    caches = {checkout: Path(tempfile.mkdtemp(prefix="count-patterns-"))
              for checkout in (old, new)}
    try:
        for checkout, cache in caches.items():
            warm_up(checkout, cache)
        for case in args.case:
            counts = [count(checkout, case, args.items, caches[checkout])
                      for checkout in (old, new)]
            print(f"| {case} | {counts[0] / 1e6:,.1f} | {counts[1] / 1e6:,.1f} | "
                  f"{counts[1] / counts[0]:.3f} |", flush=True)
    finally:
        for cache in caches.values():
            shutil.rmtree(cache, ignore_errors=True)

if __name__ == "__main__":
    main()
