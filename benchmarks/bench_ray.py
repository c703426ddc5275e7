"""`--executor ray` against the local executor: identical items, and what a second
node adds.

    python benchmarks/bench_ray.py [--dataset ../shared/corpora/ant_bbc.jsonl]
                                   [--limit 1000] [--metrics rouge,entities] [--rounds 2]

Each round starts a Ray cluster of local processes on 127.0.0.1 (``ray start --head``
with 1 CPU; the time to start it is not counted), runs ``bench run --model lead-3``
on it, adds a second node (``ray start --address``, 1 CPU) and runs again; between
them, the same run with the local executor in one process and with ``--workers 2``.
Every run starts in a fresh results folder (no dataset analysis stored: a first
model). Shown per configuration: wall seconds, the CPU seconds of the ``bench``
process (the driver) and of the cluster's processes (read from ``/proc`` every 0.2 s
during the run: `CpuWatch`), and
whether its ``items.jsonl`` equals the local one-process run's, item by item (all
values but the latency). Medians over the rounds.

The cluster's processes carry a marker in their environment and are stopped by their
process ids (never ``ray stop``, which stops every Ray process of the user). They also
get a ``HOME`` of their own, so that no token file of another Ray installation is used.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from compare_checkouts import compare_items

ROOT = Path(__file__).resolve().parents[1]
PORT = 6391
MARK = "BENCH_RAY_CLUSTER"
TICKS = os.sysconf("SC_CLK_TCK")


class Cluster:
    """Ray nodes started here, found again by the marker in their environment."""

    def __init__(self, work: Path, *, port: int):
        self.mark = uuid.uuid4().hex
        self.port = port
        self.env = {**os.environ, MARK: self.mark, "HOME": str(work / "ray-home"),
                    "RAY_USAGE_STATS_ENABLED": "0"}
        (work / "ray-home").mkdir(exist_ok=True)
        self.temp = work / "ray-temp"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start_node(self, *, head: bool) -> float:
        """Start a node of 1 CPU; returns the wall seconds it took."""
        common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1",
                  "--object-store-memory", str(200 * 2**20), "--disable-usage-stats"]
        where = (["--head", "--port", str(self.port), "--include-dashboard", "false",
                  "--temp-dir", str(self.temp)] if head else ["--address", self.address])
        began = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("ray")), "start", *where, *common],
                       env=self.env, check=True, capture_output=True, timeout=300)
        return time.perf_counter() - began

    def pids(self) -> list[int]:
        """The processes with the marker and their descendants (Ray's workers and
        agents: the raylet starts them without the marker)."""
        parents: dict[int, int] = {}
        marked = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
                if f"{MARK}={self.mark}".encode() in \
                        (entry / "environ").read_bytes().split(b"\0"):
                    marked.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
        found = set(marked)
        while True:
            more = {pid for pid, parent in parents.items() if parent in found} - found
            if not more:
                return sorted(found)
            found |= more

    def cpu_now(self) -> dict[tuple[int, str], float]:
        """CPU seconds so far of each process of the cluster, by (pid, start time)."""
        seconds = {}
        for pid in self.pids():
            try:
                fields = _stat(pid)
                seconds[(pid, fields[19])] = sum(int(v) for v in fields[11:15]) / TICKS
            except (OSError, IndexError, ValueError):
                continue
        return seconds

    def stop(self) -> None:
        """Terminate, then kill, every process of the cluster, by id; the ids are taken
        before the first signal (a stopped raylet's children lose their parent)."""
        started: dict[int, str] = {}  # pid -> start time: a reused pid is left alone
        for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 2.0)):
            for pid in self.pids():
                started.setdefault(pid, _started(pid))
            for pid, when in started.items():
                if when and _started(pid) == when:
                    try:
                        os.kill(pid, sig)
                    except ProcessLookupError:
                        pass
            time.sleep(wait)


