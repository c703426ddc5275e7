"""Rendering a comparison `Table` as text, Markdown, CSV, JSON or HTML."""

from __future__ import annotations

import csv
import html
import io
import json

from benchmark.report.compare import Table
from benchmark.report.plain_table import format_table
from benchmark.report.stats import DEFAULT_SEED, N_RESAMPLES

FORMATS = ("text", "md", "csv", "json", "html")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}"


def _cell_text(cell, *, best_mark: str) -> str:
    text = _pct(cell.mean)
    if cell.low is not None and cell.high is not None:
        text += f" [{_pct(cell.low)}, {_pct(cell.high)}]"
    if cell.best:
        text += best_mark
    elif cell.significant:
        text += " †"
    return text


def _rows(table: Table, best_mark: str) -> list[list[str]]:
    rows = []
    for model, label, cells in zip(table.models, table.labels, table.cells):
        name = model + (" (upper bound)" if "upper bound" in label else "")
        rows.append([name, str(max(c.n for c in cells.values()) if cells else 0)]
                    + [_cell_text(cells[k], best_mark=best_mark) for k in table.keys])
    return rows


def _notes(table: Table) -> list[str]:
    notes = [f"dataset {table.dataset}; values x100 with 95% bootstrap CIs; best marked *;"]
    if len(table.models) > 1:
        refs = sorted(set(table.reference.values()))
        against = refs[0] if len(refs) == 1 else "the best model of each column"
        notes.append(f"† differs from {against} (paired bootstrap and approximate "
                     f"randomization, {N_RESAMPLES} resamples, seed {DEFAULT_SEED}, "
                     "Holm-adjusted, p < 0.05)")
    notes.append(f"signature: {table.signature}")
    return notes


def render(table: Table, fmt: str) -> str:
    headers = ["model", "n"] + table.keys
    if fmt == "text":
        return format_table(headers, _rows(table, " *")) + "\n" + "\n".join(_notes(table))
    if fmt == "md":
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(row) + " |" for row in _rows(table, " **\\***")]
        return "\n".join(lines) + "\n\n" + "\n".join(_notes(table)).replace("*;", "\\*;")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["model", "run_id"] + [f"{k}_{part}" for k in table.keys
                                               for part in ("mean", "ci_low", "ci_high", "n",
                                                            "best", "p_bootstrap")])
        for model, run_id, cells in zip(table.models, table.run_ids, table.cells):
            row = [model, run_id]
            for k in table.keys:
                c = cells[k]
                row += [c.mean, c.low, c.high, c.n, c.best, c.p_bootstrap]
            writer.writerow(row)
        return buffer.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps({
            "dataset": table.dataset, "signature": table.signature,
            "tested_against": table.reference,
            "models": [{"model": m, "label": lab, "run_id": r,
                        "metrics": {k: vars(cells[k]) for k in table.keys}}
                       for m, lab, r, cells in zip(table.models, table.labels, table.run_ids,
                                                   table.cells)]}, ensure_ascii=False, indent=2)
    if fmt == "html":
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in _rows(table, " *"))
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in _notes(table))
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{notes}"
    raise ValueError(fmt)
