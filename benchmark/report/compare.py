"""Comparing runs (DESIGN §10): check they are comparable, then rank them soundly.

`compare_runs` takes the selected runs (see `select.py`) and returns a `CompareResult`:
one row per label with each metric's mean and 95% bootstrap CI, the paired tests of
every pair of real systems (or of each against a `baseline`), Holm-adjusted across the
family of one metric, and groups of systems that are not significantly different
(compact letter display). Upper bounds (the oracle) get rows but no tests and no group:
they read the reference, so they are references, not contestants. Means, bounds and
differences are on the report scale (x100 for scores in [0, 1]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.report.groups import letter_groups
from benchmark.report.resampling import (PairTest, Resampled, difference_test, interval,
                                         pair_test, resample)
from benchmark.report.select import LoadedRun, check_labels_unique
from benchmark.report.stats import holm
from benchmark.report.tables import scale
from benchmark.signature import Signature

DEFAULT_KEYS = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f", "entity_recall",
                "entity_precision", "entity_f1")
ALPHA = 0.05
DEFAULT_RESAMPLES = 10_000
DEFAULT_SEED = 12345
TESTS = ("paired-bootstrap", "approximate-randomization")
@dataclass(frozen=True)
class StatsSettings:
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    alpha: float = ALPHA
    baseline: str | None = None  # a label: baseline-versus-rest instead of all pairs

    def signature(self, resamples: int) -> Signature:
        return Signature.of(stats="compare.v1", ci="percentile-bootstrap", level=95,
                            tests="+".join(TESTS), correction="holm", alpha=self.alpha,
                            n=resamples, seed=self.seed)


@dataclass
class MetricCell:
    mean: float | None
    low: float | None
    high: float | None
    n: int
    group: str = ""


@dataclass
class Row:
    label: str
    model: str
    run_dir: str
    upper_bound: bool
    group: str
    metrics: dict[str, MetricCell]


@dataclass
class Pair:
    metric: str
    a: str
    b: str
    diff: float | None  # mean of a minus mean of b, report scale
    low: float | None
    high: float | None
    p_bootstrap: float | None
    p_randomization: float | None
    p_adjusted: float | None  # Holm over the family of this metric
    significant: bool
    n: int = 0  # shared items


@dataclass
class CompareResult:
    dataset_name: str
    dataset_identity: str
    keys: list[str]
    rank_by: str
    settings: StatsSettings
    resamples: int
    rows: list[Row]
    pairs: list[Pair]
    notes: list[str] = field(default_factory=list)
    signatures: dict[str, str] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return (f"baseline:{self.settings.baseline}" if self.settings.baseline
                else "all-pairs")

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON contract of DESIGN §10 (other tools read it)."""
        return {
            "dataset": {"name": self.dataset_name, "identity": self.dataset_identity},
            "stats": {"resamples": self.resamples, "seed": self.settings.seed,
                      "tests": list(TESTS), "correction": "holm",
                      "alpha": self.settings.alpha, "family": self.family,
                      "rank_by": self.rank_by, "scale": {k: scale(k) for k in self.keys}},
            "rows": [{"label": r.label, "model": r.model, "run_dir": r.run_dir,
                      "upper_bound": r.upper_bound, "group": r.group,
                      "metrics": {k: vars(c) for k, c in r.metrics.items()}}
                     for r in self.rows],
            "pairs": [vars(p) for p in self.pairs],
            "notes": list(self.notes),
            "signatures": dict(self.signatures),
        }


# -- compatibility ------------------------------------------------------------------------

def compatibility_problems(runs: Sequence[LoadedRun]) -> list[str]:
    """What differs between the runs that would make ranking them misleading: the
    dataset, the items covered, a metric signature or the statistics signature (each
    named field by field)."""
    first = runs[0]
    a = first.record
    problems = []
    for run in runs[1:]:
        b = run.record
        if a.dataset.sha256 != b.dataset.sha256:
            problems.append(f"dataset of {run.label} is {b.dataset.identity}, of "
                            f"{first.label} {a.dataset.identity}")
        elif a.dataset.item_ids_sha256 != b.dataset.item_ids_sha256:
            problems.append(f"{run.label} covers {b.dataset.covered} items of "
                            f"{b.dataset.identity}, {first.label} {a.dataset.covered}, not the "
                            "same ones (partial predictions)")
        for metric in sorted(set(a.metrics.signatures) & set(b.metrics.signatures)):
            problems += _signature_problems(f"{metric} signature", first, run,
                                            a.metrics.signatures[metric],
                                            b.metrics.signatures[metric])
        if a.metrics.statistics and b.metrics.statistics:
            # The seed also drives sampling baselines (random-3): runs differing only
            # in it are comparable, since compare recomputes every interval itself.
            problems += _signature_problems("statistics signature", first, run,
                                            a.metrics.statistics, b.metrics.statistics,
                                            ignore=("seed",))
    return problems


