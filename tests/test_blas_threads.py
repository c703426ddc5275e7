"""bench's own processes ask numpy's OpenBLAS for one thread (`benchmark.runs.blas_threads`);
a user's setting wins, and a program that imports `benchmark` keeps its BLAS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmark.runs import blas_threads

VARIABLE = blas_threads.VARIABLE
# Every variable OpenBLAS reads for its thread count (the tests' conftest sets the last).
THREAD_VARIABLES = (VARIABLE, "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
TASKS = Path("/proc/self/task")
# Prints this process's threads after importing numpy, and the variable as numpy saw it.
PROBE = ("import os, numpy; print(len(os.listdir('/proc/self/task')), "
         f"os.environ.get({VARIABLE!r}))")


def environment(**env: str) -> dict[str, str]:
    """This process's environment without the thread variables, plus `env`."""
    return {**{key: value for key, value in os.environ.items()
               if key not in THREAD_VARIABLES}, **env}


def python(code: str, **env: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], env=environment(**env),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.fixture(scope="module")
def threads_without() -> int:
    """The threads a process has after importing numpy with the variable unset; the
    thread tests need this numpy's BLAS to start more than one (OpenBLAS, 2+ cores)."""
    if not TASKS.is_dir():
        pytest.skip("no /proc/self/task to count a process's threads")
    threads = int(python(PROBE)[0])
    if threads < 2:
        pytest.skip("this numpy's BLAS starts no threads of its own here (one core, or not "
                    "OpenBLAS): nothing to compare")
    return threads


def test_one_blas_thread_before_numpy_leaves_numpy_one_thread(threads_without):
    code = "from benchmark.runs.blas_threads import one_blas_thread; one_blas_thread()\n" + PROBE
    assert python(code) == ["1", "1"]


def test_a_users_setting_is_kept():
    code = "from benchmark.runs.blas_threads import one_blas_thread; one_blas_thread()\n" \
           f"import os; print(os.environ[{VARIABLE!r}])"
    assert python(code, **{VARIABLE: "3"}) == ["3"]


def test_nothing_is_set_once_numpy_is_loaded():
    # Its threads started with numpy: setting the variable then would only mislead
    # the processes this one starts about what this one does.
    code = "import numpy\nfrom benchmark.runs.blas_threads import one_blas_thread\n" \
           f"one_blas_thread(); import os; print(os.environ.get({VARIABLE!r}))"
    assert python(code) == ["None"]


def test_the_bench_command_asks_before_running_a_command(monkeypatch):
    from benchmark.cli import app as cli

    calls = []
    monkeypatch.setattr(blas_threads, "one_blas_thread", lambda: calls.append("blas"))
    monkeypatch.setattr(cli, "app", lambda: calls.append("app"))
    cli.main()
    assert calls == ["blas", "app"]


def test_a_bench_run_and_its_summarizer_see_one_blas_thread(threads_without, tmp_path):
    # A summarizer of the user's (py:module:attr) reports the threads of the `bench run`
    # process that calls it, once numpy is loaded there, as its summary.
    (tmp_path / "blas_probe.py").write_text(textwrap.dedent(f"""
        import os
        from benchmark.summarizers.base import Prediction, Summarizer

        class Probe(Summarizer):
            def summarize(self, examples):
                import numpy  # loaded already by bench's run
                threads = len(os.listdir("/proc/self/task"))
                return [Prediction(f"{{threads}} {{os.environ.get({VARIABLE!r})}}")
                        for _ in examples]
    """), encoding="utf-8")
    dataset = tmp_path / "tiny.jsonl"
    dataset.write_text(json.dumps({"id": "a", "article": "خبر قصير عن الطقس.",
                                   "summary": "الطقس"}, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    env = environment()
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), *filter(None, [env.get("PYTHONPATH")])])
    done = subprocess.run([sys.executable, "-m", "benchmark.cli", "run", "--model",
                           "py:blas_probe:Probe", "--metrics", "rouge", "--dataset",
                           str(dataset), "--output-dir", str(tmp_path / "results")],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    [items] = (tmp_path / "results").glob("*/items.jsonl")
    [item] = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    assert item["prediction"] == "1 1"


def test_using_benchmark_as_a_library_leaves_blas_alone(threads_without):
    code = ("from benchmark import Scorer\n"
            "Scorer(metrics=['rouge']).score(predictions=['أ ب ج'], references=['أ ب د'])\n"
            + PROBE)
    assert python(code) == [str(threads_without), "None"]
