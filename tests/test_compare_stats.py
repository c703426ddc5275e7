"""The statistics of ``bench compare``: vectorized tests, Holm over the family, groups."""

import numpy as np
import pytest

from benchmark.errors import BenchmarkError
from benchmark.report.compare import StatsSettings, compare_runs
from benchmark.report.groups import letter_groups
from benchmark.runs.run import Run
from benchmark.stats.bootstrap import bootstrap_ci, bootstrap_cis, interval, resample
from benchmark.stats.holm import minimum_resamples
from benchmark.stats.paired import pair_test
from fake_runs import in_memory  # tests/ is on sys.path
from stats_oracles import approximate_randomization_p, paired_bootstrap_p


def test_vectorized_tests_agree_with_the_one_pair_reference_implementations():
    """The matrix form must estimate the same p-values as the per-pair loops in tests/stats_oracles.py
    (different random draws: agreement within Monte Carlo error, SE about 0.003 at p~0.05)."""
    rng = np.random.default_rng(3)
    a = rng.random(400)
    noise = rng.normal(0, 0.1, 400)
    b = a - 0.01 + (noise - noise.mean()) / noise.std() * 0.1  # z = 2: p near 0.046
    test = pair_test(resample(np.column_stack([a, b]), resamples=10000, seed=1), 0, 1)
    assert test.diff == pytest.approx(0.01)
    assert test.p_bootstrap == pytest.approx(paired_bootstrap_p(a, b, n_resamples=10000), abs=0.015)
    assert test.p_randomization == pytest.approx(
        approximate_randomization_p(a, b, n_resamples=10000), abs=0.015)
    assert 0.02 < test.p_randomization < 0.08  # an informative case, not 0 or 1
    low, high = interval(resample(a[:, None], resamples=10000, seed=2), 0)
    reference = bootstrap_ci(a, n_resamples=10000, seed=2)
    assert (low, high) == pytest.approx((reference.low, reference.high), abs=0.003)


def test_identical_columns_give_p_one_and_a_zero_interval():
    values = np.random.default_rng(0).random(50)
    test = pair_test(resample(np.column_stack([values, values]), resamples=1000, seed=0), 0, 1)
    assert (test.diff, test.low, test.high) == (0, 0, 0)
    assert test.p_bootstrap == test.p_randomization == 1.0


def test_resampling_is_seeded_and_chunking_does_not_matter(monkeypatch):
    matrix = np.random.default_rng(1).random((300, 3))
    first = resample(matrix, resamples=500, seed=9)
    assert np.array_equal(first.boot, resample(matrix, resamples=500, seed=9).boot)
    monkeypatch.setattr("benchmark.stats.bootstrap.CHUNK_CELLS", 300 * 7)
    chunked = resample(matrix, resamples=500, seed=9)
    # The same draws; only float32 rounding of differently blocked products may differ.
    assert np.allclose(first.boot, chunked.boot, rtol=0, atol=1e-6)
    assert np.allclose(first.flips, chunked.flips, rtol=0, atol=1e-6)


@pytest.mark.parametrize("order,different,expected,why", [
    ([0, 1, 2], [], {0: "a", 1: "a", 2: "a"}, "nothing differs: one group"),
    ([0, 1, 2], [(0, 1), (0, 2), (1, 2)], {0: "a", 1: "b", 2: "c"}, "all differ"),
    ([0, 1, 2], [(0, 2)], {0: "a", 1: "ab", 2: "b"}, "the middle one is close to both"),
    ([3, 1, 0, 2], [(3, 0), (3, 2), (1, 2)], {3: "a", 1: "ab", 0: "bc", 2: "c"},
     "a chain in rank order (systems numbered out of order)"),
    ([0, 1, 2, 3], [(0, 3)], {0: "a", 1: "ab", 2: "ab", 3: "b"}, "only the extremes differ"),
])
def test_letter_groups_golden(order, different, expected, why):
    assert letter_groups(order, different) == expected, why


def _pairs(result, metric="rouge2_f"):
    return {(p.a, p.b): p for p in result.pairs if p.metric == metric}


