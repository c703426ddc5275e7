"""The "Agreement with people" section of an HTML report, from `bench meta`'s JSON.

`agreement_section` returns one self-contained ``<section>`` (inline styles only, no
script, every text escaped), so `bench report` can place it in its page as it is; a
heat map of Kendall's tau, metric x criterion at both levels, then the annotators'
agreement and the human ranking. `render_meta_page` wraps it as a standalone page.
"""

from __future__ import annotations

from typing import Any, Mapping

from benchmark.report.tables import escape_html

SECTION_ID = "agreement-with-people"
CELL = "border:1px solid #d0d0d0;padding:.2rem .45rem;text-align:right"
HEAD = CELL + ";background:#f3f4f6"
LABEL = "border:1px solid #d0d0d0;padding:.2rem .45rem;text-align:left"


def _e(value: Any) -> str:
    return escape_html(str(value))


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def heat_color(tau: float | None) -> str:
    """White at 0, blue towards +1, red towards -1 (grey when undefined)."""
    if tau is None:
        return "#eeeeee"
    strength = min(1.0, abs(tau))
    keep = round(255 - strength * 190)
    return (f"rgb({keep},{keep + (255 - keep) // 3},255)" if tau >= 0
            else f"rgb(255,{keep},{keep})")


def agreement_section(meta: Mapping[str, Any]) -> str:
    """The section: heat map, agreement table, human ranking and notes."""
    ratings = meta["ratings"]
    intro = (f"<p>{_e(ratings['items'])} items rated by {_e(len(ratings['annotators']))} "
             f"annotators ({_e(ratings.get('protocol', ''))}) for "
             f"{_e(len(ratings['systems']))} systems. Each cell: Kendall's tau-b between "
             "the metric and the people's scores (averaged over annotators); hover for the "
             "95% interval (resampling items and systems), rho, r and n.</p>")
    parts = [intro, _heat_map(meta), "<h3>Agreement between annotators</h3>",
             _agreement(meta), _ranking(meta)]
    notes = "".join(f"<li>{_e(note)}</li>" for note in meta.get("notes", []))
    if notes:
        parts.append(f'<ul style="color:#555">{notes}</ul>')
    return (f'<section id="{SECTION_ID}" class="agreement-with-people">'
            "<h2>Agreement with people</h2>" + "".join(parts) + "</section>")


def _heat_map(meta: Mapping[str, Any]) -> str:
    criteria = meta["ratings"]["criteria"]
    cells = {(r["metric"], r["criterion"], r["level"]): r for r in meta["correlations"]}
    metrics = list(dict.fromkeys(r["metric"] for r in meta["correlations"]))
    columns = [(c, level) for level in ("summary", "system") for c in criteria]
    head = "".join(f'<th style="{HEAD}"><bdi>{_e(c)}</bdi><br><small>{_e(level)}</small></th>'
                   for c, level in columns)
    body = []
    for metric in metrics:
        row = [f'<th style="{LABEL}"><bdi>{_e(metric)}</bdi></th>']
        for criterion, level in columns:
            cell = cells.get((metric, criterion, level))
            tau = cell["kendall"] if cell else None
            title = "" if cell is None else (
                f"{metric} x {criterion} ({level}): tau-b {_num(tau)} "
                f"[{_num(cell['low'])}, {_num(cell['high'])}], rho {_num(cell['spearman'])}, "
                f"r {_num(cell['pearson'])}, n {cell['n']}")
            row.append(f'<td style="{CELL};background:{heat_color(tau)}" title="{_e(title)}"'
                       f' data-metric="{_e(metric)}" data-criterion="{_e(criterion)}"'
                       f' data-level="{_e(level)}">{_num(tau, 2)}</td>')
        body.append("<tr>" + "".join(row) + "</tr>")
    return ('<table class="heat-map" style="border-collapse:collapse;font-size:.85rem">'
            f'<thead><tr><th style="{HEAD}">metric</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _agreement(meta: Mapping[str, Any]) -> str:
    rows = "".join(
        f'<tr><td style="{LABEL}"><bdi>{_e(a["criterion"])}</bdi></td>'
        f'<td style="{CELL}">{_e(a["level"])}</td><td style="{CELL}">{_num(a["alpha"])} '
        f'<small>[{_num(a["low"])}, {_num(a["high"])}]</small></td>'
        f'<td style="{CELL}">{_e(a["n_items"])}</td><td style="{CELL}">'
        f'{_e(a["n_annotators"])}</td></tr>' for a in meta["agreement"])
    return ('<table class="agreement" style="border-collapse:collapse;font-size:.85rem">'
            f'<thead><tr><th style="{HEAD}">criterion</th><th style="{HEAD}">level</th>'
            f'<th style="{HEAD}">alpha [95% CI]</th><th style="{HEAD}">items</th>'
            f'<th style="{HEAD}">annotators</th></tr></thead><tbody>{rows}</tbody></table>')


def _ranking(meta: Mapping[str, Any]) -> str:
    ranking = meta.get("ranking")
    if not ranking:
        return ""
    keys = list(ranking["stats"].get("scale", {})) or sorted(
        {k for row in ranking["rows"] for k in row["metrics"]})
    head = "".join(f'<th style="{HEAD}"><bdi>{_e(k)}</bdi></th>' for k in keys)
    body = []
    for row in ranking["rows"]:
        cells = []
        for key in keys:
            cell = row["metrics"].get(key) or {}
            group = f' <b>{_e(cell["group"])}</b>' if cell.get("group") else ""
            cells.append(f'<td style="{CELL}">{_num(cell.get("mean"), 2)} <small>['
                         f'{_num(cell.get("low"), 2)}, {_num(cell.get("high"), 2)}]</small>'
                         f"{group}</td>")
        body.append(f'<tr data-label="{_e(row["label"])}"><td style="{LABEL}"><bdi>'
                    f'{_e(row["label"])}</bdi></td>' + "".join(cells) + "</tr>")
    return ("<h3>Systems ranked by people</h3>"
            '<table class="human-ranking" style="border-collapse:collapse;font-size:.85rem">'
            f'<thead><tr><th style="{HEAD}">system</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table><p>Means with 95% bootstrap intervals "
            "and group letters, as bench compare computes them (systems sharing a letter "
            "are not significantly different).</p>")


def render_meta_page(meta: Mapping[str, Any]) -> str:
    """A standalone page holding the section (no network, no script)."""
    title = f"bench meta: {meta['ratings']['file']}"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title></head><body style=\"font-family:system-ui,"
            "'Noto Naskh Arabic',sans-serif;max-width:1200px;margin:2rem auto;padding:0 1rem\">"
            f"<h1>{_e(title)}</h1>{agreement_section(meta)}</body></html>\n")
