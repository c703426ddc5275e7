"""The resampling behind a comparison: one draw per set of items, shared by every
system and metric scored on that set (see `benchmark.stats.bootstrap.resample`)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from benchmark.report.result import MetricCell, Pair
from benchmark.stats.bootstrap import Resampled, interval, resample
from benchmark.stats.paired import PairTest, difference_test, pair_test


class ResamplingEngine:
    """One resampling per set of items: every metric whose items (over all systems) are
    the same set shares the draws. Within a metric that every system scored on the same
    items, a pair's test is the difference of two columns; where systems scored
    different items (entity precision is undefined where a prediction names no entity),
    each column's means are over its own items (a mask) and each pair gets a column of
    differences on the items both scored. Cells and pairs are on the report scale."""

    def __init__(self, values: list[dict[str, dict[str, float]]], *, labels: list[str],
                 testable: Sequence[int], resamples: int, seed: int,
                 scales: dict[str, float]):
        self.values = values
        self.labels = labels
        self.scales = scales
        self.where: dict[tuple, tuple[int, int]] = {}  # column or pair -> (block, column)
        self.sizes: dict[tuple, int] = {}  # column or pair -> items
        self.blocks: list[Resampled] = []
        self.masked_keys: set[str] = set()
        by_union: dict[tuple[str, ...], list[str]] = {}
        for key in (list(values[0]) if values else []):
            union = tuple(sorted(set().union(*(per_key[key] for per_key in values))))
            if union:
                by_union.setdefault(union, []).append(key)
        for ids, keys in by_union.items():
            self._block(ids, keys, testable, resamples=resamples, seed=seed)

    def _block(self, ids: tuple[str, ...], keys: list[str], testable: Sequence[int], *,
               resamples: int, seed: int) -> None:
        row = {item: r for r, item in enumerate(ids)}
        columns: list[np.ndarray] = []
        masks: list[np.ndarray] = []
        places: list[tuple] = []
        for key in keys:
            key_columns = {}
            for i, per_key in enumerate(self.values):
                column, mask = np.zeros(len(ids)), np.zeros(len(ids))
                for item, value in per_key[key].items():
                    column[row[item]], mask[row[item]] = value, 1.0
                key_columns[i] = (column, mask)
                columns.append(column)
                masks.append(mask)
                places.append((i, key))
            if len({frozenset(per_key[key]) for per_key in self.values}) == 1:
                continue
            self.masked_keys.add(key)
            for n, a in enumerate(testable):
                for b in testable[n + 1:]:
                    both = key_columns[a][1] * key_columns[b][1]
                    if both.any():
                        columns.append((key_columns[a][0] - key_columns[b][0]) * both)
                        masks.append(both)
                        places.append((a, b, key))
        full = all(mask.all() for mask in masks)
        block = len(self.blocks)
        self.blocks.append(resample(np.column_stack(columns), resamples=resamples, seed=seed,
                                    mask=None if full else np.column_stack(masks)))
        for column, (place, mask) in enumerate(zip(places, masks)):
            self.where[place] = (block, column)
            self.sizes[place] = int(mask.sum())

    def cell(self, i: int, key: str) -> MetricCell:
        factor = self.scales[key]
        if (i, key) not in self.where or not self.sizes[(i, key)]:
            return MetricCell(None, None, None, 0)
        block, column = self.where[(i, key)]
        resampled = self.blocks[block]
        mean = factor * float(resampled.means[column])
        if self.sizes[(i, key)] < 2:  # one item: no interval exists
            return MetricCell(mean, None, None, self.sizes[(i, key)])
        low, high = interval(resampled, column)
        return MetricCell(mean, factor * low, factor * high, self.sizes[(i, key)])

    def pair(self, first: int, second: int, key: str) -> tuple[tuple[int, int], Pair]:
        """The paired test of `first` and `second` on `key` (difference first - second),
        on the items both scored; one shared item gives its difference, untested."""
        test, n = self._test(first, second, key)
        factor = self.scales[key]
        names = (self.labels[first], self.labels[second])
        if test is None:
            pair = Pair(key, *names, None, None, None, None, None, None, False, 0)
        elif n < 2:  # nothing to resample: no interval, no test
            pair = Pair(key, *names, factor * test.diff, None, None, None, None, None,
                        False, n)
        else:
            pair = Pair(key, *names, factor * test.diff, factor * test.low,
                        factor * test.high, test.p_bootstrap, test.p_randomization, None,
                        False, n)
        return (first, second), pair

    def standard_error(self, first: int, second: int, key: str) -> float | None:
        """The standard error of the mean paired difference of `first` and `second` on
        `key` (report scale), over the items both scored; None below two items."""
        a, b = self.values[first][key], self.values[second][key]
        shared = [item for item in a if item in b]
        if len(shared) < 2:
            return None
        differences = np.array([a[item] - b[item] for item in shared])
        return self.scales[key] * float(differences.std(ddof=1)) / len(shared) ** 0.5

    def _test(self, first: int, second: int, key: str) -> tuple[PairTest | None, int]:
        if key in self.masked_keys:
            low, high = sorted((first, second))
            if (low, high, key) not in self.where:
                return None, 0  # no item scored by both
            block, column = self.where[(low, high, key)]
            test = difference_test(self.blocks[block], column)
            if first > second:  # the column holds low - high
                test = test.reversed()
            return test, self.sizes[(low, high, key)]
        if (first, key) not in self.where:
            return None, 0  # no system scored any item
        (block, a), (_, b) = self.where[(first, key)], self.where[(second, key)]
        return pair_test(self.blocks[block], a, b), self.sizes[(first, key)]
