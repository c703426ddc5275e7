"""Plots of a comparison (DESIGN §10): means with 95% CIs, and per-item score distributions.

Input is a `CompareResult` (rows with each metric's mean and CI on the report scale) or
per-item values already on that scale. matplotlib is imported inside
each function (Agg backend, no display), and text is drawn as paths, so an SVG needs no
font to look the same everywhere. Labels are shown literally: ``$`` would otherwise start
matplotlib's math mode.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Mapping, Sequence

from benchmark.report.result import CompareResult
from benchmark.textshow import escape

REAL_COLOR = "#1f5f99"
UPPER_BOUND_COLOR = "#b05a00"


def means_figure(result: CompareResult, metric: str):
    """A horizontal chart of each row's mean and 95% CI for ``metric``, ranked top down."""
    plt = _pyplot()
    rows = [row for row in result.rows
            if metric in row.metrics and row.metrics[metric].mean is not None]
    labels = [_literal(row.label) + (" (upper bound)" if row.upper_bound else "")
              for row in rows]
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(rows), 2) + 1.2))
    for y, row in enumerate(rows):
        cell = row.metrics[metric]
        low = cell.low if cell.low is not None else cell.mean
        high = cell.high if cell.high is not None else cell.mean
        color = UPPER_BOUND_COLOR if row.upper_bound else REAL_COLOR
        ax.errorbar([cell.mean], [y], xerr=[[cell.mean - low], [high - cell.mean]],
                    fmt="D" if row.upper_bound else "o", color=color, capsize=4)
        ax.annotate(f"{cell.mean:.2f}", (cell.mean, y), textcoords="offset points",
                    xytext=(0, 9), ha="center", fontsize=8, color=color)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"{_literal(metric)} (x100, mean with 95% bootstrap CI)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def distribution_figure(values: Mapping[str, Sequence[float]], metric: str):
    """Box plots of per-item scores (x100), one per label in the given order."""
    plt = _pyplot()
    labels = list(values)
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(labels), 2) + 1.2))
    ax.boxplot([list(values[label]) or [float("nan")] for label in labels],
               orientation="horizontal",
               showmeans=True, showfliers=False, widths=0.6)
    ax.set_yticks(range(1, len(labels) + 1), [_literal(label) for label in labels])
    ax.invert_yaxis()
    ax.set_xlabel(f"{_literal(metric)} per item (x100; box: quartiles, whiskers: 1.5 IQR, "
                  "triangle: mean)")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    """The figure as ``svg`` or ``png`` bytes; the figure is closed."""
    plt = _pyplot()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, dpi=120 if fmt == "png" else None,
                    metadata={"Date": None} if fmt == "svg" else None)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def write_main_plot(result: CompareResult, path: Path, *, metric: str | None = None) -> str:
    """Write the means plot of ``metric`` (default: the one the table is ranked by) to
    ``path`` as PNG (or SVG when the name ends in .svg); return the metric plotted."""
    metric = metric or result.rank_by
    fmt = "svg" if path.suffix.lower() == ".svg" else "png"
    path.write_bytes(figure_bytes(means_figure(result, metric), fmt))
    return metric


def _literal(text: str) -> str:
    """A label drawn as written: no mathtext, control and bidi characters escaped (an
    SVG keeps each text in a comment)."""
    return escape(str(text)).replace("$", r"\$")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "path"
    matplotlib.rcParams["svg.hashsalt"] = "bench"  # same input, same SVG bytes
    import matplotlib.pyplot as plt

    return plt
