"""Where the time of the ROUGE kernel row of `bench_rouge.py` goes, pair by pair.

    python benchmarks/profile_rouge_kernels.py [--rounds 9] [--top 15]

The inputs are those of the row "ROUGE-1/2/L/Lsum kernels" of ``bench_rouge.py``: the
3,797 BBC pairs (lead-3 against the summary), tokenized before timing. Cumulative
stages of ``score_sides(RougeSide(reference), RougeSide(prediction))``, timed in the
same interleaved rounds (CPU seconds, ``time.process_time``, medians; the difference of
two stages is what the later one adds):

- the two sides (sentence ends and sizes);
- + the reference's table (token -> position bits, LCS codes, repeated tokens);
- + the prediction looked up in it;
- the whole call (+ ROUGE-1/2 hits, the LCS, the union-LCS of ROUGE-Lsum, the Scores);
- rouge-score-rs's native call on the same tokens, where installed (the ``perf``
  extra), and its time ÷ the whole call's, round by round.

Then one pass under cProfile, its top functions by own time (cProfile charges every
Python call, so it overstates many small calls against a few long C calls).

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rouge import ROOT, load_pairs  # noqa: E402

from benchmark.kernels import RougeSide, score_sides  # noqa: E402
from benchmark.metrics.rouge import ROUGE_TYPES  # noqa: E402
from benchmark.text import TextProfile  # noqa: E402


def stages(tokenized):
    """(name, function) of each cumulative stage."""
    def sides():
        return [(RougeSide(r), RougeSide(p)) for r, p in tokenized]

    def table():
        return [(RougeSide(r).masks(), RougeSide(p)) for r, p in tokenized]

    def lookup():
        return [RougeSide(p).lookup(RougeSide(r)) for r, p in tokenized]

    def whole():
        return [score_sides(RougeSide(r), RougeSide(p)) for r, p in tokenized]

    steps = [("the two sides", sides), ("+ the reference's table", table),
             ("+ the prediction's lookup", lookup), ("the whole call", whole)]
    try:
        from rouge_score_rs import _rougers
    except ImportError:
        return steps
    native = _rougers.Scorer(list(ROUGE_TYPES), False).score_documents
    inputs = [([t for s in r for t in s], r, [t for s in p for t in s], p) for r, p in tokenized]
    return [*steps, ("rouge-score-rs native, same tokens", lambda: [native(*x) for x in inputs])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    profile = TextProfile()
    tokenized = [([profile.tokenize(s) for s in r.split("\n")],
                  [profile.tokenize(s) for s in p.split("\n")])
                 for r, p in load_pairs(args.corpus)]
    steps = stages(tokenized)
    times: dict[str, list[float]] = {name: [] for name, _ in steps}
    for _ in range(args.rounds):
        for name, function in steps:
            start = time.process_time()
            function()
            times[name].append(time.process_time() - start)
    print(f"{len(tokenized)} pairs, CPU µs per pair, medians of {args.rounds} interleaved rounds")
    for name, _ in steps:
        print(f"| {name} | {statistics.median(times[name]) * 1e6 / len(tokenized):.2f} |")
    if len(steps) > 4:  # the peer's time ÷ ours, round by round
        ratios = map(float.__truediv__, times[steps[4][0]], times[steps[3][0]])
        print(f"rouge-score-rs ÷ the whole call: {statistics.median(ratios):.2f}x "
              "(median of the rounds' ratios; above 1: ours faster)")
    profiler = cProfile.Profile()
    profiler.runcall(steps[3][1])  # the whole call
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
