"""A `MetaResult` as tables: text, Markdown, JSON (DESIGN §12) or a standalone HTML page."""

from __future__ import annotations

from benchmark.report.meta import MetaResult
from benchmark.report.tables import (Column, Estimate, Format, Number, Table, escape_markdown,
                                     render)
from benchmark.textshow import escape, json_text


def agreement_table(result: MetaResult) -> Table:
    columns = [Column("criterion"), Column("level"), Column("alpha", "alpha [95% CI]", "right"),
               Column("items", align="right"), Column("annotators", align="right"),
               Column("units", align="right")]
    rows = [[row.criterion, row.level, Estimate(row.alpha, row.low, row.high, digits=3),
             row.n_items, row.n_annotators, row.n_units] for row in result.agreement]
    return Table(columns, rows, title="agreement between annotators (Krippendorff's alpha)",
                 notes=["alpha: 1 = perfect agreement, 0 = chance; interval: bootstrap over "
                        "items"])


def correlation_table(result: MetaResult, criterion: str, level: str) -> Table:
    """One criterion at one level: metrics by Kendall's tau, best first, each with the
    Holm-adjusted p-value of the test against the best."""
    rows = [r for r in result.correlations if r.criterion == criterion and r.level == level]
    rows.sort(key=lambda r: (r.kendall is None, -(r.kendall or 0.0)))
    best = rows[0] if rows and rows[0].kendall is not None else None
    versus = {c.metric_b: c.p_adjusted for c in result.comparisons
              if best is not None and c.criterion == criterion and c.level == level
              and c.metric_a == best.metric}
    columns = [Column("metric"), Column("kendall", "tau-b [95% CI]", "right"),
               Column("spearman", "rho", "right"), Column("pearson", "r", "right"),
               Column("n", align="right"), Column("p_vs_best", "p vs best (Holm)", "right")]
    table_rows = [[r.metric, Estimate(r.kendall, r.low, r.high, digits=3),
                   Number(r.spearman, 3), Number(r.pearson, 3), r.n,
                   "best" if best is r else Number(versus.get(r.metric), 4)]
                  for r in rows]
    return Table(columns, table_rows,
                 title=f"{criterion}: {level}-level correlation of each metric with people")


def meta_tables(result: MetaResult) -> list[Table]:
    tables = [agreement_table(result)]
    for criterion in result.criteria:
        for level in ("summary", "system"):
            tables.append(correlation_table(result, criterion, level))
    if result.ranking is not None:
        tables.append(result.ranking.text_table)
    return tables


def heading(result: MetaResult) -> str:
    return (f"bench meta: {result.file} ({result.protocol}; {result.items} items, "
            f"{len(result.systems)} systems, {len(result.annotators)} annotators; "
            f"{result.resamples} resamples, seed {result.seed})")


def render_meta(result: MetaResult, fmt: Format | str) -> str:
    fmt = Format(fmt)
    if fmt is Format.json:
        return json_text(result.to_json_dict(), indent=2)
    if fmt is Format.html:
        from benchmark.report.meta_html import render_meta_page

        return render_meta_page(result.to_json_dict())
    if fmt is Format.csv:
        raise ValueError("bench meta writes text, md, json or html")
    shown = escape if fmt is Format.text else escape_markdown
    notes = "\n".join(f"note: {shown(note)}" for note in result.notes)
    separator = "\n\n"
    head = shown(heading(result)) if fmt is Format.text else f"## {shown(heading(result))}"
    return separator.join([head] + [render(table, fmt) for table in meta_tables(result)]
                          + [notes])
