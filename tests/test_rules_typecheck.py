"""The entity rules type-check, so mypyc can compile them as they are
(`benchmarks/bench_mypyc_rules.py`: identical scores, a fifth less CPU): an annotation
that does not hold would make a compiled rule raise where the plain one runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _compiled_modules() -> list[str]:
    """The modules `bench_mypyc_rules.py` compiles."""
    spec = importlib.util.spec_from_file_location(
        "bench_mypyc_rules", ROOT / "benchmarks" / "bench_mypyc_rules.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return sorted(str(path.relative_to(ROOT))
                  for path in (ROOT / "benchmark" / "entities").glob("*.py")
                  if path.name not in script.LEFT_OUT)


def test_the_rules_that_mypyc_would_compile_type_check(tmp_path):
    pytest.importorskip("mypy", reason="mypy comes with the test extra")
    modules = _compiled_modules()
    assert "benchmark/entities/rules.py" in modules and len(modules) >= 10
    done = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent",
                           "--ignore-missing-imports", "--cache-dir", str(tmp_path),
                           *modules], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
