"""Extraction speed of the ``rules`` backend on one core, against the extractor before
the speed work (issue 8), in the same run.

Four measurements, each in a fresh process per extractor (so no cache is shared):

* words per second on articles of 10k, 50k and 100k words (best of `--repeats` rounds), and
  the time ratio of 100k to 50k words (about 2 when linear). The long articles are
  distinct BBC articles from ``../shared/corpora`` joined together (many different
  names, so the per-text alias lists grow as in real text), or the seed article's body
  repeated when the corpora are absent;
* one pass over the articles and summaries of the first 500 BBC items (summaries with
  the article's entities as ``known``, as the metric does): what a first run pays,
  with every cache cold;
* the lead sentence of each of those items with its article's entities as ``known``,
  in a process that has extracted nothing else: what a second model's run pays per
  prediction when the dataset analysis is reused (the articles' entities are computed
  beforehand, by the current extractor, and handed over);
* start-up: importing the rules (their patterns compile then) and the first call
  (the word lists load), as every scoring process pays them;
* the entity work of a first model's run (``bench run --model lead-3 --metrics
  rouge,entities`` with no dataset analysis cached: the ``entities`` metric's `prepare`
  and `score_prepared` on the first 500 BBC items, lead-3 as the prediction), in a
  process of its own, every cache cold (`benchmarks/profile_entities.py` profiles it).

The previous extractor is the rules commit the equivalence fixture was written from
(``tests/data/entities_bbc500.jsonl.gz``; `--baseline REF` picks another), unpacked
with ``git archive`` into a temporary folder.

    python benchmarks/bench_entities.py [--repeats 3] [--baseline REF] [--clock cpu|wall]
                                        [--rounds 3]

Processes are started `--rounds` times per extractor, alternately, and each row keeps
the median of the rounds (and, within one process, the best of `--repeats` for the
sizes): other programs on a shared machine slow some rounds.

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
import statistics
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


def lead_items(path: Path) -> None:
    """Write the lead sentence of each of the first items and its article's entities
    (as field tuples) to `path`, with this process's extractor and sentence splitter."""
    from benchmark.entities.rules import RulesBackend
    from benchmark.text import split_sentences

    backend, rows = RulesBackend(), []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(ONE_PASS_ITEMS), handle):
            article = json.loads(line)["article"]
            known = [(e.type, e.text, e.start, e.end, e.key, e.value, e.currency)
                     for e in backend.extract(article)]
            rows.append((split_sentences(article)[0], known))
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def with_known(backend, path: Path) -> dict:
    """Each lead sentence of `path`, extracted with its article's entities as `known`."""
    from benchmark.entities.model import Entity

    items = [(lead, [Entity(*fields) for fields in known])
             for lead, known in json.loads(path.read_text(encoding="utf-8"))]

    def run() -> None:
        for lead, known in items:
            backend.extract(lead, known=known)

    wall, cpu = timed(run)
    return {"words": sum(len(lead.split()) for lead, _ in items), "wall": wall, "cpu": cpu}


def first_model() -> dict:
    """The entities metric's work in a first model's run (see the module docstring),
    in this process, every cache cold; the imports and word lists are paid before."""
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.base import ItemInput
    from benchmark.metrics.entities import EntityMetric
    from benchmark.text import get_profile, split_sentences

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    items = []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(ONE_PASS_ITEMS), handle):
            record = json.loads(line)
            article = record["article"]
            items.append((article, record["summary"], "\n".join(split_sentences(article)[:3])))
    metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
    load_gazetteer()

    def run() -> None:
        for article, reference, prediction in items:
            prepared = metric.prepare(references=[reference], source=article)
            metric.score_prepared(ItemInput(prediction, [reference], article), prepared)

    wall, cpu = timed(run)
    words = sum(len(text.split()) for item in items for text in item)
    return {"words": words, "wall": wall, "cpu": cpu}


