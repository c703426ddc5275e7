"""Metric and NER-backend plugins: a real package declaring entry points in
``benchmark.metrics`` and ``benchmark.ner``, installed with pip into a temporary folder
and used by ``bench run`` in a subprocess whose PYTHONPATH holds that folder."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark import Scorer
from benchmark.errors import ConfigError

PLUGIN_SOURCE = Path(__file__).parent / "plugin_metric_pkg"
ARTICLES = [
    # (id, article, summary): lead-1 keeps the first sentence.
    ("m1", "زار الوزير القاهرة أمس. وبحث التعاون.", "زار الوزير القاهرة ودمشق"),
    ("m2", "أعلنت الحكومة خطة جديدة. وقالت إنها تبدأ غدا.", "الحكومة تعلن خطة في بيروت"),
]


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("metric-plugin")
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
    path.write_text("".join(json.dumps({"id": i, "article": a, "summary": s},
                                       ensure_ascii=False) + "\n" for i, a, s in ARTICLES),
                    encoding="utf-8")
    return path


def bench(args: list[str], *, site: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(site), *filter(None, [os.environ.get("PYTHONPATH")])])}
    env.pop("BENCH_CONFIG_DIR", None)
    return subprocess.run([sys.executable, "-m", "benchmark.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind, name", [("metrics", "lead-tokens"), ("ner", "known-places")])
def test_bench_list_shows_the_plugins_with_their_distribution(plugin_site, tmp_path, kind,
                                                              name):
    result = bench(["list", kind], site=plugin_site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = [row for row in result.stdout.splitlines() if row.startswith(name + " ")]
    assert line.split()[1:3] == ["plugin", "bench-lead-tokens"]


def test_bench_run_uses_the_plugin_metric_and_ner_backend(plugin_site, dataset, tmp_path):
    out = tmp_path / "results"
    result = bench(["run", "--model", "lead-1", "--dataset", str(dataset), "--output-dir",
                    str(out), "--metrics", "rouge,lead-tokens,entities", "--ner",
                    "known-places", "--metric-option", "lead-tokens.n=2"],
                   site=plugin_site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    signatures = record["metrics"]["signatures"]
    assert signatures["lead-tokens"].startswith("lead-tokens:v1|n:2|")
    assert "ner:known-places.v1" in signatures["entities"]
    items = {item["id"]: item for item in map(json.loads, (run_dir / "items.jsonl")
                                              .read_text(encoding="utf-8").splitlines())}
    # m1: "زار الوزير" starts both; m2: "اعلنت الحكومة" against "الحكومة تعلن".
    assert (items["m1"]["lead_tokens"], items["m2"]["lead_tokens"]) == (1.0, 0.0)
    # The backend finds only its cities: m1's reference has القاهرة and دمشق, lead-1 only
    # القاهرة; m2's reference has بيروت, which its lead sentence lacks.
    assert items["m1"]["entity_recall"] == 0.5
    assert items["m1"]["missing_entities"] == ["LOC:دمشق"]
    assert items["m2"]["entity_recall"] == 0.0


def test_a_plugin_metrics_unknown_option_is_a_one_line_error(plugin_site, dataset, tmp_path):
    result = bench(["run", "--model", "lead-1", "--dataset", str(dataset), "--output-dir",
                    str(tmp_path / "r"), "--metrics", "lead-tokens",
                    "--metric-option", "lead-tokens.size=2"], site=plugin_site, cwd=tmp_path)
    assert result.returncode == 2
    assert "metric lead-tokens: unknown option 'size' (options: n)" in result.stderr
    assert "Traceback" not in result.stderr


def test_py_module_attr_names_a_metric_class(monkeypatch):
    monkeypatch.syspath_prepend(str(PLUGIN_SOURCE))
    scorer = Scorer(["py:bench_lead_tokens:LeadTokens"])
    assert scorer.score_item(prediction="زار الوزير", reference="زار الرئيس") == \
        {"lead_tokens": 1.0}
    with pytest.raises(ConfigError, match="does not resolve to a Metric subclass"):
        Scorer(["py:bench_lead_tokens:NotAMetric"])


def test_a_plugin_metric_with_raw_values_is_shown_raw(plugin_site, dataset, tmp_path):
    """The metric declares scale 1 for lead_count (a count); run.json records it and
    every output reads it from there. Before, scales were guessed from a list of key
    prefixes, so this count was shown x100 (200.00 for two tokens)."""
    out = tmp_path / "results"
    result = bench(["run", "--model", "lead-1", "--dataset", str(dataset), "--output-dir",
                    str(out), "--metrics", "rouge,lead-count"], site=plugin_site, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # m1: "زار الوزير القاهرة" against "زار الوزير القاهرة ودمشق": 3 tokens; m2: 0.
    assert re.search(r"^lead_count\s+1\.50 \[", result.stdout, re.M), result.stdout
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["metrics"]["scales"] == {"lead_count": 1.0}
    compared = bench(["compare", "--results", str(out), "--metric", "lead_count",
                      "--format", "json"], site=plugin_site, cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr
    contract = json.loads(compared.stdout)
    assert contract["stats"]["scale"] == {"lead_count": 1.0}
    assert contract["rows"][0]["metrics"]["lead_count"]["mean"] == pytest.approx(1.5)
