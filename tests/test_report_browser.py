"""The HTML report of real runs, opened in a real headless Chromium (Debian's package).

Three runs over 50 BBC articles go through ``bench report``; Chromium then renders the
file with networking off. The rendered DOM must hold a ranking row per label, an image
per metric plot, the signatures and the right-to-left Arabic blocks, and the screenshot
must show the plots' colour (the SVG images decoded and drew).
"""

import re
import subprocess

import pytest
from PIL import Image
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.report.plots import REAL_COLOR
from headless import CHROMIUM_FLAGS, chromium_or_skip

runner = CliRunner()
LABELS = ("lead-1", "lead-3", "oracle")
@pytest.fixture(scope="module")
def chromium():
    return chromium_or_skip()


@pytest.fixture(scope="module")
def report(shared_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    for model in LABELS:
        result = runner.invoke(app, ["run", "--model", model, "--dataset", str(corpus),
                                     "--limit", "50", "--output-dir", str(tmp / "results")])
        assert result.exit_code == 0, result.output
    page = tmp / "report.html"
    # --limit runs are partial: used when named, as here.
    run_dirs = [str(path) for path in sorted((tmp / "results").iterdir())
                if not path.name.startswith(".")]  # not the cache beside the runs
    result = runner.invoke(app, ["report", *run_dirs, "-o", str(page)])
    assert result.exit_code == 0, result.output
    return page


def open_in_chromium(chromium, page, tmp_path, *extra) -> subprocess.CompletedProcess:
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra,
               page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_rendered_dom_has_the_report(chromium, report, tmp_path):
    dom = open_in_chromium(chromium, report, tmp_path, "--dump-dom").stdout
    assert dom.startswith("<!DOCTYPE html>")  # standards mode, as parsed
    for label in LABELS:
        assert f'data-label="{label}"' in dom
    assert 'data-label="oracle"' in re.search(r'<tr class="upper-bound"[^>]*>', dom).group()
    metrics = re.findall(r'<figure class="plot mean" data-metric="([^"]+)"><img ', dom)
    assert metrics == ["rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f"]
    assert len(re.findall(r'<figure class="plot distribution"[^>]*><img ', dom)) == 4
    assert dom.count('<table class="matrix"') == 4
    signatures = re.findall(r'<code class="signature">([^<]*)</code>', dom)
    assert any(s.startswith("rouge:v1|") for s in signatures)
    assert sum(s.startswith("model:") for s in signatures) == 3
    # The diff of the top pair (lead-1, lead-3): 10 items, each with right-to-left blocks.
    assert dom.count('<div class="item"') == 10
    assert dom.count('dir="rtl"') >= 40
    assert "article_words" in dom


def test_screenshot_shows_the_plots(chromium, report, tmp_path):
    shot = tmp_path / "report.png"
    open_in_chromium(chromium, report, tmp_path, f"--screenshot={shot}",
                     "--window-size=1200,2400", "--hide-scrollbars",
                     "--virtual-time-budget=5000")  # let every image decode first
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 2400)
    colors = image.getcolors(maxcolors=1 << 20)
    assert len(colors) > 50  # text, tables and plots, not a blank page
    blue = tuple(int(REAL_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    plot_pixels = sum(count for count, rgb in colors
                      if all(abs(a - b) <= 8 for a, b in zip(rgb, blue)))
    assert plot_pixels > 500  # the means plots' markers and error bars were drawn
