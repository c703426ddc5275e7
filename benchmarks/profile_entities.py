"""Where the entity work of a first-model run goes: cProfile of what `bench run --model
lead-3 --metrics rouge,entities` asks of the ``entities`` metric on BBC when no dataset
analysis is cached (each article and reference extracted, then the lead-3 prediction
extracted and matched), with every cache cold, printing the top functions by their own
time and by cumulative time, and the CPU time of the same work without the profiler.

    python benchmarks/profile_entities.py [--limit 1000] [--top 25] [--sort tottime]

The items are the first `--limit` of ``../shared/corpora/ant_bbc.jsonl`` (all 3,797
with ``--limit 0``). Nothing is cached between the two passes: each runs in a fresh
process, the unprofiled one first. CPU time (``time.process_time``), one core; other
programs on a shared machine still slow it.

With ``--run``, the whole first-model run instead: ``bench run --model lead-3 --dataset
../shared/corpora/ant_bbc.jsonl --limit N --no-cache`` into a fresh results folder (no
dataset analysis cached), with ``--metrics rouge`` and ``--metrics rouge,entities`` in
turn, `--rounds` times each, alternately, each in a process of its own (CPU time of the
process, median of the rounds): what the entities metric adds to the run, and its
share; then one run under cProfile, with the shares of the rules' `extract` and of the
metric's `prepare` and `score_prepared` in it.

    python benchmarks/profile_entities.py --run [--limit 1000] [--rounds 3] [--top 25]

cProfile charges every Python call, so it overstates the name rules (many small calls)
against the splitting, the lookups and the regex engine (a few long C calls). With
``--sample N``, the same entity work is instead sampled on the CPU clock (a profiling
timer signal, no per-call cost) in N fresh processes, cold each time, and the shares of
the functions (with what they call, and their own) are printed: the truer split.

    python benchmarks/profile_entities.py --sample 8 [--limit 500] [--top 25]

Not collected by pytest (the file name does not start with ``test_``).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"


def load_items(limit: int) -> list[tuple[str, str, str]]:
    """(article, reference, lead-3 prediction) of the first `limit` BBC items."""
    from benchmark.text import split_sentences

    items = []
    with CORPUS.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if limit and count >= limit:
                break
            record = json.loads(line)
            article = record["article"]
            items.append((article, record["summary"],
                          "\n".join(split_sentences(article)[:3])))
    return items


def entity_work(metric, items: list[tuple[str, str, str]]) -> None:
    """What the run harness asks of the metric for a first model: `prepare` (article
    and reference), then `score_prepared` (the prediction)."""
    from benchmark.metrics.base import ItemInput

    for article, reference, prediction in items:
        prepared = metric.prepare(references=[reference], source=article)
        metric.score_prepared(ItemInput(prediction, [reference], article), prepared)


def measure(limit: int, *, profile: bool, top: int, sort: str) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    items = load_items(limit)
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.entities import EntityMetric
    from benchmark.runs.collector import collect_less_often
    from benchmark.text import get_profile

    # Imports (the patterns compile) and the word lists are paid once per process, not
    # per item: `bench_entities.py` times them.
    metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
    load_gazetteer()
    collect_less_often()  # as bench's own processes do
    if not profile:
        cpu = time.process_time()
        entity_work(metric, items)
        print(f"{len(items)} items, entity work without the profiler: "
              f"{time.process_time() - cpu:.2f} s CPU")
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(entity_work, metric, items)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(f"under the profiler: {total:.2f} s CPU; top {top} by {sort}")
    print(f"{'own s':>8} {'own %':>6} {'cum s':>8} {'cum %':>6} {'calls':>10}  function")
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2 if sort == "tottime" else 3],
                  reverse=True)
    for (path, line, name), (_, calls, own, cumulative, _) in rows[:top]:
        where = f"{Path(path).name}:{line}" if line else path
        print(f"{own:8.2f} {100 * own / total:6.1f} {cumulative:8.2f} "
              f"{100 * cumulative / total:6.1f} {calls:>10}  {name} ({where})")


def sample(limit: int) -> dict:
    """Samples of the entity work's stacks on the CPU clock, in this process: per
    function (``name (file:line)``), the samples it was on the stack of (`inclusive`)
    and on top of (`own`)."""
    import signal

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    items = load_items(limit)
    from benchmark.entities.gazetteer import load_gazetteer
    from benchmark.metrics.entities import EntityMetric
    from benchmark.runs.collector import collect_less_often
    from benchmark.text import get_profile

    metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
    load_gazetteer()
    collect_less_often()  # as bench's own processes do
    counts: dict = {"total": 0, "inclusive": {}, "own": {}}

    def record(signum, frame) -> None:
        counts["total"] += 1
        seen, top = set(), True
        while frame is not None:
            code = frame.f_code
            name = f"{code.co_name} ({Path(code.co_filename).name}:{code.co_firstlineno})"
            if top:
                counts["own"][name] = counts["own"].get(name, 0) + 1
                top = False
            if name not in seen:
                seen.add(name)
                counts["inclusive"][name] = counts["inclusive"].get(name, 0) + 1
            frame = frame.f_back

    signal.signal(signal.SIGPROF, record)
    signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
    entity_work(metric, items)
    signal.setitimer(signal.ITIMER_PROF, 0, 0)
    return counts


def sample_shares(processes: int, limit: int, top: int) -> None:
    """`sample` in `processes` fresh processes, added up and printed as shares."""
    total, shares = 0, {"inclusive": {}, "own": {}}
    for _ in range(processes):
        done = subprocess.run([sys.executable, __file__, "--pass", "sample", "--limit",
                               str(limit)], check=True, cwd=ROOT, capture_output=True, text=True)
        counts = json.loads(done.stdout)
        total += counts["total"]
        for kind in shares:
            for name, count in counts[kind].items():
                shares[kind][name] = shares[kind].get(name, 0) + count
    print(f"{total} samples of the CPU clock in {processes} processes, {limit} items each")
    for kind in ("inclusive", "own"):
        print(f"--- {kind}")
        for name, count in sorted(shares[kind].items(), key=lambda kv: -kv[1])[:top]:
            print(f"{100 * count / total:6.1f}%  {name}")


def run_share(limit: int, rounds: int, top: int) -> None:
    """The first-model run with and without the entities metric (see the docstring)."""
    cpu: dict[str, list[float]] = {"rouge": [], "rouge,entities": []}
    for _ in range(rounds):
        for metrics in cpu:
            done = subprocess.run([sys.executable, __file__, "--pass", "run", "--metrics",
                                   metrics, "--limit", str(limit)], check=True, cwd=ROOT,
                                  capture_output=True, text=True)
            cpu[metrics].append(float(done.stdout.split()[-1]))
    rouge, both = (statistics.median(cpu[metrics]) for metrics in cpu)
    print(f"bench run, first model, {limit or 'all'} BBC items, median of {rounds} rounds "
          "(CPU):")
    print(f"  --metrics rouge          {rouge:6.2f} s")
    print(f"  --metrics rouge,entities {both:6.2f} s  (entities add {both - rouge:.2f} s: "
          f"{100 * (both - rouge) / both:.0f}% of the run)")
    subprocess.run([sys.executable, __file__, "--pass", "run-profile", "--limit", str(limit),
                    "--top", str(top)], check=True, cwd=ROOT)


def _bench_run(metrics: str, limit: int) -> None:
    """``bench run`` of lead-3 on BBC with `metrics`, in this process, into a fresh
    folder."""
    from benchmark.cli.app import main as bench

    with tempfile.TemporaryDirectory() as folder:
        sys.argv = ["bench", "run", "--model", "lead-3", "--metrics", metrics, "--dataset",
                    str(CORPUS), "--no-cache", "--output-dir", folder]
        sys.argv += ["--limit", str(limit)] if limit else []
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                bench()
            except SystemExit as stop:
                if stop.code:
                    raise


def _profile_run(limit: int, top: int) -> None:
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(_bench_run, "rouge,entities", limit)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    shares = {name: cumulative for (path, _, name), (_, _, _, cumulative, _)
              in stats.stats.items() if (Path(path).name, name) in _SHARED}
    print(f"under cProfile: {total:.2f} s CPU; cumulative shares:")
    for (module, name), label in _SHARED.items():
        print(f"  {label:<32} {100 * shares.get(name, 0.0) / total:5.1f}%")


_SHARED = {("rules.py", "extract"): "rules backend (extract)",
           ("entities.py", "prepare"): "entities metric, prepare",
           ("entities.py", "score_prepared"): "entities metric, score_prepared"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="items (0: all)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=("tottime", "cumtime"), default="tottime")
    parser.add_argument("--run", action="store_true", help="profile a whole first-model run")
    parser.add_argument("--rounds", type=int, default=3, help="with --run: rounds per run")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="sample the CPU clock in N fresh processes instead of cProfile")
    parser.add_argument("--pass", dest="which", choices=("plain", "profile", "run",
                                                         "run-profile", "sample"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--metrics", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} is absent: the profile reads the BBC corpus")
    if args.which == "run":
        cpu = time.process_time()
        _bench_run(args.metrics, args.limit)
        print(time.process_time() - cpu)
        return
    if args.which == "run-profile":
        _profile_run(args.limit, args.top)
        return
    if args.which == "sample":
        print(json.dumps(sample(args.limit)))
        return
    if args.sample:
        sample_shares(args.sample, args.limit, args.top)
        return
    if args.run:
        run_share(args.limit, args.rounds, args.top)
        return
    if args.which:
        measure(args.limit, profile=args.which == "profile", top=args.top, sort=args.sort)
        return
    for which in ("plain", "profile"):  # fresh processes: no cache carried over
        subprocess.run([sys.executable, __file__, "--pass", which, "--limit", str(args.limit),
                        "--top", str(args.top), "--sort", args.sort], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
