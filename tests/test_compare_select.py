"""Which runs `bench compare` uses, and that every run left out is named with a reason."""

import json

import pytest

from benchmark.errors import BenchmarkError
from benchmark.report.select import Selection, select_all_datasets, select_runs
from benchmark.runs.run import Run
from fake_runs import on_disk  # tests/ is on sys.path

VALUES = {"rouge2_f": [0.1, 0.2, 0.3]}


def _reasons(selected):
    return {x.run_id: x.reason for x in selected.left_out}


def test_newest_complete_whole_run_per_label_and_every_other_run_named(tmp_path):
    on_disk(tmp_path, "1-old", "lead-3", VALUES, finished="2026-01-01T00:00:00Z")
    on_disk(tmp_path, "2-new", "lead-3", VALUES, finished="2026-01-02T00:00:00Z")
    on_disk(tmp_path, "3-limit", "lead-1", VALUES, limit=3)
    on_disk(tmp_path, "4-some", "mine", VALUES, missing=5)
    on_disk(tmp_path, "5-running", "textrank", VALUES, status="running")
    on_disk(tmp_path, "6-other", "lead-1", VALUES, dataset="other", sha="cd" * 32)
    (tmp_path / "7-broken").mkdir()
    (tmp_path / "7-broken" / "run.json").write_text("{", encoding="utf-8")
    selected = select_runs(Selection(results=tmp_path, dataset="news"))
    assert [run.run_id for run in selected.runs] == ["2-new"]
    reasons = _reasons(selected)
    assert reasons["1-old"] == "older than 2-new (same label)"
    assert reasons["3-limit"] == "partial: --limit 3 (3 items); pass its folder to include it"
    assert reasons["4-some"].startswith("partial: 3 of 8 items have predictions")
    assert reasons["5-running"].startswith("unfinished (running)")
    assert reasons["6-other"] == "on dataset other@sha256:cdcdcdcdcdcd"
    assert reasons["7-broken"].startswith("unreadable (")


def test_several_datasets_and_no_choice_is_an_error_listing_them(tmp_path):
    on_disk(tmp_path, "a", "lead-3", VALUES)
    on_disk(tmp_path, "b", "lead-3", VALUES, dataset="other", sha="cd" * 32)
    with pytest.raises(BenchmarkError, match=r"on 2 datasets: .*news@sha256:abababababab "
                                             r"\(1 run\(s\)\)") as caught:
        select_runs(Selection(results=tmp_path))
    assert caught.value.worded_hint({"dataset": "--dataset"}).startswith("choose one with "
                                                                         "--dataset")
    assert [r.run_id for r in select_runs(Selection(results=tmp_path, dataset="sha256:cdcdcd")
                                          ).runs] == ["b"]
    boards, left_out = select_all_datasets(Selection(results=tmp_path))
    assert left_out == []
    assert sorted(g.dataset.name for g in boards) == ["news", "other"]


def test_partial_runs_are_used_when_passed_as_folders(tmp_path):
    path = on_disk(tmp_path, "3-limit", "lead-1", VALUES, limit=3)
    selected = select_runs(Selection(run_dirs=(path,)))
    assert [run.label for run in selected.runs] == ["lead-1"]


def test_exclude_by_label_and_label_collisions_in_folders(tmp_path):
    a = on_disk(tmp_path, "a", "lead-3", VALUES)
    b = on_disk(tmp_path, "b", "lead-3", VALUES)
    with pytest.raises(BenchmarkError, match="two runs are labelled 'lead-3'"):
        select_runs(Selection(run_dirs=(a, b)))
    with pytest.raises(BenchmarkError, match="every run passed was excluded"):
        select_runs(Selection(run_dirs=(a, b), exclude=("lead-3",)))


def test_old_records_without_a_label_show_the_model_name(tmp_path):
    path = on_disk(tmp_path, "a", "lead-3", VALUES)
    data = json.loads((path / "run.json").read_text(encoding="utf-8"))
    del data["label"]
    (path / "run.json").write_text(json.dumps(data), encoding="utf-8")
    assert Run.open(path).record.shown_label == "lead-3"
