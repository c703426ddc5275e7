"""Would a second model's run gain by loading the word facts the articles' analyses
learnt, instead of learning its predictions' words afresh? Instructions (valgrind's
callgrind, ``PYTHONHASHSEED=0``), each case in a child of its own that sets up
uncounted and counts one call (the one call of CPython's ``_operator_call``).

    python benchmarks/count_word_facts_instructions.py [--items 3797] [--case NAME ...]

Cases, over the first ``--items`` BBC items (the lead sentence standing for a second
model's prediction, as in `count_prediction_instructions.py`):

- ``words-fresh``: `stream.text_words` of each lead sentence, no word learnt before
  (a second model's run: the process never read the articles);
- ``words-known``: the same, every word learnt before (what a preload would leave);
- ``load-facts``: unpickling the facts (`stream._Facts` rows) of every word of the
  articles, as one pickled dict;
- ``load-compact``: the same facts pickled as two joined strings and two byte arrays,
  made into the dict on loading;
- ``learn-articles``: `stream._learn` of every word of the articles at once (what the
  first model would pay again to store them, had it not learnt them per text anyway);
- ``add-known``: `rules._add_known` for each lead sentence with its article's entities
  (the known names' overlay, a second model's largest own cost in the rules).

A preload pays when ``load-*`` is below ``words-fresh`` less ``words-known``. Not
collected by pytest.
"""

from __future__ import annotations

import argparse
import array
import itertools
import json
import operator
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from callgrind_counts import CALLGRIND, collected, require_valgrind

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
CASES = ("words-fresh", "words-known", "load-facts", "load-compact", "learn-articles",
         "add-known")


def prepare(items: int, out: Path) -> None:
    """Articles, lead sentences, the articles' entities (uncounted, pickled to `out`)."""
    from benchmark.entities.rules import RulesBackend
    from benchmark.text import split_sentences

    backend, rows = RulesBackend(), []
    with CORPUS.open(encoding="utf-8") as handle:
        for _, line in zip(range(items), handle):
            article = json.loads(line)["article"]
            sentences = split_sentences(article)
            rows.append((article, sentences[0] if sentences else "",
                         backend.extract(article)))
    out.write_bytes(pickle.dumps(rows))


def _compact(facts: dict) -> bytes:
    surfaces = list(facts)
    norms = [facts[s][0] for s in surfaces]
    return pickle.dumps(("\n".join(surfaces),
                         "\n".join("\0" if n == s else n for s, n in zip(surfaces, norms)),
                         array.array("H", [facts[s][1] for s in surfaces]).tobytes(),
                         bytes(facts[s][2] for s in surfaces)), protocol=5)


def _from_compact(blob: bytes) -> dict:
    surfaces, norms, patterns, lists = pickle.loads(blob)
    surfaces, norms = surfaces.split("\n"), norms.split("\n")
    bits = array.array("H")
    bits.frombytes(patterns)
    return dict(zip(surfaces, zip([s if n == "\0" else n for s, n in zip(surfaces, norms)], bits, lists)))


def count_case(case: str, rows_file: Path) -> None:
    """The counted child: set up, then one `operator.call` of the case's work."""
    from benchmark.entities import rules, stream
    from benchmark.entities.gazetteer import PhraseIndex, load_gazetteer
    from benchmark.entities.tokens import split_letters
    from benchmark.runs.collector import collect_less_often

    collect_less_often()
    load_gazetteer()
    rows = pickle.loads(rows_file.read_bytes())
    leads = [lead for _, lead, _ in rows]
    stream.text_words("x")  # the word lists and patterns made, as in any run
    vocabulary = set(itertools.chain.from_iterable(split_letters(a)[1::2] for a, _, _ in rows))
    facts: dict = {}
    stream._learn(set(vocabulary), facts)
    if case == "words-known":
        stream._FACTS.of(list(vocabulary))
    blob = pickle.dumps(facts, protocol=5)
    compact = _compact(facts)
    assert _from_compact(compact) == facts
    known = ([(article, stream.text_words(lead).norms) for (_, lead, article) in rows]
             if case == "add-known" else [])  # (learns the leads' words: only here)
    work = {
        "words-fresh": lambda: [stream.text_words(lead) for lead in leads],
        "words-known": lambda: [stream.text_words(lead) for lead in leads],
        "load-facts": lambda: pickle.loads(blob),
        "load-compact": lambda: _from_compact(compact),
        "learn-articles": lambda: stream._learn(set(vocabulary), {}),
        "add-known": lambda: [rules._add_known(PhraseIndex(), article, norms)
                              for article, norms in known],
    }[case]
    if case == "add-known":
        rules.known_names.cache_clear()
    operator.call(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=3797)
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.items, args.prepare)
        return
    if args.count:
        count_case(args.count[0], Path(args.count[1]))
        return
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the count reads the BBC corpus")
    require_valgrind()
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(ROOT)}
    script = str(Path(__file__).resolve())
    print(f"{args.items} BBC items; millions of instructions (callgrind, PYTHONHASHSEED=0)")
    print("| case | Minstr |\n|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        environment["BENCH_CACHE_DIR"] = str(Path(folder) / "cache")
        rows = Path(folder) / "rows.pickle"
        subprocess.run([sys.executable, script, "--prepare", str(rows), "--items",
                        str(args.items)], cwd=ROOT, env=environment, check=True)
        for case in args.case or CASES:
            done = subprocess.run([*CALLGRIND, "--collect-atstart=no",
                                   "--toggle-collect=_operator_call", sys.executable, script,
                                   "--count", case, str(rows)],
                                  cwd=ROOT, env=environment, capture_output=True, text=True)
            found = collected(done)
            if found is None:
                raise SystemExit(f"callgrind gave no count for {case}:\n{done.stderr[-2000:]}")
            print(f"| {case} | {found / 1e6:,.1f} |", flush=True)


if __name__ == "__main__":
    main()