def test_p_value_floor_twelve_systems_one_far_better_every_pair_with_it_is_marked():
    """66 pairs in the family. With 1,000 resamples a p-value's floor is 1/1001 and Holm
    multiplies the smallest by 66: 0.066 > 0.05, nothing could be marked. Compare raises
    the resamples to 2 m / alpha = 2,640 so the floor no longer hides the best system."""
    rng = np.random.default_rng(5)
    base = rng.random(500)
    runs = [in_memory(f"s{k:02d}", {"rouge2_f": np.clip(base + rng.normal(0, 0.02, 500), 0, 1)})
            for k in range(11)]
    runs.append(in_memory("best", {"rouge2_f": np.clip(base + 0.3, 0, 1.5)}))
    result = compare_runs(runs, settings=StatsSettings(resamples=1000, seed=1))
    assert result.resamples == minimum_resamples(66, 0.05) == 2640
    with_best = [p for (a, b), p in _pairs(result).items() if "best" in (a, b)]
    assert len(with_best) == 11 and all(p.significant for p in with_best)
    assert all(p.p_adjusted < 0.05 for p in with_best)
    rows = {row.label: row for row in result.rows}
    assert result.rows[0].label == "best" and rows["best"].group == "a"
    assert all("a" not in rows[f"s{k:02d}"].group for k in range(11))
    assert any("resamples raised from 1000 to 2640" in note for note in result.notes)


def test_equal_systems_are_one_group_and_no_pair_is_marked():
    rng = np.random.default_rng(11)
    base = rng.random(400)
    runs = [in_memory(f"r{k}", {"rouge2_f": np.clip(base + rng.normal(0, 0.1, 400), 0, 1)})
            for k in range(8)]
    result = compare_runs(runs, settings=StatsSettings(resamples=2000, seed=3))
    assert len(result.pairs) == 28
    assert not any(p.significant for p in result.pairs)
    assert {row.group for row in result.rows} == {"a"}


def test_family_wise_false_positives_stay_under_alpha_in_a_small_simulation():
    """40 tables of 4 equal systems (6 pairs each): with Holm over all pairs at most 5%
    of tables may show any difference; 40 x 5% = 2, allow 4 for chance (binomial tail
    P(X > 4) < 0.05 when the true rate is 5%)."""
    rng = np.random.default_rng(2026)
    false_tables = 0
    for trial in range(40):
        base = rng.random(150)
        runs = [in_memory(f"r{k}", {"rouge2_f": np.clip(base + rng.normal(0, 0.15, 150), 0, 1)})
                for k in range(4)]
        result = compare_runs(runs, settings=StatsSettings(resamples=1000, seed=trial))
        false_tables += any(p.significant for p in result.pairs)
    assert false_tables <= 4


def test_upper_bounds_are_shown_but_never_tested_ranked_first_or_baseline():
    rng = np.random.default_rng(0)
    base = rng.random(200)
    runs = [in_memory("lead-3", {"rouge2_f": base}),
            in_memory("lead-1", {"rouge2_f": np.clip(base - 0.05, 0, 1)}),
            in_memory("oracle", {"rouge2_f": np.clip(base + 0.4, 0, 1.4)}, upper_bound=True)]
    result = compare_runs(runs, settings=StatsSettings(resamples=1000))
    assert [row.label for row in result.rows] == ["lead-3", "lead-1", "oracle"]
    oracle = result.rows[-1]
    assert oracle.upper_bound and oracle.group == "" and oracle.metrics["rouge2_f"].group == ""
    assert set(_pairs(result)) == {("lead-3", "lead-1")}
    assert result.rows[0].group == "a"
    with pytest.raises(BenchmarkError, match="is an upper bound"):
        compare_runs(runs, settings=StatsSettings(resamples=1000, baseline="oracle"))


def test_baseline_mode_tests_each_system_against_the_baseline_only():
    rng = np.random.default_rng(1)
    base = rng.random(300)
    runs = [in_memory("base", {"rouge2_f": base}),
            in_memory("better", {"rouge2_f": np.clip(base + 0.1, 0, 1.1)}),
            in_memory("worse", {"rouge2_f": np.clip(base - 0.1, -0.1, 1)}),
            in_memory("same", {"rouge2_f": base + rng.normal(0, 0.001, 300)})]
    result = compare_runs(runs, settings=StatsSettings(resamples=2000, baseline="base"))
    assert set(_pairs(result)) == {("better", "base"), ("worse", "base"), ("same", "base")}
    groups = {row.label: row.group for row in result.rows}
    assert groups == {"base": "baseline", "better": "better", "worse": "worse", "same": "n.s."}
    assert _pairs(result)[("worse", "base")].diff == pytest.approx(-10, abs=0.5)  # x100


