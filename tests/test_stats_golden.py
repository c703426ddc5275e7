"""The statistics moved to `benchmark.stats` with every number unchanged, to the bit.

Golden values were computed by the code before the move (``report/stats.py`` for a
run's intervals, ``report/resampling.py`` for compare) on the same inputs; floats are
compared through ``float.hex``. The pairwise win rate's interval used its own loop; it
is kept here as the oracle of the one bootstrap that replaced it.
"""

import numpy as np

from benchmark.stats.bootstrap import (bootstrap_ci, bootstrap_cis, bootstrap_means, interval,
                                       resample)
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
    resampled = resample(np.column_stack([VALUES, OTHER]), resamples=2000, seed=12345)
    low, high = interval(resampled, 0)
    test = pair_test(resampled, 0, 1)
    assert [low.hex(), high.hex(), float(test.diff).hex(), test.low.hex(),
            test.high.hex()] == ["0x1.e3f3c3f333333p-2", "0x1.17413cccccccdp-1",
                                 "0x1.255ade26bf298p-5", "0x1.f175dcccccccep-6",
                                 "0x1.5182eb3333333p-5"]
    assert test.p_bootstrap == test.p_randomization == 1 / 2001


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
