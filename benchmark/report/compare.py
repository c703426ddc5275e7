"""Comparing runs (DESIGN §10): check they are comparable, then rank them soundly.

`compare_runs` takes the selected runs (see `select.py`) and returns a `CompareResult`:
one row per label with each metric's mean and 95% bootstrap CI, the paired tests of
every pair of real systems (or of each against a `baseline`), Holm-adjusted across the
family of one metric, and groups of systems that are not significantly different
(compact letter display). Upper bounds (the oracle) get rows but no tests and no group:
they read the reference, so they are references, not contestants. Each metric's scale
and direction come from the run records.
"""

from __future__ import annotations

from typing import Sequence

from benchmark.data.identity import IDENTITY_SCHEME
from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.report.compatible import compatibility_problems
from benchmark.report.engine import ResamplingEngine
from benchmark.report.groups import letter_groups
from benchmark.report.result import (DEFAULT_KEYS, CompareResult, Pair, Row, StatsSettings)
from benchmark.report.select import check_labels_unique
from benchmark.runs.run import Run
from benchmark.stats.holm import holm, minimum_resamples
from benchmark.stats.power import POWER, mde_from_standard_error


def available_keys(runs: Sequence[Run]) -> list[str]:
    present = set.intersection(*(set(run.record.aggregates) for run in runs))
    return [key for key in DEFAULT_KEYS if key in present]


def shared_items(runs: Sequence[Run]) -> tuple[set[str] | None, str | None]:
    """The items every run scored, when the runs scored different ones (a partial run,
    failed items), with a note saying so; ``(None, None)`` when they all scored the
    same items. Means over different items are never ranked: every row, interval and
    test is then computed on the shared items only (DESIGN §10)."""
    ids = [set(run.item_ids()) for run in runs]
    if all(each == ids[0] for each in ids[1:]):
        return None, None
    shared = set.intersection(*ids)
    counts = ", ".join(f"{run.label} {len(each)}" for run, each in zip(runs, ids))
    if not shared:
        raise BenchmarkError(f"the runs share no scored item ({counts} items); compare runs "
                             "that scored some of the same items")
    return shared, (f"items: the runs scored different items ({counts}); every mean, "
                    f"interval and test is on the {len(shared)} items all of them scored "
                    "(n), so means can differ from each run's own")


def _restricted(values: dict[str, float], shared: set[str] | None) -> dict[str, float]:
    return values if shared is None else {k: v for k, v in values.items() if k in shared}


def _old_identity_note(runs: Sequence[Run]) -> str | None:
    if any(run.record.dataset.scheme == IDENTITY_SCHEME for run in runs):
        return None
    return ("dataset identity of an older bench (scheme 1: it covered the file name and "
            "metadata), never ranked with runs of this version; rerun to compare with them "
            "(predictions are cached)")


def mde_note(pairs: Sequence[Pair], key: str, alpha: float) -> str | None:
    """One line on what the tests of `key` can detect (the range of its pairs' MDEs)."""
    tested = [p for p in pairs if p.metric == key and p.p_adjusted is not None]
    mdes = [p.mde for p in tested if p.mde is not None]
    if not mdes:
        return None
    span = f"{min(mdes):.2f}" if len(mdes) == 1 else f"{min(mdes):.2f} to {max(mdes):.2f}"
    level = f"{alpha:g}" if len(tested) == 1 else f"{alpha:g}/{len(tested)}"
    return (f"mde ({key}): {span}; a true difference below a pair's mde is not reliably "
            f"detected ({POWER:.0%} power at alpha {level}), so systems in one group may "
            "still differ by less")


# -- the comparison -----------------------------------------------------------------------

