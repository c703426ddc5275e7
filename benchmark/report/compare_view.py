"""A `CompareResult` as tables, in every format (the JSON is the DESIGN §10 contract)."""

from __future__ import annotations

from benchmark.report.contract import compare_json_text
from benchmark.report.result import CompareResult
from benchmark.report.tables import (Column, Estimate, Format, Number, Table, escape_html,
                                     render, render_html_document, render_html_table)


def ranking_table(result: CompareResult) -> Table:
    """One row per label, best first, upper bounds last; each metric's cell is its
    mean [95% CI] and group letters."""
    columns = [Column("rank", "#", "right"), Column("label"),
               Column("group", f"group ({result.rank_by})"), Column("n", align="right")]
    columns += [Column(key, key + ("" if result.scales.get(key, 100.0) != 1.0 else " (as is)"),
                       "right") for key in result.keys]
    rows = []
    rank = 0
    for row in result.rows:
        rank += 0 if row.upper_bound else 1
        rows.append([None if row.upper_bound else rank, row.shown_label, row.group, row.n]
                    + [_estimate(row.metrics[k]) for k in result.keys])
    return Table(columns, rows, list(result.notes),
                 title=f"bench compare: {result.dataset_identity}",
                 constants=_constants(result), signatures=dict(result.signatures), sticky=2)


def _estimate(cell) -> Estimate:
    """A cell's mean, with its interval when there is one (not for a single item)."""
    if cell.n < 2:
        return Estimate(cell.mean, None, None, cell.group)
    return Estimate(cell.mean, cell.low, cell.high, cell.group)


def _constants(result: CompareResult) -> dict[str, str | int | float]:
    raw = [key for key, factor in result.scales.items() if factor == 1.0]
    scale = "x100 scores" + (f" ({', '.join(raw)} as they are)" if raw else "")
    return {"dataset": result.dataset_identity, "scale": scale,
            "resamples": result.resamples, "seed": result.settings.seed}


def pairs_table(result: CompareResult) -> Table:
    columns = [Column("metric"), Column("a"), Column("b"), Column("n", align="right"),
               Column("diff", "a - b [95% CI]", "right"),
               Column("p_bootstrap", align="right"), Column("p_randomization", align="right"),
               Column("p_adjusted", "p (Holm)", "right"), Column("significant"),
               Column("mde", align="right")]
    rows = [[p.metric, p.a, p.b, p.n, Estimate(p.diff, p.low, p.high),
             Number(p.p_bootstrap, 4), Number(p.p_randomization, 4),
             Number(p.p_adjusted, 4), "yes" if p.significant else "no", Number(p.mde)]
            for p in result.pairs]
    return Table(columns, rows, title="pairwise tests", constants=_constants(result), sticky=3)


def render_result(result: CompareResult, fmt: Format | str, *, pairs: bool = False,
                  width: int | None = None, full_signatures: bool = True) -> str:
    """The comparison in `fmt`; with `pairs`, the pairwise tests too (for CSV: instead of
    the ranking, since a CSV holds one table). Text is fitted to `width` columns."""
    fmt = Format(fmt)
    if fmt is Format.json:
        return compare_json_text(result)
    ranking = ranking_table(result)
    if fmt is Format.csv:
        return render(pairs_table(result) if pairs else ranking, fmt)
    shown = render(ranking, fmt, width=width, full_signatures=full_signatures)
    if not pairs:
        return shown
    second = pairs_table(result)
    if fmt is Format.html:
        document = render_html_document(ranking)
        return document.replace("</body>", render_html_table(second) + "</body>")
    return shown + "\n\n" + render(second, fmt, width=width)


def render_results(results: list[CompareResult], fmt: Format | str, *, pairs: bool = False,
                   notes: list[str] | None = None, width: int | None = None,
                   full_signatures: bool = True) -> str:
    """Several comparisons (one per dataset) one after the other, then `notes`; HTML as
    one page. JSON and CSV hold one comparison: the caller chooses one dataset."""
    fmt = Format(fmt)
    if fmt in (Format.json, Format.csv):
        raise ValueError(f"{fmt.value} holds one comparison")
    if fmt is not Format.html:
        closing = "\n".join(notes or [])
        return "\n\n".join([render_result(r, fmt, pairs=pairs, width=width,
                                            full_signatures=full_signatures)
                             for r in results] + ([closing] if closing else []))
    tables = [table for r in results
              for table in ([ranking_table(r)] + ([pairs_table(r)] if pairs else []))]
    closing = "".join(f'<p class="note" dir="auto">{escape_html(note)}</p>\n'
                      for note in notes or [])
    document = render_html_document(tables[0])
    rest = "".join(render_html_table(table) for table in tables[1:])
    return document.replace("</body>", rest + closing + "</body>")
