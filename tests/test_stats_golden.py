"""The statistics moved to `benchmark.stats` with every number unchanged, to the bit.

Golden values were computed by the code before the move (``report/stats.py`` for a
run's intervals, ``report/resampling.py`` for compare) on the same inputs; floats are
compared through ``float.hex``. The pairwise win rate's interval used its own loop; it
is kept here as the oracle of the one bootstrap that replaced it.
"""

import numpy as np
import pytest

from benchmark.stats.bootstrap import (bootstrap_ci, bootstrap_cis, bootstrap_means,
                                       index_draws, interval, resample)
from benchmark.stats.paired import pair_test

VALUES = np.random.default_rng(20240601).random(257)
OTHER = np.clip(VALUES - 0.03 + np.random.default_rng(7).normal(0, 0.05, 257), 0, 1)


def test_a_runs_interval_is_the_one_computed_before():
    ci = bootstrap_ci(VALUES, seed=3)
    assert [ci.mean.hex(), ci.low.hex(), ci.high.hex()] == [
        "0x1.04fd1302b0078p-1", "0x1.e6665336b1dbcp-2", "0x1.17205155d3358p-1"]
    cis = bootstrap_cis({"a": VALUES, "b": OTHER}, seed=0)
    assert {k: [v.low.hex(), v.high.hex()] for k, v in cis.items()} == {
        "a": ["0x1.e623e93471456p-2", "0x1.16822cb39835ap-1"],
        "b": ["0x1.c1868c564cc3fp-2", "0x1.0498e30f600cep-1"]}


def test_compares_intervals_and_tests_are_the_ones_computed_before():
    """Pinned since the resampled means became the float64 mean plus float32 deviations
    (before: float32 values, whose bounds could fall beside the mean of a constant
    column). The observed difference and the p-values are those of before, bit for bit;
    the bounds moved by less than 3e-7 (x100: 3e-5, far below a printed digit), towards
    the float64 computation (next test)."""
    resampled = resample(np.column_stack([VALUES, OTHER]), resamples=2000, seed=12345)
    low, high = interval(resampled, 0)
    test = pair_test(resampled, 0, 1)
    assert [low.hex(), high.hex(), float(test.diff).hex(), test.low.hex(),
            test.high.hex()] == ["0x1.e3f3c2a5600f2p-2", "0x1.17413e2449a12p-1",
                                 "0x1.255ade26bf298p-5", "0x1.f176a8b3e4b97p-6",
                                 "0x1.51830971f25cbp-5"]
    before = ["0x1.e3f3c3f333333p-2", "0x1.17413cccccccdp-1", "0x1.255ade26bf298p-5",
              "0x1.f175dcccccccep-6", "0x1.5182eb3333333p-5"]
    now = [low, high, float(test.diff), test.low, test.high]
    assert max(abs(a - float.fromhex(b)) for a, b in zip(now, before)) < 3e-7
    assert test.p_bootstrap == test.p_randomization == 1 / 2001


def exact_bootstrap_means(matrix: np.ndarray, *, resamples: int, seed: int) -> np.ndarray:
    """The same index draws as `resample`, averaged in float64 (the oracle)."""
    boot_rng, _ = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    n = matrix.shape[0]
    means = np.empty((resamples, matrix.shape[1]))
    for start, stop, drawn in index_draws(boot_rng, n=n, resamples=resamples,
                                          rows=max(1, 2_000_000 // n), dtype=np.int32):
        means[start:stop] = matrix[drawn].mean(axis=1)
    return means


def test_compares_resampled_means_are_the_float64_ones_to_float32_precision_of_deviations():
    matrix = np.column_stack([VALUES, OTHER])
    resampled = resample(matrix, resamples=2000, seed=12345)
    exact = exact_bootstrap_means(matrix, resamples=2000, seed=12345)
    assert np.max(np.abs(resampled.boot - exact)) < 1e-7


def test_a_constant_column_or_one_item_resamples_to_exactly_its_mean():
    """The report's crash ('xerr' must not contain negative values): bounds computed
    in float32 fell above the float64 mean of a one-item run (1/3 is not a float32)."""
    for matrix in (np.array([[1 / 3, 0.7]]), np.full((50, 2), 0.123456789)):
        resampled = resample(matrix, resamples=500, seed=1)
        for column in range(2):
            low, high = interval(resampled, column)
            assert low == high == resampled.means[column]
            assert resampled.means[column] == pytest.approx(matrix[0, column], rel=1e-15)


def old_win_rate_means(values: np.ndarray, *, seed: int, resamples: int) -> np.ndarray:
    """The loop report/pairwise.py had: chunks of 1,000 resamples of indexes."""
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    for start in range(0, resamples, 1000):
        stop = min(resamples, start + 1000)
        picks = rng.integers(0, len(values), size=(stop - start, len(values)))
        means[start:stop] = values[picks].mean(axis=1)
    return means


def test_the_win_rate_bootstrap_is_the_loop_it_replaced():
    outcomes = np.array([1.0, 0.5, 0.0, 1.0, 1.0, 0.5, 0.0, 1.0, 1.0, 0.0] * 7)
    ours = bootstrap_means(outcomes, np.random.default_rng(4), 10_000)
    assert np.array_equal(ours, old_win_rate_means(outcomes, seed=4, resamples=10_000))
