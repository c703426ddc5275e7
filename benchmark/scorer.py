"""`Scorer`: the Python API for scoring predictions against references.

    >>> from benchmark import Scorer
    >>> report = Scorer(metrics=["rouge"]).score(predictions=["..."], references=["..."])
    >>> report.summary["rougeL_f"], report.signature

References (and sources) line up with predictions by position. A reference is a string
(bullets or sentences as lines) or a list of strings (the bullets); a list of such lists
gives an item several references: ROUGE then takes the best F per type (rouge-score's
``score_multi``), or with ``multiref="mean"`` the mean over the references (ROUGE, chrF
and bullets; `benchmark.metrics.multiref`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from benchmark import __version__
from benchmark.config import config_in_effect
from benchmark.errors import ConfigError
from benchmark.metrics.base import ItemInput, Metric
from benchmark.metrics.registry import METRICS, expand_metric_names, metric_class
from benchmark.text import TextProfile, get_profile

Reference = str | Sequence[str]


@dataclass
class Report:
    items: list[dict[str, Any]]  # one dict per item: every metric's per-item values
    summary: dict[str, float]  # key -> corpus value (mean unless the key says otherwise)
    signature: str
    signatures: dict[str, str] = field(default_factory=dict)  # metric name -> signature


class Scorer:
    """Score predictions with the named metrics under one text profile."""

    def __init__(self, metrics: Sequence[str] = ("rouge",), profile: str | TextProfile = "ar",
                 *, metric_options: Mapping[str, Mapping[str, Any]] | None = None,
                 config_dir: Path | None = None, **options: Any):
        """`options` go to every chosen metric that declares them (``ner=`` to
        ``entities``); `metric_options` to one metric by name
        (``{"bullets": {"threshold": 0.6}}``). An option no chosen metric takes is an
        error. ``"all"`` among `metrics` is every metric that needs no server.
        `config_dir` is the configuration folder (`benchmark.config`) in effect while
        the metrics are made (a judge's presets, endpoints and prompts)."""
        if isinstance(metrics, str):
            metrics = [name.strip() for name in metrics.split(",") if name.strip()]
        if not metrics:
            raise ConfigError("no metrics given; choose from " + ", ".join(METRICS.names()))
        names = expand_metric_names(metrics)
        self.profile = get_profile(profile)
        per_metric = {name: dict(values) for name, values in (metric_options or {}).items()}
        stray = set(per_metric) - set(names)
        if stray:
            raise ConfigError(f"options given for metric(s) {', '.join(sorted(stray))}, "
                              f"which are not among {', '.join(names)}")
        self.metrics: list[Metric] = []
        used: set[str] = set()
        for name in names:
            cls = metric_class(name)
            accepted = {key: value for key, value in options.items()
                        if key in cls.accepted_options()}
            used |= set(accepted)
            with config_in_effect(config_dir):
                metric = cls.create(self.profile, {**accepted, **per_metric.get(name, {})})
            metric.name = name  # as chosen: a plugin or py: name keys its signature
            self.metrics.append(metric)
        unused = set(options) - used
        if unused:
            hint = ("ner and include_nisba belong to 'entities': use {metrics} "
                    "rouge,entities" if unused & {"ner", "include_nisba"} else None)
            raise ConfigError(f"option(s) {', '.join(sorted(unused))} apply to none of "
                              f"the metrics {', '.join(names)}", hint=hint)

    def close(self) -> None:
        """Release what the metrics hold (clients of metrics that call a server)."""
        for metric in self.metrics:
            metric.close()

    @property
    def needs_source(self) -> bool:
        return any(metric.needs_source for metric in self.metrics)

    @property
    def signatures(self) -> dict[str, str]:
        """Metric name -> its signature as text (a plugin's may be text already)."""
        return {metric.name: str(metric.signature()) for metric in self.metrics}

    @property
    def signature(self) -> str:
        return " + ".join(self.signatures.values())

    def keys(self) -> list[str]:
        return [key for metric in self.metrics for key in metric.keys()]

    def error_keys(self) -> dict[str, str]:
        """Metric name -> the per-item key holding its error, for the metrics that can
        fail on an item and still let the run go on (the judge)."""
        return {metric.name: key for metric in self.metrics
                if (key := getattr(metric, "error_key", None)) is not None}

    def direction(self, key: str) -> str:
        for metric in self.metrics:
            if key in metric.keys():
                return metric.direction(key)
        return "neither"

    def analysis_signatures(self) -> dict[str, str]:
        """Metric name -> signature of its stored analysis, for the metrics that have one."""
        signatures = {}
        for metric in self.metrics:
            signature = metric.analysis_signature() if metric.prepares else None
            if signature is not None:
                signatures[metric.name] = str(signature)
        return signatures

    def prepare(self, *, reference: Reference | Sequence[Reference], source: str | None = None,
                only: Sequence[str] | None = None) -> dict[str, Any]:
        """Metric name -> its analysis of the reference(s) and source (the metrics that
        prepare, or those named in `only`); pass it to `score_item(prepared=...)`."""
        references = _as_references(reference)
        return {metric.name: metric.prepare(references=references, source=source)
                for metric in self.metrics
                if metric.prepares and (only is None or metric.name in only)}

    def scale(self, key: str) -> float:
        """What reports multiply `key` by (100 for ratios in [0, 1], 1 for counts)."""
        for metric in self.metrics:
            if key in metric.keys():
                return metric.scale(key)
        return 100.0

    def score_item(self, *, prediction: str, reference: Reference | Sequence[Reference],
                   source: str | None = None,
                   prepared: dict[str, Any] | None = None) -> dict[str, Any]:
        """All metrics' values for one prediction. `reference` may also be a list of
        references (each a string) for multi-reference scoring. `prepared` (from
        `prepare`, for the same reference and source) saves re-analysing them."""
        _check_types(prediction=prediction, source=source)
        item = ItemInput(prediction=prediction, references=_as_references(reference),
                         source=source)
        values: dict[str, Any] = {}
        for metric in self.metrics:
            if prepared is not None and metric.name in prepared:
                values.update(metric.score_prepared(item, prepared[metric.name]))
            else:
                values.update(metric.score_item(item))
        return values

    @property
    def has_server_metrics(self) -> bool:
        return any(metric.needs_server for metric in self.metrics)

    def score_triples(self, triples: Sequence[tuple[str, str, str | None]], *,
                      ids: Sequence[str] | None = None, server: bool | None = None,
                      prepared: Sequence[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Values for ``(prediction, reference, source)`` triples, metric by metric in
        batches (a metric behind a server asks about all of them concurrently). ``server``
        picks the metrics: all (None), only local ones (False) or only server ones (True),
        so that worker processes never open server connections. ``prepared`` holds each
        triple's analyses (see `prepare`), for the metrics that have one there."""
        inputs = [ItemInput(prediction=p, references=_as_references(r), source=s)
                  for p, r, s in triples]
        items: list[dict[str, Any]] = [{} for _ in inputs]
        for metric in self.metrics:
            if server is not None and metric.needs_server != server:
                continue
            if prepared is not None and metric.prepares:
                scores = [metric.score_prepared(item, ready[metric.name])
                          if metric.name in ready else metric.score_item(item)
                          for item, ready in zip(inputs, prepared)]
            else:
                scores = metric.score_batch(inputs, ids=ids)
            for values, metric_values in zip(items, scores):
                values.update(metric_values)
        return items

    def usage(self) -> dict[str, dict[str, Any]]:
        """Token usage (and cost estimates) of metrics that call a model."""
        return {metric.name: metric.cost() for metric in self.metrics if hasattr(metric, "cost")}

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        summary: dict[str, float] = {}
        for metric in self.metrics:
            summary.update(metric.aggregate(items))
        return summary

    def score(self, *, predictions: Sequence[str], references: Sequence[Reference],
              sources: Sequence[str] | None = None) -> Report:
        if isinstance(predictions, str) or isinstance(references, str):
            raise ConfigError("predictions and references must be lists, one entry per item")
        if len(predictions) != len(references):
            raise ConfigError(f"{len(predictions)} predictions but {len(references)} "
                              "references; they must line up one to one")
        if sources is not None and len(sources) != len(predictions):
            raise ConfigError(f"{len(sources)} sources for {len(predictions)} predictions")
        if sources is None and self.needs_source:
            names = [m.name for m in self.metrics if m.needs_source]
            raise ConfigError(f"metric(s) {', '.join(names)} need sources= (the articles)")
        for i, (prediction, reference) in enumerate(zip(predictions, references)):
            try:
                _check_types(prediction=prediction,
                             source=None if sources is None else sources[i])
            except ConfigError as exc:
                raise ConfigError(f"item {i}: {exc}") from None
        items = self.score_triples([(prediction, reference, None if sources is None
                                     else sources[i])
                                    for i, (prediction, reference)
                                    in enumerate(zip(predictions, references))])
        return Report(items=items, summary=self.aggregate(items),
                      signature=self.signature, signatures=self.signatures)


def _check_types(*, prediction: Any, source: Any) -> None:
    """A clear error for a None (or other non-string) prediction or source, instead of an
    AttributeError deep inside a tokenizer."""
    if not isinstance(prediction, str):
        raise ConfigError(f"a prediction must be a string, got {type(prediction).__name__}"
                          " (use \"\" for an item with no summary)")
    if source is not None and not isinstance(source, str):
        raise ConfigError(f"a source must be a string (the article), got "
                          f"{type(source).__name__}")


def _as_references(reference: Reference | Sequence[Reference]) -> list[str]:
    """A reference (string, or list of bullets) -> ``[text]``; a list of such
    references (each a list of bullets) -> one text each, for multi-reference scoring."""
    if isinstance(reference, str):
        return [reference]
    if not isinstance(reference, (list, tuple)):
        raise ConfigError(f"a reference must be a string or a list of strings, got "
                          f"{type(reference).__name__}")
    if all(isinstance(part, str) for part in reference):
        return ["\n".join(reference)]
    if reference and all(isinstance(part, (list, tuple)) for part in reference):
        return [text for part in reference for text in _as_references(part)]
    raise ConfigError("a reference must be a string, a list of strings (its bullets), or a "
                      "list of such lists (several references)")


__all__ = ["Report", "Scorer", "__version__"]
