"""Time our ROUGE and chrF kernels against the reference and the fastest peers, row by row.

    pip install -e ".[perf]"   # rouge-score-rs and rouge-rust, the peers
    python benchmarks/bench_rouge.py [--corpus ../shared/corpora/ant_bbc.jsonl] [--rounds 5]

Predictions are lead-3 of each article, references the human summaries, both with
one sentence per line. Every row gives both sides the same input, first checks that
they return identical numbers (it stops if not), then times them: CPU seconds
(``time.process_time``) in --rounds rounds in which ours and theirs alternate, medians,
and the ratio as the median of the rounds' ratios (so a change in the machine's load
counts less). Ratio: their time / ours (above 1: ours is faster).

- Kernel rows start from the same token lists. rouge-score: its n-gram, LCS and
  summary-level LCS functions. rouge-score-rs: its native ``score_documents`` (tokens
  and sentences, made before timing). rouge-rust (ROUGE-1/2/L only) takes text and
  tokenizes it as rouge-score does, so it gets each token as an ASCII word naming it
  (made before timing): the same tokens. Ours includes, per pair, making the two
  sides from the sentence lists, the reference's table of token positions and the
  lookup of the prediction in it.
- The chrF row gives both sides the same normalized text (profile ``ar``): sacrebleu's
  ``CHRF(word_order=2).sentence_score`` against ours (`benchmark.kernels.chrf`).
- The end-to-end row starts from the raw texts: ours normalizes (profile ``ar``),
  tokenizes and scores; rouge-score gets a regex tokenizer for Arabic (casefold, then
  runs of letters and marks or of digits) through its ``tokenizer=`` hook.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import regex
from rouge_score import rouge_scorer as rs

from benchmark.kernels import RougeSide, rouge_l, rouge_lsum, rouge_n, score_sides
from benchmark.kernels.chrf import ChrF
from benchmark.metrics.rouge import ROUGE_TYPES, score_texts
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


def plain(scores):
    """Scores of any of the implementations as nested tuples of floats."""
    if isinstance(scores, dict):
        return [plain(scores[kind]) for kind in sorted(scores)]
    if hasattr(scores, "fmeasure"):
        return (scores.precision, scores.recall, scores.fmeasure)
    if isinstance(scores, (list, tuple)) and scores and not isinstance(scores[0], float):
        return [plain(score) for score in scores]
    return tuple(scores)


def same_numbers(ours, theirs, convert=plain, convert_theirs=None):
    """A row's (ours, theirs), after checking that they give identical numbers (each
    side's own output converted to plain numbers here, outside the timed calls)."""
    assert convert(ours()) == (convert_theirs or convert)(theirs()), "numbers differ"
    return ours, theirs


def by_type(kinds):
    """Their per-pair dicts -> per pair, the scores of `kinds` in our order."""
    return lambda results: [[plain(scores[kind]) for kind in kinds] for scores in results]


def rouge_score_rows(tokenized, flats):
    """Kernel rows against rouge-score 0.1.2's own functions."""
    def ours_all():
        return [score_sides(RougeSide(r), RougeSide(p)) for r, p in tokenized]

    def theirs_all():
        return [(rs._score_ngrams(rs._create_ngrams(fr, 1), rs._create_ngrams(fp, 1)),
                 rs._score_ngrams(rs._create_ngrams(fr, 2), rs._create_ngrams(fp, 2)),
                 rs._score_lcs(fr, fp), rs._summary_level_lcs(r, p))
                for (r, p), (fr, fp) in zip(tokenized, flats)]

    name = "rouge-score 0.1.2"
    yield "ROUGE-1/2/L/Lsum kernels", *same_numbers(ours_all, theirs_all), name
    yield "ROUGE-L alone", *same_numbers(
        lambda: [rouge_l(reference=r, prediction=p) for r, p in flats],
        lambda: [rs._score_lcs(r, p) for r, p in flats]), name
    yield "ROUGE-1 + ROUGE-2", *same_numbers(
        lambda: [(rouge_n(reference=r, prediction=p, n=1),
                  rouge_n(reference=r, prediction=p, n=2)) for r, p in flats],
        lambda: [(rs._score_ngrams(rs._create_ngrams(r, 1), rs._create_ngrams(p, 1)),
                  rs._score_ngrams(rs._create_ngrams(r, 2), rs._create_ngrams(p, 2)))
                 for r, p in flats]), name
    yield "ROUGE-Lsum", *same_numbers(
        lambda: [rouge_lsum(reference=r, prediction=p) for r, p in tokenized],
        lambda: [rs._summary_level_lcs(r, p) for r, p in tokenized]), name


