"""What the dataset analysis saves a second model: for each metric of ``--metrics all``,
its analysis of every item computed from scratch against read back from the store.

    python benchmarks/bench_analysis_store.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                              [--rounds 5] [--limit N]

For each metric that prepares (`Metric.prepare`): CPU seconds to analyse every item's
reference and article (what a run without the store does per item), and to read the
same analyses back from the store a batch of 64 at a time (SQLite fetch and unpickle,
what a second model's run does), in alternating rounds, medians; and the whole of a
second model's work for the metric, since a stored form can move work between reading
back and scoring (a stored extractive index finds a short summary's tokens by search
when scored instead of building its token -> number dict when read): read back and
score lead-1 of every item (`score_prepared`; the sentence splits metrics share are
forgotten first, as if no earlier metric had split the predictions). The chrF row is
what storing chrF's reference analysis would give (a pickle of it, without SQLite):
its characters and words, cheap to make again (a few hundredths of a second for all of
BBC), so chrF keeps no analysis.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from pathlib import Path

from benchmark.data import load_examples
from benchmark.metrics.base import ItemInput, _remembered_sentence_tokens
from benchmark.runs.analysis import AnalysisStore, example_key
from benchmark.scorer import Scorer
from benchmark.text.sentences import first_sentences

ROOT = Path(__file__).resolve().parents[1]
BATCH = 64


class ChrFReferences:
    """chrF's reference side, as a `prepare` would make it (the kernel's n-grams)."""

    name = "chrf"

    def __init__(self, profile):
        from benchmark.metrics.chrf import ChrFMetric

        self.metric = ChrFMetric(profile)

    def prepare(self, *, references, source):
        chrf = self.metric
        return [chrf._chrf.analyse(chrf.prepare(text)) for text in references]

    def analysis_signature(self):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    examples = load_examples(args.dataset, limit=args.limit or None).examples
    scorer = Scorer(["all"])
    metrics = [metric for metric in scorer.metrics if metric.prepares]
    metrics.append(ChrFReferences(scorer.profile))
    print(f"{len(examples)} items of {args.dataset.name}; CPU seconds for all items, medians "
          f"of {args.rounds} rounds\n")
    print("| metric | stored | analyse from scratch | read back | read back ÷ scratch | "
          "bytes per item | read back and score lead-1 |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for metric in metrics:
            print(measure(metric, examples, dataset=args.dataset, folder=Path(folder),
                          rounds=args.rounds), flush=True)


def measure(metric, examples, *, dataset: Path, folder: Path, rounds: int) -> str:
    """The metric's row of the table."""
    keys = [example_key(ex) for ex in examples]
    analyses = [metric.prepare(references=[ex.summary], source=ex.article) for ex in examples]
    signature = metric.analysis_signature()
    blobs = [pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL) for a in analyses]
    second = None
    if signature is not None:
        store = AnalysisStore.for_dataset(folder, dataset_name="d", dataset_path=str(dataset),
                                          signatures={metric.name: str(signature)})
        store.save({key: {metric.name: a} for key, a in zip(keys, analyses)})
        items = [ItemInput(prediction=" ".join(first_sentences(ex.article, 1)),
                           references=[ex.summary], source=ex.article) for ex in examples]

        def read_back():
            for start in range(0, len(keys), BATCH):
                store.get(keys[start:start + BATCH])

        def second():
            _remembered_sentence_tokens.cache_clear()  # no earlier metric split lead-1
            for start in range(0, len(keys), BATCH):
                stored = store.get(keys[start:start + BATCH])
                for key, item in zip(keys[start:start + BATCH], items[start:start + BATCH]):
                    metric.score_prepared(item, stored[key][metric.name])
    else:
        def read_back():
            for blob in blobs:
                pickle.loads(blob)

    def scratch():
        for ex in examples:
            metric.prepare(references=[ex.summary], source=ex.article)

    fresh, back, whole = [], [], []
    for _ in range(rounds):
        for call, times in ((scratch, fresh), (read_back, back), (second, whole)):
            if call is not None:
                began = time.process_time()
                call()
                times.append(time.process_time() - began)
    a, b = statistics.median(fresh), statistics.median(back)
    c = f"{statistics.median(whole):.3f} s" if whole else "—"
    return (f"| {metric.name} | {'yes' if signature is not None else 'no'} | {a:.3f} s | "
            f"{b:.3f} s | {b / a:.2f}x | {sum(map(len, blobs)) / len(blobs):,.0f} | {c} |")


if __name__ == "__main__":
    main()
