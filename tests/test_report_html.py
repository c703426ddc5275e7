"""``bench report`` and its HTML: structure, escaping, the significance matrix, plots."""

import html
import json
import re
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.report.diff import ItemDiff, RunDiff, Side
from benchmark.report.html_report import DatasetCard, ReportParts, RunShown, render_report
from benchmark.report.plots import figure_bytes, means_figure
from benchmark.report.result import CompareResult, MetricCell, Pair, Row, StatsSettings
from benchmark.textshow import LINES, escape
from report_runs import ITEMS, S, make_run, write_corpus  # tests/ is on sys.path

runner = CliRunner()
HOSTILE = "<script>alert('x')</script> & \"q\""


def bench(*args):
    return runner.invoke(app, [str(a) for a in args])


def contract(labels=("sys-a", "sys-b"), *, upper=("oracle",)) -> CompareResult:
    """A comparison as `compare_runs` builds it, with hand-set numbers."""
    rows = [Row(label=label, model=label, run_dir=f"/runs/{i}", upper_bound=False,
                group="ab"[i % 2], metrics={"rouge2_f": MetricCell(30.0 - i, 28.0 - i,
                                                                   32.0 - i, 10)})
            for i, label in enumerate(labels)]
    rows += [Row(label=label, model=label, run_dir="/runs/u", upper_bound=True, group="",
                 metrics={"rouge2_f": MetricCell(60.0, 58.0, 62.0, 10)}) for label in upper]
    pairs = [Pair("rouge2_f", labels[0], labels[1], 2.5, 1.0, 4.0, 0.001, 0.002, 0.004, True)]
    return CompareResult(dataset_name="news", dataset_identity="news@sha256:0123456789ab",
                         keys=["rouge2_f"], rank_by="rouge2_f",
                         settings=StatsSettings(resamples=10000, seed=7), resamples=10000,
                         rows=rows, pairs=pairs, notes=[f"note {HOSTILE}"],
                         signatures={"rouge": f"rouge:v1|{HOSTILE}"}, scales={"rouge2_f": 100.0})


def page(table, *, diff=None):
    parts = ReportParts(
        result=table, metrics=["rouge2_f"], mean_plots={"rouge2_f": b"<svg/>"},
        distribution_plots={"rouge2_f": b"<svg/>"},
        card=DatasetCard("news", "news@sha256:0123456789ab", 3, HOSTILE),
        runs=[RunShown(row.label, row.run_dir, f"model:{i}") for i, row in enumerate(table.rows)],
        diff=diff, generated="now")
    return render_report(parts)


def test_page_is_standalone_html():
    text = page(contract())
    assert text.startswith("<!DOCTYPE html>\n") and '<meta charset="utf-8">' in text
    # Nothing is fetched: no external script, style, font or image.
    assert not re.search(r"(src|href)=\"(https?:)?//", text) and "@import" not in text
    assert 'src="data:image/svg+xml;base64,' in text


def test_every_text_is_escaped():
    side = Side(prediction=f"{HOSTILE}\nسطر ثان", score=10.0, missed=[HOSTILE], invented=[])
    item = ItemDiff(id=HOSTILE, article_excerpt=HOSTILE, bullets=[HOSTILE], a=side, b=side)
    diff = RunDiff(metric="rouge2_f", label_a=HOSTILE, label_b="b", run_a="a", run_b="b",
                   dataset="d", shared=1, items=[item])
    text = page(contract(labels=(HOSTILE, "b&b")), diff=diff)
    assert "<script>" not in text and "alert('x')" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;" in text
    assert "b&amp;b" in text
    # Arabic texts sit in right-to-left blocks.
    assert '<div dir="rtl" lang="ar" class="rtl prediction">' in text
    assert "سطر ثان" in text


def test_ranking_labels_upper_bounds():
    text = page(contract())
    rows = re.findall(r'<tr(?: class="upper-bound")? data-label="([^"]*)"><td>([^<]*)</td>',
                      text)
    # Real systems numbered in order; the upper bound shown, not ranked.
    assert rows == [("sys-a", "1"), ("sys-b", "2"), ("oracle", "-")]
    assert '<tr class="upper-bound" data-label="oracle">' in text