def peer_rows(tokenized, flats):
    """Kernel rows against the compiled peers (the ``perf`` extra), where installed."""
    try:
        from rouge_score_rs import _rougers
    except ImportError:
        print("(rouge-score-rs not installed: pip install -e '.[perf]')")
    else:
        native = _rougers.Scorer(list(ROUGE_TYPES), False).score_documents
        inputs = [(fr, r, fp, p) for (r, p), (fr, fp) in zip(tokenized, flats)]
        yield "ROUGE-1/2/L/Lsum kernels", *same_numbers(
            lambda: [score_sides(RougeSide(r), RougeSide(p)) for r, p in tokenized],
            lambda: [native(*pair) for pair in inputs],
            convert_theirs=by_type(ROUGE_TYPES)), "rouge-score-rs native"
    try:
        import fast_rouge
    except ImportError:
        print("(rouge-rust not installed: pip install -e '.[perf]')")
        return
    vocabulary: dict[str, int] = {}

    def ascii_words(tokens):
        return " ".join(f"w{vocabulary.setdefault(t, len(vocabulary)):x}" for t in tokens)

    texts = [(ascii_words(r), ascii_words(p)) for r, p in flats]
    yield "ROUGE-1/2/L kernels", *same_numbers(
        lambda: [score_sides(RougeSide([r]), RougeSide([p])) for r, p in flats],
        lambda: [fast_rouge.score(r, p) for r, p in texts],
        convert=lambda results: [plain(scores)[:3] for scores in results],
        convert_theirs=by_type(ROUGE_TYPES[:3])), "rouge-rust"


def chrf_rows(pairs, profile: TextProfile):
    """chrF++ on the same normalized text, against sacrebleu."""
    from sacrebleu.metrics import CHRF

    normalized = [(" ".join(profile.normalize(r).split()), " ".join(profile.normalize(p).split()))
                  for r, p in pairs]
    ours, theirs = ChrF(), CHRF(word_order=2)
    yield "chrF++ sentence scores", *same_numbers(
        lambda: [ours.score(ours.statistics(p, [r])) for r, p in normalized],
        lambda: [theirs.sentence_score(p, [r]).score for r, p in normalized],
        convert=list), "sacrebleu"


def rows(pairs, profile: TextProfile):
    """(what, ours, theirs, their name) for each row."""
    tokenized = [([profile.tokenize(s) for s in r.split("\n")],
                  [profile.tokenize(s) for s in p.split("\n")]) for r, p in pairs]
    flats = [(flat(r), flat(p)) for r, p in tokenized]
    yield from rouge_score_rows(tokenized, flats)
    yield from peer_rows(tokenized, flats)
    yield from chrf_rows(pairs, profile)
    theirs = rs.RougeScorer(list(ROUGE_TYPES), tokenizer=RegexTokenizer())
    yield ("normalize + tokenize + 4 ROUGE, end to end",
           lambda: [score_texts(reference=r, prediction=p, profile=profile) for r, p in pairs],
           lambda: [theirs.score(r, p) for r, p in pairs],
           "rouge-score 0.1.2 + a regex Arabic tokenizer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pairs = load_pairs(args.corpus)
    print(f"{len(pairs)} pairs from {args.corpus.name}, CPU seconds, medians of {args.rounds} "
          "alternating rounds; every row's numbers checked identical first")
    print("| what | ours | theirs | their time ÷ ours |\n|---|---|---|---|")
    for what, ours, theirs, name in rows(pairs, TextProfile()):
        mine, reference, ratio = cpu_seconds(args.rounds, ours, theirs)
        print(f"| {what} | {mine:.3f} s | {name}: {reference:.3f} s | {ratio:.2f}x |",
              flush=True)


if __name__ == "__main__":
    main()
