"""Plugins: a real package declaring an entry point in ``benchmark.summarizers``, installed
with pip into a temporary folder (never the shared environment) and run by ``bench`` in
a subprocess whose PYTHONPATH holds that folder; and ``py:module:attr``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.errors import ConfigError
from benchmark.summarizers.registry import create_summarizer

PLUGIN_SOURCE = Path(__file__).parent / "plugin_pkg"
ARTICLES = [
    # (id, article): the plugin keeps the first N words.
    ("p1", "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد الوطني."),
    ("p2", "فاز المنتخب المغربي على نظيره التونسي بهدفين مقابل هدف."),
]


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    """The plugin installed with ``pip install --target`` (built from a copy, so no
    build/ or egg-info lands in the repository)."""
    root = tmp_path_factory.mktemp("plugin")
    source = shutil.copytree(PLUGIN_SOURCE, root / "src")
    site = root / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(site), str(source)],
        capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.fail(f"pip could not install the test plugin:\n{result.stderr}")
    return site


@pytest.fixture
def dataset(tmp_path) -> Path:
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps({"id": i, "article": a, "summary": "ملخص"},
                                       ensure_ascii=False) + "\n" for i, a in ARTICLES),
                    encoding="utf-8")
    return path


def bench(args: list[str], *, site: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("BENCH_CONFIG_DIR", None)
    return subprocess.run([sys.executable, "-m", "benchmark.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_bench_list_shows_the_plugin_and_its_distribution(plugin_site, tmp_path):
    result = bench(["list", "summarizers"], site=plugin_site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = [row for row in result.stdout.splitlines() if row.startswith("first-words ")]
    assert line.split()[1:3] == ["plugin", "bench-first-words"]


def test_bench_run_runs_the_plugin_by_name_with_typed_options(plugin_site, dataset, tmp_path):
    out = tmp_path / "results"
    result = bench(["run", "--model", "first-words", "--dataset", str(dataset),
                    "--output-dir", str(out), "-o", "words=3"], site=plugin_site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["model"]["name"] == "first-words"
    assert record["model"]["options"] == {"words": 3}
    items = [json.loads(line) for line in
             (run_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    # The first three words of each article.
    assert {item["id"]: item["prediction"] for item in items} == {
        "p1": "أعلنت الحكومة اليوم", "p2": "فاز المنتخب المغربي"}


def test_bench_run_rejects_an_unknown_plugin_option(plugin_site, dataset, tmp_path):
    result = bench(["run", "--model", "first-words", "--dataset", str(dataset),
                    "--output-dir", str(tmp_path / "r"), "-o", "word=3"],
                   site=plugin_site, cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown option 'word'" in result.stderr and "Traceback" not in result.stderr


def test_py_module_attr_loads_any_summarizer_class(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN_SOURCE))
    summarizer = create_summarizer("py:bench_first_words:FirstWords", {"words": "2"})
    from benchmark.data.example import Example

    [prediction] = summarizer.summarize([Example(id="x", article=ARTICLES[0][1],
                                                 bullets=("-",))])
    assert prediction.text == "أعلنت الحكومة"
    with pytest.raises(ConfigError, match="does not resolve to a Summarizer subclass"):
        create_summarizer("py:bench_first_words:NotASummarizer")
    with pytest.raises(ConfigError, match="cannot import 'no_such_module_xyz'"):
        create_summarizer("py:no_such_module_xyz:Thing")