def test_pairs_report_the_difference_and_its_interval_on_the_report_scale():
    a = np.linspace(0.2, 0.8, 200)
    runs = [in_memory("a", {"rouge2_f": a}), in_memory("b", {"rouge2_f": a - 0.02})]
    (pair,) = compare_runs(runs, settings=StatsSettings(resamples=1000)).pairs
    assert (pair.a, pair.b) == ("a", "b")
    assert pair.diff == pytest.approx(2.0) and pair.low == pytest.approx(2.0, abs=1e-3)
    assert pair.n == 200 and pair.significant


def test_systems_scored_on_different_items_are_tested_on_the_items_both_scored():
    """entity_precision is undefined where a prediction names no entity, so two systems
    cover different items. Each row's mean is over its own items; the pair is tested on
    the shared ones, and agrees with the one-pair reference on exactly those items."""
    rng = np.random.default_rng(8)
    a, b = rng.random(600), rng.random(600) - 0.03
    a_items = {f"i{j}": a[j] for j in range(600) if j % 5 != 0}  # 480 items
    b_items = {f"i{j}": b[j] for j in range(600) if j % 3 != 0}  # 400 items
    # Every item scored, its value None where undefined (as items.jsonl holds it).
    runs = [Run.in_memory(run.path, run.record, [{"id": f"i{j}",
                                                  "entity_precision": items.get(f"i{j}")}
                                                 for j in range(600)])
            for run, items in ((in_memory(label, {"entity_precision": [0.0]}), items)
                               for label, items in (("a", a_items), ("b", b_items)))]
    result = compare_runs(runs, ["entity_precision"], settings=StatsSettings(resamples=10000))
    rows = {row.label: row.metrics["entity_precision"] for row in result.rows}
    assert (rows["a"].n, rows["b"].n) == (480, 400)
    assert rows["a"].mean == pytest.approx(100 * np.mean(list(a_items.values())))
    (pair,) = result.pairs
    shared = sorted(set(a_items) & set(b_items))  # j not divisible by 3 or 5: 320 items
    x, y = [a_items[k] for k in shared], [b_items[k] for k in shared]
    assert pair.n == 320 and (pair.a, pair.b) == ("a", "b")
    assert pair.diff == pytest.approx(100 * (np.mean(x) - np.mean(y)))
    assert pair.p_randomization == pytest.approx(
        approximate_randomization_p(x, y, n_resamples=10000), abs=0.02)
    assert pair.p_bootstrap == pytest.approx(paired_bootstrap_p(x, y, n_resamples=10000),
                                             abs=0.03)
    reference = bootstrap_ci(np.subtract(x, y), n_resamples=10000)
    assert (pair.low, pair.high) == pytest.approx((100 * reference.low, 100 * reference.high),
                                                  abs=0.3)


def test_a_runs_interval_does_not_depend_on_the_chunking(monkeypatch):
    """Run aggregates bound the indexes drawn at once (memory flat in the items); the
    interval is the same whatever the chunk, down to the bit (odd sizes included)."""
    from benchmark.stats import bootstrap as stats

    values = np.random.default_rng(3).random(1001)
    whole = stats.bootstrap_ci(values, seed=5)
    monkeypatch.setattr(stats, "MAX_DRAWS_AT_ONCE", 1001 * 3)
    assert stats.bootstrap_ci(values, seed=5) == whole


def test_intervals_sharing_draws_equal_one_at_a_time():
    """`bootstrap_cis` draws the indexes once per size: the intervals are bit for bit
    those of `bootstrap_ci` key by key (sizes 0, 1, odd and shared)."""
    rng = np.random.default_rng(4)
    columns = {"a": rng.random(301), "b": rng.random(301) * 3, "c": rng.random(57),
               "one": [0.5], "none": []}
    together = bootstrap_cis(columns, seed=11)
    assert list(together) == list(columns)
    for key, values in columns.items():
        alone = bootstrap_ci(values, seed=11)
        assert together[key].n == alone.n
        assert np.array_equal([together[key].mean, together[key].low, together[key].high],
                              [alone.mean, alone.low, alone.high], equal_nan=True), key
