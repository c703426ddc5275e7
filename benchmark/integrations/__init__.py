"""Adapters that let other tools call this package's metrics.

`EVALUATE_MODULE` is the path of the Hugging Face ``evaluate`` module for Arabic-correct
ROUGE; it loads offline, without the hub::

    >>> import evaluate
    >>> from benchmark.integrations import EVALUATE_MODULE
    >>> rouge = evaluate.load(EVALUATE_MODULE)
    >>> rouge.compute(predictions=["..."], references=[["...", "..."]])
"""

from __future__ import annotations

from pathlib import Path

EVALUATE_MODULE = str(Path(__file__).with_name("arsum_rouge.py"))

__all__ = ["EVALUATE_MODULE"]