def _signature_problems(what: str, first: LoadedRun, run: LoadedRun, left: str, right: str,
                        *, ignore: tuple[str, ...] = ()) -> list[str]:
    differences = Signature.parse(left).difference(Signature.parse(right), ignore=ignore)
    if not differences:
        return []
    fields = "; ".join(d.describe() for d in differences)
    return [f"{what} of {run.label} differs from {first.label}'s ({fields})"]


def available_keys(runs: Sequence[LoadedRun]) -> list[str]:
    present = set.intersection(*(set(run.record.aggregates) for run in runs))
    return [key for key in DEFAULT_KEYS if key in present]


# -- the comparison -----------------------------------------------------------------------

def compare_runs(runs: Sequence[LoadedRun], keys: Sequence[str] | None = None, *,
                 settings: StatsSettings = StatsSettings(), force: bool = False,
                 notes: Sequence[str] = ()) -> CompareResult:
    """Rows, pairwise tests and groups for `runs` (see the module docstring).

    Raises `IncompatibleRunsError` when the runs were computed differently, unless
    `force` (then the differences become notes)."""
    if not runs:
        raise BenchmarkError("no runs to compare")
    runs = list(runs)
    check_labels_unique(runs)
    problems = compatibility_problems(runs)
    if problems and not force:
        raise IncompatibleRunsError("runs are not comparable: " + "; ".join(problems))
    keys = _checked_keys(runs, keys)
    contestants = [i for i, run in enumerate(runs) if not run.record.model.upper_bound]
    baseline = _baseline_index(runs, settings.baseline)
    family = _family(contestants, baseline)
    resamples = max(settings.resamples, minimum_resamples(len(family), settings.alpha))
    values = [{key: run.values(key) for key in keys} for run in runs]
    engine = _Engine(values, labels=[run.label for run in runs], testable=contestants,
                     resamples=resamples, seed=settings.seed)

    cells = [{key: engine.cell(i, key) for key in keys} for i in range(len(runs))]
    pairs: list[Pair] = []
    groups: dict[str, dict[int, str]] = {}
    for key in keys:
        direction = runs[0].record.direction(key)
        if direction == "neither" or not family:
            continue
        order = _ranked(contestants, cells, key, direction)
        key_pairs = [engine.pair(*_oriented(a, b, order, baseline), key) for a, b in family]
        _holm(key_pairs, settings.alpha)
        pairs += [p for _, p in key_pairs]
        groups[key] = _groups(order, key_pairs, baseline, direction)
        for i, letters in groups[key].items():
            cells[i][key].group = letters
    rank_by = keys[0]
    rows = _rows(runs, cells, keys, rank_by, groups.get(rank_by, {}))
    result_notes = _notes(runs, keys, rank_by, settings, resamples, len(family),
                          requested=settings.resamples)
    if force and problems:
        result_notes.insert(0, "shown with --force although " + "; ".join(problems))
    dataset = runs[0].record.dataset
    signatures = dict(runs[0].record.metrics.signatures)
    signatures["statistics"] = settings.signature(resamples).format()
    return CompareResult(dataset_name=dataset.name, dataset_identity=dataset.identity,
                         keys=keys, rank_by=rank_by, settings=settings, resamples=resamples,
                         rows=rows, pairs=pairs, notes=result_notes + list(notes),
                         signatures=signatures)


def minimum_resamples(family_size: int, alpha: float) -> int:
    """Resamples needed so that Holm over `family_size` tests can still reject at
    `alpha` when a p-value sits at its floor 1/(R+1): R + 1 >= 2 m / alpha."""
    return math.ceil(2 * family_size / alpha) if family_size else 0


