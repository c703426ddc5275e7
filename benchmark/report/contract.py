"""The JSON contract of ``bench compare --format json`` (DESIGN §10; other tools read
it): written here, from a `CompareResult`, and nowhere else.

    {"dataset": {"name", "identity"},
     "stats": {"resamples", "seed", "tests", "correction", "alpha", "family", "rank_by",
               "scale"},
     "rows": [{"label", "model", "run_dir", "upper_bound", "group",
               "metrics": {key: {"mean", "low", "high", "n", "group"}}}],
     "pairs": [{"metric", "a", "b", "diff", "low", "high", "p_bootstrap",
                "p_randomization", "p_adjusted", "significant", "n", "mde"}],
     "notes": [...], "signatures": {...}}
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from benchmark.report.result import CompareResult
from benchmark.textshow import json_text


def compare_json(result: CompareResult) -> dict[str, Any]:
    """The contract as a JSON-ready dict."""
    return {
        "dataset": {"name": result.dataset_name, "identity": result.dataset_identity},
        "stats": {"resamples": result.resamples, "seed": result.settings.seed,
                  "tests": list(result.tests), "correction": "holm",
                  "alpha": result.settings.alpha, "family": result.family,
                  "rank_by": result.rank_by,
                  "scale": {key: result.scales[key] for key in result.keys}},
        "rows": [{"label": row.label, "model": row.model, "run_dir": row.run_dir,
                  "upper_bound": row.upper_bound, "group": row.group,
                  "metrics": {key: asdict(cell) for key, cell in row.metrics.items()}}
                 for row in result.rows],
        "pairs": [asdict(pair) for pair in result.pairs],
        "notes": list(result.notes),
        "signatures": dict(result.signatures),
    }


def compare_json_text(result: CompareResult) -> str:
    """The contract as the text ``bench compare --format json`` prints."""
    return json_text(compare_json(result), indent=2)
