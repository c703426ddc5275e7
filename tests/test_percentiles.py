"""The bootstrap's percentiles: numpy's ``np.quantile`` to the bit, without numpy.ma.

`benchmark.stats.bootstrap._percentiles` repeats the steps of ``np.quantile``'s linear
method instead of calling it (its ``np.unique`` imports ``numpy.ma``). Every interval a
run writes comes from it, so it is checked bit for bit (the float's bytes, the sign of
a zero and a NaN's payload included) against ``np.quantile`` on generated data: every
small size, ties, constant columns, signed zeros, infinities, NaNs, and the bootstrap
means of real-looking score columns.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from benchmark.stats.bootstrap import _percentiles, bootstrap_cis, bootstrap_means

# inf - inf and 0 * inf warn in numpy's steps as in these: the same warnings either way
pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

LEVELS = (0.95, 0.9, 0.99, 0.5, 0.0, 1.0, 0.8, 1 / 3)


def bits(value: float) -> bytes:
    return np.float64(value).tobytes()


def assert_same(values: np.ndarray, level: float) -> None:
    tail = (1 - level) / 2
    expected = np.quantile(values, [tail, 1 - tail])
    before = values.copy()
    found = _percentiles(values, level)
    assert [bits(v) for v in found] == [bits(v) for v in expected], (values, level)
    assert before.tobytes() == values.tobytes()  # the input is left as it was


def generated_columns() -> list[np.ndarray]:
    rng = np.random.default_rng(20261205)
    columns = []
    for size in [*range(1, 41), 99, 100, 101, 999, 1000, 1001, 2000]:
        columns.append(rng.random(size))  # distinct values
        columns.append(rng.integers(0, 4, size).astype(float) / 3)  # many ties
        columns.append(np.full(size, 0.25))  # constant
        columns.append(rng.choice([0.0, -0.0, 1.0], size))  # signed zeros among ties
        with_specials = rng.normal(size=size)
        with_specials[rng.integers(0, size, max(1, size // 7))] = rng.choice(
            [np.inf, -np.inf, 0.0, -0.0], max(1, size // 7))
        columns.append(with_specials)
        with_nan = rng.random(size)
        with_nan[rng.integers(0, size)] = np.nan
        columns.append(with_nan)
    return columns


@pytest.mark.parametrize("level", LEVELS)
def test_percentiles_equal_np_quantile_to_the_bit(level):
    for values in generated_columns():
        assert_same(values, level)


def test_percentiles_of_bootstrap_means_equal_np_quantile():
    """The case a run has: 1,000 bootstrap means of score columns of every size."""
    rng = np.random.default_rng(7)
    for size in (2, 3, 5, 38, 200, 3797):
        for column in (rng.random(size), rng.integers(0, 2, size).astype(float),
                       np.round(rng.random(size), 1)):
            means = bootstrap_means(column, np.random.default_rng(12345), 1000)
            for level in (0.95, 0.9):
                assert_same(means, level)


def test_nan_payload_and_all_nan_column_follow_numpy():
    payload = np.array([0x7FF8000000000123], dtype=np.int64).view(np.float64)[0]
    for values in (np.array([1.0, payload, 0.5]), np.full(4, np.nan),
                   np.array([np.nan, -np.inf, np.inf])):
        assert_same(values, 0.95)


def test_out_of_range_level_and_empty_input_fail_as_numpy_does():
    with pytest.raises(ValueError, match="Quantiles must be in the range"):
        _percentiles(np.arange(3.0), 1.5)
    with pytest.raises(ValueError, match="Quantiles must be in the range"):
        np.quantile(np.arange(3.0), [(1 - 1.5) / 2, 1 - (1 - 1.5) / 2])
    with pytest.raises(IndexError):
        _percentiles(np.array([]), 0.95)
    with pytest.raises(IndexError):
        np.quantile(np.array([]), [0.025, 0.975])


def test_intervals_unchanged_golden():
    """Intervals computed through the percentiles, pinned (computed with np.quantile)."""
    rng = np.random.default_rng(3)
    columns = {"a": rng.random(50).tolist(), "b": rng.integers(0, 3, 20).tolist()}
    found = bootstrap_cis(columns, seed=12345)
    for key, values in columns.items():
        means = bootstrap_means(np.asarray(values, dtype=float),
                                np.random.default_rng(12345), 1000)
        low, high = np.quantile(means, [0.025, 0.975])
        assert (bits(found[key].low), bits(found[key].high)) == (bits(low), bits(high))


def test_intervals_do_not_import_numpy_ma():
    code = ("import sys; from benchmark.stats.bootstrap import bootstrap_cis; "
            "bootstrap_cis({'a': [0.1, 0.5, 0.9, 0.3]}); print('numpy.ma' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
