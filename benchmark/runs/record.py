"""The typed run record (DESIGN §9): what ``run.json`` holds, as a pydantic model.

The harness writes the record; `compare`, `report` and the CLI read it through
`RunRecord` instead of string paths into dicts. Fields added later by other parts of
the project are kept (``extra="allow"``), so reading never loses anything.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from benchmark.errors import BenchmarkError

Direction = Literal["higher", "lower", "neither"]
UPPER_BOUND_MARK = "upper bound"


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


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
    path: Optional[str] = None
    size: int = 0
    sha256: str
    identity: str
    skipped_invalid: int = 0
    limit: Optional[int] = None
    items: Optional[int] = None  # examples this run covers (None in old records: size)
    missing_predictions: int = 0
    item_ids_sha256: Optional[str] = None

    @property
    def covered(self) -> int:
        return self.size if self.items is None else self.items

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


class Aggregate(_Part):
    mean: Optional[float] = None
    ci95: list[Optional[float]] = Field(default_factory=lambda: [None, None])
    n: int = 0
    direction: Direction = "higher"


class RunRecord(_Part):
    schema_version: int
    run_id: str
    status: str
    created: str = ""
    finished: str = ""
    label: Optional[str] = None  # what tables show; None in records older than labels
    seed: int = 0
    model: ModelInfo
    dataset: DatasetInfo
    metrics: MetricsInfo = Field(default_factory=MetricsInfo)
    aggregates: dict[str, Aggregate] = Field(default_factory=dict)
    items: dict[str, Any] = Field(default_factory=dict)
    failures: dict[str, Any] = Field(default_factory=dict)
    timing: dict[str, Any] = Field(default_factory=dict)

    @property
    def shown_label(self) -> str:
        return self.label or self.model.name

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    def direction(self, key: str) -> Direction:
        if key in self.metrics.directions:
            return self.metrics.directions[key]
        aggregate = self.aggregates.get(key)
        return aggregate.direction if aggregate else "higher"

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
