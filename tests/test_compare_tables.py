"""One presentation layer: the same numbers on one scale in every format, everything
escaped, and the JSON contract of DESIGN §10."""

import csv
import io
import json

import numpy as np
import pytest

from benchmark.report.compare import StatsSettings, compare_runs
from benchmark.report.compare_view import render_result
from benchmark.report.tables import (Column, Estimate, Number, Table, escape_csv, escape_html,
                                     escape_markdown, render)
from benchmark.textshow import escape
from fake_runs import in_memory  # tests/ is on sys.path

NASTY = "=HYPERLINK(\"x\")|<script>alert(1)</script>\x1b[31m\u202eevil"


@pytest.fixture(scope="module")
def result():
    rng = np.random.default_rng(4)
    base = rng.random(300)
    runs = [in_memory("lead-3", {"rouge2_f": base, "len_tokens": 40 + 10 * base}),
            in_memory(NASTY, {"rouge2_f": np.clip(base - 0.05, 0, 1),
                              "len_tokens": 30 + 10 * base}),
            in_memory("oracle", {"rouge2_f": np.clip(base + 0.3, 0, 1.3),
                                 "len_tokens": 50 + base}, upper_bound=True)]
    return compare_runs(runs, ["rouge2_f", "len_tokens"],
                        settings=StatsSettings(resamples=1000, seed=7))


def test_json_follows_the_contract(result):
    data = json.loads(render_result(result, "json"))
    assert set(data) == {"dataset", "stats", "rows", "pairs", "notes", "signatures"}
    assert set(data["dataset"]) == {"name", "identity"}
    assert {"resamples", "seed", "tests", "correction", "alpha"} <= set(data["stats"])
    assert (data["stats"]["resamples"], data["stats"]["seed"]) == (1000, 7)
    assert data["stats"]["correction"] == "holm"
    for row in data["rows"]:
        assert {"label", "model", "run_dir", "upper_bound", "group", "metrics"} <= set(row)
        for cell in row["metrics"].values():
            assert {"mean", "low", "high", "n"} <= set(cell)
    for pair in data["pairs"]:
        assert set(pair) >= {"metric", "a", "b", "diff", "low", "high", "p_bootstrap",
                             "p_randomization", "p_adjusted", "significant"}
    assert "statistics" in data["signatures"] and "n:1000" in data["signatures"]["statistics"]


def test_every_format_shows_the_same_numbers_on_one_scale(result):
    """Scores x100 (rouge2_f about 50, not 0.5), lengths as they are (about 45 tokens),
    with the same two decimals in text, Markdown, CSV and HTML as the JSON rounds to."""
    data = json.loads(render_result(result, "json"))
    row = next(r for r in data["rows"] if r["label"] == "lead-3")
    rouge, length = row["metrics"]["rouge2_f"], row["metrics"]["len_tokens"]
    assert 30 < rouge["mean"] < 70 and 40 < length["mean"] < 50
    shown = [f"{rouge['mean']:.2f} [{rouge['low']:.2f}, {rouge['high']:.2f}]",
             f"{length['mean']:.2f}"]
    for fmt in ("text", "md", "html"):
        out = render_result(result, fmt)
        assert all(s in out for s in shown), fmt
    rows = list(csv.DictReader(io.StringIO(render_result(result, "csv"))))
    lead = next(r for r in rows if r["label"] == "lead-3")
    assert (lead["rouge2_f_mean"], lead["rouge2_f_low"], lead["len_tokens_mean"]) == (
        f"{rouge['mean']:.2f}", f"{rouge['low']:.2f}", f"{length['mean']:.2f}")
    for fmt in ("text", "md", "html"):
        assert "x100" in render_result(result, fmt)  # the scale is stated


def test_seed_and_resamples_are_in_every_format(result):
    for fmt in ("text", "md", "html"):
        out = render_result(result, fmt)
        assert "1000 resamples, seed 7" in out, fmt
    stats = json.loads(render_result(result, "json"))["stats"]
    assert (stats["resamples"], stats["seed"]) == (1000, 7)
    ranking_csv = list(csv.DictReader(io.StringIO(render_result(result, "csv"))))
    assert {(row["resamples"], row["seed"]) for row in ranking_csv} == {("1000", "7")}
    pairs_csv = render_result(result, "csv", pairs=True)
    assert pairs_csv.splitlines()[0].startswith("metric,a,b,n,diff_mean,diff_low,diff_high")
    assert "p_randomization" in pairs_csv.splitlines()[0]


def test_text_escapes_terminal_controls(result):
    out = render_result(result, "text")
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b[31m\\u202eevil" in out


def test_markdown_escapes_pipes_and_raw_html(result):
    out = render_result(result, "md")
    line = next(l for l in out.splitlines() if "HYPERLINK" in l and l.startswith("|"))
    assert "<script>" not in out and "&lt;script&gt;" in line
    assert line.count("|") - line.count("\\|") == 6 + 1  # 6 cells: only their separators


def test_csv_neutralises_formulas_but_keeps_negative_numbers(result):
    rows = list(csv.reader(io.StringIO(render_result(result, "csv", pairs=True))))
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)
    numbers = Table([Column("label"), Column("diff")], [["-x", Number(-1.5)]])
    assert render(numbers, "csv").splitlines()[1] == "'-x,-1.50"  # text quoted, number not


def test_html_is_a_standalone_escaped_page(result):
    out = render_result(result, "html", pairs=True)
    assert out.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in out
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'dir="auto"' in out and out.count("<table>") == 2


@pytest.mark.parametrize("function,text,expected", [
    (escape_csv, "=1+1", "'=1+1"), (escape_csv, "+1", "'+1"), (escape_csv, "-1", "'-1"),
    (escape_csv, "@SUM(A1)", "'@SUM(A1)"), (escape_csv, "lead-3", "lead-3"),
    (escape_markdown, "a|b", "a\\|b"), (escape_markdown, "<b>", "&lt;b&gt;"),
    (escape_markdown, "*x*", "\\*x\\*"),
    (escape, "a\rb", "a\\x0db"), (escape, "\x07", "\\x07"), (escape, "ملخص", "ملخص"),
    (escape_csv, "\u202e=1", "\\u202e=1"),  # an override shown, and not hidden a formula
    (escape_html, "<\x1b>", "&lt;\\x1b&gt;"), (escape_html, "a\nb", "a\nb"),
])
def test_escaping_golden(function, text, expected):
    assert function(text) == expected


def test_generic_table_json_and_alignment():
    table = Table([Column("name"), Column("score", align="right")],
                  [["أ", Estimate(12.345, 10.0, 14.0, "a")], ["bb", None]], ["note"])
    assert json.loads(render(table, "json"))["rows"][0]["score"]["group"] == "a"
    lines = render(table, "text").splitlines()
    assert lines[2].endswith("12.35 [10.00, 14.00] a") and lines[3].endswith("-")
    assert len(lines[2]) == len(lines[3].rstrip().rjust(len(lines[2])))
