"""bench meta's statistics, written with numpy, against hand-computed values, scipy.stats
(correlations) and the krippendorff package (alpha), on real metric values and on
generated tables with ties and missing values."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
import scipy.stats
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.report.meta_alpha import alpha_with_interval, krippendorff_alpha
from benchmark.report.meta_corr import (average_ranks, correlate_levels, kendall,
                                        paired_difference_p, pearson, spearman,
                                        summary_level, system_level)

NAN = np.nan

# x, y, kendall tau-b, spearman, pearson, why
GOLDEN = [
    ([1, 2, 3], [1, 2, 3], 1.0, 1.0, 1.0, "same order"),
    ([1, 2, 3], [3, 2, 1], -1.0, -1.0, -1.0, "reversed"),
    ([1, 2, 3], [1, 3, 2], 1 / 3, 0.5, 0.5, "2 concordant pairs, 1 discordant; d^2 = 2"),
    ([1, 1, 2], [1, 2, 3], 2 / np.sqrt(6), np.sqrt(3) / 2, np.sqrt(3) / 2,
     "a tie in x: 2 untied pairs of 3, tau-b = 2 / sqrt(2 * 3)"),
    ([1, 2, 3, 4], [1, 2, 4, 3], 2 / 3, 0.8, 0.8, "one swap among 6 pairs; d^2 = 2"),
    ([2, 2, 2], [1, 2, 3], NAN, NAN, NAN, "x constant: undefined"),
]


@pytest.mark.parametrize("x, y, tau, rho, r, why", GOLDEN, ids=[row[-1] for row in GOLDEN])
def test_correlations_golden(x, y, tau, rho, r, why):
    x, y = np.array([x], float), np.array([y], float)
    for function, expected in ((kendall, tau), (spearman, rho), (pearson, r)):
        got = function(x, y)[0, 0]
        assert np.isnan(got) if np.isnan(expected) else got == pytest.approx(expected), why


def test_average_ranks_share_ties():
    assert average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist() == [3.5, 1.0, 3.5, 2.0]


def _scipy(name, x, y):
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return NAN
    function = {"kendall": scipy.stats.kendalltau, "spearman": scipy.stats.spearmanr,
                "pearson": scipy.stats.pearsonr}[name]
    return function(x, y).statistic


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9).flatmap(lambda m: st.tuples(
    st.lists(st.lists(st.integers(0, 4), min_size=m, max_size=m), min_size=1, max_size=4),
    st.lists(st.floats(-5, 5, allow_nan=False, width=32), min_size=m, max_size=m))))
def test_correlations_equal_scipys_with_ties(data):
    rows, y = data
    x = np.array(rows, float)  # (A, m): few values, many ties
    y = np.array([y], float)
    got = {"kendall": kendall(x, y), "spearman": spearman(x, y), "pearson": pearson(x, y)}
    for name, values in got.items():
        for a in range(len(x)):
            expected = _scipy(name, x[a], y[0])
            assert values[a, 0] == pytest.approx(expected, abs=1e-9, nan_ok=True), name


def test_correlations_equal_scipys_on_real_runs(shared_dir, bbc_head, tmp_path):
    """Per-item ROUGE, chrF and length of three real systems on 40 BBC articles: every
    item's correlation across systems, and the system-level one, equal scipy's."""
    from report_runs import make_run

    corpus = bbc_head(40)
    runs = [make_run(tmp_path / "results", corpus, model, "--metrics", "rouge,chrf,length")
            for model in ("lead-1", "lead-3", "textrank")]
    keys = ["rouge1_f", "rouge2_f", "chrf", "len_tokens"]
    items = [[json.loads(line) for line in (run / "items.jsonl").open()] for run in runs]
    x = np.array([[[items[s][i][k] for s in range(3)] for i in range(40)] for k in keys])
    y = x[:2] * np.array([1.0, -2.0])[:, None, None] + np.sqrt(x[3:4])  # two "criteria"
    observed = correlate_levels(x, y, resamples=10, seed=1)
    for level in ("summary", "system"):
        for name in ("kendall", "spearman", "pearson"):
            for a in range(len(keys)):
                for c in range(2):
                    if level == "system":
                        expected = _scipy(name, x[a].mean(axis=0), y[c].mean(axis=0))
                    else:
                        per_item = [_scipy(name, x[a, i], y[c, i]) for i in range(40)]
                        expected = np.nanmean(per_item)
                    got = observed[level].observed[name][a, c]
                    assert got == pytest.approx(expected, abs=1e-12), (level, name, a, c)


def test_summary_level_skips_constant_and_missing_items_and_counts_them():
    x = np.array([[[1, 2, 3], [5, 5, 5], [1, 2, NAN], [3, 1, 2]]], float)
    y = np.array([[[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]]], float)
    level = summary_level(x, y, np.arange(4)[None], np.arange(3)[None])
    # item 0: tau 1; item 1: x constant, skipped; item 2: a score missing, skipped;
    # item 3: x = 3,1,2 against 1,2,3: pairs (0,1) d, (0,2) d, (1,2) c -> -1/3
    assert level.values["kendall"][0, 0, 0] == pytest.approx((1 - 1 / 3) / 2)
    assert level.n[0, 0, 0] == 2


def test_system_level_means_leave_missing_scores_out():
    x = np.array([[[0.0, 1.0], [NAN, 3.0], [1.0, 2.0]]])  # system 0 lacks item 1
    y = np.array([[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]])
    level = system_level(x, y, np.arange(3)[None], np.arange(2)[None])
    # means: system 0 = 0.5 (items 0, 2), system 1 = 2.0; human 1 and 2: tau 1
    assert level.values["pearson"][0, 0, 0] == pytest.approx(1.0)
    assert level.values["kendall"][0, 0, 0] == 1.0
    assert level.n[0, 0, 0] == 2


def test_resampled_intervals_are_seeded_and_cover_the_observed_value():
    rng = np.random.default_rng(0)
    quality = rng.random((60, 8))
    x = np.stack([quality + rng.normal(0, 0.1, quality.shape),
                  rng.random(quality.shape)])  # a good metric, a useless one
    y = (quality + rng.normal(0, 0.1, quality.shape))[None]
    first = correlate_levels(x, y, resamples=300, seed=7)
    again = correlate_levels(x, y, resamples=300, seed=7)
    for level in ("summary", "system"):
        np.testing.assert_array_equal(first[level].boot["kendall"], again[level].boot["kendall"])
        low, high = first[level].interval("kendall")
        observed = first[level].observed["kendall"]
        assert (low <= observed + 1e-12).all() and (observed <= high + 1e-12).all()
    summary = first["summary"]
    assert summary.observed["kendall"][0, 0] > 0.5 > abs(summary.observed["kendall"][1, 0])
    diff, p = paired_difference_p(summary.observed["kendall"], summary.boot["kendall"], 0, 1, 0)
    assert diff > 0.5 and p < 0.01  # the good metric correlates better, clearly
    same, p_same = paired_difference_p(summary.observed["kendall"], summary.boot["kendall"],
                                       0, 0, 0)
    assert same == 0 and p_same == 1.0


# -- Krippendorff's alpha ----------------------------------------------------------------

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
# observers, twelve units, missing values; alpha as printed there.
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]).T  # units x observers


@pytest.mark.parametrize("level, expected", [("nominal", 0.743), ("ordinal", 0.815),
                                             ("interval", 0.849)])
def test_alpha_reproduces_krippendorffs_worked_example(level, expected):
    assert krippendorff_alpha(KRIPPENDORFF_2011, level=level) == pytest.approx(expected,
                                                                               abs=5e-4)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["nominal", "ordinal", "interval"]), st.integers(0, 10_000))
def test_alpha_equals_the_krippendorff_package(level, seed):
    rng = np.random.default_rng(seed)
    units, coders = rng.integers(3, 30), rng.integers(2, 5)
    table = rng.integers(1, 6, size=(units, coders)).astype(float)
    if level == "interval":
        table = table / 5 + np.round(rng.random(table.shape), 2)
    table[rng.random(table.shape) < 0.25] = NAN
    pairable = (~np.isnan(table)).sum(axis=1) >= 2
    values = np.unique(table[~np.isnan(table)][None])
    if pairable.sum() < 1 or len(values) < 2:
        return  # the package refuses such tables (one value): nothing to compare
    ours = krippendorff_alpha(table, level=level)
    expected = krippendorff.alpha(reliability_data=table.T, level_of_measurement=level)
    assert ours == pytest.approx(expected, abs=1e-9, nan_ok=True)


def test_alpha_interval_resamples_whole_items():
    rng = np.random.default_rng(3)
    truth = rng.integers(1, 6, size=40)
    # two systems per item (units), three annotators that mostly agree
    table = np.repeat(truth, 2)[:, None] + rng.integers(-1, 2, size=(80, 3)) * (
        rng.random((80, 3)) < 0.3)
    items = np.repeat(np.arange(40), 2)
    result = alpha_with_interval(table.astype(float), level="ordinal", clusters=items,
                                 resamples=500, seed=1)
    assert result.alpha == pytest.approx(krippendorff.alpha(
        reliability_data=table.T.astype(float), level_of_measurement="ordinal"))
    assert result.low < result.alpha < result.high
    assert result.units == 80 and result.values == 240
    again = alpha_with_interval(table.astype(float), level="ordinal", clusters=items,
                                resamples=500, seed=1)
    assert (again.low, again.high) == (result.low, result.high)


def test_alpha_is_undefined_without_variation_or_pairs():
    assert np.isnan(krippendorff_alpha(np.array([[3.0, 3.0], [3.0, 3.0]]), level="ordinal"))
    assert np.isnan(krippendorff_alpha(np.array([[1.0, NAN], [NAN, 2.0]]), level="nominal"))
