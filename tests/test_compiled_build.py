"""The opt-in compiled build (``BENCH_COMPILE=1``, setup.py) computes what the plain
modules compute. Its wheel is built from a copy of the sources with mypyc, installed
into a folder of its own, and run in a subprocess: every entity of the equivalence
fixture (500 BBC articles and summaries, `tests/test_entities_equivalence.py`), and
the entity and ROUGE metrics' scores on 200 items, must be the plain modules' own.
Without the variable, the build is pure Python; an editable install is never
compiled."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from test_compiled_typecheck import _compiled_modules

ROOT = Path(__file__).resolve().parents[1]
ITEMS_SCORED = 200

# Run in the build under test (its folder first on the path): the fixture's entities
# and the entity and ROUGE metrics' scores, as JSON on the last line.
CHECK = """
import gzip, hashlib, importlib.util, json, pickle, sys
from pathlib import Path
root, corpus = Path(sys.argv[1]), Path(sys.argv[2])
spec = importlib.util.spec_from_file_location("entities_fixture",
                                              root / "benchmarks" / "entities_fixture.py")
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)
from benchmark.entities import rules
from benchmark.entities.rules import RulesBackend
from benchmark.kernels import rouge
from benchmark.metrics.base import ItemInput
from benchmark.metrics.entities import EntityMetric
from benchmark.metrics.rouge import RougeMetric
from benchmark.text import get_profile, split_sentences
with gzip.open(fixture.FIXTURE, "rt", encoding="utf-8") as handle:
    header, *expected = [json.loads(line) for line in handle]
found = [json.loads(json.dumps(record, ensure_ascii=False)) for record in
         fixture.extract_records(RulesBackend(), fixture.corpus_texts(corpus, header["items"]))]
metric = EntityMetric.create(get_profile("ar"), {"ner": "rules"})
rouge_metric = RougeMetric.create(get_profile("ar"))
digest = hashlib.sha256()
for item_id, article, summary in fixture.corpus_texts(corpus, int(sys.argv[3])):
    item = ItemInput("\\n".join(split_sentences(article)[:3]), [summary], article)
    prepared = metric.prepare(references=[summary], source=article)
    # a reference side read back from the store (the compiled kernels' pickles)
    stored = pickle.loads(pickle.dumps(rouge_metric.prepare(references=[summary],
                                                            source=article)))
    for scores in (metric.score_prepared(item, prepared), rouge_metric.score_item(item),
                   rouge_metric.score_prepared(item, stored)):
        digest.update(json.dumps(scores, sort_keys=True, ensure_ascii=False).encode())
print(json.dumps({"modules": [rules.__file__, rouge.__file__], "texts": len(found),
                  "differences": sum(a != b for a, b in zip(found, expected)),
                  "scores": digest.hexdigest()}))
"""


def _compiler() -> str | None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(compiler)


def _check(path_first: Path, corpus: Path) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(path_first)}
    done = subprocess.run([sys.executable, "-c", CHECK, str(ROOT), str(corpus),
                           str(ITEMS_SCORED)], cwd=path_first.parent, env=environment,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def _build(work: Path, compile_: bool) -> Path:
    """The wheel of a copy of the sources, built offline (the compiled one with mypyc)."""
    source = work / "src"
    shutil.copytree(ROOT / "benchmark", source / "benchmark",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    for name in ("pyproject.toml", "README.md", "setup.py"):
        shutil.copy(ROOT / name, source / name)
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("PYTHONPATH", "BENCH_COMPILE")}
    if compile_:
        environment["BENCH_COMPILE"] = "1"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "--no-index", "-q", "-w",
                           str(work / "dist"), str(source)], cwd=work, env=environment,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    [wheel] = (work / "dist").glob("arsum_bench-*.whl")
    return wheel


def test_the_compiled_build_computes_what_the_plain_modules_compute(tmp_path,
                                                                     shared_dir: Path):
    pytest.importorskip("mypyc", reason="mypy (with mypyc) comes with the test extra")
    if _compiler() is None:
        pytest.skip("no C compiler: the compiled build needs one (the plain build does not)")
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    wheel = _build(tmp_path, compile_=True)
    assert "-none-any" not in wheel.name  # a platform wheel: it holds extension modules
    target = tmp_path / "installed"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
                           "-q", "--target", str(target), str(wheel)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    for module in _compiled_modules():  # each listed module is compiled in the installed build
        stem = target / Path(module).with_suffix("")
        assert list(stem.parent.glob(f"{stem.name}.*.so")), module

    compiled, plain = _check(target, corpus), _check(ROOT, corpus)
    assert all(module.endswith(".so") for module in compiled["modules"])
    assert all(module.endswith(".py") for module in plain["modules"])
    assert compiled["texts"] == plain["texts"] == 1000
    assert compiled["differences"] == plain["differences"] == 0
    assert compiled["scores"] == plain["scores"]


def test_without_the_variable_the_build_is_pure_python(tmp_path):
    wheel = _build(tmp_path, compile_=False)
    assert wheel.name.endswith("-py3-none-any.whl")


def _run_setup(argv: list[str], prelude: str = "") -> subprocess.CompletedProcess:
    """setup.py run with `argv`, BENCH_COMPILE=1 and `setuptools.setup` replaced by one
    that prints how many extension modules it was given; `prelude` runs first."""
    code = (prelude + "import sys, setuptools\n"
            "setuptools.setup = lambda **kwargs: print(len(kwargs['ext_modules']))\n"
            f"sys.argv = {['setup.py', *argv]!r}\n"
            "exec(compile(open('setup.py').read(), 'setup.py', 'exec'), {'__name__': '__main__'})\n")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT,
                          env={**os.environ, "BENCH_COMPILE": "1"}, capture_output=True,
                          text=True, timeout=120)


def test_an_editable_install_is_never_compiled():
    """setup.py as an editable install runs it, with the variable set: no extension
    (a compiled module beside its source would shadow every later edit of it)."""
    done = _run_setup(["editable_wheel", "--dist-dir", "out"])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["0"]
    assert "ignored by an editable install" in done.stderr


def test_without_mypy_the_compiled_build_says_what_to_install():
    """An isolated build (pip's default) has no mypy: one line saying what to do."""
    no_mypyc = ("import builtins\n"
                "real = builtins.__import__\n"
                "def no_mypyc(name, *args, **kwargs):\n"
                "    if name.startswith('mypyc'):\n"
                "        raise ImportError(name)\n"
                "    return real(name, *args, **kwargs)\n"
                "builtins.__import__ = no_mypyc\n")
    done = _run_setup(["bdist_wheel"], prelude=no_mypyc)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "BENCH_COMPILE=1 needs mypy where the package is built: pip install mypy setuptools, "
        "then BENCH_COMPILE=1 pip install --no-build-isolation ."]
