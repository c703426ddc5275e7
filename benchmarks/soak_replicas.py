"""Soak: one ``bench run`` over three replicas while one dies and one fails, killed twice.

Three test servers (tests/fake_openai.py) run in this process; ``bench run`` runs as a
subprocess over all three (``--base-url`` x3). During the run the second server stops
(its port then refuses connections) and the third answers HTTP 500 to every request
for ``--fail-seconds``; the run is killed with SIGKILL twice (after a third and after
two thirds of the items are cached) and started again each time with the same command,
until it exits. Then it checks what the issue asks: every item scored exactly once,
none failed, exit 0, and how many chat requests the model saw per item.

    python benchmarks/soak_replicas.py                  # 2,000 BBC items, 60 s of 500s
    python benchmarks/soak_replicas.py --items 300 --fail-seconds 10   # a quick one
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai import FakeOpenAIServer  # noqa: E402


def cached(out: Path) -> int:
    """Complete lines in the prediction cache (predictions the run has kept)."""
    return sum(path.read_bytes().count(b"\n") for path in (out / ".cache").glob("*.jsonl"))


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "tests")})


def run_with_kills(command: list[str], out: Path, kills: list[int]) -> tuple[int, str]:
    """Run `command`, SIGKILL it when the cache holds each count of `kills`, start it
    again each time; the last run's exit code and stderr."""
    for threshold in kills:
        process = start(command)
        while process.poll() is None and cached(out) < threshold:
            time.sleep(0.05)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            print(f"  killed at {cached(out)} cached predictions", flush=True)
    process = start(command)
    _, stderr = process.communicate()
    return process.returncode, stderr.decode("utf-8", "replace")


def faults(servers: list[FakeOpenAIServer], out: Path, items: int,
           fail_seconds: float) -> None:
    """At 10% of the items the second server dies; at 20% the third fails every
    request for `fail_seconds`."""
    while cached(out) < items // 10:
        time.sleep(0.05)
    servers[1].stop()
    print(f"  replica 2 died at {cached(out)} cached", flush=True)
    while cached(out) < items // 5:
        time.sleep(0.05)
    servers[2].inject("", "500")
    print(f"  replica 3 answers 500 from {cached(out)} cached", flush=True)
    time.sleep(fail_seconds)
    servers[2].clear_injections()
    print(f"  replica 3 healthy again at {cached(out)} cached", flush=True)


def bullet(user_message: str) -> str:
    return f"- ملخص من {len(user_message.split())} كلمة"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--concurrency", type=int, default=8, help="per replica")
    parser.add_argument("--fail-seconds", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-soak"))
    args = parser.parse_args()
    dataset = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
    out = args.out
    subprocess.run(["rm", "-rf", str(out)], check=True)
    # One bullet per article (the default reply echoes the article's last line, which
    # the cleaner may strip to nothing on some BBC articles: not what is soaked here).
    servers = [FakeOpenAIServer(latency=args.latency, reply=bullet).start() for _ in range(3)]
    command = [sys.executable, "-m", "benchmark.cli", "run", "--model", "openai:fake-model",
               "--dataset", str(dataset), "--limit", str(args.items), "--output-dir",
               str(out), "--api-key-env", "none", "--concurrency", str(args.concurrency),
               "-o", "backoff=0.2", "-o", "backoff_max=2"]
    for server in servers:
        command += ["--base-url", server.url]
    threading.Thread(target=faults, args=(servers, out, args.items, args.fail_seconds),
                     daemon=True).start()
    began = time.perf_counter()
    code, stderr = run_with_kills(command, out, [args.items // 3, 2 * args.items // 3])
    wall = time.perf_counter() - began
    [run_dir] = [p for p in out.iterdir() if (p / "run.json").is_file()]
    lines = [json.loads(x) for x in (run_dir / "items.jsonl").read_text().splitlines()]
    ids = [line["id"] for line in lines]
    record = json.loads((run_dir / "run.json").read_text())
    asked = sum(s.statuses[200] for s in servers)
    attempts = sum(len(s.requests) for s in servers)
    print(f"exit {code}; status {record['status']}; {len(ids)} lines, {len(set(ids))} ids, "
          f"{sum(1 for x in lines if x.get('error'))} failed; wall {wall:.1f} s")
    print(f"answers served {asked} for {args.items} items (+{asked - args.items} repeated: "
          f"in flight at a kill); attempts {attempts} (500s and refused retries included)")
    ok = (code == 0 and record["status"] == "complete" and len(ids) == len(set(ids))
          == args.items and not any(x.get("error") for x in lines))
    print("PASS" if ok else f"FAIL\n{stderr[-2000:]}")
    for server in (servers[0], servers[2]):
        server.stop()


if __name__ == "__main__":
    main()
