"""Time our ROUGE against rouge-score 0.1.2 on the same tokens, in one run.

    python benchmarks/bench_rouge.py [--corpus ../shared/corpora/ant_bbc.jsonl] [--repeat 3]

Predictions are lead-3 of each article, references the human summaries. Both sides
use our `ar` tokenizer (rouge-score through its `tokenizer=` hook), so the numbers are
identical and only the speed differs. Reports end-to-end time (tokenize + score) and
kernel time on pre-tokenized input, each as best of --repeat, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rouge_score import rouge_scorer

from benchmark.metrics.rouge import ROUGE_TYPES, score_texts
from benchmark.metrics.rouge_kernels import ngram_counts, rouge_l, rouge_lsum, score_ngram_counts
from benchmark.text import TextProfile, split_sentences

ROOT = Path(__file__).resolve().parents[1]


def load_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            lead3 = "\n".join(split_sentences(record["article"])[:3])
            pairs.append(("\n".join(split_sentences(record["summary"])), lead3))
    return pairs


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    profile = TextProfile()
    pairs = load_pairs(args.corpus)

    class Tokenizer:
        def tokenize(self, text):
            return profile.tokenize(text)

    theirs = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=Tokenizer())
    ours_end = best_of(args.repeat, lambda: [score_texts(reference=r, prediction=p,
                                                         profile=profile) for r, p in pairs])
    theirs_end = best_of(args.repeat, lambda: [theirs.score(r, p) for r, p in pairs])

    tokenized = [([profile.tokenize(s) for s in r.split("\n")],
                  [profile.tokenize(s) for s in p.split("\n")]) for r, p in pairs]

    def ours_kernels():
        for ref, pred in tokenized:
            flat_r = [t for s in ref for t in s]
            flat_p = [t for s in pred for t in s]
            for n in (1, 2):
                score_ngram_counts(reference=ngram_counts(flat_r, n), prediction=ngram_counts(flat_p, n))
            rouge_l(reference=flat_r, prediction=flat_p)
            rouge_lsum(reference=ref, prediction=pred)

    def theirs_kernels():
        for ref, pred in tokenized:
            flat_r = [t for s in ref for t in s]
            flat_p = [t for s in pred for t in s]
            for n in (1, 2):
                rouge_scorer._score_ngrams(rouge_scorer._create_ngrams(flat_r, n),
                                           rouge_scorer._create_ngrams(flat_p, n))
            rouge_scorer._score_lcs(flat_r, flat_p)
            rouge_scorer._summary_level_lcs(ref, pred)

    ours_k = best_of(args.repeat, ours_kernels)
    theirs_k = best_of(args.repeat, theirs_kernels)
    print(f"{len(pairs)} pairs from {args.corpus.name}, best of {args.repeat}")
    print(f"end to end (tokenize + 4 ROUGE types): ours {ours_end:.2f}s, rouge-score "
          f"{theirs_end:.2f}s, ratio {theirs_end / ours_end:.2f}x")
    print(f"kernels on pre-tokenized input:        ours {ours_k:.2f}s, rouge-score "
          f"{theirs_k:.2f}s, ratio {theirs_k / ours_k:.2f}x")


if __name__ == "__main__":
    main()
