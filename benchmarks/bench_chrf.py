"""Time the chrF++ kernel against an earlier version of itself and against sacrebleu.

    python benchmarks/bench_chrf.py [--corpus ../shared/corpora/ant_bbc.jsonl]
                                    [--rounds 7] [--before 586677c]
                                    [--chunks 8192 16384 32768 65536 131072]

Every pair of the corpus, normalized as the chrf metric does (profile ``ar``, lines
joined by spaces): the human summary is the reference; the predictions are lead-3 and
lead-1 of the article. Contenders, each computing sentence statistics and the score for
every pair (``statistics(prediction, [reference])`` then ``score``):

- ``ChrF()`` of this checkout (numpy counting), one pair at a time;
- the same in batches of 64 pairs (``statistics_of_many``, as the chrf metric's
  ``score_batch`` gets them from a run: characters numbered once per batch, word
  n-grams counted together);
- ``ChrF(numpy_from=None)`` of this checkout (its pure-Python fallback);
- ``ChrF()`` of benchmark/kernels/chrf.py at git revision --before (read with
  ``git show``, so no second checkout is needed; 586677c is the kernel before numpy
  counting), one pair at a time and, where that revision has ``statistics_of_many``,
  in batches of 64 too (65fae79: before a batch's n-grams were counted together);
- sacrebleu's ``CHRF(word_order=2).sentence_score``.

With ``--chunks``, the contenders are instead this checkout in batches of 64 with each
chunk size given (`benchmark.kernels.chrf_pairs.CHUNK`: how many n-grams are counted
together), ratios against the first size.

It first checks that all of them give identical statistics and scores on every pair (and
stops if not), then times them: CPU seconds (``time.process_time``) in --rounds rounds,
the contenders in turn within each round (in a rotated order from round to round), and
prints medians and, per contender, the median over rounds of its time ÷ this
checkout's time in the same round.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmark.kernels.chrf import ChrF
from benchmark.text import TextProfile, split_sentences

ROOT = Path(__file__).resolve().parents[1]


def load_pairs(path: Path) -> dict[str, list[tuple[str, str]]]:
    """(reference, prediction) pairs, normalized, for lead-3 and lead-1 predictions."""
    profile = TextProfile()

    def prepared(text: str) -> str:
        return " ".join(profile.normalize(text).split())

    pairs: dict[str, list[tuple[str, str]]] = {"lead-3": [], "lead-1": []}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sentences = split_sentences(record["article"])
            reference = prepared(record["summary"])
            for name, count in (("lead-3", 3), ("lead-1", 1)):
                pairs[name].append((reference, prepared("\n".join(sentences[:count]))))
    return pairs


def kernel_at(revision: str):
    """`ChrF` as benchmark/kernels/chrf.py was at a git revision."""
    source = subprocess.run(["git", "show", f"{revision}:benchmark/kernels/chrf.py"],
                            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
        handle.write(source)
    spec = importlib.util.spec_from_file_location("chrf_before", handle.name)
    module = importlib.util.module_from_spec(spec)
    sys.modules["chrf_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    os.unlink(handle.name)
    return module.ChrF


def contenders(revision: str):
    """name -> function of the pairs returning (statistics, score) per pair."""
    from sacrebleu.metrics import CHRF

    def ours(kernel):
        return lambda pairs: [(s, kernel.score(s)) for s in
                              (kernel.statistics(p, [r]) for r, p in pairs)]

    sacrebleu = CHRF(word_order=2)

    def theirs(pairs):
        results = []
        for reference, prediction in pairs:
            [stats] = sacrebleu._extract_corpus_statistics([prediction], [[reference]])
            results.append((list(stats), sacrebleu.sentence_score(prediction, [reference]).score))
        return results

    def ours_in_batches(kernel, size=64):  # as the chrf metric's score_batch calls it
        def run(pairs):
            results = []
            for start in range(0, len(pairs), size):
                part = pairs[start:start + size]
                results += [(s, kernel.score(s)) for s in kernel.statistics_of_many(
                    [p for _, p in part], [[r] for r, _ in part])]
            return results
        return run

    before = kernel_at(revision)()
    runs = {"this checkout": ours(ChrF()),
            "this checkout, batches of 64": ours_in_batches(ChrF()),
            "this checkout, pure Python": ours(ChrF(numpy_from=None)),
            f"before ({revision})": ours(before),
            "sacrebleu": lambda pairs: [sacrebleu.sentence_score(p, [r]).score for r, p in pairs],
            }
    if hasattr(before, "statistics_of_many"):
        runs[f"before ({revision}), batches of 64"] = ours_in_batches(before)
    return runs, theirs


def chunked(run, size: int):
    """`run` with chrf_pairs' chunk size set to `size` while it runs."""
    from benchmark.kernels import chrf_pairs

    def sized(pairs):
        defaults = chrf_pairs.matches_of_pairs.__kwdefaults__
        kept, defaults["chunk"] = defaults["chunk"], size
        try:
            return run(pairs)
        finally:
            defaults["chunk"] = kept
    return sized


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--before", default="586677c", help="git revision to compare with")
    parser.add_argument("--chunks", type=int, nargs="+",
                        help="instead: this checkout in batches of 64, with each of these "
                             "chunk sizes (n-grams counted together, chrf_pairs.CHUNK)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} at the start, {os.cpu_count()} CPUs",
          flush=True)
    runs, sacrebleu_statistics = contenders(args.before)
    if args.chunks:
        runs = {f"batches of 64, chunks of {size}": chunked(runs["this checkout, batches of 64"],
                                                             size) for size in args.chunks}
    for name, pairs in load_pairs(args.corpus).items():
        expected = sacrebleu_statistics(pairs)
        for who, run in runs.items():
            got = run(pairs)
            if who != "sacrebleu" and got != expected:
                raise SystemExit(f"{name}: {who} differs from sacrebleu's statistics or scores")
            if who == "sacrebleu" and got != [score for _, score in expected]:
                raise SystemExit(f"{name}: sacrebleu's sentence_score differs from its statistics")
        times = {who: [] for who in runs}
        names = list(runs)
        for round_ in range(args.rounds):
            for who in names[round_ % len(names):] + names[:round_ % len(names)]:
                start = time.process_time()
                runs[who](pairs)
                times[who].append(time.process_time() - start)
        print(f"\n{len(pairs)} pairs, {name} predictions; CPU seconds, medians of "
              f"{args.rounds} rounds; numbers identical to sacrebleu's on every pair")
        print("| kernel | CPU | ÷ this checkout |\n|---|---|---|")
        for who in names:
            ratio = statistics.median(t / own for t, own in zip(times[who], times[names[0]]))
            print(f"| {who} | {statistics.median(times[who]):.3f} s | {ratio:.2f}x |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
