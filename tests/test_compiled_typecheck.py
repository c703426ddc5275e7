"""The modules the opt-in ``BENCH_COMPILE=1`` build compiles (setup.py: the entity rules
and the ROUGE kernels) type-check, so mypyc can compile them as they are
(`benchmarks/bench_compiled.py`: identical scores, a quarter to a third less CPU): an
annotation that does not hold would make compiled code raise where the plain code runs."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _compiled_modules() -> list[str]:
    """The modules the opt-in compiled build compiles (pyproject.toml)."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["tool"]["bench"]["compile"]["modules"]


def test_the_modules_that_mypyc_compiles_type_check(tmp_path):
    pytest.importorskip("mypy", reason="mypy comes with the test extra")
    modules = _compiled_modules()
    assert {"benchmark/entities/rules.py", "benchmark/kernels/rouge.py"} <= set(modules)
    assert all((ROOT / module).is_file() for module in modules)
    done = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                           "--ignore-missing-imports", "--cache-dir", str(tmp_path),
                           *modules], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
