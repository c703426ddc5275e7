"""What the dataset analysis saves a second model: for each metric of ``--metrics all``,
its analysis of every item computed from scratch against read back from the store.

    python benchmarks/bench_analysis_store.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                              [--rounds 5] [--limit N]

For each metric that prepares (`Metric.prepare`): CPU seconds to analyse every item's
reference and article (what a run without the store does per item), and to read the
same analyses back from the store a batch of 64 at a time (SQLite fetch and unpickle,
what a second model's run does), in alternating rounds, medians. The chrF row is what
storing chrF's reference n-grams would give (a pickle of them, without SQLite): its
n-grams are thousands of short strings, and unpickling a string costs about what
cutting it out of the text does, so chrF keeps no analysis.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
from pathlib import Path

from benchmark.data import load_examples
from benchmark.runs.analysis import AnalysisStore, example_key
from benchmark.scorer import Scorer

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
    keys = [example_key(ex) for ex in examples]
    print(f"{len(examples)} items of {args.dataset.name}; CPU seconds for all items, medians "
          f"of {args.rounds} rounds\n")
    print("| metric | stored | analyse from scratch | read back | read back ÷ scratch | "
          "bytes per item |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for metric in metrics:
            analyses = [metric.prepare(references=[ex.summary], source=ex.article)
                        for ex in examples]
            signature = metric.analysis_signature()
            blobs = [pickle.dumps(a, protocol=pickle.HIGHEST_PROTOCOL) for a in analyses]
            if signature is not None:
                store = AnalysisStore.for_dataset(Path(folder), dataset_name="d",
                                                  dataset_path=str(args.dataset),
                                                  signatures={metric.name: str(signature)})
                store.save({key: {metric.name: a} for key, a in zip(keys, analyses)})

                def read_back(store=store):
                    for start in range(0, len(keys), BATCH):
                        store.get(keys[start:start + BATCH])
            else:
                def read_back(blobs=blobs):
                    for blob in blobs:
                        pickle.loads(blob)

            def scratch(metric=metric):
                for ex in examples:
                    metric.prepare(references=[ex.summary], source=ex.article)

            fresh, back = [], []
            for _ in range(args.rounds):
                for call, times in ((scratch, fresh), (read_back, back)):
                    began = time.process_time()
                    call()
                    times.append(time.process_time() - began)
            a, b = statistics.median(fresh), statistics.median(back)
            print(f"| {metric.name} | {'yes' if signature is not None else 'no'} | {a:.3f} s | "
                  f"{b:.3f} s | {b / a:.2f}x | {sum(map(len, blobs)) / len(blobs):,.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
