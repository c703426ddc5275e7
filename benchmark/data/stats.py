"""Descriptive statistics of a reference dataset (``bench data stats``).

Words are whitespace-separated runs (``str.split()``), independent of any text
profile, so the numbers describe the files, not a tokenizer; characters are Python
string lengths (code points). The summary is the bullets joined by newlines (the first
reference, when an example has several).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from typing import Any

from benchmark.data.example import Example


def dataset_stats(examples: Sequence[Example]) -> dict[str, Any]:
    """Counts, lengths (mean/median/min/max), bullets per summary and the date range.

    Keys: ``examples``; ``article_words``, ``article_chars``, ``summary_words``,
    ``summary_chars`` (each ``{"mean", "median", "min", "max"}``); ``bullets_per_summary``
    (``{"1": n, "3": n, ...}``, sorted by bullet count); ``references_per_item``
    (``{"1": n, "5": n, ...}``: reference summaries per example); ``dates``
    (``{"first", "last", "with_date", "without_date"}``, ISO strings or None).
    """
    dates = sorted(example.date for example in examples if example.date)
    bullet_counts = Counter(len(example.bullets) for example in examples)
    reference_counts = Counter(1 + len(example.references) for example in examples)
    return {
        "examples": len(examples),
        "article_words": _summary([len(e.article.split()) for e in examples]),
        "article_chars": _summary([len(e.article) for e in examples]),
        "summary_words": _summary([len(e.summary.split()) for e in examples]),
        "summary_chars": _summary([len(e.summary) for e in examples]),
        "bullets_per_summary": {str(n): bullet_counts[n] for n in sorted(bullet_counts)},
        "references_per_item": {str(n): reference_counts[n] for n in sorted(reference_counts)},
        "dates": {
            "first": dates[0] if dates else None,
            "last": dates[-1] if dates else None,
            "with_date": len(dates),
            "without_date": len(examples) - len(dates),
        },
    }


def _summary(values: list[int]) -> dict[str, float | int | None]:
    if not values:
        return {"mean": None, "median": None, "min": None, "max": None}
    return {"mean": statistics.fmean(values), "median": statistics.median(values),
            "min": min(values), "max": max(values)}
