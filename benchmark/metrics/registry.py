"""The metric registry: names usable in ``--metrics`` and ``Scorer(metrics=...)``."""

from __future__ import annotations

from benchmark.metrics.base import Metric
from benchmark.registry import Registry

METRICS: Registry[type[Metric]] = Registry("metric")
METRICS.register("rouge", "benchmark.metrics.rouge:RougeMetric",
                 description="ROUGE-1/2/L/Lsum P/R/F (rouge-score 0.1.2 definitions)")
METRICS.register("entities", "benchmark.metrics.entities:EntityMetric",
                 description="entity recall/precision/F1 against reference and article")
METRICS.register("judge", "benchmark.metrics.judge:JudgeMetric",
                 description="LLM judge: faithfulness, coverage, fluency, conciseness 1-5 "
                             "(needs --judge and a server)")
