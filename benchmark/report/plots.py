"""Plots of a comparison (DESIGN §10): means with 95% CIs, and per-item score distributions.

Input is a `CompareResult` (rows with each metric's mean and CI on the report scale) or
per-item values already on that scale. matplotlib is imported inside
each function (Agg backend, no display), and text is drawn as paths, so an SVG needs no
font to look the same everywhere. Labels are shown literally (``$`` would otherwise start
matplotlib's math mode) and Arabic ones shaped (``arabic-reshaper`` joins the letters,
``python-bidi`` orders them right to left), which matplotlib does not do by itself.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Mapping, Sequence

from benchmark.report.result import CompareResult
from benchmark.textshow import escape

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
REAL_COLOR = "#1f5f99"
UPPER_BOUND_COLOR = "#b05a00"


def means_figure(result: CompareResult, metric: str):
    """A horizontal chart of each row's mean and 95% CI for ``metric``, ranked top down
    (a row without an interval, e.g. of one item, gets its mean alone)."""
    plt = _pyplot()
    rows = [row for row in result.rows
            if metric in row.metrics and row.metrics[metric].mean is not None]
    labels = [_literal(row.label) + (" (upper bound)" if row.upper_bound else "")
              for row in rows]
    fig, ax = plt.subplots(figsize=(7, 0.5 * max(len(rows), 2) + 1.3))
    for y, row in enumerate(rows):
        cell = row.metrics[metric]
        color = UPPER_BOUND_COLOR if row.upper_bound else REAL_COLOR
        marker = "D" if row.upper_bound else "o"
        if cell.low is None or cell.high is None or cell.n < 2:
            ax.plot([cell.mean], [y], marker, color=color)
        else:  # bounds rounded apart from the mean never make a negative error bar
            ax.errorbar([cell.mean], [y], xerr=[[max(0.0, cell.mean - cell.low)],
                                                [max(0.0, cell.high - cell.mean)]],
                        fmt=marker, color=color, capsize=4)
        ax.annotate(f"{cell.mean:.2f}", (cell.mean, y), textcoords="offset points",
                    xytext=(0, 9), ha="center", fontsize=9, color=color)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"{_literal(metric)} ({scale_words(result, metric)}), mean with 95% "
                  "bootstrap CI")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def distribution_figure(values: Mapping[str, Sequence[float]], metric: str, *,
                        scale: float = 100.0):
    """Box plots of per-item scores (on the report scale), one per label in the given
    order."""
    plt = _pyplot()
    labels = list(values)
    fig, ax = plt.subplots(figsize=(7, 0.5 * max(len(labels), 2) + 1.6))
    ax.boxplot([list(values[label]) or [float("nan")] for label in labels],
               orientation="horizontal",
               showmeans=True, showfliers=False, widths=0.6)
    ax.set_yticks(range(1, len(labels) + 1), [_literal(label) for label in labels])
    ax.invert_yaxis()
    ax.set_xlabel(f"{_literal(metric)} per item ({_scale_word(scale)})\n"
                  "box: quartiles; whiskers: 1.5 IQR; triangle: mean")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def scale_words(result: CompareResult, metric: str) -> str:
    return _scale_word(result.scales.get(metric, 100.0))


def _scale_word(scale: float) -> str:
    return "as is" if scale == 1.0 else f"x{scale:g}"


def figure_bytes(fig, fmt: str) -> bytes:
    """The figure as ``svg`` or ``png`` bytes; the figure is closed."""
    plt = _pyplot()
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, dpi=120 if fmt == "png" else None,
                    bbox_inches="tight", pad_inches=0.1,  # no label cut at the edge
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
    """`text` as matplotlib should draw it: ``$`` literal (not math mode), control and
    bidi characters escaped (an SVG keeps each text in a comment), and Arabic letters
    joined and laid out right to left (matplotlib draws neither by itself)."""
    text = escape(str(text))
    if _ARABIC.search(text):
        import arabic_reshaper
        from bidi.algorithm import get_display

        text = get_display(arabic_reshaper.reshape(text))
    return text.replace("$", r"\$")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "svg.fonttype": "path",
        "svg.hashsalt": "bench",  # same input, same SVG bytes
        "font.size": 11, "axes.labelsize": 11, "xtick.labelsize": 10,
        "ytick.labelsize": 11,
    })
    import matplotlib.pyplot as plt

    return plt
