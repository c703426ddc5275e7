"""The bootstrap's index draws in array steps (`benchmark.stats.draws`) against numpy's
own ``Generator.integers``, and a run's intervals (`bootstrap_cis`, one stream shared
by every column size) against the plain numpy path they replace: the same indexes,
the same generator state afterwards, the same means and intervals to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from benchmark.stats import bootstrap, draws
from benchmark.stats.bootstrap import bootstrap_cis, bootstrap_means, index_draws

# sizes: the smallest, powers of two (no rejection), a run's, and sizes where numpy
# rejects a quarter or a third of the halves (2**32 % n large), up to the last size
# below 2**32 and past it (numpy's own call)
SIZES = (1, 2, 3, 5, 7, 8, 64, 1000, 3797, 2**16 + 1, 2**31 - 1, 2**31, 2**31 + 1,
         2**32 // 3 + 1, 3 * 2**30, 2**32 - 5, 2**32 - 1, 2**32, 2**32 + 1, 2**33)
CHUNKS = ([(1, 1)], [(1, 3), (2, 3), (3, 3)], [(2, 1), (1, 1), (5, 7)], [(37, 101)] * 3)


@pytest.mark.parametrize("n", SIZES)
def test_integers_equal_numpy_with_the_generator_left_the_same(n):
    for seed in range(4):
        for drawn_before in (0, 1, 2):  # 1: the generator keeps a half for the next call
            for chunks in CHUNKS:
                for dtype in (np.int64, np.int32):
                    if dtype is np.int32 and n >= 2**31:
                        continue
                    theirs, ours = np.random.default_rng(seed), np.random.default_rng(seed)
                    theirs.integers(0, 7, size=drawn_before)
                    ours.integers(0, 7, size=drawn_before)
                    for shape in chunks:
                        expected = theirs.integers(0, n, size=shape, dtype=dtype)
                        found = draws.integers(ours, n, shape, dtype)
                        assert found.dtype == expected.dtype and found.shape == shape
                        assert np.array_equal(found, expected), (n, seed, shape)
                        assert ours.bit_generator.state == theirs.bit_generator.state
                    assert ours.random() == theirs.random()


def test_index_draws_are_numpys_whatever_the_rows_at_once():
    for n, rows in ((3797, 131), (3797, 7), (38, 200), (3, 1)):
        plain = np.random.default_rng(12345)
        for start, stop, indexes in index_draws(np.random.default_rng(12345), n=n,
                                                resamples=20, rows=rows):
            assert np.array_equal(indexes, plain.integers(0, n, size=(stop - start, n)))


def test_a_rejected_half_is_left_out_as_numpy_does():
    """n = 2**32 // 3 + 1 rejects about a third of the halves: the kept draws are moved
    down over the rejected ones in place."""
    n = 2**32 // 3 + 1
    halves = np.random.default_rng(5).bit_generator.random_raw(500).view(np.uint32)
    out = np.empty(halves.size, np.int64)
    found = draws.scaled(halves, n, out)
    product = halves.astype(np.uint64) * np.uint64(n)
    kept = (product & np.uint64(0xFFFFFFFF)) >= np.uint64((1 << 32) % n)
    assert 200 < found.size < 800 and not kept.all()
    assert np.array_equal(found, (product[kept] >> np.uint64(32)).astype(np.int64))


def plain_means(group: dict[str, np.ndarray], seed: int, resamples: int,
                rows: int) -> dict[str, np.ndarray]:
    """The plain path: numpy's draws, ``take`` and ``mean``, a chunk of rows at a time."""
    rng = np.random.default_rng(seed)
    size = next(iter(group.values())).size
    means = {key: np.empty(resamples) for key in group}
    for start in range(0, resamples, rows):
        stop = min(start + rows, resamples)
        index = rng.integers(0, size, size=(stop - start, size))
        for key, values in group.items():
            means[key][start:stop] = values.take(index).mean(axis=1)
    return means


def score_columns(seed: int) -> dict[str, np.ndarray]:
    """Columns like a run's: many of one size, ROUGE-like and 0/1 ones, equal columns,
    a constant one, and the sizes of per-type entity columns."""
    rng = np.random.default_rng(seed)
    columns = {}
    for number, size in enumerate((3797, 3797, 3797, 3477, 1475, 947, 200, 42, 38, 3, 2)):
        columns[f"f{number}"] = rng.random(size)
        columns[f"b{number}"] = rng.integers(0, 2, size).astype(float)
    columns["same"] = columns["f0"].copy()  # equal to another column: shares its means
    columns["constant"] = np.full(3797, 0.1)
    columns["signed"] = np.where(columns["b0"] > 0, 0.0, -0.0)  # not equal to b0
    return columns


@pytest.mark.parametrize("window", (bootstrap.MAX_DRAWS_AT_ONCE, 1000, 333))
def test_shared_stream_means_equal_the_plain_path_to_the_bit(window, monkeypatch):
    """Small windows: rows that straddle windows, and many windows per size."""
    monkeypatch.setattr(bootstrap, "MAX_DRAWS_AT_ONCE", window)
    for seed in (12345, 7):
        columns = score_columns(seed)
        by_size: dict[int, dict[str, np.ndarray]] = {}
        for key, values in columns.items():
            by_size.setdefault(values.size, {})[key] = values
        resamples = 1000 if window == bootstrap.MAX_DRAWS_AT_ONCE else 60
        found = bootstrap._seeded_means(by_size, seed, resamples)
        for group in by_size.values():
            expected = plain_means(group, seed, resamples, rows=17)
            for key in group:
                assert found[key].tobytes() == expected[key].tobytes(), key


def test_run_intervals_equal_numpy_quantiles_of_the_plain_means():
    columns = score_columns(3)
    columns["one"] = np.array([0.5])
    found = bootstrap_cis(columns, seed=12345)
    for key, values in columns.items():
        if values.size == 1:
            assert (found[key].low, found[key].high, found[key].n) == (0.5, 0.5, 1)
            continue
        means = plain_means({key: values}, 12345, 1000, rows=200)[key]
        low, high = np.quantile(means, [0.025, 0.975])
        assert np.float64(found[key].low).tobytes() == np.float64(low).tobytes()
        assert np.float64(found[key].high).tobytes() == np.float64(high).tobytes()
        assert found[key].mean == float(values.mean()) and found[key].n == values.size


def test_bootstrap_means_with_a_given_generator_leave_it_as_numpy_would():
    """`bootstrap_means` (a pairwise win rate) draws through `draws.integers`."""
    values = np.random.default_rng(1).random(501)
    ours, theirs = np.random.default_rng(9), np.random.default_rng(9)
    found = bootstrap_means(values, ours, 1000)
    expected = plain_means({"": values}, 9, 1000, rows=200)[""]  # its chunks: 200 rows
    assert found.tobytes() == expected.tobytes()
    for _ in range(0, 1000, 200):
        theirs.integers(0, 501, size=(200, 501))
    assert ours.bit_generator.state == theirs.bit_generator.state
