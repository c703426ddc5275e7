"""A dataset's identity is its content (DESIGN §4.2): the same records under any file
name, in any format, with any extra column, read through ``hf:`` or the registry, are
one dataset; a registry name and the path it points to are one name. Runs written
before (identity scheme 1) are never silently mixed with new ones."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import load_examples
from benchmark.data.download import file_sha256
from benchmark.data.identity import IDENTITY_SCHEME
from benchmark.errors import IncompatibleRunsError
from benchmark.report.compare import compare_runs
from benchmark.report.select import Selection, select_groups, select_runs
from benchmark.runs.run import Run, list_runs
from fake_runs import on_disk  # tests/ is on sys.path

N = 40


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def bbc40(shared_dir) -> list[dict]:
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(next(handle)) for _ in range(N)]


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_the_same_40_records_in_every_form_have_one_identity(tmp_path, bbc40, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    forms = {
        "first_name.jsonl": _jsonl(tmp_path / "first_name.jsonl", bbc40),
        "second_name.jsonl": _jsonl(tmp_path / "second_name.jsonl", bbc40),
        "extra columns": _jsonl(tmp_path / "extra.jsonl",
                                [{**r, "url": r["url"] + "?x", "editor": "z"} for r in bbc40]),
    }
    # CSV: the bullets as a JSON list column (some BBC standfirsts have two bullets
    # on one line of 'summary'; the bullets are the content).
    with (tmp_path / "same.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "date", "article",
                                                    "summary_bullets", "url"])
        writer.writeheader()
        writer.writerows({**{key: r[key] for key in ("id", "date", "article", "url")},
                          "summary_bullets": json.dumps(r["summary_bullets"],
                                                        ensure_ascii=False)} for r in bbc40)
    forms["csv"] = tmp_path / "same.csv"
    pq.write_table(pa.Table.from_pylist(bbc40), tmp_path / "same.parquet")
    forms["parquet"] = tmp_path / "same.parquet"
    hub = tmp_path / "hubcopy"
    (hub / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(bbc40), hub / "data" / "test-00000-of-00001.parquet")
    (hub / "README.md").write_text("---\nconfigs:\n- config_name: default\n  data_files:\n"
                                   "  - split: test\n    path: data/test-*\n---\n",
                                   encoding="utf-8")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    forms["hf: folder"] = f"hf:{hub}:default:test"
    shas = {form: load_examples(path).sha for form, path in forms.items()}
    assert len(set(shas.values())) == 1, shas
    names = {form: load_examples(path).name for form, path in forms.items()}
    assert names["first_name.jsonl"] == "first_name" and names["csv"] == "same"


def test_a_registry_name_and_its_path_are_one_dataset(tmp_path, bbc40):
    """``--dataset NAME`` and ``--dataset PATH`` of the same file: one name, one identity;
    compare finds the runs by either name."""
    data = _jsonl(tmp_path / "news_sample.jsonl", bbc40[:12])
    config = tmp_path / "config"
    config.mkdir()
    (config / "datasets.yaml").write_text(
        f"news-sample:\n  path: {data}\n  sha256: '{file_sha256(data)}'\n  licence: x\n"
        "  citation: x\n  variety: MSA\n  style: one sentence\n  size: 12\n", encoding="utf-8")
    by_name = load_examples("news-sample", config_dir=config)
    by_path = load_examples(data, config_dir=config)
    assert by_name.identity == by_path.identity
    assert (by_path.name, by_path.aliases) == ("news-sample", ("news_sample",))
    out = tmp_path / "results"
    for model, dataset in (("lead-1", "news-sample"), ("lead-3", data)):
        result = bench("--config", config, "run", "--model", model, "--dataset", dataset,
                       "--output-dir", out)
        assert result.exit_code == 0, result.output
    for wanted in ("news-sample", "news_sample", by_path.identity,
                   f"news_sample@sha256:{by_path.sha[:12]}", by_path.sha[:8]):
        selected = select_runs(Selection(results=out, dataset=wanted))
        assert sorted(run.label for run in selected.runs) == ["lead-1", "lead-3"], wanted
    # A copy under another name (outside the registry) is the same content: one table.
    copy = shutil.copy(data, tmp_path / "renamed.jsonl")
    bench("run", "--model", "textrank", "--dataset", copy, "--output-dir", out)
    groups, _ = select_groups(Selection(results=out))
    assert [sorted(r.label for r in g.runs) for g in groups] == [["lead-1", "lead-3",
                                                                   "textrank"]]


def _old_scheme(path: Path) -> Path:
    """A run folder as an older bench wrote it: no identity_scheme, the old sha."""
    record = json.loads((path / "run.json").read_text(encoding="utf-8"))
    dataset = record["dataset"]
    del dataset["identity_scheme"]
    dataset["sha256"] = "ef" * 32
    dataset["identity"] = f"{dataset['name']}@sha256:{'ef' * 6}"
    (path / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return path


def test_old_scheme_runs_are_never_ranked_with_new_ones(tmp_path):
    values = {"rouge2_f": [0.1, 0.2, 0.3]}
    new = on_disk(tmp_path, "new", "lead-3", values)
    old = _old_scheme(on_disk(tmp_path, "old", "lead-1", values))
    assert Run.open(new).record.dataset.scheme == IDENTITY_SCHEME
    assert Run.open(old).record.dataset.scheme == 1
    with pytest.raises(IncompatibleRunsError, match=r"dataset identity of lead-1 was computed "
                                                    r"by an older bench \(identity scheme 1"):
        compare_runs([Run.open(new), Run.open(old)])
    groups, _ = select_groups(Selection(results=tmp_path))
    assert [[r.label for r in g.runs] for g in groups] in ([["lead-3"], ["lead-1"]],
                                                          [["lead-1"], ["lead-3"]])
    alone = compare_runs([Run.open(old)])
    assert alone.notes[-1].startswith("dataset identity of an older bench (scheme 1")
    assert not any("older bench" in note for note in compare_runs([Run.open(new)]).notes)
    chosen = select_runs(Selection(results=tmp_path, dataset="sha256:" + "ab" * 4))
    (reason,) = [x.reason for x in chosen.left_out]
    assert reason.endswith("(identity of an older bench: file name and metadata included)")


def test_an_old_scheme_run_still_finds_its_data(tmp_path, bbc_head):
    """Its sha covered the file name and metadata: the diff checks it that way."""
    from benchmark.data.identity import dataset_sha

    data = bbc_head(6)
    out = tmp_path / "r"
    for model in ("lead-1", "lead-3"):
        bench("run", "--model", model, "--dataset", data, "--output-dir", out)
    folders = list_runs(out)
    old_sha = dataset_sha(load_examples(data).examples, scheme=1)
    for folder in folders:
        record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        del record["dataset"]["identity_scheme"]
        record["dataset"]["sha256"] = old_sha
        (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    result = bench("diff", *folders, "--top", "2")
    assert result.exit_code == 0, result.output
    record = json.loads((folders[0] / "run.json").read_text(encoding="utf-8"))
    record["dataset"]["sha256"] = "ef" * 32
    (folders[0] / "run.json").write_text(json.dumps(record), encoding="utf-8")
    changed = bench("report", folders[0], "-o", tmp_path / "r.html")
    assert changed.exit_code == 0
    assert "but the run scored" in (tmp_path / "r.html").read_text(encoding="utf-8")
