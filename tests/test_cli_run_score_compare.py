"""``bench run``, ``bench score``, ``bench compare`` and ``bench list`` through CliRunner."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app

runner = CliRunner()


def bench(*args):
    return runner.invoke(app, [str(a) for a in args])


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
    (run_dir,) = out.iterdir()
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
    items = [[json.loads(l)["prediction"] for l in next((tmp_path / d).iterdir()).joinpath(
        "items.jsonl").read_text().splitlines()] for d in ("a", "b")]
    assert len(items[0]) == 3 and items[0] == items[1]


def test_score_saved_predictions_equals_run(tmp_path, corpus):
    out = tmp_path / "results"
    assert bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out).exit_code == 0
    (run_dir,) = out.iterdir()
    preds = tmp_path / "mine.jsonl"
    lines = [json.loads(l) for l in (run_dir / "items.jsonl").read_text().splitlines()]
    preds.write_text("\n".join(json.dumps({"id": l["id"], "prediction": l["prediction"]},
                                          ensure_ascii=False) for l in lines) + "\n")
    result = bench("score", "--predictions", preds, "--dataset", corpus, "--output-dir", out)
    assert result.exit_code == 0, result.output
    runs = {json.loads((d / "run.json").read_text())["model"]["name"]:
            json.loads((d / "run.json").read_text()) for d in out.iterdir()}
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
    models = {m["model"]: m["metrics"] for m in as_json["models"]}
    assert set(models) == {"lead-1", "lead-3", "oracle"}
    assert models["oracle"]["rouge2_f"]["mean"] >= models["lead-3"]["rouge2_f"]["mean"]
    best = [name for name, m in models.items() if m["rouge2_f"]["best"]]
    assert len(best) == 1
    md = bench("compare", "--results", out, "--format", "md").output
    assert md.startswith("| model | n | rouge1_f") and md.count("\n| ") == 3  # three model rows after header and rule
    csv_out = bench("compare", "--results", out, "--format", "csv").output
    assert csv_out.splitlines()[0].startswith("model,run_id,rouge1_f_mean")
    assert len(csv_out.splitlines()) == 4
    html = bench("compare", "--results", out, "--format", "html").output
    assert html.startswith("<table>")


def test_compare_refuses_different_datasets_unless_forced(tmp_path, corpus):
    other = write_corpus(tmp_path / "other.jsonl", 5)
    a, b = tmp_path / "a", tmp_path / "b"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", a)
    bench("run", "--model", "lead-3", "--dataset", other, "--output-dir", b)
    runs = [next(a.iterdir()), next(b.iterdir())]
    refused = bench("compare", *runs)
    assert refused.exit_code == 2
    assert "not comparable: dataset of" in refused.output and "--force" in refused.output
    forced = bench("compare", *runs, "--force")
    assert forced.exit_code == 0 and "lead-3" in forced.output


def test_compare_refuses_different_metric_signatures(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out,
          "--profile", "none")
    refused = bench("compare", *sorted(out.iterdir()))
    assert refused.exit_code == 2 and "rouge signature" in refused.output


def test_compare_default_picks_newest_run_per_model(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out, "--limit", 2)
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    result = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    (model,) = result["models"]
    assert model["metrics"]["rouge1_f"]["n"] == 8


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
    (run_dir,) = (tmp_path / "b").iterdir()
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


def test_compare_refuses_runs_over_different_items_and_never_prints_nan(tmp_path, corpus):
    out = tmp_path / "r"
    first = _predictions(tmp_path / "first.jsonl", [(f"a{i}", "الوزير") for i in range(4)])
    second = _predictions(tmp_path / "second.jsonl", [(f"a{i}", "دمشق") for i in range(4, 8)])
    for preds in (first, second):
        assert bench("score", "--predictions", preds, "--dataset", corpus,
                     "--output-dir", out).exit_code == 0
    refused = bench("compare", "--results", out)
    assert refused.exit_code == 2 and "not the same ones (partial predictions)" in refused.output
    forced = bench("compare", "--results", out, "--force", "--format", "json")
    assert forced.exit_code == 0
    table = json.loads(forced.output, parse_constant=lambda c: pytest.fail(f"bare {c}"))
    # No shared items: no paired test, reported as null rather than NaN.
    cells = [m["metrics"]["rouge1_f"] for m in table["models"]]
    assert [c["p_bootstrap"] for c in cells if not c["best"]] == [None]


def test_compare_notes_runs_left_out_and_single_run_has_no_test_note(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    bench("run", "--model", "lead-3", "--dataset", corpus, "--output-dir", out, "--limit", 3)
    result = runner.invoke(app, ["compare", "--results", str(out)])
    assert result.exit_code == 0
    assert "1 run(s) on other datasets not shown (lead-1 on news@sha256:" in result.output
    assert "†" not in result.output  # one model: nothing was tested


def test_compare_tie_marks_the_first_model_best(tmp_path, corpus):
    out = tmp_path / "r"
    same = _predictions(tmp_path / "x.jsonl", [(f"a{i}", "الوزير") for i in range(8)])
    for name in ("first", "second"):
        bench("score", "--predictions", same, "--dataset", corpus, "--output-dir", out,
              "--name", name)
    runs = sorted(out.iterdir())
    table = json.loads(bench("compare", *runs, "--format", "json").stdout)
    best = [m["model"] for m in table["models"] if m["metrics"]["rouge1_f"]["best"]]
    assert best == [table["models"][0]["model"]]


def test_damaged_items_file_is_a_one_line_error(tmp_path, corpus):
    out = tmp_path / "r"
    bench("run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out)
    (run_dir,) = out.iterdir()
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
    assert "7 example(s) of news have no prediction" in result.output


def test_wordless_reference_is_warned_about(tmp_path):
    data = tmp_path / "p.jsonl"
    data.write_text('{"id": "a", "article": "نص.", "summary": "...."}\n'
                    '{"id": "b", "article": "نص.", "summary": "ملخص"}\n', encoding="utf-8")
    result = bench("data", "validate", data)
    assert result.exit_code == 0
    assert "1 example(s) of " in result.output
    assert "p.jsonl have a summary with no letters or digits (first: 'a')" in result.output
