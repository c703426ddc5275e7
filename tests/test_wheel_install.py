"""The built wheel works outside the checkout: package data travels with it.

Defect: only an editable install worked; a wheel held no dataset, presets or prompts,
and ``bench ner eval`` defaulted to ``tests/gold`` and ``../shared``. The wheel is built
from a copy of the sources, installed with pip (offline, no dependencies) into a fresh
venv that sees this interpreter's packages for the dependencies, and run from a folder
far from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `bench` script of a fresh venv holding only the wheel."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    shutil.copytree(ROOT / "benchmark", source / "benchmark",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    # Away from the checkout and without PYTHONPATH: pip must not take the editable
    # install's metadata (an arsum_bench.egg-info beside the sources) for this wheel.
    outside = {"cwd": work, "env": clean_env(work)}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", work / "dist", source], **outside)
    [wheel] = (work / "dist").glob("arsum_bench-*.whl")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv],
        **outside)
    run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install",
         "--no-deps", "--no-index", "-q", wheel], **outside)
    # The dependencies: this interpreter's packages, after the venv's own (a plain path
    # line: the editable install's finder in there is not activated).
    [site] = (venv / "lib").glob("python3*/site-packages")
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv / "bin" / "bench"


def clean_env(cwd: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "BENCH_CONFIG", "BENCH_CONFIG_DIR")}
    env["XDG_CONFIG_HOME"] = str(cwd / "xdg")
    return env


def bench(script: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run([script, *args], cwd=cwd, env=clean_env(cwd))


def test_the_installed_package_is_the_wheel(installed, tmp_path):
    where = run([installed.parent / "python", "-c", "import benchmark; print(benchmark.__file__)"],
                cwd=tmp_path, env=clean_env(tmp_path)).stdout.strip()
    assert where.startswith(str(installed.parents[1])) and str(ROOT) not in where


def test_run_list_and_ner_eval_work_from_the_wheel(installed, tmp_path):
    result = bench(installed, "run", "--model", "lead-3", "--output-dir", "out", cwd=tmp_path)
    assert "lead-3 on seed@sha256:" in result.stdout
    [run_dir] = [p for p in (tmp_path / "out").iterdir() if (p / "run.json").exists()]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["items"]["scored"] == 1 and str(ROOT) not in record["dataset"]["path"]
    listing = bench(installed, "list", "summarizers", cwd=tmp_path).stdout
    assert "mt5-xlsum" in listing and "textrank-2" in listing  # the packaged presets
    ner = bench(installed, "ner", "eval", cwd=tmp_path).stdout
    assert ner.splitlines()[0].endswith("on gold:seed (2 texts)")
    assert "PERS+LOC+ORG" in ner


def test_the_learned_ner_model_loads_from_the_wheel(installed, tmp_path):
    # The tagger ships as package data: the installed wheel finds, loads and uses it.
    ner = bench(installed, "ner", "eval", "--backend", "learned", cwd=tmp_path).stdout
    assert ner.splitlines()[0].startswith("ner:learned(")
    assert ner.splitlines()[0].endswith("on gold:seed (2 texts)")
    where = run([installed.parent / "python", "-c",
                 "from benchmark.entities.learned.backend import shipped_model\n"
                 "print(shipped_model())"], cwd=tmp_path, env=clean_env(tmp_path)).stdout
    assert where.strip().startswith(str(installed.parents[1]))
    found = json.loads(bench(installed, "ner", "extract", "--backend", "learned",
                             "--format", "json", "قال ماكرون في باريس", cwd=tmp_path).stdout)
    assert {(e["type"], e["text"]) for e in found} >= {("PERS", "ماكرون"), ("LOC", "باريس")}
