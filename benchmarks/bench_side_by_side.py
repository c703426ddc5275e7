"""The side-by-side table of a full run's cost: `bench` against the floor and the peers.

    pip install -e ".[perf]"   # the optional peers: rouge-score-rs (and rouge-score)
    python benchmarks/bench_side_by_side.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                            [--rounds 3] [--limit N] [--metrics rouge]

Every command runs in a fresh interpreter; its CPU time is user + system time of the
process tree (`resource.getrusage`). Each round runs every case once, in turn
(interleaved), so a change in the machine's load hits all of them; the table shows the
median CPU over the rounds and, for each ratio, the median of the rounds' ratios.
Ratios are ours ÷ theirs (below 1: ours takes less).

Rows:

- floor: import the reader and the text profile, read the dataset, tokenize every
  article and reference (`side_by_side_peers.FLOOR`);
- `bench run --metrics M`, first model: lead-3 in a fresh results folder (no dataset
  analysis stored yet), dataset identity already remembered (an earlier command read
  the file); the same with the dataset never read before (`--metrics rouge`);
- second model: lead-1 in the results folder the first model's run just left, so the
  dataset analysis is reused;
- `bench score --metrics rouge` of lead-3 predictions from a file: the same job as the
  peers' end-to-end scripts (`side_by_side_peers.PEER_ROUGE`);
- kernel rows, in this process, on the same tokens or normalized text, numbers checked
  identical first; `bench --help` against `sacrebleu --help`;
- with ``--checkout PATH``, the run rows of that checkout too (say, the code before a
  change), in the same rounds, against the same floor;
- ``--metrics`` names the run rows' metric sets to measure (default: all three).

Every command runs in an empty folder (nothing there shadows a module). Before the
rounds, each checkout's modules are compiled once with bytecode writing allowed, so a
checkout is measured as installed (an installer compiles the modules; the peers' are)
even when ``PYTHONDONTWRITEBYTECODE`` is set.

``all`` is every metric that needs no server (no judge). The targets are issue 21's;
the last column says whether each is met. A peer that is not installed leaves its
column empty.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import side_by_side_peers as peers

ROOT = Path(__file__).resolve().parents[1]
HELP_REPEATS = 5  # start-ups timed per round (each is a few hundredths of a second)


@dataclass
class Row:
    what: str
    target: tuple[str, float] | None = None  # (column, at most)
    cpu: list[float] = field(default_factory=list)
    ratios: dict[str, list[float]] = field(default_factory=dict)

    def ratio(self, column: str, value: float) -> None:
        self.ratios.setdefault(column, []).append(value)


def cpu_of(command: list[str], *, env: dict[str, str], cwd: Path) -> float:
    """CPU seconds (user + system) of `command` and its children; stops on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(command[:6])} ...\n{done.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class Measurer:
    """Runs the cases of one round in fresh folders and files the figures in rows."""

    def __init__(self, args: argparse.Namespace, work: Path):
        self.args, self.work = args, work
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_CACHE_DIR": str(work / "cache")}
        self.limit = ["--limit", str(args.limit)] if args.limit else []
        self.predictions = work / "lead3.jsonl"
        self.rows: dict[str, Row] = {}

    def remember_identity(self) -> None:
        """Read the dataset once as a run does, so runs find its identity remembered."""
        os.environ["BENCH_CACHE_DIR"] = self.env["BENCH_CACHE_DIR"]
        from benchmark.data import open_examples

        open_examples(self.args.dataset, limit=self.args.limit or None)

    def compile_modules(self) -> None:
        """Each checkout's modules compiled once (`bench run` on 20 items imports what
        every run row imports), as an installer would."""
        env = {key: value for key, value in self.env.items()
               if key != "PYTHONDONTWRITEBYTECODE"}
        for root in (ROOT, *self.args.checkout):
            cpu_of([sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3",
                    "--metrics", "all", "--limit", "20", "--dataset", str(self.args.dataset),
                    "--output-dir", str(self.work / "compiled" / root.name)],
                   env={**env, "PYTHONPATH": str(root)}, cwd=self.work)

    def row(self, what: str, target: tuple[str, float] | None = None) -> Row:
        return self.rows.setdefault(what, Row(what, target))

    def bench(self, *arguments: str, cache: str | None = None, root: Path = ROOT) -> float:
        env = {**self.env, "PYTHONPATH": str(root)}
        if cache is not None:
            env["BENCH_CACHE_DIR"] = cache
        return cpu_of([sys.executable, "-m", "benchmark.cli", *arguments, "--dataset",
                       str(self.args.dataset)], env=env, cwd=self.work)

    def run(self, model: str, metrics: str, results: Path, **kwargs) -> float:
        return self.bench("run", "--model", model, "--metrics", metrics, "--output-dir",
                          str(results), *self.limit, **kwargs)

    def checkout_rounds(self, number: int, floor: float) -> None:
        """The run rows for each `--checkout` (e.g. the code before a change), in the same
        round, against this checkout's floor."""
        for checkout in self.args.checkout:
            folder = self.work / f"round{number}-{checkout.name}"
            for metrics in self.args.metrics:
                results = folder / metrics.replace(",", "-")
                for model, which in (("lead-3", "first"), ("lead-1", "second")):
                    cpu = self.run(model, metrics, results, root=checkout)
                    self.file(f"`--metrics {metrics}`, {which} model, {checkout.name}", None,
                              cpu, floor)

    def round(self, number: int) -> None:
        folder = self.work / f"round{number}"
        floor = cpu_of(peers.floor_command(self.args.dataset, limit=self.args.limit),
                       env=self.env, cwd=self.work)
        self.row("floor: import, read the dataset, tokenize articles and references").cpu \
            .append(floor)
        cases = [("rouge", "`--metrics rouge`, first model", ("floor", 1.6), None),
                 ("rouge,entities", "`--metrics rouge,entities`, first model", ("floor", 7.0),
                  ("`--metrics rouge,entities`, second model", ("floor", 2.0))),
                 ("all", "`--metrics all` (no judge), first model", None,
                  ("`--metrics all`, second model", ("floor", 3.0)))]
        for metrics, first, first_target, second in cases:
            if metrics not in self.args.metrics:
                continue
            results = folder / metrics.replace(",", "-")
            self.file(first, first_target, self.run("lead-3", metrics, results), floor)
            if second is not None:
                self.file(*second, self.run("lead-1", metrics, results), floor)
            if metrics == "rouge":
                self.rouge_rows(folder, floor)
        self.help_rows()
        self.checkout_rounds(number, floor)

    def file(self, what: str, target, cpu: float, floor: float,
             peers_cpu: dict[str, float] | None = None) -> None:
        row = self.row(what, target)
        row.cpu.append(cpu)
        row.ratio("floor", cpu / floor)
        for peer, theirs in (peers_cpu or {}).items():
            row.ratio(peer, cpu / theirs)

    def rouge_rows(self, folder: Path, floor: float) -> None:
        """The dataset never read before; `bench score` and the peers' scripts."""
        cold = str(folder / "cold-cache")
        self.file("`--metrics rouge`, first model, dataset never read before", None,
                  self.run("lead-3", "rouge", folder / "cold", cache=cold), floor)
        theirs = {peer: cpu_of(peers.peer_command(peer, dataset=self.args.dataset,
                                                  predictions=self.predictions,
                                                  output=folder / f"{peer}.jsonl"),
                               env=self.env, cwd=self.work)
                  for peer in peers.PEERS if peers.installed(peer)}
        ours = self.bench("score", "--predictions", str(self.predictions), "--metrics",
                          "rouge", "--output-dir", str(folder / "score"))
        self.file("`bench score --metrics rouge` (lead-3 predictions from a file)", None,
                  ours, floor, theirs)
        for peer, cpu in theirs.items():
            self.row(f"{peer}'s end-to-end script, same predictions").cpu.append(cpu)

    def help_rows(self) -> None:
        """Both console scripts as installed (next to this interpreter when there)."""
        scripts = Path(sys.executable).parent
        bench = scripts / "bench"
        ours = [str(bench)] if bench.exists() else [sys.executable, "-m", "benchmark.cli"]
        sacrebleu = scripts / "sacrebleu"
        theirs = str(sacrebleu) if sacrebleu.exists() else shutil.which("sacrebleu") or ""
        pairs = [([*ours, "--help"], [theirs, "--help"])]
        row = self.row("`bench --help`", ("sacrebleu", 1.0))
        for ours, theirs in pairs * HELP_REPEATS:
            mine = cpu_of(ours, env=self.env, cwd=self.work)
            other = cpu_of(theirs, env=self.env, cwd=self.work)
            row.cpu.append(mine)
            row.ratio("sacrebleu", mine / other)

    def kernel_round(self, rows: list[peers.KernelRow]) -> None:
        for what, ours, theirs, name in rows:
            column = "sacrebleu" if name == "sacrebleu" else name.split()[0]
            row = self.row(what, (column, 1.0))
            mine, other = peers.time_pair(ours, theirs)
            row.cpu.append(mine)
            row.ratio(column, mine / other)


COLUMNS = ("floor", "rouge-score", "rouge-score-rs", "sacrebleu")


def table(rows: list[Row]) -> str:
    lines = ["| run | CPU | ÷ floor | ÷ rouge-score | ÷ rouge-score-rs | ÷ sacrebleu | target |",
             "|---|---|---|---|---|---|---|"]
    for row in rows:
        cells = [f"{statistics.median(row.ratios[c]):.2f}x" if c in row.ratios else ""
                 for c in COLUMNS]
        target = ""
        if row.target is not None:
            column, most = row.target
            got = statistics.median(row.ratios[column])
            target = f"≤ {most:g}x {column}: " + ("met" if got <= most else
                                                    f"missed by {got / most:.2f}x")
        lines.append(f"| {row.what} | {statistics.median(row.cpu):.3f} s | "
                     + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{model}, {os.cpu_count()} cores ({usable} usable), Python "
            f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="items (0: all)")
    parser.add_argument("--metrics", type=lambda text: text.split(";"),
                        default=["rouge", "rouge,entities", "all"],
                        help="the run rows' metric sets, ';' between them (default: "
                             "'rouge;rouge,entities;all')")
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="another checkout whose runs to measure in the same rounds "
                             "(repeatable)")
    args = parser.parse_args()
    args.checkout = [path.resolve() for path in args.checkout]
    args.dataset = args.dataset.resolve()
    print(f"machine at the start: {machine()}")
    with tempfile.TemporaryDirectory() as folder:
        measurer = Measurer(args, Path(folder))
        peers.write_predictions(args.dataset, measurer.predictions, limit=args.limit or None)
        kernels = peers.kernel_rows(args.dataset, limit=args.limit or None)
        measurer.remember_identity()
        measurer.compile_modules()
        for number in range(args.rounds):
            measurer.round(number)
            measurer.kernel_round(kernels)
            print(f"round {number + 1} of {args.rounds} done, load average "
                  f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    print(f"\n{args.dataset.name}, {args.limit or 'all'} items; CPU seconds, medians of "
          f"{args.rounds} interleaved rounds; ratios ours ÷ theirs\n")
    print(table(list(measurer.rows.values())))
    print(f"\nmachine at the end: {machine()}")


if __name__ == "__main__":
    main()