def _checked_keys(runs: Sequence[LoadedRun], keys: Sequence[str] | None) -> list[str]:
    if not keys:
        keys = available_keys(runs)
        if not keys:
            raise BenchmarkError("the runs share none of the default metrics",
                                 hint="choose one with {metric}")
    for key in keys:
        missing = [run.label for run in runs if key not in run.record.aggregates]
        if missing:
            raise BenchmarkError(f"metric {key!r} is not in the runs of {', '.join(missing)}")
    return list(dict.fromkeys(keys))


def _baseline_index(runs: Sequence[LoadedRun], baseline: str | None) -> int | None:
    if baseline is None:
        return None
    labels = [run.label for run in runs]
    if baseline not in labels:
        raise BenchmarkError(f"baseline {baseline!r} is not among the runs: {', '.join(labels)}")
    index = labels.index(baseline)
    if runs[index].record.model.upper_bound:
        raise BenchmarkError(f"baseline {baseline!r} is an upper bound (it reads the "
                             "reference); choose a real system")
    return index


def _family(contestants: list[int], baseline: int | None) -> list[tuple[int, int]]:
    if baseline is not None:
        return [(i, baseline) for i in contestants if i != baseline]
    return [(a, b) for n, a in enumerate(contestants) for b in contestants[n + 1:]]


def _oriented(a: int, b: int, order: list[int], baseline: int | None) -> tuple[int, int]:
    """Which of a pair comes first (its difference is first minus second): the system
    against the baseline, else the better-ranked one."""
    if baseline is not None:
        return (b, a) if a == baseline else (a, b)
    return (a, b) if order.index(a) <= order.index(b) else (b, a)


def _ranked(indices: list[int], cells, key: str, direction: str) -> list[int]:
    """Best first; missing means last; ties keep the input order."""
    sign = -1 if direction == "higher" else 1

    def rank(i: int) -> tuple[bool, float]:
        mean = cells[i][key].mean
        return (mean is None, 0.0 if mean is None else sign * mean)

    return sorted(indices, key=rank)


def _holm(key_pairs: list[tuple[tuple[int, int], Pair]], alpha: float) -> None:
    """Holm over the family, on the larger of the two p-values of each pair: a pair is
    marked only when both tests agree (the maximum of two valid p-values is valid)."""
    tested = [pair for _, pair in key_pairs if pair.p_bootstrap is not None]
    adjusted = holm([max(p.p_bootstrap, p.p_randomization) for p in tested])
    for pair, p in zip(tested, adjusted):
        pair.p_adjusted = p
        pair.significant = p < alpha


def _groups(order: list[int], key_pairs, baseline: int | None,
            direction: str) -> dict[int, str]:
    """Letters (all pairs), or better / worse / n.s. against the baseline."""
    if baseline is None:
        different = [(a, b) for (a, b), pair in key_pairs if pair.significant]
        return letter_groups(order, different)
    sign = 1 if direction == "higher" else -1
    labels = {baseline: "baseline"}
    for (i, _), pair in key_pairs:  # (system, baseline)
        if not pair.significant:
            labels[i] = "n.s."
        else:
            labels[i] = "better" if sign * (pair.diff or 0) > 0 else "worse"
    return labels


def _rows(runs, cells, keys, rank_by, rank_groups) -> list[Row]:
    direction = runs[0].record.direction(rank_by)
    real = [i for i, run in enumerate(runs) if not run.record.model.upper_bound]
    bounds = [i for i, run in enumerate(runs) if run.record.model.upper_bound]
    order = (_ranked(real, cells, rank_by, direction)
             + _ranked(bounds, cells, rank_by, direction))
    return [Row(label=runs[i].label, model=runs[i].record.model.name,
                run_dir=str(runs[i].run_dir.path), upper_bound=runs[i].record.model.upper_bound,
                group=rank_groups.get(i, ""), metrics={k: cells[i][k] for k in keys})
            for i in order]


