"""Instructions a second model's run spends on some metrics, in this checkout and
another: a count that does not move with the machine's load.

    python benchmarks/count_second_model_instructions.py --old DIR [--new .]
        [--items 400] [--lead 1 3] [--metrics extractive length bullets ...]

What a second model's run does for a metric whose analysis is stored: unpickle the
stored analysis of each item and score the prediction against it (`score_prepared`),
metric by metric over the items, as the harness scores a batch (so metrics named
together, ``extractive,length,bullets``, share the prediction's remembered sentence
split as in a run); a metric that stores nothing (chrf) scores the items a batch of 64
at a time (`score_batch`), as the harness calls it. The prediction is lead-k of the
article (``--lead``). Each case runs under valgrind's callgrind with
``PYTHONHASHSEED=0``, once with the work and once with its set-up alone (read the items, prepare and pickle the analyses), and the difference
is printed in millions of instructions (see `count_entity_instructions` for why
instructions). About 15-30 s per case and checkout. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
from pathlib import Path

from callgrind_counts import CALLGRIND, collected, require_valgrind

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
BATCH = 64  # items per batch for a metric without a stored analysis (the harness's)


def work(metrics: str, lead: int, items: int, setup_only: bool) -> None:
    """The case's work in this process (the child under valgrind)."""
    from benchmark.data import load_examples
    from benchmark.metrics.base import ItemInput, _remembered_sentence_tokens
    from benchmark.scorer import Scorer
    from benchmark.text.sentences import first_sentences

    examples = load_examples(CORPUS, limit=items).examples
    scorer = Scorer(metrics.split(","))
    inputs = [ItemInput(prediction=" ".join(first_sentences(ex.article, lead)),
                        references=[ex.summary], source=ex.article) for ex in examples]
    stored = [[pickle.dumps(metric.prepare(references=[ex.summary], source=ex.article),
                            protocol=pickle.HIGHEST_PROTOCOL) for ex in examples]
              if metric.prepares else [] for metric in scorer.metrics]
    _remembered_sentence_tokens.cache_clear()  # the predictions were never split
    if setup_only:
        return
    for metric, blobs in zip(scorer.metrics, stored):
        if not metric.prepares:  # scored as the harness does: a batch at a time
            for start in range(0, len(inputs), BATCH):
                metric.score_batch(inputs[start:start + BATCH])
            continue
        for item, blob in zip(inputs, blobs):
            metric.score_prepared(item, pickle.loads(blob))


def count(checkout: Path, metrics: str, lead: int, items: int, setup_only: bool) -> int:
    """Instructions of one child run under callgrind."""
    command = [*CALLGRIND, sys.executable, str(Path(__file__).resolve()), "--pass", metrics,
               "--lead", str(lead), "--items", str(items)] + \
        (["--setup-only"] if setup_only else [])
    environment = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(checkout)}
    done = subprocess.run(command, cwd=checkout, env=environment, capture_output=True,
                          text=True)
    found = collected(done)
    if found is not None:
        return found
    raise SystemExit(f"callgrind gave no count for {metrics} in {checkout}:\n"
                     f"{done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, help="the other checkout (required)")
    parser.add_argument("--new", type=Path, default=ROOT, help="this checkout (default)")
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--lead", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--metrics", nargs="+",
                        default=["extractive", "length", "bullets", "extractive,length,bullets",
                                 "chrf"])
    parser.add_argument("--pass", dest="which", help=argparse.SUPPRESS)
    parser.add_argument("--setup-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the count reads the BBC corpus")
    if args.which:
        work(args.which, args.lead[0], args.items, args.setup_only)
        return
    if args.old is None:
        parser.error("--old is required: the checkout to count against")
    require_valgrind()
    old, new = args.old.resolve(), args.new.resolve()
    print(f"{args.items} BBC items; millions of instructions (callgrind, PYTHONHASHSEED=0), "
          "the work less its set-up")
    print(f"| metrics | prediction | {old.name} | {new.name} | new ÷ old |")
    print("|---|---|---|---|---|")
    for metrics in args.metrics:
        for lead in args.lead:
            counts = [count(checkout, metrics, lead, args.items, False)
                      - count(checkout, metrics, lead, args.items, True)
                      for checkout in (old, new)]
            print(f"| {metrics} | lead-{lead} | {counts[0] / 1e6:,.0f} | "
                  f"{counts[1] / 1e6:,.0f} | {counts[1] / counts[0]:.3f} |", flush=True)


if __name__ == "__main__":
    main()
