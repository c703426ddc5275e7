"""`bench human new` and `bench human export` on real runs over BBC articles: what a
study file holds (items, assignment, blinding, schema), that it is seeded, and the
rating lines its answers become."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections import Counter

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.human.store import Study
from report_runs import make_run

runner = CliRunner()
MODELS = ("lead-1", "lead-3", "textrank")


@pytest.fixture(scope="module")
def runs(shared_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    corpus = folder / "bbc20.jsonl"
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as source:
        corpus.write_text("".join(next(source) for _ in range(20)), encoding="utf-8")
    return [make_run(folder / "results", corpus, model, "--metrics", "rouge")
            for model in MODELS]


def new(path, runs, *args):
    result = runner.invoke(app, ["human", "new", str(path), *map(str, runs), *args])
    return result


def test_a_likert_study_holds_blinded_shuffled_balanced_pages(runs, tmp_path):
    path = tmp_path / "study.sqlite"
    result = new(path, runs, "--items", "6", "--annotators", "a,b,c", "--per-item", "2")
    assert result.exit_code == 0, result.output
    assert "6 items x 3 systems, likert, 3 annotators (2 per item), 12 pages" in result.stderr
    study = Study(path)
    assert study.protocol == "likert"
    assert study.criteria == ["faithfulness", "coverage", "fluency", "conciseness"]
    assert study.rubric["criteria"]["fluency"]["name"] == "السلاسة"
    assert study.systems() == list(MODELS)
    tasks = [t for name in "abc" for t in study.tasks_of(name)]
    per_item = Counter(t.item for t in tasks)
    assert sorted(per_item) == list(range(6)) and set(per_item.values()) == {2}
    assert {name: len(study.tasks_of(name)) for name in "abc"} == {"a": 4, "b": 4, "c": 4}
    for item in range(6):  # two distinct annotators per item
        assert len({t.annotator for t in tasks if t.item == item}) == 2
    assert all(sorted(t.shown) == [0, 1, 2] for t in tasks)
    assert len({t.shown for t in tasks}) > 1  # shuffled, not one order for all
    predictions = {model: {json.loads(line)["id"]: json.loads(line)["prediction"]
                           for line in (run / "items.jsonl").open()}
                   for model, run in zip(MODELS, runs)}
    item = study.item(tasks[0].item)
    assert item["summaries"] == {s: predictions[m][item["id"]] for s, m in enumerate(MODELS)}
    assert item["article"] and item["bullets"]


def test_the_study_file_is_private_versioned_and_in_wal_mode(runs, tmp_path):
    path = tmp_path / "study.sqlite"
    assert new(path, runs, "--items", "4").exit_code == 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    study = Study(path)
    tokens = list(study.tokens().values()) + [study.admin_token]
    assert len(set(tokens)) == 3 and all(len(t) >= 40 for t in tokens)
    again = new(path, runs, "--items", "4")
    assert again.exit_code == 2 and "exists; a study is created once" in again.stderr


def test_the_same_seed_makes_the_same_study(runs, tmp_path):
    def plan(name, seed):
        path = tmp_path / name
        assert new(path, runs, "--items", "8", "--seed", str(seed)).exit_code == 0
        study = Study(path)
        return [(t.annotator, study.item(t.item)["id"], t.shown)
                for name in ("a", "b") for t in study.tasks_of(name)]

    first, again, other = plan("1.sqlite", 5), plan("2.sqlite", 5), plan("3.sqlite", 6)
    assert first == again and first != other


def test_items_are_stratified_by_article_length(runs, tmp_path):
    path = tmp_path / "s.sqlite"
    assert new(path, runs, "--items", "8").exit_code == 0
    with sqlite3.connect(path) as db:
        strata = Counter(row[0] for row in db.execute("SELECT stratum FROM items"))
    assert strata == {0: 2, 1: 2, 2: 2, 3: 2}  # 20 articles in quartiles of 5: 2 of each


def test_pairwise_pages_are_pairs_and_units_pages_list_units(runs, tmp_path):
    pair = tmp_path / "pair.sqlite"
    result = new(pair, runs, "--items", "4", "--protocol", "pairwise", "--criteria",
                 "coverage,fluency", "--per-item", "1")
    assert result.exit_code == 0, result.output
    study = Study(pair)
    tasks = study.tasks_of("a") + study.tasks_of("b")
    assert len(tasks) == 4 * 3  # three pairs of three systems per item
    assert Counter(tuple(sorted(t.shown)) for t in tasks) == {(0, 1): 4, (0, 2): 4, (1, 2): 4}
    units = tmp_path / "units.sqlite"
    result = new(units, runs, "--items", "4", "--protocol", "units", "--units", "clauses")
    assert result.exit_code == 0, result.output
    study = Study(units)
    assert study.criteria == ["content"]
    item = study.item(study.tasks_of("a")[0].item)
    assert len(item["units"]) >= 1 and all(u in " ".join(item["bullets"]) for u in item["units"])


@pytest.mark.parametrize("args, message", [
    (["--items", "21"], "21 items asked, but the runs share 20 items"),
    (["--items", "4", "--per-item", "3"], "3 annotators per item, but 2 annotators"),
    (["--items", "4", "--criteria", "beauty"], "criterion 'beauty' is not in the rubric"),
    (["--items", "4", "--annotators", "a,,b"],
     "--annotators 'a,,b': expected comma-separated names"),
    (["--items", "4", "--protocol", "units", "--criteria", "fluency"],
     "a units study rates one criterion"),
])
def test_mistakes_end_in_one_line(runs, tmp_path, args, message):
    result = new(tmp_path / "x.sqlite", runs, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.sqlite").exists()


def test_export_writes_one_line_per_answer_with_the_system_shown(runs, tmp_path):
    path = tmp_path / "study.sqlite"
    assert new(path, runs, "--items", "3", "--per-item", "2", "--criteria",
               "fluency,coverage").exit_code == 0
    study = Study(path)
    tasks = study.tasks_of("a")
    for task in tasks:
        for slot in range(3):
            for criterion in study.criteria:
                study.save_answer(task.id, slot=slot, criterion=criterion, unit=-1,
                                  value=str(1 + slot))
    study.save_answer(tasks[0].id, slot=0, criterion="fluency", unit=-1, value="5")  # changed
    study.save_note(tasks[1].id, comment="نص غامض", cannot_judge=False)
    study.save_note(tasks[2].id, comment="", cannot_judge=True)
    out = tmp_path / "ratings.jsonl"
    result = runner.invoke(app, ["human", "export", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and "1 page(s) marked cannot judge" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 * 3 * 2  # two pages left, three systems, two criteria
    systems = study.systems()
    for line in lines:
        task = next(t for t in tasks if study.item(t.item)["id"] == line["item_id"])
        assert line["system"] == systems[task.shown[line["shown_position"]]]
        expected = 5 if (task == tasks[0] and line["shown_position"] == 0
                         and line["criterion"] == "fluency") else 1 + line["shown_position"]
        assert line["score"] == expected and line["protocol"] == "likert"
        assert line["annotator"] == "a" and line["answered_at"]
        assert line.get("comment") == ("نص غامض" if task == tasks[1] else None)
    with sqlite3.connect(path) as db:
        revisions = db.execute("SELECT revision FROM ratings WHERE task = ? AND slot = 0 AND "
                               "criterion = 'fluency'", (tasks[0].id,)).fetchone()[0]
    assert revisions == 2


def test_pairwise_and_units_answers_export_and_meta_reads_them(runs, tmp_path):
    """Answers given through the store come out as lines `bench meta` reads: pairwise
    winners named by the systems shown, units as the share stated."""
    import krippendorff
    import numpy as np

    pair = tmp_path / "pair.sqlite"
    assert new(pair, runs, "--items", "4", "--protocol", "pairwise", "--criteria",
               "coverage").exit_code == 0
    study = Study(pair)
    systems = study.systems()
    for name in ("a", "b"):
        for task in study.tasks_of(name):
            first, second = (systems[s] for s in task.shown)
            # a prefers lead-3 to anything and ties the rest; b prefers the first shown
            if name == "a":
                value = "a" if first == "lead-3" else "b" if second == "lead-3" else "tie"
            else:
                value = "a"
            study.save_answer(task.id, slot=0, criterion="coverage", unit=-1, value=value)
    out = tmp_path / "pair.jsonl"
    assert runner.invoke(app, ["human", "export", str(pair), "-o", str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 * 4 * 3 and all(set(line) >= {"system_a", "system_b", "winner"}
                                           for line in lines)
    result = runner.invoke(app, ["meta", "--ratings", str(out), *map(str, runs), "--format",
                                 "json", "--metric", "rouge1_f", "--resamples", "100"])
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)
    (agreement,) = meta["agreement"]
    assert agreement["level"] == "nominal"
    from benchmark.report.meta_ratings import read_ratings

    table, _ = read_ratings(out).reliability("coverage")
    assert agreement["alpha"] == pytest.approx(krippendorff.alpha(
        reliability_data=table.T, level_of_measurement="nominal"), abs=1e-12)
    assert np.isfinite(agreement["alpha"])

    units = tmp_path / "units.sqlite"
    assert new(units, runs, "--items", "3", "--protocol", "units", "--units",
               "clauses").exit_code == 0
    study = Study(units)
    task = study.tasks_of("a")[0]
    n_units = len(study.item(task.item)["units"])
    for slot in range(3):
        for unit in range(n_units):
            study.save_answer(task.id, slot=slot, criterion="content", unit=unit,
                              value="1" if unit == 0 else "0")
    several = [t for t in study.tasks_of("b") if len(study.item(t.item)["units"]) > 1]
    study.save_answer(several[0].id, slot=0, criterion="content", unit=0,
                      value="1")  # a summary with units unanswered: left out
    out = tmp_path / "units.jsonl"
    result = runner.invoke(app, ["human", "export", str(units), "-o", str(out)])
    assert result.exit_code == 0 and "1 summary(ies) with units left unanswered" in result.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    assert all(line["score"] == pytest.approx(1 / n_units) for line in lines)
    assert [u["present"] for u in lines[0]["units"]] == [True] + [False] * (n_units - 1)
