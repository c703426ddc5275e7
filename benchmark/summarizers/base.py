"""The summarizer protocol (DESIGN §8).

A summarizer takes a batch of `Example`s and returns one `Prediction` each: the summary
text (bullets as lines) plus, where the backend knows them, the raw output, token usage
and a per-item error. Options are typed: each summarizer declares a pydantic model that
forbids unknown fields, and the validated options go into the run record.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator, Sequence

from pydantic import BaseModel, ConfigDict

from benchmark.data.example import Example
from benchmark.options import validate_options
from benchmark.signature import Signature, source_hash


class Options(BaseModel):
    """Base for a summarizer's options: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass
class Prediction:
    text: str
    raw: str | None = None  # the backend's output before cleaning, when it differs
    usage: dict[str, int] = field(default_factory=dict)  # prompt/completion tokens
    truncated: bool = False  # the article was cut to fit the model
    latency_s: float | None = None  # time for this item alone, when the backend knows it
    error: str | None = None  # this item failed; text is then ""


class Summarizer(ABC):
    """Base class. Subclasses set `name`, `backend`, `Options` and implement `summarize`."""

    backend: ClassVar[str] = "builtin"
    Options: ClassVar[type[Options]] = Options
    label: ClassVar[str] = ""  # e.g. "upper bound: uses the reference"
    preset: str | None = None  # the configs/models.yaml preset this came from, if any
    cacheable: ClassVar[bool] = True  # False for cheap deterministic baselines
    # Options that change how fast or how robustly predictions come (device, batch
    # size, concurrency, timeouts), never what they are: left out of the signature, so
    # rerunning with --concurrency 32 still finds the cached predictions.
    operational: ClassVar[tuple[str, ...]] = ()

    def __init__(self, name: str, options: dict[str, Any] | None = None, *, seed: int = 0):
        self.name = name
        self.seed = seed
        self.options = parse_options(self.Options, options or {}, owner=name)

    @property
    def batch_size(self) -> int:
        return 64

    @abstractmethod
    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        """One prediction per example, in order."""

    def stream(self, examples: Sequence[Example]) -> Iterator[tuple[int, Prediction]]:
        """Yield ``(index, prediction)`` as each is ready (completion order allowed).

        The harness caches each prediction as it arrives, so a crash loses none that
        were finished. Concurrent backends override this.
        """
        yield from enumerate(self.summarize(examples))

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "backend": self.backend, "preset": self.preset,
                "options": self.options.model_dump(mode="json"), "label": self.label,
                "signature": self.signature().format()}

    def signature_extra(self) -> dict[str, str]:
        """More of what decides the outputs, shown in the signature (e.g. the prompt
        template's hash, the server URL)."""
        return {}

    def signature(self) -> Signature:
        """Identity of the predictions: name, backend, a digest of the output-relevant
        options and the seed, then `signature_extra` (and ``src:`` for code from outside
        the package). The prediction cache is keyed by it."""
        extra = self.signature_extra()
        source = source_hash(type(self))
        if source is not None:
            extra = {**extra, "src": source}
        digest = options_digest(name=self.name, backend=self.backend, options=self.options,
                                operational=self.operational, seed=self.seed, extra=extra)
        return Signature.of(model=self.name, backend=self.backend, opts=digest, **extra)

    def check(self) -> None:
        """A quick check that the model can answer at all, before the first item (a
        server's health); raises `EndpointError`. Nothing to check by default."""

    def close(self) -> None:
        """Release resources (clients, models)."""


def options_digest(*, name: str, backend: str, options: BaseModel,
                   operational: Sequence[str], seed: int, extra: dict[str, str]) -> str:
    """12 hex digits identifying what decides the outputs: the name, the backend, the
    options that are not `operational`, the seed and the `extra` signature fields."""
    kept = {key: value for key, value in options.model_dump(mode="json").items()
            if key not in operational}
    blob = json.dumps({"name": name, "backend": backend, "options": kept, "seed": seed,
                       "extra": extra}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def parse_options(model: type[Options], values: dict[str, Any], *, owner: str) -> Options:
    """Validate `values` against `model`; one clear line per unknown or bad option."""
    return validate_options(model, values, owner=owner)
