"""The typed run record (DESIGN §9): what ``run.json`` holds, and the only code that
writes or reads it.

The harness fills the fields of a `RunRecord`; `compare`, `report` and the CLI read
them as attributes, never as string paths into dicts. A field is written when it was
read from the file or set since (``exclude_unset``), so a record read and written back
keeps exactly its keys; fields added later by other parts of the project are kept
(``extra="allow"``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchmark import __version__
from benchmark.errors import BenchmarkError
from benchmark.jsonl import json_problem
from benchmark.runs.library_versions import installed_version
from benchmark.textshow import json_text

SCHEMA_VERSION = 1
Direction = Literal["higher", "lower", "neither"]
Number = Union[int, float]  # kept as written: an int stays an int
TokenUsage = dict[str, Number]  # token counts by name, summed over items
UPPER_BOUND_MARK = "upper bound"
DEFAULT_SCALE = 100.0  # a score in [0, 1], reported x100
KEY_LIBRARIES = ("datasets", "transformers", "torch", "openai", "rouge-score", "numpy")
# Records written before metrics declared their scales: the keys shown raw then.
_LEGACY_RAW_KEYS = ("len_tokens", "len_sentences", "len_compression", "len_ref_ratio",
                    "ext_density", "ext_compression", "judge_")


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


def _absent(value: Any) -> bool:
    return value is None


class ModelInfo(_Part):
    name: str
    backend: str = ""
    preset: Optional[str] = None
    options: dict[str, Any] = Field(default_factory=dict)
    label: str = ""  # the summarizer's own description, e.g. "upper bound: uses the reference"
    signature: str = ""

    @property
    def upper_bound(self) -> bool:
        """Oracle-like systems that read the reference: references, not contestants."""
        return UPPER_BOUND_MARK in self.label.lower()


class DatasetInfo(_Part):
    name: str
    path: Optional[str] = None  # as given: a path from where the run started, or a name
    size: int = 0
    sha256: str
    identity: str
    skipped_invalid: int = 0
    limit: Optional[int] = None
    items: Optional[int] = None  # examples this run covers (None in old records: size)
    missing_predictions: int = 0
    item_ids_sha256: Optional[str] = None
    # The file or folder read: from the run folder (works wherever both move together)
    # and absolute (works from any folder while the data stays); None for hub data.
    relative_path: Optional[str] = Field(default=None, exclude_if=_absent)
    absolute_path: Optional[str] = Field(default=None, exclude_if=_absent)
    aliases: Optional[list[str]] = Field(default=None, exclude_if=_absent)  # other names
    # How sha256 was computed (benchmark.data.identity); None in older records: scheme 1.
    identity_scheme: Optional[int] = Field(default=None, exclude_if=_absent)

    @property
    def covered(self) -> int:
        return self.size if self.items is None else self.items

    @property
    def scheme(self) -> int:
        """The identity scheme of `sha256`: 1 (name and metadata included) in records
        written before content-only identities."""
        return self.identity_scheme or 1

    @property
    def names(self) -> set[str]:
        """Every name this dataset goes by in the record (its name and aliases)."""
        return {self.name, *(self.aliases or ())}

    def data_locations(self, run_dir: Path) -> list[str]:
        """Where to read the data again, in order: from the run folder, absolute, as
        given (relative to the current folder, or a name)."""
        places = []
        if self.relative_path is not None:
            places.append(str(run_dir / self.relative_path))
        if self.absolute_path is not None:
            places.append(self.absolute_path)
        if self.path is not None:
            places.append(self.path)
        return list(dict.fromkeys(places))

    @property
    def partial_reason(self) -> str | None:
        """Why this run covers only part of the dataset, or None when it covers all."""
        if self.limit is not None:
            return f"partial: --limit {self.limit} ({self.covered} items)"
        if self.missing_predictions:
            return (f"partial: {self.covered} of {self.size} items have predictions")
        return None


class MetricsInfo(_Part):
    names: list[str] = Field(default_factory=list)
    profile: str = ""
    signatures: dict[str, str] = Field(default_factory=dict)
    signature: str = ""
    statistics: str = ""
    directions: dict[str, Direction] = Field(default_factory=dict)
    # Keys whose report scale is not DEFAULT_SCALE; None in records older than scales.
    scales: Optional[dict[str, Number]] = None


class Environment(_Part):
    bench: str = ""
    python: str = ""
    platform: str = ""
    libraries: dict[str, Optional[str]] = Field(default_factory=dict)
    git_commit: Optional[str] = None

    @classmethod
    def current(cls) -> "Environment":
        """Package, Python and platform versions, and the git commit of the working copy."""
        versions = {name: installed_version(name) for name in KEY_LIBRARIES}
        return cls(bench=__version__, python=sys.version.split()[0],
                   platform=platform.platform(), libraries=versions, git_commit=_git_commit())


class Latency(_Part):
    """Seconds per item: mean, nearest-rank percentiles and the maximum."""

    mean: Number
    p50: Number
    p90: Number
    p99: Number
    max: Number


class WorkerPlan(_Part):
    """How many processes the last invocation planned to score with, and why
    (`benchmark.runs.workers`): the processes asked for, the CPUs this process may use,
    how many of them were idle when it started and how that was measured."""

    requested: int
    processes: int  # this process and processes - 1 workers
    usable_cpus: Optional[int] = None
    idle_cpus: Optional[Number] = None
    measured: Optional[str] = None  # e.g. "/proc/stat over 0.1 s"; None: not needed
    reason: str = ""


class Timing(_Part):
    wall_seconds: Number = 0.0
    summarize_seconds: Number = 0.0
    score_seconds: Number = 0.0
    scoring_processes: Optional[int] = None  # the processes that scored items
    worker_plan: Optional[WorkerPlan] = None  # the last invocation's
    executor: Optional[str] = None  # the last invocation's
    latency_s: Optional[Latency] = None
    items_this_invocation: Optional[int] = None
    items_per_second: Optional[Number] = None


class Aborted(_Part):
    error: str
    hint: Optional[str] = None


class MetricUsage(_Part):
    """Calls and token usage of a metric behind a model (the judge), summed over the
    invocations of a run; other figures a metric reports are kept as extra fields."""

    prompt_tokens: Optional[Number] = None
    completion_tokens: Optional[Number] = None
    requests: Optional[Number] = None
    cached: Optional[Number] = None
    cost_estimate: Optional[Number] = None

    def add(self, figures: Mapping[str, Any]) -> None:
        """Numbers are summed; any other figure keeps its first value."""
        for key, value in figures.items():
            total = getattr(self, key, None) if key in self.model_fields_set else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                setattr(self, key, (total or 0) + value)
            elif key not in self.model_fields_set:
                setattr(self, key, value)


class ItemCounts(_Part):
    total: int = 0
    scored: int = 0
    cached: int = 0
    truncated: int = 0


class Failure(_Part):
    id: str
    error: str


class ErrorCount(_Part):
    error: str
    count: int


class MetricFailures(_Part):
    """Items on which one metric gave no values (the judge's server never answered),
    and the first such error."""

    count: int
    first: str


class Failures(_Part):
    count: int = 0
    max_allowed: int = 0
    first: list[Failure] = Field(default_factory=list)
    # The distinct errors with how many items each failed (None in older records).
    errors: Optional[list[ErrorCount]] = Field(default=None, exclude_if=_absent)
    # Per metric, the scored items it failed on (absent when none failed).
    metrics: Optional[dict[str, MetricFailures]] = Field(default=None, exclude_if=_absent)

    def metrics_without_values(self, scored: int) -> list[str]:
        """The metrics that failed on every one of the `scored` items."""
        return [name for name, failed in (self.metrics or {}).items()
                if scored and failed.count >= scored]


class Aggregate(_Part):
    mean: Optional[float] = None
    ci95: list[Optional[float]] = Field(default_factory=lambda: [None, None])
    n: int = 0
    direction: Direction = "higher"


class RunRecord(_Part):
    """``run.json``; the fields in the order the file has them."""

    schema_version: int
    run_id: str
    status: str
    created: str = ""
    resume_key: Optional[str] = None
    label: Optional[str] = None  # what tables show; None in records older than labels
    seed: int = 0
    model: ModelInfo
    dataset: DatasetInfo
    metrics: MetricsInfo = Field(default_factory=MetricsInfo)
    environment: Environment = Field(default_factory=Environment)
    timing: Timing = Field(default_factory=Timing)
    aborted: Optional[Aborted] = Field(default=None, exclude_if=_absent)
    failed: Optional[Aborted] = Field(default=None, exclude_if=_absent)  # why, when failed
    metric_usage: dict[str, MetricUsage] = Field(default_factory=dict)
    aggregates: dict[str, Aggregate] = Field(default_factory=dict)
    corpus: dict[str, Any] = Field(default_factory=dict)  # metric-defined corpus values
    items: ItemCounts = Field(default_factory=ItemCounts)
    failures: Failures = Field(default_factory=Failures)
    usage: TokenUsage = Field(default_factory=dict)
    finished: str = ""

    # -- reading ------------------------------------------------------------------------
    @property
    def shown_label(self) -> str:
        return self.label or self.model.name

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def scored(self) -> int | None:
        """Items scored, as counted when the run last finished (None before that)."""
        return self.items.scored if "items" in self.model_fields_set else None

    def direction(self, key: str) -> Direction:
        if key in self.metrics.directions:
            return self.metrics.directions[key]
        aggregate = self.aggregates.get(key)
        return aggregate.direction if aggregate else "higher"

    def scale(self, key: str) -> float:
        """The factor from a stored value of `key` to the report scale, as the metric
        declared it (records older than declared scales: the keys known raw then)."""
        scales = self.metrics.scales
        if scales is None:
            return 1.0 if any(key.startswith(raw) for raw in _LEGACY_RAW_KEYS) else DEFAULT_SCALE
        return float(scales.get(key, DEFAULT_SCALE))

    # -- filling ------------------------------------------------------------------------
    def add_metric_usage(self, usage: Mapping[str, Mapping[str, Any]]) -> None:
        """Add an invocation's usage of model-backed metrics to the running totals."""
        totals = dict(self.metric_usage)
        for name, figures in usage.items():
            totals.setdefault(name, MetricUsage()).add(figures)
        self.metric_usage = totals  # assigned, so that the file has it

    def resume(self) -> None:
        """Mark a stopped run as running again (its abort or failure is forgotten)."""
        self.status = "running"
        self.aborted = None
        self.failed = None

    # -- the file -----------------------------------------------------------------------
    def to_json(self) -> str:
        data = self.model_dump(mode="json", exclude_unset=True)
        return json_text(data, indent=2) + "\n"  # no raw control or bidi character

    def write(self, path: Path) -> None:
        """Write `path` atomically (a temporary file fsynced, then renamed), so a crash
        or a full disk never leaves half a record."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".json.tmp")
        data = self.to_json().encode("utf-8")
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    @classmethod
    def read(cls, path: Path) -> "RunRecord":
        """The record in `path`; `BenchmarkError` naming the file when it is missing,
        not JSON, of another schema version or not a run record."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BenchmarkError(f"{path.parent}: no {path.name}; is this a run folder?") \
                from None
        except json.JSONDecodeError as exc:
            raise BenchmarkError(f"{path}: not valid JSON: {json_problem(exc)}") from None
        version = data.get("schema_version") if isinstance(data, dict) else None
        if version != SCHEMA_VERSION:
            raise BenchmarkError(f"{path}: schema version {version!r}, expected {SCHEMA_VERSION}")
        return cls.from_dict(data, source=str(path))

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "run.json") -> "RunRecord":
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise BenchmarkError(f"{source}: field {where!r}: {first['msg']}; the file was "
                                 "edited or written by another tool") from None


def default_label(name: str, options: dict[str, Any]) -> str:
    """The label a run gets without ``--name``: the model name plus the options given
    explicitly, e.g. ``lead-3[sentences=2]``."""
    if not options:
        return name
    shown = ",".join(f"{key}={options[key]}" for key in sorted(options))
    return f"{name}[{shown}]"


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5, cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
