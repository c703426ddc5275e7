"""The one place where human studies and meta-evaluation touch runs and `bench compare`.

Everything `bench human new` and `bench meta` need from a run (its label, per-item
metric values, predictions, the examples it scored) and from compare's statistics (the
human scores ranked like metrics) goes through this adapter, so that a change in how
runs are read or how compare is called is a change here only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from benchmark.data.example import Example
from benchmark.errors import BenchmarkError
from benchmark.report.run_dataset import load_run_dataset
from benchmark import jsonl
from benchmark.report.select import check_labels_unique
from benchmark.runs.run import Run

NOT_METRICS = ("latency",)  # numeric per-item fields that are not scores
PER_TYPE = re.compile(r"_[A-Z]+$")  # entity_recall_PERS ...: named with --metric only


@dataclass
class MetaRun:
    """A finished run as meta-evaluation sees it."""

    loaded: Run

    @property
    def label(self) -> str:
        return self.loaded.label

    @property
    def path(self) -> Path:
        return self.loaded.path

    @property
    def upper_bound(self) -> bool:
        return self.loaded.record.model.upper_bound

    @property
    def dataset_identity(self) -> str:
        return self.loaded.record.dataset.identity

    def metric_keys(self, *, per_type: bool = False) -> list[str]:
        """The metrics the run aggregated, in its order (the per-entity-type ones only
        with `per_type`)."""
        return [key for key in self.loaded.record.aggregates
                if not any(key.startswith(skip) for skip in NOT_METRICS)
                and (per_type or not PER_TYPE.search(key))]

    def direction(self, key: str) -> str:
        return self.loaded.record.direction(key)

    def values(self, key: str) -> dict[str, float]:
        """Per-item values of `key`, by example id (items that failed left out)."""
        return self.loaded.values(key)

    def predictions(self) -> dict[str, str]:
        """The prediction of every item that did not fail, by example id."""
        return {line["id"]: line.get("prediction") or ""
                for line in self.loaded.iter_items() if not line.get("error")}

    def examples(self, dataset_path: Path | None = None) -> dict[str, Example]:
        """The reference examples the run scored, by id (the dataset is reread and its
        hash checked)."""
        loaded = load_run_dataset(self.loaded, dataset_path)
        return {example.id: example for example in loaded.examples}


def load_runs(paths: Sequence[Path]) -> list[MetaRun]:
    """Finished runs from their folders, on one dataset, with distinct labels."""
    runs = []
    for path in paths:
        run = Run.open(path)
        if not run.record.complete:
            raise BenchmarkError(f"{path}: the run is not finished; rerun its 'bench run' "
                                 "command to complete it")
        runs.append(run)
    if not runs:
        raise BenchmarkError("no run given; pass the run folders the ratings are about")
    check_labels_unique(runs)
    first = runs[0].record.dataset
    for run in runs[1:]:
        if run.record.dataset.sha256 != first.sha256:
            raise BenchmarkError(f"{run.path} is on {run.record.dataset.identity}, "
                                 f"{runs[0].path} on {first.identity}; "
                                 "give runs of one dataset")
    return [MetaRun(run) for run in runs]


def read_json_lines(path: Path, *, hint: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of every line of a JSON Lines file."""
    try:
        for line in jsonl.iter_lines(Path(path), hint=hint):
            yield line.number, line.record
    except FileNotFoundError:
        raise BenchmarkError(f"{path}: no such file") from None


# -- the human scores ranked by compare's statistics -----------------------------------

@dataclass
class HumanRanking:
    contract: dict[str, Any]  # the §10 JSON shape, with human criteria as metrics
    text_table: Any  # benchmark.report.tables.Table


def rank_human(runs: Sequence[MetaRun], scores: Mapping[str, Mapping[str, dict[str, float]]],
               *, resamples: int, seed: int) -> HumanRanking:
    """`bench compare` on the human scores: `scores[label][key][item]` (keys as named
    by the caller, e.g. ``likert_fluency``), every key higher-is-better."""
    from benchmark.report.compare import compare_runs
    from benchmark.report.compare_view import ranking_table
    from benchmark.report.contract import compare_json
    from benchmark.report.result import StatsSettings

    keys = list(dict.fromkeys(key for per_key in scores.values() for key in per_key))
    pseudo = [_human_run(run, keys, scores.get(run.label, {})) for run in runs]
    settings = StatsSettings(resamples=resamples, seed=seed)
    result = compare_runs(pseudo, keys, settings=settings, force=True)
    if result.notes and result.notes[0].startswith("values: "):
        result.notes[0] = ("values: Likert scores as given (1-5), shares of units and of "
                           "comparisons won x100; 95% percentile-bootstrap intervals")
    table = ranking_table(result)
    table.title = "human scores ranked (bench compare's statistics)"
    return HumanRanking(compare_json(result), table)


def _human_run(run: MetaRun, keys: list[str], per_key: Mapping[str, dict[str, float]]
               ) -> Run:
    """A run whose 'metrics' are the human scores of its label."""
    data = run.loaded.record.model_dump()
    data["metrics"] = {"names": ["human"], "signatures": {}, "statistics": "",
                       "directions": {key: "higher" for key in keys},
                       # Likert means as given; shares (units, wins) x100
                       "scales": {key: 1.0 if key.startswith("likert_") else 100.0
                                  for key in keys}}
    data["aggregates"] = {key: {"direction": "higher"} for key in keys}
    record = type(run.loaded.record).model_validate(data)
    ids = sorted({item for values in per_key.values() for item in values})
    items = [{"id": item, **{key: per_key[key][item] for key in keys
                             if item in per_key.get(key, {})}} for item in ids]
    return Run.in_memory(run.loaded.path, record, items)
