"""A leaderboard across datasets: labels x datasets for one metric (mean and 95% CI).

Each dataset's runs are selected as `bench compare` selects them (the newest complete
run per label); each cell's interval is recomputed with the comparison's resampling
settings, so cells on different datasets are computed alike. No tests across datasets:
the items differ, so nothing is paired.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from benchmark.errors import BenchmarkError
from benchmark.report.compatible import compatibility_problems
from benchmark.report.result import DEFAULT_KEYS, MetricCell, StatsSettings
from benchmark.report.select import LeftOut, Selected
from benchmark.report.tables import Column, Estimate, Format, Table, render
from benchmark.runs.run import Run
from benchmark.stats.bootstrap import interval, resample
from benchmark.textshow import json_text


@dataclass
class BoardDataset:
    name: str
    identity: str
    size: int
    signatures: dict[str, str]


@dataclass
class BoardRow:
    label: str
    model: str
    upper_bound: bool
    cells: dict[str, MetricCell]  # dataset identity -> cell
    run_dirs: dict[str, str]


@dataclass
class Leaderboard:
    metric: str
    scale: float  # of the metric, from the run records
    settings: StatsSettings
    datasets: list[BoardDataset]
    rows: list[BoardRow]
    notes: list[str] = field(default_factory=list)


def build_leaderboard(groups: Sequence[Selected], metric: str | None, *,
                      settings: StatsSettings = StatsSettings(),
                      left_out: Sequence[LeftOut] = ()) -> Leaderboard:
    """One row per label, one column per dataset of `groups` (see `select_all_datasets`);
    `left_out` runs are named in the notes."""
    metric = metric or _default_metric(groups)
    datasets: list[BoardDataset] = []
    rows: dict[str, BoardRow] = {}
    notes = []
    scale = None
    for selected in groups:
        runs = [run for run in selected.runs if metric in run.record.aggregates]
        if not runs:
            notes.append(f"{selected.dataset.identity}: no run has {metric}")
            continue
        dataset = selected.dataset
        datasets.append(BoardDataset(dataset.name, dataset.identity, dataset.size,
                                     dict(runs[0].record.metrics.signatures)))
        notes += [f"{dataset.identity}: {problem}" for problem in compatibility_problems(runs)]
        scale = runs[0].record.scale(metric) if scale is None else scale
        for run in runs:
            row = rows.setdefault(run.label, BoardRow(run.label, run.record.model.name,
                                                      run.record.model.upper_bound, {}, {}))
            row.cells[dataset.identity] = _cell(run, metric, settings, scale=scale)
            row.run_dirs[dataset.identity] = str(run.path)
    if not datasets:
        raise BenchmarkError(f"no run has metric {metric!r}")
    notes += [f"left out: {x.describe()}" for x in left_out]
    ordered = sorted(rows.values(), key=lambda r: (r.upper_bound, -_mean_of(r)))
    return Leaderboard(metric, scale, settings, datasets, ordered, notes)


def _default_metric(groups: Sequence[Selected]) -> str:
    present = set.intersection(*(set(run.record.aggregates) for g in groups for run in g.runs))
    for key in ("rouge2_f",) + DEFAULT_KEYS:
        if key in present:
            return key
    raise BenchmarkError("the runs share no default metric", hint="choose one with {metric}")


def _cell(run: Run, metric: str, settings: StatsSettings, *, scale: float) -> MetricCell:
    values = list(run.values(metric).values())
    if not values:
        return MetricCell(None, None, None, 0)
    resampled = resample(np.array(values)[:, None], resamples=settings.resamples,
                         seed=settings.seed)
    low, high = interval(resampled, 0)
    return MetricCell(scale * float(resampled.means[0]), scale * low, scale * high,
                      len(values))


def _mean_of(row: BoardRow) -> float:
    """Rows ordered by their mean over the datasets they have (a rough order only)."""
    means = [c.mean for c in row.cells.values() if c.mean is not None]
    return sum(means) / len(means) if means else float("-inf")


def leaderboard_table(board: Leaderboard) -> Table:
    columns = [Column("label")] + [Column(d.identity, align="right") for d in board.datasets]
    rows = []
    for row in board.rows:
        label = row.label + (" (upper bound)" if row.upper_bound else "")
        rows.append([label] + [
            Estimate(c.mean, c.low, c.high) if (c := row.cells.get(d.identity)) else None
            for d in board.datasets])
    unit = "x100" if board.scale != 1.0 else "as is"
    notes = [f"{board.metric} ({unit}): mean [95% percentile-bootstrap interval], "
             f"{board.settings.resamples} resamples, seed {board.settings.seed}; no tests "
             "across datasets (different items)"]
    notes += [f"dataset {d.identity}: {d.size} examples" for d in board.datasets]
    notes += board.notes
    return Table(columns, rows, notes, title=f"bench leaderboard: {board.metric}",
                 constants={"metric": board.metric, "scale": unit,
                            "resamples": board.settings.resamples,
                            "seed": board.settings.seed})


def render_leaderboard(board: Leaderboard, fmt: Format | str) -> str:
    if Format(fmt) is Format.json:
        return json_text(leaderboard_json(board), indent=2)
    return render(leaderboard_table(board), fmt)


def leaderboard_json(board: Leaderboard) -> dict[str, Any]:
    """``bench compare --all-datasets --format json``."""
    return {
        "metric": board.metric, "scale": board.scale,
        "stats": {"resamples": board.settings.resamples, "seed": board.settings.seed,
                  "ci": "percentile-bootstrap", "level": 95},
        "datasets": [vars(d) for d in board.datasets],
        "rows": [{"label": r.label, "model": r.model, "upper_bound": r.upper_bound,
                  "cells": {k: vars(c) for k, c in r.cells.items()},
                  "run_dirs": r.run_dirs} for r in board.rows],
        "notes": list(board.notes),
    }
