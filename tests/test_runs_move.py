"""Runs that move, and runs that are small (DESIGN §9, §10).

``run.json`` records where the dataset was read from relative to the run folder, and
absolutely: ``bench diff`` and ``bench report`` find the data from any current folder
(processes started in ``/``), and after the results and the data moved together.
A one-item run (the bundled article) and a results folder with runs on two datasets
compare and report without a traceback, and show no interval where none exists.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.runs.run import Run, list_runs


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def bench_in(cwd: Path | str, *args) -> subprocess.CompletedProcess:
    """The CLI in its own process, started in `cwd`."""
    return subprocess.run([sys.executable, "-m", "benchmark.cli", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path, bbc_head, monkeypatch) -> Path:
    """A project folder with data/news.jsonl and two runs made from inside it with
    relative paths (``--dataset data/news.jsonl --output-dir results``)."""
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    shutil.copy(bbc_head(8), root / "data" / "news.jsonl")
    monkeypatch.chdir(root)
    for model in ("lead-1", "lead-3"):
        result = bench("run", "--model", model, "--dataset", "data/news.jsonl",
                       "--output-dir", "results")
        assert result.exit_code == 0, result.output
    return root


def test_the_record_names_the_data_from_the_run_folder_and_absolutely(project):
    run = Run.open(list_runs(project / "results")[0])
    dataset = run.record.dataset
    assert dataset.path == "data/news.jsonl"  # as given, from where the run started
    assert dataset.relative_path == "../../data/news.jsonl"
    assert dataset.absolute_path == str((project / "data" / "news.jsonl").resolve())


def test_diff_and_report_work_from_the_root_folder(project):
    a, b = list_runs(project / "results")
    diff = bench_in("/", "diff", a, b, "--top", "2", "--format", "json")
    assert diff.returncode == 0, diff.stderr
    assert len(json.loads(diff.stdout)["items"]) == 2
    page = project / "report.html"
    report = bench_in("/", "report", "--results", project / "results", "-o", page)
    assert report.returncode == 0, report.stderr
    html = page.read_text(encoding="utf-8")
    assert "Length statistics and item texts unavailable" not in html
    assert 'class="item"' in html  # the diff of the top pair, with texts


def test_results_moved_together_with_their_data(project, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.move(project, moved)  # the absolute paths in run.json are now stale
    a, b = list_runs(moved / "results")
    diff = bench_in("/", "diff", a, b, "--top", "1")
    assert diff.returncode == 0, diff.stderr
    shutil.move(moved / "data", tmp_path / "gone")
    lost = bench_in("/", "diff", a, b)
    assert lost.returncode != 0 and "Traceback" not in lost.stderr
    assert "--dataset-path" in lost.stderr


def test_one_item_and_two_datasets_compare_and_report(tmp_path, bbc_head):
    """The first steps of the README: a run on the bundled article (one item), then one
    on BBC data; compare shows both, report writes both, and the one-item run has no
    interval (the report used to crash: 'xerr' must not contain negative values)."""
    out = tmp_path / "results"
    one = bench("run", "--model", "lead-3", "--output-dir", out)
    assert one.exit_code == 0, one.output
    rouge1 = next(line for line in one.output.splitlines() if line.startswith("rouge1_f"))
    assert "[" not in rouge1  # one item: a mean, no interval
    bench("run", "--model", "lead-3", "--dataset", bbc_head(12), "--output-dir", out)
    bench("run", "--model", "lead-1", "--dataset", bbc_head(12), "--output-dir", out)
    compared = bench("compare", "--results", out)
    assert compared.exit_code == 0, compared.output
    assert compared.output.index("bench compare: bbc12@") < compared.output.index(
        "bench compare: seed@")
    page = tmp_path / "r.html"
    report = bench_in("/", "report", "--results", out, "-o", page)
    assert report.returncode == 0, report.stderr
    html = page.read_text(encoding="utf-8")
    assert html.count('<section class="dataset"') == 2
    seed = html[html.index('data-identity="seed@'):]
    ranking = seed[seed.index('<table class="ranking">'):seed.index("</table>")]
    assert "<small>[" not in ranking  # no interval for the one item
    (seed_run,) = [path for path in list_runs(out)
                   if Run.open(path).record.dataset.name == "seed"]
    single = bench_in("/", "report", seed_run, "-o", tmp_path / "one.html")
    assert single.returncode == 0, single.stderr


def test_a_constant_metric_renders_its_exact_interval(tmp_path):
    """Every item 1/3 (not a float32: resampled in float32 it fell beside its mean): the interval
    is exactly [33.33, 33.33] in the table, the report and its plots."""
    from fake_runs import on_disk

    for folder, label in (("a", "same-a"), ("b", "same-b")):
        on_disk(tmp_path / "r", folder, label, {"rouge2_f": [1 / 3] * 6})
    compared = bench("compare", "--results", tmp_path / "r", "--metric", "rouge2_f")
    assert compared.exit_code == 0, compared.output
    assert compared.output.count("33.33 [33.33, 33.33]") == 2
    report = bench("report", "--results", tmp_path / "r", "--metric", "rouge2_f",
                   "-o", tmp_path / "c.html")
    assert report.exit_code == 0, report.output
    assert "33.33 <small>[33.33, 33.33]</small>" in (tmp_path / "c.html").read_text(
        encoding="utf-8")
