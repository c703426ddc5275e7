"""Terminal tables shared by the commands that print scores."""

from __future__ import annotations

import typer

from benchmark.report.plain_table import format_table


def percent(value: float | None, digits: int = 2, scale: float = 100.0) -> str:
    return "-" if value is None else f"{scale * value:.{digits}f}"


def print_run_summary(outcome) -> None:
    """The summary table of one run: each metric key with mean and 95% CI (x100 for
    ratios; counts and unbounded ratios as they are)."""
    record = outcome.record
    model = record["model"]
    title = model["name"] + (f"  [{model['label']}]" if model.get("label") else "")
    typer.echo(f"{title} on {record['dataset']['identity']}  "
               f"({record['items']['scored']} scored, {record['failures']['count']} failed)")
    rows = []
    scales = record["metrics"].get("scales", {})  # counts shown as they are, not x100
    for key, agg in record["aggregates"].items():
        if agg["n"] == 0 and record["items"]["scored"]:
            continue  # e.g. entity_recall_MONEY when no item has money
        low, high = agg["ci95"]
        scale = scales.get(key, 100.0)
        rows.append([key, percent(agg["mean"], scale=scale),
                     f"[{percent(low, scale=scale)}, {percent(high, scale=scale)}]",
                     str(agg["n"])])
    typer.echo(format_table(["metric", "mean", "95% CI", "n"], rows))
    for key, value in record.get("corpus", {}).items():
        shown = value if value is None or isinstance(value, int) else percent(value)
        typer.echo(f"{key}: {shown}")
    timing = record["timing"]
    speed = timing.get("items_per_second")
    typer.echo(f"signature: {record['metrics']['signature']}")
    typer.echo(f"wall {timing['wall_seconds']:.1f}s"
               + (f", {speed:.1f} items/s" if speed else "")
               + f"; written to {outcome.run_dir.path}")
