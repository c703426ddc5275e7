"""Per-item inspection of two runs (``bench diff``): the items where they differ most.

Both runs must have scored the same dataset (same SHA-256); items are paired by id and
ranked by the absolute difference of one metric's per-item values (ties: by id). Each
item carries what a reader needs to judge it: an excerpt of the article, the reference
bullets, both predictions and scores, and the entities each prediction missed
(``missing_entities``) or invented (``unsupported_entities``) when the run scored
entities. Scores are on the report scale (x100 for scores in [0, 1]).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from benchmark.data.example import Example
from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.report.run_dataset import load_run_dataset
from benchmark.runs.record import RunRecord
from benchmark.runs.run import Run
from benchmark.textshow import preview

DEFAULT_METRIC = "rouge2_f"
EXCERPT_CHARS = 300


@dataclass(frozen=True)
class Side:
    """One run's view of an item."""

    prediction: str
    score: float
    missed: list[str] | None  # None: the run did not score entities
    invented: list[str] | None


@dataclass(frozen=True)
class ItemDiff:
    id: str
    article_excerpt: str
    bullets: list[str]
    a: Side
    b: Side

    @property
    def difference(self) -> float:
        return self.a.score - self.b.score


@dataclass(frozen=True)
class RunDiff:
    metric: str
    label_a: str
    label_b: str
    run_a: str
    run_b: str
    dataset: str
    shared: int  # items both runs scored on the metric
    items: list[ItemDiff]


def diff_runs(run_a: Run, run_b: Run, *, metric: str | None = None, top: int = 10,
              dataset_path: Path | None = None, labels: tuple[str, str] | None = None,
              examples: Mapping[str, Example] | None = None,
              excerpt_chars: int = EXCERPT_CHARS) -> RunDiff:
    """The ``top`` items of the shared dataset where ``run_a`` and ``run_b`` differ most.

    ``examples`` (by id) saves rereading the dataset when the caller already has it.
    """
    if top < 1:
        raise BenchmarkError(f"top must be at least 1, got {top}")
    record_a, record_b = run_a.record, run_b.record
    _check_same_dataset(run_a, run_b)
    metric = metric or _default_metric(record_a, record_b)
    for run in (run_a, run_b):
        if metric not in run.record.aggregates:
            known = ", ".join(sorted(run.record.aggregates)) or "none"
            raise BenchmarkError(f"{run.path}: metric {metric!r} is not in this run "
                                 f"(its metrics: {known})")
    values_a, values_b = run_a.values(metric), run_b.values(metric)
    shared = [item_id for item_id in values_a if item_id in values_b]
    ranked = sorted(shared, key=lambda i: (-abs(values_a[i] - values_b[i]), i))
    chosen = ranked[:top]
    if examples is None and chosen:
        examples = {e.id: e for e in load_run_dataset(run_a, dataset_path).examples}
    label_a, label_b = labels or (record_a.shown_label, record_b.shown_label)
    diffs = [ItemDiff(id=item_id,
                      article_excerpt=preview(examples[item_id].article, excerpt_chars),
                      bullets=list(examples[item_id].bullets),
                      a=_side(run_a, item_id, metric), b=_side(run_b, item_id, metric))
             for item_id in chosen]
    return RunDiff(metric=metric, label_a=label_a, label_b=label_b, run_a=str(run_a.path),
                   run_b=str(run_b.path), dataset=record_a.dataset.identity,
                   shared=len(shared), items=diffs)


def _check_same_dataset(run_a: Run, run_b: Run) -> None:
    dataset_a, dataset_b = run_a.record.dataset, run_b.record.dataset
    if dataset_a.sha256 != dataset_b.sha256:
        raise IncompatibleRunsError(
            f"{run_a.path} scored {dataset_a.identity} but {run_b.path} scored "
            f"{dataset_b.identity}; diff two runs over the same dataset")


def _default_metric(record_a: RunRecord, record_b: RunRecord) -> str:
    shared = [key for key in record_a.aggregates if key in record_b.aggregates]
    return DEFAULT_METRIC if DEFAULT_METRIC in shared or not shared else shared[0]


def _side(run: Run, item_id: str, metric: str) -> Side:
    line = run.line(item_id)
    scored_entities = "entities" in run.record.metrics.names
    return Side(prediction=line.get("prediction") or "",
                score=run.record.scale(metric) * run.values(metric)[item_id],
                missed=list(line.get("missing_entities") or []) if scored_entities else None,
                invented=list(line.get("unsupported_entities") or []) if scored_entities
                else None)