def measure(repeats: int, known_file: Path | None) -> dict:
    """This process's extractor (whatever ``benchmark`` imports): start-up, the lead
    sentences with `known` (first, while every cache is cold), one pass, then sizes."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    wall, cpu = time.perf_counter(), time.process_time()
    from benchmark.entities.rules import RulesBackend

    imported = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    backend = RulesBackend()
    first_wall, first_cpu = timed(lambda: backend.extract("تحميل القوائم"))  # word lists
    result = {"signature": backend.signature().format(), "sizes": {},
              "start": {"import": imported, "first": {"wall": first_wall, "cpu": first_cpu}}}
    if known_file is not None:
        result["known"] = with_known(backend, known_file)
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


def run_version(*, source: Path, repeats: int, known_file: Path | None) -> dict:
    """`measure` in a fresh process that imports ``benchmark`` from `source`, and
    `first_model` in another."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    command = [sys.executable, __file__, "--measure", "--repeats", str(repeats)]
    if known_file is not None:
        command += ["--known-file", str(known_file)]
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True,
                          text=True)
    result = json.loads(done.stdout)
    if CORPUS.is_file():
        done = subprocess.run([sys.executable, __file__, "--first-model"], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True)
        result["first_model"] = json.loads(done.stdout)
    return result


def median_of(results: list[dict]) -> dict:
    """Per row and clock, the median over rounds (words and signature of the first)."""
    def rows(result: dict) -> dict:
        found = {f"sizes/{name}": row for name, row in result["sizes"].items()}
        found.update({f"start/{name}": row for name, row in result["start"].items()})
        found.update({name: result[name] for name in ("one_pass", "known", "first_model")
                      if name in result})
        return found

    merged = json.loads(json.dumps(results[0]))
    for name, row in rows(merged).items():
        for clock in ("wall", "cpu"):
            row[clock] = statistics.median(rows(result)[name][clock] for result in results)
    return merged


def baseline_commit() -> str:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as handle:
        return json.loads(handle.readline())["rules_commit"]


def report(label: str, result: dict, before: dict | None, *, clock: str) -> None:
    print(f"{label}: {result['signature']}")
    rows = [(name, ("sizes", name)) for name in result["sizes"]]
    if "one_pass" in result:
        rows.insert(0, (f"one pass, {ONE_PASS_ITEMS} BBC items", ("one_pass",)))
    if "known" in result:
        rows.insert(0, (f"{ONE_PASS_ITEMS} leads, known=", ("known",)))
    if "first_model" in result:
        rows.insert(0, (f"first model, {ONE_PASS_ITEMS} items", ("first_model",)))
    rows += [("import the rules", ("start", "import")),
             ("first call (word lists)", ("start", "first"))]
    for name, path in rows:
        row = _at(result, path)
        line = f"  {name:>24}: "
        line += (f"{row['words']:>7} words  " if "words" in row else " " * 15)
        line += f"{row['wall']:6.2f} s wall {row['cpu']:6.2f} s CPU"
        line += (f"  {row['words'] / row[clock]:>9,.0f} words/s {clock}" if "words" in row
                 else " " * 26)
        if before is not None:
            old = _at(before, path)
            line += f"  {old[clock] / row[clock]:5.1f}x faster ({clock})"
        print(line)
    sizes = result["sizes"]
    print(f"  time ratio 100k / 50k words: "
          f"{sizes['100000'][clock] / sizes['50000'][clock]:.2f} (2.0 = linear)")


def _at(result: dict, path: tuple[str, ...]) -> dict:
    for name in path:
        result = result[name]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="git commit of the previous extractor "
                        "(default: the fixture's rules commit)")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument("--rounds", type=int, default=3,
                        help="fresh processes per extractor, alternately; medians are kept")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--known-file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--write-known", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--first-model", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_model:
        print(json.dumps(first_model()))
        return
    if args.write_known:
        lead_items(args.write_known)
        return
    if args.measure:
        print(json.dumps(measure(args.repeats, args.known_file)))
        return
    commit = args.baseline or baseline_commit()
    with tempfile.TemporaryDirectory() as folder:
        known_file = None
        if CORPUS.is_file():
            known_file = Path(folder) / "leads.json"
            subprocess.run([sys.executable, __file__, "--write-known", str(known_file)],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, check=True)
        source = Path(folder) / "before"
        source.mkdir()
        archive = subprocess.run(["git", "archive", commit, "benchmark"], cwd=ROOT,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
        befores, afters = [], []
        for _ in range(args.rounds):
            befores.append(run_version(source=source, repeats=args.repeats,
                                       known_file=known_file))
            afters.append(run_version(source=ROOT, repeats=args.repeats, known_file=known_file))
    before, after = median_of(befores), median_of(afters)
    print(f"medians of {args.rounds} rounds per extractor")
    report(f"before ({commit})", before, None, clock=args.clock)
    report("now", after, before, clock=args.clock)


if __name__ == "__main__":
    main()
