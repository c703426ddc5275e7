"""The entity rules type-check, so mypyc can compile them as they are (the opt-in
``BENCH_COMPILE=1`` build, setup.py; `benchmarks/bench_mypyc_rules.py`: identical
scores, a quarter less CPU): an annotation that does not hold would make a compiled
rule raise where the plain one runs."""

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


def test_the_rules_that_mypyc_would_compile_type_check(tmp_path):
    pytest.importorskip("mypy", reason="mypy comes with the test extra")
    modules = _compiled_modules()
    assert "benchmark/entities/rules.py" in modules and len(modules) >= 10
    assert all((ROOT / module).is_file() for module in modules)
    done = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                           "--ignore-missing-imports", "--cache-dir", str(tmp_path),
                           *modules], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
