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
from typing import Any, Mapping

from benchmark.data.example import Example
from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.report.run_dataset import load_run_dataset
from benchmark.report.tables import scale
from benchmark.runs.record import RunRecord
from benchmark.runs.results import RunDir

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


def diff_runs(run_a: Path, run_b: Path, *, metric: str | None = None, top: int = 10,
              dataset_path: Path | None = None, labels: tuple[str, str] | None = None,
              examples: Mapping[str, Example] | None = None,
              excerpt_chars: int = EXCERPT_CHARS) -> RunDiff:
    """The ``top`` items of the shared dataset where ``run_a`` and ``run_b`` differ most.

    ``examples`` (by id) saves rereading the dataset when the caller already has it.
    """
    if top < 1:
        raise BenchmarkError(f"top must be at least 1, got {top}")
    dir_a, dir_b = RunDir(Path(run_a)), RunDir(Path(run_b))
    record_a, record_b = dir_a.read_record(), dir_b.read_record()
    _check_same_dataset(dir_a, record_a, dir_b, record_b)
    metric = metric or _default_metric(record_a, record_b)
    for run_dir, record in ((dir_a, record_a), (dir_b, record_b)):
        if metric not in record.aggregates:
            known = ", ".join(sorted(record.aggregates)) or "none"
            raise BenchmarkError(f"{run_dir.path}: metric {metric!r} is not in this run "
                                 f"(its metrics: {known})")
    items_a, items_b = _scored_items(dir_a, metric), _scored_items(dir_b, metric)
    shared = [item_id for item_id in items_a if item_id in items_b]
    ranked = sorted(shared, key=lambda i: (-abs(items_a[i][metric] - items_b[i][metric]), i))
    chosen = ranked[:top]
    if examples is None and chosen:
        examples = {e.id: e for e in load_run_dataset(record_a.dataset, dataset_path).examples}
    label_a, label_b = labels or (record_a.shown_label, record_b.shown_label)
    diffs = [ItemDiff(id=item_id,
                      article_excerpt=excerpt(examples[item_id].article, excerpt_chars),
                      bullets=list(examples[item_id].bullets),
                      a=_side(items_a[item_id], metric, record_a),
                      b=_side(items_b[item_id], metric, record_b))
             for item_id in chosen]
    return RunDiff(metric=metric, label_a=label_a, label_b=label_b, run_a=str(dir_a.path),
                   run_b=str(dir_b.path), dataset=record_a.dataset.identity,
                   shared=len(shared), items=diffs)


def excerpt(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, cut at a space, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit].rstrip() + " …"


def _check_same_dataset(dir_a: RunDir, record_a: RunRecord, dir_b: RunDir,
                        record_b: RunRecord) -> None:
    if record_a.dataset.sha256 != record_b.dataset.sha256:
        raise IncompatibleRunsError(
            f"{dir_a.path} scored {record_a.dataset.identity} but {dir_b.path} scored "
            f"{record_b.dataset.identity}; diff two runs over the same dataset")


def _default_metric(record_a: RunRecord, record_b: RunRecord) -> str:
    shared = [key for key in record_a.aggregates if key in record_b.aggregates]
    return DEFAULT_METRIC if DEFAULT_METRIC in shared or not shared else shared[0]


def _scored_items(run_dir: RunDir, metric: str) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in run_dir.iter_items()
            if not item.get("error") and isinstance(item.get(metric), (int, float))}


def _side(item: Mapping[str, Any], metric: str, record: RunRecord) -> Side:
    scored_entities = "entities" in record.metrics.names
    return Side(prediction=item.get("prediction") or "", score=scale(metric) * item[metric],
                missed=list(item.get("missing_entities") or []) if scored_entities else None,
                invented=list(item.get("unsupported_entities") or []) if scored_entities
                else None)
