"""bench: an Arabic summarization benchmark with Arabic-correct ROUGE and entity coverage.

The public API is imported lazily so that ``import benchmark`` and ``bench --help``
stay fast:

    from benchmark import Scorer, load_reference, extract_entities
    from benchmark import Summarizer, Prediction, Options   # to write your own summarizer
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Scorer": "benchmark.scorer",
    "Report": "benchmark.scorer",
    "load_reference": "benchmark.data",
    "extract_entities": "benchmark.entities",
    "Summarizer": "benchmark.summarizers.base",
    "Prediction": "benchmark.summarizers.base",
    "Options": "benchmark.summarizers.base",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'benchmark' has no attribute {name!r}")
