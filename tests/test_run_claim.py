"""Identical `bench run` commands started together make one run, not one each.

Defect: the lookup for an unfinished run happened before any lock, so three identical
commands started together each created a run and called the model for every item
(3 concurrent openai runs made 450 requests for 150 prompts). Here each process waits
at a barrier inside that lookup until all three have reached it (or 3 s pass): the old
code let all three through, the claim under a lock lets one.
"""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from test_harness import calls, item_ids, write_corpus

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

LAUNCH = """
import sys, time
from pathlib import Path
import benchmark.runs.harness as harness
from benchmark.cli.app import app

barrier = Path(sys.argv[1])
real_list_runs = harness.list_runs

def list_runs_after_barrier(root):
    barrier.mkdir(exist_ok=True)
    (barrier / str(__import__("os").getpid())).touch()
    deadline = time.monotonic() + 3
    while len(list(barrier.iterdir())) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    return real_list_runs(root)

harness.list_runs = list_runs_after_barrier
sys.argv = ["bench", *sys.argv[2:]]
app()
"""


def test_three_identical_runs_started_together_make_one_run(tmp_path):
    n = 6
    corpus = write_corpus(tmp_path / "c.jsonl", n)
    log = tmp_path / "log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    cmd = [sys.executable, "-c", LAUNCH, str(tmp_path / "barrier"), "run", "--model",
           "py:counting_summarizer:Counting", "-o", f"log={log}", "-o", "delay=0.05",
           "--dataset", str(corpus), "--output-dir", str(tmp_path / "results")]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    results = [(proc.wait(timeout=120), proc.stderr.read()) for proc in procs]
    for proc in procs:
        proc.stdout.close()
        proc.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2, 2], results
    refusals = [err for code, err in results if code == 2]
    assert all("the same run is in progress in another bench process (pid " in err
               and "wait for it to finish" in err and "Traceback" not in err
               for err in refusals), refusals
    runs = [p for p in (tmp_path / "results").iterdir() if (p / "run.json").exists()]
    assert len(runs) == 1
    assert calls(log) == Counter({f"n{i:03d}": 1 for i in range(n)})  # one request per item
    assert sorted(item_ids(runs[0])) == [f"n{i:03d}" for i in range(n)]
