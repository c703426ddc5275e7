"""Output made for people (issue 17, parts 5 and 6): tables that fit the terminal, each
column on its own scale, signatures on one line, honest cache notes, labels that tell
seeds apart, one-line usage errors, JSON errors in words, readable p-values and plots."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.jsonl import json_problem
from benchmark.report.html_report import fmt_p
from benchmark.report.tables import Column, Estimate, Table, render_text, shorten_signature
from report_runs import make_run, write_corpus

runner = CliRunner()


def bench(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env or {}, prog_name="bench")


# -- tables that fit ------------------------------------------------------------------

def test_a_wide_table_is_printed_in_parts_that_fit_with_the_labels_repeated():
    table = Table([Column("label"), Column("a", align="right"), Column("b", align="right"),
                   Column("c", align="right")],
                  [["lead-1", "1.00", "2.00", "3.00"], ["oracle", "10.00", "20.00", "30.00"]],
                  notes=["a note"], sticky=1)
    # label 6, then 2 + 5 per metric column: two take 20 columns, so at 19 one per part.
    assert render_text(table, width=19).splitlines() == [
        "label       a", "------  -----", "lead-1   1.00", "oracle  10.00", "",
        "label       b", "------  -----", "lead-1   2.00", "oracle  20.00", "",
        "label       c", "------  -----", "lead-1   3.00", "oracle  30.00", "a note"]
    # Wide enough (6 + 3 x 7 = 27): one part, as without a width.
    assert render_text(table, width=27) == render_text(table)


SHORTENED = [  # (signature, width, shown, why)
    ("rouge:v1|norm:ar.v1|tok:ar.v1", 40, "rouge:v1|norm:ar.v1|tok:ar.v1", "fits: whole"),
    ("rouge:v1|norm:ar.v1|tok:ar.v1", 24, "rouge:v1|norm:ar.v1|…", "whole fields, then …"),
    ("rouge:v1|norm:ar.v1|tok:ar.v1", 12, "rouge:v1|…", "the first field always stays"),
]


@pytest.mark.parametrize("signature,width,shown,why", SHORTENED)
def test_signatures_are_cut_at_a_field(signature, width, shown, why):
    assert shorten_signature(signature, width) == shown, why


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("people")
    corpus = write_corpus(tmp / "c.jsonl")
    out = tmp / "results"
    dirs = {model: make_run(out, corpus, model, "--metrics", "rouge,length")
            for model in ("lead-1", "lead-3", "oracle")}
    return {"out": out, "corpus": corpus, "dirs": dirs}


def table_lines(output: str) -> list[str]:
    """The lines of the printed table parts (header, rule and rows), not the notes."""
    lines = output.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("values: "))
    return [line for line in lines[1:end] if line]


def test_compare_fits_the_columns_the_terminal_has(runs):
    keys = ["--metric", "rouge1_f", "--metric", "rouge2_f", "--metric", "rougeL_f",
            "--metric", "len_tokens"]
    narrow = bench("compare", "--results", runs["out"], *keys, env={"COLUMNS": "70"})
    assert narrow.exit_code == 0, narrow.output
    lines = table_lines(narrow.output)
    assert max(map(len, lines)) <= 70
    assert sum(line.startswith("#  label") for line in lines) >= 2  # labels in each part
    default = bench("compare", "--results", runs["out"], *keys)  # no terminal: 100
    assert max(map(len, table_lines(default.output))) <= 100
    wide = bench("compare", "--results", runs["out"], *keys, env={"COLUMNS": "400"})
    assert sum(line.startswith("#  label") for line in table_lines(wide.output)) == 1


def test_each_column_has_its_own_scale(runs):
    result = bench("compare", "--results", runs["out"], "--metric", "rouge1_f",
                   "--metric", "len_tokens", env={"COLUMNS": "400"})
    header = table_lines(result.output)[0]
    assert "rouge1_f" in header and "len_tokens (as is)" in header
    assert "rouge1_f (as is)" not in header
    assert "values: rouge1_f x100 (the rest as they are)" in result.output


def test_the_run_table_shows_each_keys_scale_and_no_interval_for_one_item(tmp_path):
    result = bench("run", "--model", "lead-3", "--metrics", "rouge,length",
                   "--output-dir", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("metric "))
    assert header.split() == ["metric", "mean", "[95%", "CI]", "n", "scale"]  # no (x100)
    rows = {line.split()[0]: line.split() for line in lines if re.match(r"(rouge|len_)", line)}
    assert rows["rouge1_f"][-1] == "x100"  # a score in [0, 1]
    assert rows["len_tokens"][-2:] == ["as", "is"]  # a count: before, under "(x100)"
    assert rows["len_compression"][-2:] == ["as", "is"]
    assert "[" not in " ".join(" ".join(row) for row in rows.values())  # one item: no CI
    assert "one item: no confidence interval" in result.output


def test_signatures_are_whole_with_verbose_and_in_run_json(tmp_path):
    short = bench("run", "--model", "lead-3", "--output-dir", tmp_path,
                  env={"COLUMNS": "60"})
    line = next(x for x in short.output.splitlines() if x.startswith("signature rouge: "))
    assert len(line) <= 60 and line.endswith("|…")
    assert "--verbose shows them whole" in short.output
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    whole = json.loads((folder / "run.json").read_text())["metrics"]["signatures"]["rouge"]
    verbose = bench("run", "--model", "lead-3", "--output-dir", tmp_path, "--verbose",
                    env={"COLUMNS": "60"})
    assert f"signature rouge: {whole}" in verbose.output


# -- notes that are true --------------------------------------------------------------

def test_the_cache_note_says_what_happened(tmp_path, monkeypatch):
    baseline = bench("run", "--model", "lead-3", "--output-dir", tmp_path / "a")
    assert "predictions: all 1 computed (lead-3 is never cached" in baseline.output
    assert "caching is off" not in baseline.output  # the user did not turn it off
    off = bench("run", "--model", "lead-3", "--output-dir", tmp_path / "b", "--no-cache")
    assert "predictions: all 1 computed again (--no-cache)" in off.output
    (tmp_path / "first_words.py").write_text(
        "from benchmark import Prediction, Summarizer\n\n"
        "class First(Summarizer):\n"
        "    def summarize(self, examples):\n"
        "        return [Prediction(ex.article.split('.')[0]) for ex in examples]\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    first = bench("run", "--model", "py:first_words:First", "--output-dir", tmp_path / "c")
    assert "predictions: 0 of 1 from the cache" in first.output, first.output
    again = bench("run", "--model", "py:first_words:First", "--output-dir", tmp_path / "c",
                  "--name", "again")
    assert "predictions: 1 of 1 from the cache" in again.output


def test_runs_with_other_seeds_are_other_labels(runs, tmp_path):
    out = tmp_path / "results"
    for seed in (1, 2):
        make_run(out, runs["corpus"], "random-3", "--seed", str(seed))
    make_run(out, runs["corpus"], "random-3")  # the default seed: no mark
    result = bench("compare", "--results", out, env={"COLUMNS": "400"})
    labels = [line.split()[1] for line in table_lines(result.output)[2:]]
    assert sorted(labels) == ["random-3", "random-3[seed=1]", "random-3[seed=2]"]


def test_one_example_is_singular():
    result = bench("data", "validate")
    assert result.output.startswith("ok: 1 example in ")


# -- errors in words ------------------------------------------------------------------

USAGE = [  # (arguments, the one line, why)
    (["run", "--modle", "lead-3"], "error: bench run: no such option --modle; did you mean "
     "--model? (bench run -h lists the options)", "a misspelled option"),
    (["rn"], "error: bench: no such command 'rn'; did you mean 'run'? (bench -h lists the "
     "commands)", "a misspelled command"),
    (["data", "stats", "--format"], "error: bench data stats: option '--format' requires "
     "an argument (see bench data stats -h)", "a nested command names itself"),
]


@pytest.mark.parametrize("args,line,why", USAGE)
def test_usage_errors_are_one_line(args, line, why):
    result = bench(*args)
    assert result.exit_code == 2, why
    assert result.output.strip().splitlines() == [line], why


JSON_TEXTS = [  # (line, problem, why)
    ('{"id": "a", "article": "abc\n', 'unterminated string starting at column 24: its '
     'closing " is missing', "the line ends inside a string (json says 'Invalid control "
     "character at' the newline)"),
    ('{"a": "x', 'unterminated string starting at column 7: its closing " is missing',
     "the text ends inside a string"),
    ('{"id": "a",}', "expected a key in double quotes (a trailing comma, or single quotes?) "
     "at column 12", "a trailing comma"),
    ('{"a": "x\ty"}', "a raw control character (U+0009) inside a string at column 9; write "
     "it escaped (\\t, \\n)", "a tab inside a string"),
    ('{"a": 1} {}', "more text after the end of the JSON value (two objects on one line?) "
     "at column 10", "two objects on a line"),
    ('{\n"a": 1,\n"b" 2}', "expected ':' after the key at line 3, column 5",
     "several lines: the line is named"),
]


@pytest.mark.parametrize("text,problem,why", JSON_TEXTS)
def test_json_errors_are_worded_for_people(text, problem, why):
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(text)
    assert json_problem(caught.value) == problem, why


def test_a_jsonl_dataset_error_names_the_line_in_words(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"id": "a", "article": "نص.", "summary": "ملخص"}\n'
                    '{"id": "b", "article": "نص\n', encoding="utf-8")
    result = bench("data", "validate", data)
    assert result.exit_code == 2
    assert "d.jsonl:2: not JSON: unterminated string starting at column 24" in result.output
    assert "at at" not in result.output


# -- the report -----------------------------------------------------------------------

P_VALUES = [(9.999000099990002e-05, "< 0.001", "the floor of 10,000 resamples"),
            (0.04321, "0.043", "three decimals"), (1.0, "1.000", "no difference"),
            (None, "-", "not tested")]


@pytest.mark.parametrize("p,shown,why", P_VALUES)
def test_p_values_are_formatted(p, shown, why):
    assert fmt_p(p) == shown, why


def test_report_tooltips_have_no_raw_floats(runs, tmp_path):
    page = tmp_path / "r.html"
    result = bench("report", *runs["dirs"].values(), "-o", page, "--metric", "rouge1_f",
                   "--metric", "len_tokens")
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    titles = re.findall(r'title="([^"]*p bootstrap[^"]*)"', html)
    assert titles and not any(re.search(r"\d\.\d{5,}|e-\d", t) for t in titles), titles
    assert "len_tokens <small>(as is)</small>" in html
    assert "rouge1_f <small>(x100)</small>" in html


def test_plots_shape_arabic_and_clip_nothing():
    import arabic_reshaper
    from bidi.algorithm import get_display

    from benchmark.report import plots

    label = "ملخص عربي"
    long = "lead-3[sentences=2,seed=2]"  # long labels push the axes, and their label, right
    fig = plots.distribution_figure({label: [10.0, 50.0, 90.0], long: [40.0, 60.0],
                                     "oracle (upper bound)": [50.0]}, "rougeLsum_f")
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [tick.get_text() for tick in ax.get_yticklabels()]
    assert ticks[0] == get_display(arabic_reshaper.reshape(label)) != label  # shaped
    assert ticks[1] == long
    figure_box = fig.bbox  # before: the axis label ran 34 pixels past the right edge
    for text in [ax.xaxis.label, *ax.get_yticklabels()]:
        box = text.get_window_extent()
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1, text.get_text()
        assert figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1, text.get_text()
    assert ax.xaxis.label.get_fontsize() >= 11
    import matplotlib.pyplot as plt

    plt.close(fig)
