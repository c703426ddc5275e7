"""Comparing runs (DESIGN §10): load, check they are comparable, build the table.

Runs are ranked together only when they scored the same dataset (same SHA-256) with
the same metric signatures; otherwise `check_compatible` says what differs. The table
holds each model's means with bootstrap 95% CIs, marks the best per metric and tests
every other model against the best (or a chosen baseline) on the items both scored:
paired bootstrap and approximate randomization, Holm-corrected across models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from benchmark.runs.aggregate import finite
from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.runs.results import RunDir, check_item_count, list_runs
from benchmark.report.stats import approximate_randomization_p, holm, paired_bootstrap_p

DEFAULT_KEYS = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f", "entity_recall",
                "entity_precision", "entity_f1")
ALPHA = 0.05


@dataclass
class LoadedRun:
    run_dir: RunDir
    record: dict[str, Any]
    _items: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def model(self) -> str:
        return self.record["model"]["name"]

    @property
    def label(self) -> str:
        return self.record["model"].get("label") or ""

    def values(self, key: str) -> dict[str, float]:
        """Per-item values of `key`, by example id, from items.jsonl (read once)."""
        if self._items is None:
            self._items = [{k: v for k, v in line.items() if k not in ("prediction", "raw")}
                           for line in self.run_dir.iter_items() if not line.get("error")]
            check_item_count(self.run_dir, self.record, scored=len(self._items))
        return {line["id"]: line[key] for line in self._items if line.get(key) is not None}


@dataclass
class Cell:
    mean: float | None
    low: float | None
    high: float | None
    n: int
    best: bool = False
    p_bootstrap: float | None = None  # Holm-adjusted, against the reference model
    p_randomization: float | None = None
    significant: bool | None = None  # differs from the reference model at ALPHA


@dataclass
class Table:
    keys: list[str]
    models: list[str]
    labels: list[str]
    run_ids: list[str]
    cells: list[dict[str, Cell]]
    reference: dict[str, str] = field(default_factory=dict)  # key -> model tested against
    dataset: str = ""
    signature: str = ""


@dataclass
class FoundRuns:
    runs: list[LoadedRun]  # the newest complete run per model on the chosen dataset
    left_out: list[str] = field(default_factory=list)  # "model on identity" of the others
    unreadable: list[str] = field(default_factory=list)  # why a run folder was skipped


def find_runs(results: Path, dataset: str | None = None) -> FoundRuns:
    """The newest complete run per model under `results`, for one dataset: the one named
    by `dataset` (name, identity or sha prefix), else that of the newest run."""
    runs = []
    unreadable = []
    for run_dir in list_runs(results):
        try:
            record = run_dir.read()
        except BenchmarkError as exc:
            unreadable.append(str(exc))
            continue
        if record.get("status") == "complete":
            runs.append(LoadedRun(run_dir, record))
    if not runs:
        raise BenchmarkError(f"no complete runs under {results}; run 'bench run --model "
                             "lead-3' first, or pass run folders")
    runs.sort(key=lambda run: (run.record.get("finished", ""), run.run_dir.path.name))
    if dataset is None:
        wanted = runs[-1].record["dataset"]["sha256"]
    else:
        matches = [r for r in runs if _dataset_matches(r.record["dataset"], dataset)]
        if not matches:
            raise BenchmarkError(f"no complete run under {results} used dataset {dataset!r}")
        wanted = matches[-1].record["dataset"]["sha256"]
    newest: dict[str, LoadedRun] = {}
    others: dict[tuple[str, str], None] = {}
    for run in runs:
        if run.record["dataset"]["sha256"] == wanted:
            newest[run.model] = run
        else:
            others[(run.model, run.record["dataset"]["identity"])] = None
    left_out = [f"{model} on {identity}" for model, identity in others]
    return FoundRuns(list(newest.values()), left_out, unreadable)


def _dataset_matches(dataset: dict[str, Any], wanted: str) -> bool:
    return wanted in (dataset["name"], dataset["identity"]) or dataset["sha256"].startswith(
        wanted.removeprefix("sha256:"))


def load_runs(paths: Sequence[Path]) -> list[LoadedRun]:
    runs = []
    for path in paths:
        run_dir = RunDir(Path(path))
        record = run_dir.read()
        if record.get("status") != "complete":
            raise BenchmarkError(f"{path}: the run is not finished; rerun its 'bench run' "
                                 "command to complete it")
        runs.append(LoadedRun(run_dir, record))
    return runs


def check_compatible(runs: Sequence[LoadedRun]) -> None:
    """Raise `IncompatibleRunsError` naming what differs between the runs."""
    first = runs[0]
    problems = []
    for run in runs[1:]:
        a, b = first.record, run.record
        if a["dataset"]["sha256"] != b["dataset"]["sha256"]:
            problems.append(f"dataset of {run.run_dir.path.name} is {b['dataset']['identity']}"
                            f", of {first.run_dir.path.name} {a['dataset']['identity']}")
        elif a["dataset"].get("item_ids_sha256") != b["dataset"].get("item_ids_sha256"):
            problems.append(f"{run.run_dir.path.name} covers {b['dataset']['items']} items of "
                            f"{b['dataset']['identity']}, {first.run_dir.path.name} "
                            f"{a['dataset']['items']}, not the same ones (partial predictions)")
        for metric in set(a["metrics"]["signatures"]) & set(b["metrics"]["signatures"]):
            sa, sb = a["metrics"]["signatures"][metric], b["metrics"]["signatures"][metric]
            if sa != sb:
                problems.append(f"{metric} signature of {run.run_dir.path.name} is {sb!r}, "
                                f"of {first.run_dir.path.name} {sa!r}")
    if problems:
        raise IncompatibleRunsError("runs are not comparable: " + "; ".join(problems)
                                    + " (use --force to show them together anyway)")


def available_keys(runs: Sequence[LoadedRun]) -> list[str]:
    present = set.intersection(*(set(run.record["aggregates"]) for run in runs))
    return [key for key in DEFAULT_KEYS if key in present]


def build_table(runs: Sequence[LoadedRun], keys: Sequence[str] | None = None, *,
                baseline: str | None = None, seed: int = 12345) -> Table:
    keys = list(keys or available_keys(runs))
    for key in keys:
        missing = [run.model for run in runs if key not in run.record["aggregates"]]
        if missing:
            raise BenchmarkError(f"metric {key!r} is not in the runs of {', '.join(missing)}")
    models = [run.model for run in runs]
    if baseline is not None and baseline not in models:
        raise BenchmarkError(f"--baseline {baseline!r} is not among the runs: "
                             f"{', '.join(models)}")
    cells: list[dict[str, Cell]] = [{} for _ in runs]
    reference: dict[str, str] = {}
    for key in keys:
        for row, run in zip(cells, runs):
            agg = run.record["aggregates"][key]
            row[key] = Cell(agg["mean"], agg["ci95"][0], agg["ci95"][1], agg["n"])
        direction = runs[0].record["aggregates"][key].get("direction", "higher")
        if direction == "neither":
            continue
        means = [row[key].mean for row in cells]
        best = _best_index(means, higher=direction == "higher")
        if best is None:
            continue
        cells[best][key].best = True
        ref = models.index(baseline) if baseline is not None else best
        reference[key] = models[ref]
        _test_against(runs, cells, key, ref, seed)
    return Table(keys=keys, models=models, labels=[run.label for run in runs],
                 run_ids=[run.run_dir.path.name for run in runs], cells=cells,
                 reference=reference, dataset=runs[0].record["dataset"]["identity"],
                 signature=runs[0].record["metrics"]["signature"])


def _best_index(means: list[float | None], *, higher: bool) -> int | None:
    candidates = [(m if higher else -m, -i) for i, m in enumerate(means) if m is not None]
    if not candidates:
        return None
    return -max(candidates)[1]  # the first of equal best means


def _test_against(runs, cells, key: str, ref: int, seed: int) -> None:
    """Paired tests of every run against run `ref` on their shared items, Holm-adjusted."""
    if len(runs) < 2:
        return
    reference_values = runs[ref].values(key)
    others = [i for i in range(len(runs)) if i != ref]
    raw_boot, raw_ar = [], []
    for i in others:
        values = runs[i].values(key)
        shared = sorted(set(values) & set(reference_values))
        a = [values[item] for item in shared]
        b = [reference_values[item] for item in shared]
        raw_boot.append(paired_bootstrap_p(a, b, seed=seed))
        raw_ar.append(approximate_randomization_p(a, b, seed=seed))
    for i, p_boot, p_ar in zip(others, holm(raw_boot), holm(raw_ar)):
        cell = cells[i][key]
        cell.p_bootstrap, cell.p_randomization = finite(p_boot), finite(p_ar)
        # No shared items: no test (None), rather than a NaN that JSON cannot hold.
        if cell.p_bootstrap is not None and cell.p_randomization is not None:
            cell.significant = cell.p_bootstrap < ALPHA and cell.p_randomization < ALPHA