def compare_runs(runs: Sequence[Run], keys: Sequence[str] | None = None, *,
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
    scales = {key: runs[0].record.scale(key) for key in keys}
    contestants = [i for i, run in enumerate(runs) if not run.record.model.upper_bound]
    baseline = _baseline_index(runs, settings.baseline)
    family = _family(contestants, baseline)
    resamples = max(settings.resamples, minimum_resamples(len(family), settings.alpha))
    shared, items_note = shared_items(runs)
    values = [{key: _restricted(run.values(key), shared) for key in keys} for run in runs]
    engine = ResamplingEngine(values, labels=[run.label for run in runs],
                              testable=contestants, resamples=resamples, seed=settings.seed,
                              scales=scales)
    cells = [{key: engine.cell(i, key) for key in keys} for i in range(len(runs))]
    pairs, groups = _tests(runs, keys, engine, cells, contestants=contestants,
                           family=family, baseline=baseline, alpha=settings.alpha)
    rank_by = keys[0]
    rows = _rows(runs, cells, keys, rank_by, groups.get(rank_by, {}))
    result_notes = _notes(runs, keys, rank_by, settings, resamples, len(family),
                          requested=settings.resamples, scales=scales)
    result_notes += [note for note in (items_note, mde_note(pairs, rank_by, settings.alpha),
                                       _old_identity_note(runs)) if note]
    if force and problems:
        result_notes.insert(0, "shown with --force although " + "; ".join(problems))
    dataset = runs[0].record.dataset
    signatures = dict(runs[0].record.metrics.signatures)
    signatures["statistics"] = settings.signature(resamples).format()
    return CompareResult(dataset_name=dataset.name, dataset_identity=dataset.identity,
                         keys=keys, rank_by=rank_by, settings=settings, resamples=resamples,
                         rows=rows, pairs=pairs, notes=result_notes + list(notes),
                         signatures=signatures, scales=scales,
                         runs={run.label: run for run in runs},
                         shared_items=None if shared is None else frozenset(shared))


def _tests(runs: list[Run], keys: list[str], engine: ResamplingEngine, cells, *,
           contestants: list[int], family: list[tuple[int, int]], baseline: int | None,
           alpha: float) -> tuple[list[Pair], dict[str, dict[int, str]]]:
    """The family's pairs of every metric that has a direction, Holm-adjusted, and the
    groups they give (set on `cells` too)."""
    pairs: list[Pair] = []
    groups: dict[str, dict[int, str]] = {}
    for key in keys:
        direction = runs[0].record.direction(key)
        if direction == "neither" or not family:
            continue
        order = _ranked(contestants, cells, key, direction)
        key_pairs = [engine.pair(*_oriented(a, b, order, baseline), key) for a, b in family]
        tested = _holm(key_pairs, alpha)
        for (a, b), pair in key_pairs:  # at Holm's strictest level, alpha / m
            error = engine.standard_error(a, b, key) if pair.p_adjusted is not None else None
            pair.mde = (None if error is None else
                        mde_from_standard_error(error, alpha=alpha / tested))
        pairs += [p for _, p in key_pairs]
        groups[key] = _groups(order, key_pairs, baseline, direction)
        for i, letters in groups[key].items():
            cells[i][key].group = letters
    return pairs, groups


def _checked_keys(runs: Sequence[Run], keys: Sequence[str] | None) -> list[str]:
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


def _baseline_index(runs: Sequence[Run], baseline: str | None) -> int | None:
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


def _holm(key_pairs: list[tuple[tuple[int, int], Pair]], alpha: float) -> int:
    """Holm over the family, on the larger of the two p-values of each pair: a pair is
    marked only when both tests agree (the maximum of two valid p-values is valid).
    Returns how many pairs were tested (the family's size for Holm)."""
    tested = [pair for _, pair in key_pairs if pair.p_bootstrap is not None]
    adjusted = holm([max(p.p_bootstrap, p.p_randomization) for p in tested])
    for pair, p in zip(tested, adjusted):
        pair.p_adjusted = p
        pair.significant = p < alpha
    return len(tested)


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
                run_dir=str(runs[i].path), upper_bound=runs[i].record.model.upper_bound,
                group=rank_groups.get(i, ""), metrics={k: cells[i][k] for k in keys})
            for i in order]


def _notes(runs, keys, rank_by, settings, resamples, family_size, *, requested,
           scales) -> list[str]:
    scaled = [k for k in keys if scales[k] != 1.0]
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


