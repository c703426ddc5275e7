"""A new run: its folder and its first record (DESIGN §9).

The record names the whole dataset even when the run covers part of it (``--limit``,
or ``bench score`` of the items that have predictions), so runs on one dataset stay
comparable, and says which items it covers.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from benchmark.data import format_identity
from benchmark.data.identity import IDENTITY_SCHEME
from benchmark.runs.record import (DEFAULT_SCALE, SCHEMA_VERSION, DatasetInfo, Environment,
                                   MetricsInfo, ModelInfo, RunRecord, Timing)
from benchmark.runs.run import make_run_id
from benchmark.scorer import Scorer
from benchmark.stats.bootstrap import N_RESAMPLES
from benchmark.stats.signature import statistics_signature
from benchmark.summarizers.base import Summarizer


def create_run_folder(output_dir: Path, *, model: str, created: str, key: str) -> Path:
    """A new folder ``<created>-<model>-<key>`` (with a suffix when another
    configuration started in the same second)."""
    run_id = make_run_id(model, created, key)
    for suffix in range(1, 1000):
        path = output_dir / (run_id if suffix == 1 else f"{run_id}-{suffix}")
        try:
            path.mkdir()
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{output_dir}: 999 runs named {run_id}")


def new_record(*, run_dir: Path, created: str, key: str, label: str, seed: int,
               limit: int | None, summarizer: Summarizer, scorer: Scorer, data,
               full_data) -> RunRecord:
    """The record of a run just started (status ``running``) in folder `run_dir`: what
    it runs, on what, how it scores, where."""
    return RunRecord(
        schema_version=SCHEMA_VERSION, run_id=run_dir.name, status="running",
        created=created, resume_key=key, label=label, seed=seed,
        model=ModelInfo.model_validate(summarizer.describe()),
        dataset=dataset_info(data, full_data, limit=limit, run_dir=run_dir),
        metrics=metrics_info(scorer, seed=seed),
        environment=Environment.current(),
        timing=Timing(wall_seconds=0.0, summarize_seconds=0.0, score_seconds=0.0))


def dataset_info(data, full_data, *, limit: int | None, run_dir: Path) -> DatasetInfo:
    """The whole dataset (its identity, size, where it was read from: from the run
    folder and absolute, DESIGN §9) and which of its items the run covers (``data``:
    a digest of their ids here, the ids themselves in items.jsonl)."""
    full_sha = full_data.sha
    info = DatasetInfo(
        name=full_data.name, path=full_data.path, size=full_data.size, sha256=full_sha,
        identity=format_identity(full_data.name, full_sha),
        skipped_invalid=len(full_data.skipped), limit=limit, items=data.size,
        missing_predictions=0 if limit else full_data.size - data.size,
        # Which examples this run covers: compare pairs runs on the items they share.
        item_ids_sha256=hashlib.sha256("\n".join(sorted(data.ids)).encode()).hexdigest(),
        identity_scheme=IDENTITY_SCHEME)
    if full_data.file is not None:
        info.relative_path = os.path.relpath(full_data.file, run_dir.resolve())
        info.absolute_path = full_data.file
    if full_data.aliases:
        info.aliases = list(full_data.aliases)
    return info


def metrics_info(scorer: Scorer, *, seed: int) -> MetricsInfo:
    keys = scorer.keys()
    return MetricsInfo(
        names=[m.name for m in scorer.metrics], profile=scorer.profile.signature().format(),
        signatures=scorer.signatures, signature=scorer.signature,
        statistics=statistics_signature(resamples=N_RESAMPLES, seed=seed).format(),
        directions={k: scorer.direction(k) for k in keys},
        scales={k: scorer.scale(k) for k in keys if scorer.scale(k) != DEFAULT_SCALE})