def _notes(runs, keys, rank_by, settings, resamples, family_size, *, requested) -> list[str]:
    scaled = [k for k in keys if scale(k) != 1.0]
    notes = [f"values: {', '.join(scaled)} x100" + (" (the rest as they are)"
                                                      if len(scaled) < len(keys) else "")
             + "; 95% percentile-bootstrap intervals"]
    if family_size:
        if settings.baseline:
            family = f"each system against {settings.baseline}"
            meaning = ("groups: better / worse / n.s. (not significantly different) "
                       f"than {settings.baseline}")
        else:
            family = "all pairs of systems"
            meaning = ("groups: systems that share a letter are not significantly "
                       "different; a is the best-ranked group")
        notes.append(f"{meaning}; ranked by {rank_by}; tests: {family} per metric "
                     f"({family_size} per metric), paired bootstrap and approximate "
                     "randomization on shared items (both must agree), Holm-adjusted, "
                     f"alpha {settings.alpha}, {resamples} resamples, seed {settings.seed}")
        if resamples > requested:
            notes.append(f"resamples raised from {requested} to {resamples} so that "
                         f"{family_size} Holm-adjusted tests can reach alpha")
    bounds = [run.label for run in runs if run.record.model.upper_bound]
    if bounds:
        notes.append(f"upper bound (reads the reference; shown for reference, never ranked "
                     f"or tested): {', '.join(bounds)}")
    return notes


class _Engine:
    """One resampling per set of items: every metric whose items (over all systems) are
    the same set shares the draws. Within a metric that every system scored on the same
    items, a pair's test is the difference of two columns; where systems scored
    different items (entity precision is undefined where a prediction names no entity),
    each column's means are over its own items (a mask) and each pair gets a column of
    differences on the items both scored."""

    def __init__(self, values: list[dict[str, dict[str, float]]], *, labels: list[str],
                 testable: Sequence[int], resamples: int, seed: int):
        self.values = values
        self.labels = labels
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
                columns.append(column), masks.append(mask), places.append((i, key))
            if len({frozenset(per_key[key]) for per_key in self.values}) == 1:
                continue
            self.masked_keys.add(key)
            for n, a in enumerate(testable):
                for b in testable[n + 1:]:
                    both = key_columns[a][1] * key_columns[b][1]
                    if both.any():
                        columns.append((key_columns[a][0] - key_columns[b][0]) * both)
                        masks.append(both), places.append((a, b, key))
        full = all(mask.all() for mask in masks)
        block = len(self.blocks)
        self.blocks.append(resample(np.column_stack(columns), resamples=resamples, seed=seed,
                                    mask=None if full else np.column_stack(masks)))
        for column, (place, mask) in enumerate(zip(places, masks)):
            self.where[place] = (block, column)
            self.sizes[place] = int(mask.sum())

    def cell(self, i: int, key: str) -> MetricCell:
        factor = scale(key)
        if (i, key) not in self.where or not self.sizes[(i, key)]:
            return MetricCell(None, None, None, 0)
        block, column = self.where[(i, key)]
        resampled = self.blocks[block]
        low, high = interval(resampled, column)
        return MetricCell(factor * float(resampled.means[column]), factor * low,
                          factor * high, self.sizes[(i, key)])

    def pair(self, first: int, second: int, key: str) -> tuple[tuple[int, int], Pair]:
        """The paired test of `first` and `second` on `key` (difference first - second),
        on the items both scored."""
        test, n = self._test(first, second, key)
        factor = scale(key)
        names = (self.labels[first], self.labels[second])
        if test is None:
            pair = Pair(key, *names, None, None, None, None, None, None, False, 0)
        else:
            pair = Pair(key, *names, factor * test.diff, factor * test.low,
                        factor * test.high, test.p_bootstrap, test.p_randomization, None,
                        False, n)
        return (first, second), pair

    def _test(self, first: int, second: int, key: str) -> tuple[PairTest | None, int]:
        if key in self.masked_keys:
            low, high = sorted((first, second))
            if (low, high, key) not in self.where:
                return None, 0  # no item scored by both
            block, column = self.where[(low, high, key)]
            test = difference_test(self.blocks[block], column)
            if first > second:  # the column holds low - high
                test = PairTest(-test.diff, -test.high, -test.low, test.p_bootstrap,
                                test.p_randomization)
            return test, self.sizes[(low, high, key)]
        if (first, key) not in self.where:
            return None, 0  # no system scored any item
        (block, a), (_, b) = self.where[(first, key)], self.where[(second, key)]
        return pair_test(self.blocks[block], a, b), self.sizes[(first, key)]
