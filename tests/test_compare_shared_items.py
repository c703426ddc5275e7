"""Partial runs are compared on the items they share (DESIGN §9, §10).

A ``--limit`` run records the whole dataset's identity (so it stays comparable) and its
items (items.jsonl); named beside a full run it is compared on the items both scored:
every mean, interval and test is computed on those, ``n`` says how many and a note says
why. Means over different item sets are never ranked.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import load_examples
from benchmark.report.compare import compare_runs
from benchmark.runs.run import Run, list_runs
from fake_runs import in_memory  # tests/ is on sys.path


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def runs(tmp_path, bbc_head):
    """lead-1 on 30 BBC items, lead-3 on the first 12 (--limit), in one results folder."""
    data = bbc_head(30)
    out = tmp_path / "results"
    for model, extra in (("lead-1", ()), ("lead-3", ("--limit", "12"))):
        result = bench("run", "--model", model, "--dataset", data, "--output-dir", out, *extra)
        assert result.exit_code == 0, result.output
    by_label = {Run.open(path).label: Run.open(path) for path in list_runs(out)}
    return data, out, by_label


def test_a_limit_run_records_the_whole_datasets_identity_and_its_items(runs):
    data, _, by_label = runs
    whole = load_examples(data)
    full, partial = by_label["lead-1"].record.dataset, by_label["lead-3"].record.dataset
    assert partial.sha256 == full.sha256 == whole.sha
    assert partial.identity == full.identity and partial.size == full.size == 30
    assert (partial.limit, partial.items, partial.missing_predictions) == (12, 12, 0)
    assert by_label["lead-3"].item_ids() == [ex.id for ex in whole.examples[:12]]


def test_a_named_partial_run_is_compared_on_the_shared_items(runs):
    _, _, by_label = runs
    result = compare_runs([by_label["lead-1"], by_label["lead-3"]], ["rouge1_f", "rouge2_f"])
    first12 = by_label["lead-3"].item_ids()
    for row in result.rows:
        cell = row.metrics["rouge2_f"]
        values = [by_label[row.label].values("rouge2_f")[item] for item in first12]
        assert cell.n == 12
        assert cell.mean == pytest.approx(100 * sum(values) / 12, abs=1e-12)
    (pair,) = [p for p in result.pairs if p.metric == "rouge2_f"]
    assert pair.n == 12
    note = [n for n in result.notes if n.startswith("items:")]
    assert note == ["items: the runs scored different items (lead-1 30, lead-3 12); every "
                    "mean, interval and test is on the 12 items all of them scored (n), so "
                    "means can differ from each run's own"]
    # The full run's own mean (30 items) is not what the table ranks.
    shown = next(row for row in result.rows if row.label == "lead-1").metrics["rouge2_f"]
    own = by_label["lead-1"].record.aggregates["rouge2_f"]
    assert own.n == 30 and shown.mean != pytest.approx(100 * own.mean)


def test_partial_runs_are_listed_not_used_unless_named(runs):
    _, out, by_label = runs
    plain = json.loads(bench("compare", "--results", out, "--format", "json").stdout)
    assert [row["label"] for row in plain["rows"]] == ["lead-1"]
    assert any(n.startswith("left out: lead-3") and "partial: --limit 12 (12 items); pass "
               "its folder to include it" in n for n in plain["notes"])
    named = bench("compare", by_label["lead-1"].path, by_label["lead-3"].path)
    assert named.exit_code == 0, named.output
    assert "on the 12 items all of them scored" in named.output


def test_a_failed_item_is_left_out_of_every_row_not_just_its_own():
    """Runs with different failures scored different items: the means are on the items
    both scored, so a system is never ranked on an easier set."""
    a = in_memory("a", {"rouge2_f": [0.1, 0.9, 0.5, 0.4]})
    b = in_memory("b", {"rouge2_f": [0.2, 0.3, 0.6, 0.5]})
    b._values.by_key["rouge2_f"].pop("i1")  # b failed its second item
    del b._values.ids["i1"]
    result = compare_runs([a, b], ["rouge2_f"])
    cells = {row.label: row.metrics["rouge2_f"] for row in result.rows}
    assert cells["a"].n == cells["b"].n == 3
    assert cells["a"].mean == pytest.approx(100 * (0.1 + 0.5 + 0.4) / 3)
    assert cells["b"].mean == pytest.approx(100 * (0.2 + 0.6 + 0.5) / 3)
