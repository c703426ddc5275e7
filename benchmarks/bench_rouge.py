"""Time our ROUGE against rouge-score 0.1.2 in one run, row by row (issue 8's table).

    python benchmarks/bench_rouge.py [--corpus ../shared/corpora/ant_bbc.jsonl] [--rounds 3]

Predictions are lead-3 of each article, references the human summaries, both with
one sentence per line. Kernel rows start from the same token lists on both sides
(rouge-score's n-gram, LCS and summary-level LCS functions), so the numbers are
identical and are checked to be; ours include, per pair, building the reference's
table of token positions and looking the prediction up in it. The second ROUGE-L row
is a floor: rapidfuzz alone on token ids made before timing.
The end-to-end row starts from the raw texts: ours normalizes (profile ``ar``),
tokenizes and scores; the reference is rouge-score given a simple regex tokenizer for
Arabic (casefold, then runs of letters and marks or of digits) through its
``tokenizer=`` hook. Times are CPU seconds (``time.process_time``), medians of
--rounds in which ours and the reference alternate; the ratio is the median of the
rounds' ratios, so a change in the machine's other load counts less.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import regex
from rapidfuzz.distance import LCSseq
from rouge_score import rouge_scorer

from benchmark.metrics.rouge import ROUGE_TYPES, score_texts
from benchmark.kernels import RougeSide, rouge_l, rouge_lsum, rouge_n, score_sides
from benchmark.text import TextProfile, split_sentences

ROOT = Path(__file__).resolve().parents[1]


class RegexTokenizer:
    """The reference Arabic tokenizer: casefold, then letters+marks runs or digit runs."""

    pattern = regex.compile(r"[\p{L}\p{M}]+|\p{N}+")

    def tokenize(self, text: str) -> list[str]:
        return self.pattern.findall(text.casefold())


def load_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            lead3 = "\n".join(split_sentences(record["article"])[:3])
            pairs.append(("\n".join(split_sentences(record["summary"])), lead3))
    return pairs


def cpu_seconds(rounds: int, ours, theirs) -> tuple[float, float, float]:
    """Medians of ours, theirs and their ratio over `rounds`, the two alternating in
    each round so that a change in the machine's load hits both."""
    mine, reference, ratios = [], [], []
    for _ in range(rounds):
        times = []
        for fn in (ours, theirs):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
        mine.append(times[0])
        reference.append(times[1])
        ratios.append(times[1] / times[0])
    return statistics.median(mine), statistics.median(reference), statistics.median(ratios)


def flat(sentences):
    return [token for sentence in sentences for token in sentence]


def same_numbers(ours, theirs):
    """A kernel row's (ours, reference), after checking they give identical numbers."""
    def plain(scores):
        return [tuple(map(tuple, row)) if isinstance(row[0], tuple) else tuple(row)
                for row in scores]

    assert plain(ours()) == plain(theirs()), "numbers differ"
    return ours, theirs


def rows(pairs, profile: TextProfile):
    """(what, ours, reference, reference name) for each row."""
    tokenized = [([profile.tokenize(s) for s in r.split("\n")],
                  [profile.tokenize(s) for s in p.split("\n")]) for r, p in pairs]
    flats = [(flat(r), flat(p)) for r, p in tokenized]
    rs = rouge_scorer

    def ours_all():
        return [score_sides(RougeSide(r), RougeSide(p)) for r, p in tokenized]

    def theirs_all():
        out = []
        for (r, p), (fr, fp) in zip(tokenized, flats):
            out.append((rs._score_ngrams(rs._create_ngrams(fr, 1), rs._create_ngrams(fp, 1)),
                        rs._score_ngrams(rs._create_ngrams(fr, 2), rs._create_ngrams(fp, 2)),
                        rs._score_lcs(fr, fp), rs._summary_level_lcs(r, p)))
        return out

    yield ("ROUGE-1/2/L/Lsum kernels on identical tokens", *same_numbers(ours_all, theirs_all),
           "rouge-score 0.1.2")
    yield ("ROUGE-L alone", *same_numbers(
        lambda: [rouge_l(reference=r, prediction=p) for r, p in flats],
        lambda: [rs._score_lcs(r, p) for r, p in flats]), "rouge-score 0.1.2")
    vocabulary: dict[str, int] = {}
    ids = [([vocabulary.setdefault(t, len(vocabulary)) for t in r],
            [vocabulary.setdefault(t, len(vocabulary)) for t in p]) for r, p in flats]
    yield ("ROUGE-L alone", lambda: [rouge_l(reference=r, prediction=p) for r, p in flats],
           lambda: [LCSseq.similarity(r, p) for r, p in ids], "rapidfuzz LCS on ids alone")
    yield ("ROUGE-1 + ROUGE-2", *same_numbers(
        lambda: [(rouge_n(reference=r, prediction=p, n=1),
                  rouge_n(reference=r, prediction=p, n=2)) for r, p in flats],
        lambda: [(rs._score_ngrams(rs._create_ngrams(r, 1), rs._create_ngrams(p, 1)),
                  rs._score_ngrams(rs._create_ngrams(r, 2), rs._create_ngrams(p, 2)))
                 for r, p in flats]), "rouge-score 0.1.2")
    yield ("ROUGE-Lsum", *same_numbers(
        lambda: [rouge_lsum(reference=r, prediction=p) for r, p in tokenized],
        lambda: [rs._summary_level_lcs(r, p) for r, p in tokenized]), "rouge-score 0.1.2")
    theirs = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=RegexTokenizer())
    yield ("normalize + tokenize + 4 ROUGE, end to end",
           lambda: [score_texts(reference=r, prediction=p, profile=profile) for r, p in pairs],
           lambda: [theirs.score(r, p) for r, p in pairs],
           "rouge-score 0.1.2 + a regex Arabic tokenizer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pairs = load_pairs(args.corpus)
    print(f"{len(pairs)} pairs from {args.corpus.name}, CPU seconds, medians of {args.rounds} "
          "alternating rounds")
    print("| what | ours | reference | ratio |\n|---|---|---|---|")
    for what, ours, theirs, name in rows(pairs, TextProfile()):
        mine, reference, ratio = cpu_seconds(args.rounds, ours, theirs)
        print(f"| {what} | {mine:.3f} s | {name}: {reference:.3f} s | {ratio:.1f}x |",
              flush=True)


if __name__ == "__main__":
    main()