class CpuWatch:
    """The CPU seconds a cluster's processes spend while it runs, read every
    `INTERVAL_S` (Ray's workers exit with their job and nobody reaps their time into a
    parent's: the last reading of each is kept, so at most an interval of each exiting
    worker's time is missed)."""

    INTERVAL_S = 0.2

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.first = cluster.cpu_now()
        self.last = dict(self.first)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.INTERVAL_S):
            self.last.update(self.cluster.cpu_now())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self.last.update(self.cluster.cpu_now())
        return sum(self.last.values()) - sum(self.first.values())


def _started(pid: int) -> str:
    try:
        return _stat(pid)[19]  # start time, in ticks after boot
    except (OSError, IndexError):
        return ""


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def bench_run(args, output: Path, *extra: str, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU of the bench process) of one first-model run."""
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "lead-3", "--metrics",
               args.metrics, "--dataset", str(args.dataset), "--output-dir", str(output),
               *(["--limit", str(args.limit)] if args.limit else []), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                          text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"bench run failed:\n{done.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def items_file(output: Path) -> Path:
    (run,) = [p for p in output.iterdir() if not p.name.startswith(".")]
    return run / "items.jsonl"


def one_round(args, work: Path, number: int, rows: dict[str, list]) -> None:
    folder = work / f"round{number}"
    local = folder / "local-1"
    measured = {"local, 1 process": (*bench_run(args, local, env=os.environ), 0.0)}
    cluster = Cluster(work, port=args.port)
    try:
        started = cluster.start_node(head=True)
        for nodes in (1, 2):
            if nodes == 2:
                started = cluster.start_node(head=False)
            print(f"  ray node {nodes} started in {started:.1f} s (not counted)",
                  file=sys.stderr, flush=True)
            watch = CpuWatch(cluster)
            wall, cpu = bench_run(args, folder / f"ray-{nodes}", "--executor", "ray",
                                  "--ray-address", cluster.address, env=cluster.env)
            measured[f"ray, {nodes} node{'s' if nodes > 1 else ''} of 1 CPU"] = (
                wall, cpu, watch.stop())
            if nodes == 1:
                measured["local, --workers 2"] = (
                    *bench_run(args, folder / "local-2", "--workers", "2", env=os.environ), 0.0)
    finally:
        cluster.stop()
    for name, (wall, cpu, cluster_cpu) in measured.items():
        output = folder / {"local, 1 process": "local-1", "local, --workers 2": "local-2"}.get(
            name, f"ray-{name.split()[1]}")
        count, found = compare_items(items_file(local), items_file(output))
        rows.setdefault(name, []).append((wall, cpu, cluster_cpu, count, len(found)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl")
    parser.add_argument("--limit", type=int, default=1000, help="items (0: all)")
    parser.add_argument("--metrics", default="rouge,entities")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    args.dataset = args.dataset.resolve()
    print(f"{args.dataset.name}, {args.limit or 'all'} items, --metrics {args.metrics}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    rows: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as folder:
        for number in range(args.rounds):
            one_round(args, Path(folder), number, rows)
            print(f"round {number + 1} of {args.rounds} done, load average "
                  f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    single = statistics.median(m[0] for m in rows["local, 1 process"])
    print(f"load average at the end {os.getloadavg()[0]:.1f}\n")
    print("| configuration | wall | CPU, bench process | CPU, Ray processes | "
          "local 1 process's wall ÷ this | items equal to local's |\n|---|---|---|---|---|---|")
    for name, measured in rows.items():
        wall = statistics.median(m[0] for m in measured)
        same = all(m[4] == 0 for m in measured)
        print(f"| {name} | {wall:.1f} s | {statistics.median(m[1] for m in measured):.1f} s | "
              f"{statistics.median(m[2] for m in measured):.1f} s | {single / wall:.2f}x | "
              f"{'yes' if same else 'NO'} ({measured[0][3]} items) |")
    if not all(m[4] == 0 for measured in rows.values() for m in measured):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