def test_significance_matrix_is_antisymmetric():
    text = page(contract())
    # sys-a minus sys-b is +2.50 (significant), so the mirrored cell reads -2.50.
    assert re.search(r'<td class="sig-pos" title="95% CI \[1.00, 4.00\][^"]*">\+2.50\*</td>',
                     text)
    assert re.search(r'<td class="sig-neg" title="95% CI \[-4.00, -1.00\][^"]*">-2.50\*</td>',
                     text)
    # The upper bound is no column of the matrix.
    matrix = text[text.index('<table class="matrix"'):]
    assert "oracle" not in matrix[:matrix.index("</table>")]


def test_plot_takes_labels_literally():
    table = contract(labels=("cost $5 and $6", HOSTILE))
    svg = figure_bytes(means_figure(table, "rouge2_f"), "svg")
    assert svg.startswith(b"<?xml") and b"<script" not in svg


def test_cli_report_and_compare_plot(tmp_path):
    corpus = write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "results"
    make_run(out, corpus, "lead-1")
    make_run(out, corpus, "lead-3")
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("".join(json.dumps({"id": item["id"], "prediction": S[1]}) + "\n"
                                   for item in ITEMS))
    result = bench("score", "--predictions", predictions, "--dataset", corpus,
                   "--output-dir", out, "--name", HOSTILE)
    assert result.exit_code == 0, result.output
    report = tmp_path / "report.html"
    result = bench("report", "--results", out, "-o", report)
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;" in text
    assert text.count('<figure class="plot mean"') == 4  # rouge1/2/L/Lsum F
    assert "A = <bdi>lead-3</bdi>, B = <bdi>lead-1</bdi>" in text  # the top pair
    assert "article_words" in text  # the dataset card's length statistics
    plot = tmp_path / "main.png"
    result = bench("compare", "--results", out, "--plot", plot)
    assert result.exit_code == 0, result.output
    assert plot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and plot.stat().st_size > 5000


def test_cli_report_over_two_datasets_needs_force_and_skips_the_diff(tmp_path):
    out = tmp_path / "results"
    a = make_run(out, write_corpus(tmp_path / "news.jsonl"), "lead-1")
    b = make_run(out, write_corpus(tmp_path / "other.jsonl", ITEMS[:2]), "lead-3")
    report = tmp_path / "r.html"
    result = bench("report", a, b, "-o", report)
    assert result.exit_code == 2 and "--force" in result.output and not report.exists()
    result = bench("report", a, b, "--force", "-o", report)
    assert result.exit_code == 0, result.output
    assert "No item diff: " in report.read_text(encoding="utf-8")


def test_cli_report_without_runs_is_one_line_error(tmp_path):
    result = bench("report", "--results", tmp_path, "-o", tmp_path / "r.html")
    assert result.exit_code == 2 and "no complete run under" in result.output
    assert not (tmp_path / "r.html").exists()


@settings(max_examples=50, deadline=None)
@given(st.text(min_size=1))
def test_any_label_round_trips_through_the_page(label):
    text = page(contract(labels=(label, label + "x")))
    (shown,) = re.findall(r'<tr data-label="([^"]*)"><td>1</td>', text)
    assert html.unescape(shown) == escape(label, keep=LINES)  # controls shown, not sent
    ranking = text[text.index('<table class="ranking">'):]
    ranking = ranking[:ranking.index("</table>")]
    assert ranking.count("<tr") == 4  # header, two systems, the oracle: no row injected


def test_bench_report_reads_each_runs_items_once(tmp_path, monkeypatch):
    """The comparison, the distributions and the diff of the top pair all use the
    per-item values read for the comparison: one pass over each items.jsonl (it was
    three), plus one line read back for each item the diff shows."""
    from benchmark import jsonl

    corpus = write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "results"
    runs = [make_run(out, corpus, model) for model in ("lead-1", "lead-3")]
    passes, lines = Counter(), Counter()
    real_iter, real_read_at = jsonl.iter_lines_at, jsonl.read_at

    def counting_iter(path, **options):
        passes[Path(path).parent.name] += 1
        return real_iter(path, **options)

    def counting_read_at(handle, offset):
        lines[Path(handle.name).parent.name] += 1
        return real_read_at(handle, offset)

    monkeypatch.setattr(jsonl, "iter_lines_at", counting_iter)
    monkeypatch.setattr(jsonl, "read_at", counting_read_at)
    result = bench("report", "--results", out, "-o", tmp_path / "r.html", "--top", "2")
    assert result.exit_code == 0, result.output
    assert passes == {run.name: 1 for run in runs}
    assert lines == {run.name: 2 for run in runs}  # the 2 items of the diff
