"""The metric registry: names usable in ``--metrics`` and ``Scorer(metrics=...)``.

Plugins register metrics under the entry-point group ``benchmark.metrics``;
``py:module:attr`` names any `Metric` subclass. ``all`` (see `expand_metric_names`) is
every registered metric that needs no server.
"""

from __future__ import annotations

from typing import Sequence

from benchmark.errors import ConfigError
from benchmark.metrics.base import Metric
from benchmark.registry import Registry

ALL = "all"

METRICS: Registry[type[Metric]] = Registry("metric", group="benchmark.metrics")
for _name, _target, _description in (
    ("rouge", "benchmark.metrics.rouge:RougeMetric",
     "ROUGE-1/2/L/Lsum P/R/F (rouge-score 0.1.2 definitions)"),
    ("entities", "benchmark.metrics.entities:EntityMetric",
     "entity recall/precision/F1 against reference and article"),
    ("extractive", "benchmark.metrics.extractive:ExtractiveMetric",
     "coverage, density, compression, novel n-grams (Grusky et al. 2018); report only"),
    ("length", "benchmark.metrics.length:LengthMetric",
     "tokens, sentences, compression against article and reference; report only"),
    ("chrf", "benchmark.metrics.chrf:ChrFMetric",
     "chrF++ (sacrebleu) on normalized text, sentence mean and corpus value"),
    ("bullets", "benchmark.metrics.bullets:BulletMetric",
     "per reference bullet, best ROUGE-1 recall by a prediction sentence"),
    ("judge", "benchmark.metrics.judge:JudgeMetric",
     "LLM judge: faithfulness, coverage, fluency, conciseness 1-5 (needs --judge and a "
     "server)"),
):
    METRICS.register(_name, _target, description=_description)


def metric_class(name: str) -> type[Metric]:
    """The `Metric` subclass `name` resolves to (registered, plugin or ``py:``)."""
    cls = METRICS.resolve(name).target
    if not (isinstance(cls, type) and issubclass(cls, Metric)):
        raise ConfigError(f"metric {name!r} does not resolve to a Metric subclass")
    return cls


def expand_metric_names(names: Sequence[str]) -> list[str]:
    """`names` with ``all`` replaced by every registered metric that needs no server
    (``rouge`` first, then by name), duplicates dropped."""
    expanded: list[str] = []
    for name in names:
        if name == ALL:
            everything = sorted(METRICS.names(), key=lambda n: (n != "rouge", n))
            expanded += [n for n in everything if not metric_class(n).needs_server]
        else:
            expanded.append(name)
    return list(dict.fromkeys(expanded))
