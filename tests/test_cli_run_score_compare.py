"""``bench run``, ``bench score``, ``bench compare`` and ``bench list`` through CliRunner."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app

runner = CliRunner()


def bench(*args):
    return runner.invoke(app, [str(a) for a in args])


def runs_in(folder: Path):
    """The run folders under `folder` (not the hidden cache folder beside them)."""
    return (path for path in sorted(folder.iterdir()) if not path.name.startswith("."))


def write_corpus(path: Path, n: int = 8) -> Path:
    rows = []
    for i in range(n):
        article = (f"افتتح الوزير المشروع رقم {i} في دمشق. وقال إن الكلفة بلغت {i} ملايين. "
                   f"وأضاف أن العمل يبدأ غدا.\nفقرة ثانية عن المشروع {i}. تفاصيل أخرى.")
        rows.append({"id": f"a{i}", "article": article,
                     "summary": f"الوزير يفتتح المشروع {i} في دمشق بكلفة {i} ملايين"})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "news.jsonl")


def test_run_prints_table_and_writes_files(tmp_path, corpus):
    out = tmp_path / "results"
    result = bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert "lead-1 on news@sha256:" in result.output and "rouge2_f" in result.output
    (run_dir,) = runs_in(out)
    record = json.loads((run_dir / "run.json").read_text())
    assert record["dataset"]["size"] == 8 and record["status"] == "complete"
    assert len((run_dir / "items.jsonl").read_text().splitlines()) == 8


def test_run_on_bundled_dataset_by_default(tmp_path):
    result = bench("run", "--model", "lead-3", "--output-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "lead-3 on seed@sha256:" in result.output


@pytest.mark.parametrize("args,message", [
    (["--model", "lead3"], "unknown summarizer 'lead3'; did you mean lead-3"),
    (["--model", "lead-3", "-o", "sentence=2"], "unknown option 'sentence'"),
    (["--model", "lead-3", "-o", "sentences=two"], "option 'sentences'"),
    (["--model", "lead-3", "-o", "novalue"], "expected KEY=VALUE"),
    (["--model", "lead-3", "--metrics", "rogue"], "unknown metric 'rogue'; did you mean rouge"),
    (["--model", "lead-3", "--profile", "arabic"], "unknown text profile 'arabic'"),
    (["--model", "lead-3", "--dataset", "missing.jsonl"], "missing.jsonl"),
])
def test_user_mistakes_give_one_line_and_exit_2(tmp_path, args, message):
    result = bench("run", *args, "--output-dir", tmp_path)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_limit_and_seeded_random(tmp_path, corpus):
    a = bench("run", "--model", "random-3", "--dataset", corpus, "--limit", 3, "--seed", 7,
              "--output-dir", tmp_path / "a")
    b = bench("run", "--model", "random-3", "--dataset", corpus, "--limit", 3, "--seed", 7,
              "--output-dir", tmp_path / "b")
    assert a.exit_code == b.exit_code == 0
    items = [[json.loads(l)["prediction"] for l in next(runs_in((tmp_path / d))).joinpath(
        "items.jsonl").read_text().splitlines()] for d in ("a", "b")]
    assert len(items[0]) == 3 and items[0] == items[1]


def test_score_saved_predictions_equals_run(tmp_path, corpus):
    out = tmp_path / "results"
    assert bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out).exit_code == 0
    (run_dir,) = runs_in(out)
    preds = tmp_path / "mine.jsonl"
    lines = [json.loads(l) for l in (run_dir / "items.jsonl").read_text().splitlines()]
    preds.write_text("\n".join(json.dumps({"id": l["id"], "prediction": l["prediction"]},
                                          ensure_ascii=False) for l in lines) + "\n")
    result = bench("score", "--predictions", preds, "--dataset", corpus, "--output-dir", out)
    assert result.exit_code == 0, result.output
    runs = {json.loads((d / "run.json").read_text())["model"]["name"]:
            json.loads((d / "run.json").read_text()) for d in runs_in(out)}
    assert runs["mine"]["aggregates"] == runs["lead-1"]["aggregates"]
    assert runs["mine"]["model"]["backend"] == "predictions"


@pytest.mark.parametrize("content,message", [
    ('{"id": "a0", "prediction": "x"}\nnot json\n', "mine.jsonl:2: not JSON"),
    ('{"id": "a0"}\n', "mine.jsonl:1: no 'prediction' in this line"),
    ('{"id": "zz", "prediction": "x"}\n', "1 id(s) not in dataset news"),
    ('{"id": "a0", "prediction": "x"}\n{"id": "a0", "prediction": "y"}\n', "appears twice"),
])
def test_score_rejects_bad_predictions_file(tmp_path, corpus, content, message):
    preds = tmp_path / "mine.jsonl"
    preds.write_text(content, encoding="utf-8")
    result = bench("score", "--predictions", preds, "--dataset", corpus, "--output-dir", tmp_path)
    assert result.exit_code == 2 and message in result.output, result.output


def test_compare_three_models_and_formats(tmp_path, corpus):
    out = tmp_path / "results"
    for model in ("lead-1", "lead-3", "oracle"):
        assert bench("run", "--model", model, "--dataset", corpus, "--output-dir", out).exit_code == 0
    text = bench("compare", "--results", out)
    assert text.exit_code == 0, text.output
    assert "oracle (upper bound)" in text.output and "rouge2_f" in text.output
    as_json = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    rows = {r["label"]: r for r in as_json["rows"]}
    assert set(rows) == {"lead-1", "lead-3", "oracle"}
    # The oracle reads the reference: shown last, labelled, with no group and no test.
    assert as_json["rows"][-1]["label"] == "oracle" and rows["oracle"]["upper_bound"]
    assert rows["oracle"]["group"] == ""
    assert {(p["a"], p["b"]) for p in as_json["pairs"]} <= {("lead-1", "lead-3"),
                                                            ("lead-3", "lead-1")}
    assert rows["oracle"]["metrics"]["rouge2_f"]["mean"] >= rows["lead-3"]["metrics"]["rouge2_f"]["mean"]
    assert as_json["stats"]["resamples"] == 10000 and as_json["stats"]["seed"] == 12345
    md = bench("compare", "--results", out, "--format", "md").output
    assert md.startswith("**bench compare: news@sha256:")
    assert md.count("\n| ") == 4  # the header and three rows
    csv_out = bench("compare", "--results", out, "--format", "csv").output
    assert csv_out.splitlines()[0].startswith("rank,label,group,n,rouge1_f_mean,rouge1_f_low")
    assert len(csv_out.splitlines()) == 4
    html = bench("compare", "--results", out, "--format", "html").output
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html


def test_compare_refuses_different_datasets_unless_forced(tmp_path, corpus):
    other = write_corpus(tmp_path / "other.jsonl", 5)
    a, b = tmp_path / "a", tmp_path / "b"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", a)
    bench("run", "--model", "lead-3", "--dataset", other, "--output-dir", b)
    runs = [next(runs_in(a)), next(runs_in(b))]
    refused = bench("compare", *runs)
    assert refused.exit_code == 2
    assert "not comparable: dataset of" in refused.output and "--force" in refused.output
    forced = bench("compare", *runs, "--force")
    assert forced.exit_code == 0 and "lead-3" in forced.output
    assert "shown with --force although dataset of lead-3" in forced.output


def test_compare_refuses_different_metric_signatures_naming_the_fields(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out,
          "--profile", "none")
    refused = bench("compare", *sorted(runs_in(out)))
    assert refused.exit_code == 2 and "rouge signature of" in refused.output
    assert "norm: ar.v1 vs none" in refused.output  # field by field, not two long strings


def test_compare_default_picks_newest_complete_run_per_label(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out, "--limit", 2)
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    result = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    (row,) = result["rows"]
    assert row["metrics"]["rouge1_f"]["n"] == 8
    assert any("partial: --limit 2" in note for note in result["notes"])


def test_labels_keep_option_variants_apart_and_name_overrides(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "-o", "sentences=2", "--dataset", corpus,
          "--output-dir", out)
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out,
          "--name", "first sentence")
    result = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    assert {r["label"] for r in result["rows"]} == {"lead-3", "lead-3[sentences=2]",
                                                    "first sentence"}
    excluded = json.loads(bench("compare", "--results", out, "--format", "json",
                                "--exclude", "lead-3").stdout)
    assert {r["label"] for r in excluded["rows"]} == {"lead-3[sentences=2]", "first sentence"}
    assert any(n.startswith("left out: lead-3 (") and n.endswith("--exclude")
               for n in excluded["notes"])


def test_two_folders_with_one_label_is_an_error_saying_how_to_fix_it(tmp_path, corpus):
    out = tmp_path / "r"
    for _ in range(2):
        bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out, "--no-cache")
    result = bench("compare", *sorted(runs_in(out)))
    assert result.exit_code == 2
    assert "two runs are labelled 'lead-3'" in result.output
    assert "(rerun it as 'bench run ... --name LABEL')" in result.output
    assert "Traceback" not in result.output


def test_runs_on_several_datasets_give_one_table_each_unless_one_is_chosen(tmp_path, corpus):
    other = write_corpus(tmp_path / "other.jsonl", 5)
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", other, "--output-dir", out)
    bench("run", "--model", "textrank", "--dataset", other, "--output-dir", out)
    unchosen = bench("compare", "--results", out)
    assert unchosen.exit_code == 0, unchosen.output
    # One table per dataset, the one with more runs (other: 2) first, then how to pick.
    assert unchosen.output.index("bench compare: other@sha256:") < unchosen.output.index(
        "bench compare: news@sha256:")
    assert "runs on 2 datasets, one table each" in unchosen.output
    assert "choose one with --dataset NAME" in unchosen.output
    one_format = bench("compare", "--results", out, "--format", "json")
    assert one_format.exit_code == 2
    assert "on 2 datasets (other@sha256:" in one_format.output
    assert "--dataset" in one_format.output and "--all-datasets" not in one_format.output
    chosen = json.loads(bench("compare", "--results", out, "--dataset", "news",
                              "--format", "json").stdout)
    assert [r["label"] for r in chosen["rows"]] == ["lead-1"]
    assert any("left out: lead-3" in n and "on dataset other@sha256:" in n
               for n in chosen["notes"])
    report = bench("report", "--results", out, "-o", tmp_path / "r.html")
    assert report.exit_code == 0, report.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<section class="dataset"') == 2
    assert page.index('data-identity="other@sha256:') < page.index('data-identity="news@sha256:')


def test_compare_with_no_runs_says_what_to_do(tmp_path):
    result = bench("compare", "--results", tmp_path)
    assert result.exit_code == 2 and "bench run --model lead-3" in result.output


def test_list_summarizers_and_metrics():
    summarizers = bench("list", "summarizers")
    assert summarizers.exit_code == 0
    for name in ("lead-1", "lead-3", "lead-bullets", "random-3", "oracle", "hf:<model>"):
        assert name in summarizers.output
    assert "UPPER BOUND" in summarizers.output
    assert "rouge" in bench("list", "metrics").output


def test_run_on_malformed_dataset_stops_or_skips_and_counts(tmp_path, corpus):
    text = corpus.read_text(encoding="utf-8").splitlines()
    text.insert(2, "{not json")
    corpus.write_text("\n".join(text) + "\n", encoding="utf-8")
    stopped = bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", tmp_path / "a")
    assert stopped.exit_code == 2
    assert "news.jsonl:3:" in stopped.output and "rerun with --skip-invalid" in stopped.output
    assert not (tmp_path / "a").exists()  # nothing half-written
    skipped = bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", tmp_path / "b",
                    "--skip-invalid")
    assert skipped.exit_code == 0 and "skipped 1 invalid" in skipped.output
    (run_dir,) = runs_in((tmp_path / "b"))
    record = json.loads((run_dir / "run.json").read_text())
    assert record["dataset"]["skipped_invalid"] == 1 and record["dataset"]["size"] == 8


def test_output_dir_that_is_a_file_is_a_one_line_error(tmp_path, corpus):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    result = bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", blocker)
    assert result.exit_code == 2 and "the output folder is a file" in result.output
    assert "Traceback" not in result.output


def _predictions(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps({"id": i, "prediction": p}, ensure_ascii=False) + "\n"
                            for i, p in rows), encoding="utf-8")
    return path


def test_partial_score_runs_are_left_out_and_compared_only_when_named(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    first = _predictions(tmp_path / "first.jsonl", [(f"a{i}", "الوزير") for i in range(4)])
    second = _predictions(tmp_path / "second.jsonl", [(f"a{i}", "دمشق") for i in range(4, 8)])
    for preds in (first, second):
        assert bench("score", "--predictions", preds, "--dataset", corpus,
                     "--output-dir", out).exit_code == 0
    # Plain compare is not blocked: the two partial runs are named in the notes.
    plain = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    assert [r["label"] for r in plain["rows"]] == ["lead-1"]
    partial = [n for n in plain["notes"] if "partial: 4 of 8 items have predictions" in n]
    assert len(partial) == 2
    named = [d for d in runs_in(out) if "lead-1" not in d.name]
    # Disjoint items: no mean may be ranked against another, --force or not.
    for extra in ((), ("--force",)):
        refused = bench("compare", *named, *extra)
        assert refused.exit_code == 2
        assert "the runs share no scored item (first 4, second 4 items)" in refused.output
    # Each partial run beside the whole run: compared on its 4 items.
    paired = json.loads(bench("compare", named[0], next(d for d in runs_in(out)
                                                        if "lead-1" in d.name),
                              "--format", "json").stdout,
                        parse_constant=lambda c: pytest.fail(f"bare {c}"))
    assert {row["metrics"]["rouge1_f"]["n"] for row in paired["rows"]} == {4}
    assert any("on the 4 items all of them scored" in n for n in paired["notes"])


def test_compare_notes_partial_runs_and_single_run_has_no_tests(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out, "--limit", 3)
    result = runner.invoke(app, ["compare", "--results", str(out)])
    assert result.exit_code == 0
    assert "left out: lead-3 (" in result.output
    assert "partial: --limit 3 (3 items); pass its folder to include it" in result.output
    assert "groups:" not in result.output  # one system: nothing was tested


def test_identical_systems_share_a_group(tmp_path, corpus):
    out = tmp_path / "r"
    same = _predictions(tmp_path / "x.jsonl", [(f"a{i}", "الوزير") for i in range(8)])
    for name in ("first", "second"):
        bench("score", "--predictions", same, "--dataset", corpus, "--output-dir", out,
              "--name", name)
    table = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    assert [r["group"] for r in table["rows"]] == ["a", "a"]
    pair = next(p for p in table["pairs"] if p["metric"] == "rouge1_f")
    assert pair["diff"] == 0 and pair["p_randomization"] == 1.0 and not pair["significant"]


def test_damaged_items_file_is_a_one_line_error(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    (run_dir,) = runs_in(out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out)
    lines = (run_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()
    lines[4] = "{garbage"
    (run_dir / "items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = bench("compare", "--results", out)
    assert result.exit_code == 2 and "items.jsonl:5: not JSON" in result.output


def test_predictions_file_with_a_bom_is_accepted(tmp_path, corpus):
    preds = tmp_path / "bom.jsonl"
    preds.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a0", "prediction": "الوزير"}).encode()
                      + b"\n")
    result = bench("score", "--predictions", preds, "--dataset", corpus, "--output-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "7 examples of news have no prediction" in result.output


def test_wordless_reference_is_warned_about(tmp_path):
    data = tmp_path / "p.jsonl"
    data.write_text('{"id": "a", "article": "نص.", "summary": "...."}\n'
                    '{"id": "b", "article": "نص.", "summary": "ملخص"}\n', encoding="utf-8")
    result = bench("data", "validate", data)
    assert result.exit_code == 0
    assert "warning: 1 example of " in result.output  # singular, not "1 example(s)"
    assert "p.jsonl has a summary with no letters or digits (first: 'a')" in result.output


def test_all_datasets_leaderboard_in_every_format(tmp_path, corpus):
    other = write_corpus(tmp_path / "other.jsonl", 5)
    out = tmp_path / "r"
    for dataset in (corpus, other):
        bench("run", "--model", "lead-1", "--dataset", dataset, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out)
    board = json.loads(bench("compare", "--results", out, "--all-datasets", "--metric",
                             "rouge1_f", "--format", "json").stdout)
    assert board["metric"] == "rouge1_f" and board["stats"]["resamples"] == 10000
    identities = [d["identity"] for d in board["datasets"]]
    assert sorted(i.split("@")[0] for i in identities) == ["news", "other"]
    rows = {r["label"]: r["cells"] for r in board["rows"]}
    assert set(rows["lead-1"]) == set(identities) and len(rows["lead-3"]) == 1
    cell = rows["lead-3"][next(iter(rows["lead-3"]))]
    assert 0 < cell["low"] <= cell["mean"] <= cell["high"] <= 100 and cell["n"] == 8
    csv_out = bench("compare", "--results", out, "--all-datasets", "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("label," + identities[0] + "_mean")
    text = bench("compare", "--results", out, "--all-datasets", "--metric", "rouge1_f").stdout
    assert f"{cell['mean']:.2f} [{cell['low']:.2f}, {cell['high']:.2f}]" in text
    default = bench("compare", "--results", out, "--all-datasets").stdout
    assert "rouge2_f (x100)" in default  # the default metric, on the stated scale
