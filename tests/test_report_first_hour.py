"""The reports a newcomer makes in the first hour, opened in a real headless Chromium.

- The main job's run (lead-3 on the bundled article: one item) alone: the page renders,
  with its one row, its mean and no interval (one item has none), its plots, and says
  there is no pair to test or compare.
- The results folder after the set-up and a CNN run or two (two datasets, none
  chosen): one section per dataset, each with its ranking.
- Runs with people's ratings (``--ratings``): the section "Agreement with people" with
  its heat map of metric x criterion.

Chromium renders each file with networking off; the DOM it built is checked, and a
screenshot of each page goes to test-artifacts/ (kept for people to look at).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from benchmark.cli.app import app
from report_runs import make_run, write_corpus
from headless import CHROMIUM_FLAGS, chromium_or_skip

runner = CliRunner()
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
@pytest.fixture(scope="module")
def chromium():
    return chromium_or_skip()


def bench(*args) -> object:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def render(chromium, page: Path, tmp_path: Path, name: str, *, height: int = 2400) -> str:
    """The DOM Chromium builds from `page`, after writing its screenshot (the first
    `height` pixels) as `name`."""
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report-{name}.png"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    done = subprocess.run([*common, f"--screenshot={shot}", f"--window-size=1200,{height}",
                           "--hide-scrollbars", "--virtual-time-budget=5000", page.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(Image.open(shot).convert("RGB").getcolors(maxcolors=1 << 20)) > 50  # drawn
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, timeout=180)
    assert dom.returncode == 0, dom.stderr[-2000:]
    return dom.stdout


def test_the_main_jobs_one_item_run_renders(chromium, tmp_path):
    results = tmp_path / "results"
    bench("run", "--model", "lead-3", "--output-dir", results)  # the main job
    page = tmp_path / "report.html"
    bench("report", "--results", results, "-o", page)  # before: a matplotlib traceback
    dom = render(chromium, page, tmp_path, "one-item")
    rows = re.findall(r'<tr[^>]*data-label="([^"]+)"', dom)
    assert rows == ["lead-3"]
    ranking = re.search(r'<table class="ranking">.*?</table>', dom, re.S).group()
    assert "<small>[" not in ranking  # one item: no interval
    assert len(re.findall(r'<figure class="plot mean"[^>]*><img ', dom)) == 4
    assert len(re.findall(r'<figure class="plot distribution"[^>]*><img ', dom)) == 4
    assert "nothing to test" in dom and "no pair to compare" in dom


def test_a_results_folder_on_two_datasets_gives_a_section_each(chromium, shared_dir,
                                                                tmp_path):
    results = tmp_path / "results"
    bench("run", "--model", "lead-3", "--output-dir", results)  # the main job
    cnn = shared_dir / "corpora" / "ant_cnn.jsonl"
    for model in ("lead-1", "textrank"):
        bench("run", "--model", model, "--dataset", cnn, "--output-dir", results)
    page = tmp_path / "report.html"
    written = runner.invoke(app, ["report", "--results", str(results), "-o", str(page)])
    assert written.exit_code == 0, written.output  # before: "runs ... are on 2 datasets"
    dom = render(chromium, page, tmp_path, "two-datasets")
    sections = re.findall(r'<section class="dataset"[^>]*data-identity="([^"]+)"', dom)
    assert len(sections) == 2 and any(s.startswith("seed@") for s in sections), sections
    labels = set(re.findall(r'<tr[^>]*data-label="([^"]+)"', dom))
    assert labels == {"lead-3", "lead-1", "textrank"}


N_ITEMS_RATED = 3
SYSTEMS = ("lead-1", "lead-3", "textrank")


def test_ratings_add_agreement_with_people(chromium, tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl")
    out = tmp_path / "results"
    runs = [make_run(out, corpus, model, "--metrics", "rouge,length") for model in SYSTEMS]
    rng = np.random.default_rng(7)
    lines = [{"item_id": item, "system": system, "annotator": annotator,
              "criterion": criterion, "score": int(rng.integers(1, 6))}
             for item in ("one", "two", "three") for system in SYSTEMS
             for annotator in ("amal", "badr") for criterion in ("coverage", "fluency")]
    ratings = tmp_path / "ratings.jsonl"
    ratings.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    page = tmp_path / "report.html"
    bench("report", *runs, "--ratings", ratings, "-o", page)
    dom = render(chromium, page, tmp_path, "agreement-with-people", height=9000)
    section = re.search(r'<section id="agreement-with-people".*?</section>', dom, re.S)
    assert section is not None and "Agreement with people" in section.group()
    cells = re.findall(r'data-metric="([^"]+)" data-criterion="([^"]+)" data-level="(\w+)"',
                       section.group())
    assert {(c, level) for _, c, level in cells} == {
        (c, level) for c in ("coverage", "fluency") for level in ("summary", "system")}
    assert {m for m, _, _ in cells} >= {"rouge1_f", "rouge2_f", "len_tokens"}
    assert '<a href="#agreement-with-people">' in dom  # in the page's navigation
