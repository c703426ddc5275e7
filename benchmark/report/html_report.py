"""The standalone HTML report (``bench report``): one file, readable without a network.

Pure rendering: every input is already computed (the `CompareResult`, plot images, the
dataset card, the diff of the top pair). Every text from a run, a model or a dataset
goes through `_e` (HTML-escaped, quotes included, control and bidi characters shown as
escapes: `benchmark.textshow`); Arabic texts sit in ``dir="rtl"``
blocks and labels in ``<bdi>``, so mixed scripts keep their order. Styles are inline;
images are ``data:`` URIs, so nothing is fetched when the file is opened.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from benchmark.report.diff import RunDiff, Side
from benchmark.report.result import CompareResult, Pair, Row
from benchmark.report.tables import escape_html

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Naskh Arabic",
sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d0d0d0;padding:.25rem .5rem;text-align:right;vertical-align:top}
th{background:#f3f4f6}td.label,th.label{text-align:left}
tr.upper-bound td{background:#fff7ec;color:#6b4a1f}
.badge{font-size:.75rem;border:1px solid #b05a00;color:#b05a00;border-radius:3px;
padding:0 .3rem;margin-left:.3rem}
.group{font-family:ui-monospace,monospace;font-weight:bold}
td.sig-pos{background:#dff3e3}td.sig-neg{background:#f9e0e0}td.diag{background:#eee}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:.5rem}
figure{margin:.5rem 0}figure img{max-width:100%;border:1px solid #eee}
code{font-size:.8rem;word-break:break-all}.notes li{color:#555}
nav a{margin-right:1rem}
.item{border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}
.rtl{direction:rtl;text-align:right;font-size:1.05rem}
.pred{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.pred>div{background:#f8f9fb;padding:.4rem .6rem;border-radius:4px}
.entities{font-size:.85rem;color:#555}.caption{font-size:.8rem;color:#666;margin:.4rem 0 0}
"""


@dataclass(frozen=True)
class DatasetCard:
    """The dataset as the report shows it; `stats` as `bench data stats` computes them
    (None when the data could not be read again, `note` saying why)."""

    name: str
    identity: str
    items: int
    path: str | None
    stats: Mapping[str, Any] | None = None
    note: str | None = None


@dataclass(frozen=True)
class RunShown:
    label: str
    run_dir: str
    signature: str  # the model's


@dataclass
class ReportParts:
    """Everything the page shows, computed beforehand."""

    result: CompareResult
    metrics: Sequence[str]
    mean_plots: Mapping[str, bytes]  # metric -> SVG
    distribution_plots: Mapping[str, bytes]  # metric -> SVG
    card: DatasetCard
    runs: Sequence[RunShown]
    diff: RunDiff | None = None
    diff_note: str | None = None
    generated: str = ""
    notes: list[str] = field(default_factory=list)
    # Whole sections rendered elsewhere (id, title, HTML of a <section>), placed before
    # the signatures: "Agreement with people" (benchmark.report.meta_html).
    extra_sections: list[tuple[str, str, str]] = field(default_factory=list)


def render_report(parts: ReportParts) -> str:
    title = f"bench report: {parts.result.dataset_identity}"
    sections = _sections(parts)
    body = "".join(f'<section id="{key}"><h2>{_e(name)}</h2>{content}</section>'
                   for key, name, content in sections)
    body += "".join(section for _, _, section in parts.extra_sections)
    body += f'<section id="signatures"><h2>Signatures</h2>{_signatures(parts)}</section>'
    links = [(key, name) for key, name, _ in sections]
    links += [(key, name) for key, name, _ in parts.extra_sections]
    links.append(("signatures", "Signatures"))
    nav = "".join(f'<a href="#{key}">{_e(name)}</a>' for key, name in links)
    return _page(title, f"{_intro(parts)}<nav>{nav}</nav>", body)


def render_reports(all_parts: Sequence[ReportParts], *, notes: Sequence[str] = ()) -> str:
    """One page with a section per dataset (runs on several datasets, none chosen),
    each holding what `render_report` shows for one; `notes` under the title."""
    if len(all_parts) == 1 and not notes:
        return render_report(all_parts[0])
    title = f"bench report: {len(all_parts)} datasets"
    nav = "".join(f'<a href="#dataset-{n}"><bdi>{_e(parts.result.dataset_identity)}</bdi></a>'
                  for n, parts in enumerate(all_parts, start=1))
    body = []
    for n, parts in enumerate(all_parts, start=1):
        inner = "".join(f'<section id="d{n}-{key}"><h3>{_e(name)}</h3>{content}</section>'
                        for key, name, content in [*_sections(parts), (
                            "signatures", "Signatures", _signatures(parts))])
        body.append(f'<section class="dataset" id="dataset-{n}" '
                    f'data-identity="{_e(parts.result.dataset_identity)}">'
                    f"<h2><bdi>{_e(parts.result.dataset_identity)}</bdi></h2>"
                    f"{_intro(parts)}{inner}</section>")
    listed = "".join(f"<li>{_e(note)}</li>" for note in notes)
    header = (f'<ul class="notes">{listed}</ul>' if listed else "") + f"<nav>{nav}</nav>"
    return _page(title, header, "".join(body))


def _sections(parts: ReportParts) -> list[tuple[str, str, str]]:
    """(id, title, HTML) of the sections of one comparison, the signatures aside (they
    come last, after any section made elsewhere)."""
    return [
        ("ranking", "Ranking", _ranking(parts)),
        ("plots", "Means with 95% CIs", _figures(parts.mean_plots, "mean")),
        ("significance", "Pairwise significance", _matrices(parts)),
        ("distributions", "Score distributions", _figures(parts.distribution_plots,
                                                           "distribution")),
        ("dataset", "Dataset", _card(parts.card)),
        ("diff", "Items where the top pair differs most", _diff(parts)),
    ]


def _page(title: str, header: str, body: str) -> str:
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{_e(title)}</h1>{header}</header>{body}</body></html>\n")


def _e(value: Any) -> str:
    return escape_html(str(value))


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def fmt_p(value: float | None) -> str:
    """A p-value for people: three decimals, ``< 0.001`` below that (the JSON keeps
    every digit)."""
    if value is None:
        return "-"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def _scale(result: CompareResult, key: str) -> str:
    return "as is" if result.scales.get(key, 100.0) == 1.0 else "x100"


def _label(row: Row) -> str:
    badge = '<span class="badge">upper bound</span>' if row.upper_bound else ""
    return f"<bdi>{_e(row.label)}</bdi>{badge}"


def _intro(parts: ReportParts) -> str:
    result = parts.result
    lines = [f"Generated {_e(parts.generated)}. Scores in [0, 1] are shown x100, counts "
             "and unbounded ratios as they are (each column says which); "
             f"means with 95% bootstrap CIs. Tests: {_e(', '.join(result.tests))}, "
             f"{_e(result.resamples)} resamples, seed {_e(result.settings.seed)}, "
             f"holm correction, alpha {_e(result.settings.alpha)}."]
    notes = list(result.notes) + list(parts.notes)
    items = "".join(f"<li>{_e(note)}</li>" for note in notes)
    return f"<p>{lines[0]}</p>" + (f'<ul class="notes">{items}</ul>' if notes else "")


def _ranking(parts: ReportParts) -> str:
    head = "".join(f"<th>{_e(key)} <small>({_scale(parts.result, key)})</small></th>"
                   for key in parts.metrics)
    rows = []
    for rank, row in enumerate(parts.result.rows, start=1):
        cells = []
        for key in parts.metrics:
            cell = row.metrics.get(key)
            if cell is None or cell.mean is None:
                cells.append("<td>-</td>")
                continue
            group = f' <sup class="group">{_e(cell.group)}</sup>' if cell.group else ""
            interval = (f" <small>[{_num(cell.low)}, {_num(cell.high)}]</small>"
                        if cell.low is not None and cell.high is not None and cell.n > 1
                        else "")
            cells.append(f"<td>{_num(cell.mean)}{interval}{group}</td>")
        css = ' class="upper-bound"' if row.upper_bound else ""
        place = "-" if row.upper_bound else str(rank)
        rows.append(f'<tr{css} data-label="{_e(row.label)}"><td>{place}</td>'
                    f'<td class="label">{_label(row)}</td>'
                    f'<td class="group">{_e(row.group or "-")}</td><td>{row.n}</td>'
                    + "".join(cells) + "</tr>")
    return ('<table class="ranking"><thead><tr><th>#</th><th class="label">label</th>'
            f'<th>group</th><th>n</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
            "</table><p>Systems that share a group letter (per metric, beside each mean; "
            f"the group column is that of {_e(parts.result.rank_by)}"
            ", which ranks the rows) are not significantly different after Holm's "
            "correction. Upper bounds read the reference: they are shown for scale, never "
            "ranked or tested.</p>")


def _figures(images: Mapping[str, bytes], kind: str) -> str:
    out = []
    for metric, svg in images.items():
        data = base64.b64encode(svg).decode("ascii")
        out.append(f'<figure class="plot {kind}" data-metric="{_e(metric)}">'
                   f'<img alt="{_e(kind)} plot of {_e(metric)}" '
                   f'src="data:image/svg+xml;base64,{data}"><figcaption>{_e(metric)}'
                   "</figcaption></figure>")
    return f'<div class="plots">{"".join(out)}</div>' if out else "<p>No plot.</p>"


def _matrices(parts: ReportParts) -> str:
    real = [row.label for row in parts.result.rows if not row.upper_bound]
    if len(real) < 2:
        return "<p>Fewer than two systems (upper bounds aside): nothing to test.</p>"
    out = ["<p>Each cell: mean difference row minus column, on the metric's scale; "
           "coloured when significant after correction; hover for the p-values and the "
           "interval of the difference. Blank: not tested.</p>"]
    for metric in parts.metrics:
        pairs = parts.result.pairs_of(metric)
        if not pairs:
            continue
        head = "".join(f'<th class="label"><bdi>{_e(label)}</bdi></th>' for label in real)
        body = []
        for a in real:
            cells = [_matrix_cell(pairs, a, b) for b in real]
            body.append(f'<tr><th class="label"><bdi>{_e(a)}</bdi></th>{"".join(cells)}</tr>')
        out.append(f'<h3>{_e(metric)} <small>({_scale(parts.result, metric)})</small></h3>'
                   f'<table class="matrix" data-metric="{_e(metric)}">'
                   f'<thead><tr><th></th>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
                   "</table>")
    return "".join(out)


def _matrix_cell(pairs: Mapping[tuple[str, str], Pair], a: str, b: str) -> str:
    if a == b:
        return '<td class="diag">—</td>'
    pair, sign = pairs.get((a, b)), 1.0
    if pair is None:
        pair, sign = pairs.get((b, a)), -1.0
    if pair is None or pair.diff is None:
        return "<td></td>"
    diff = sign * pair.diff
    css = ("sig-pos" if diff > 0 else "sig-neg") if pair.significant else "ns"
    title = (f"p bootstrap {fmt_p(pair.p_bootstrap)}, p randomization "
             f"{fmt_p(pair.p_randomization)}, Holm-adjusted {fmt_p(pair.p_adjusted)}")
    if pair.mde is not None:
        title += f"; mde {pair.mde:.2f} (smaller true differences are not reliably detected)"
    if pair.low is not None and pair.high is not None:
        low, high = sorted((sign * pair.low, sign * pair.high))
        title = f"95% CI [{low:.2f}, {high:.2f}]; " + title
    mark = "*" if pair.significant else ""
    return f'<td class="{css}" title="{_e(title)}">{diff:+.2f}{mark}</td>'


def _card(card: DatasetCard) -> str:
    facts = [("name", card.name), ("identity", card.identity),
             ("items scored", card.items), ("path", card.path or "-")]
    out = ('<table class="card"><tbody>' + "".join(
        f'<tr><th class="label">{_e(k)}</th><td class="label"><bdi>{_e(v)}</bdi></td></tr>'
        for k, v in facts) + "</tbody></table>")
    stats = card.stats
    if stats is None:
        return out + f"<p>{_e(card.note or 'Length statistics unavailable.')}</p>"
    rows = []
    for key in ("article_words", "article_chars", "summary_words", "summary_chars"):
        s = stats[key]
        rows.append(f"<tr><td class=\"label\">{_e(key)}</td>" + "".join(
            f"<td>{_num(s[part]) if part in ('mean', 'median') else _e(s[part])}</td>"
            for part in ("mean", "median", "min", "max")) + "</tr>")
    bullets = ", ".join(f"{n} bullets: {count}" for n, count in
                        stats["bullets_per_summary"].items())
    references = ", ".join(f"{n}: {count}" for n, count in
                           stats.get("references_per_item", {}).items())
    dates = stats["dates"]
    return (out + '<table class="lengths"><thead><tr><th class="label">length</th>'
            "<th>mean</th><th>median</th><th>min</th><th>max</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            f"<p>Bullets per summary: {_e(bullets)}. References per item: "
            f"{_e(references or '-')}. Dates: {_e(dates['first'] or '-')} to "
            f"{_e(dates['last'] or '-')} ({_e(dates['with_date'])} dated, "
            f"{_e(dates['without_date'])} undated). Words split at whitespace.</p>")


def _diff(parts: ReportParts) -> str:
    diff = parts.diff
    if diff is None:
        return f"<p>{_e(parts.diff_note or 'No pair to compare.')}</p>"
    out = [f"<p>A = <bdi>{_e(diff.label_a)}</bdi>, B = <bdi>{_e(diff.label_b)}</bdi>, on "
           f"{_e(diff.metric)}: the {len(diff.items)} of {diff.shared} shared items where "
           "|A - B| is largest.</p>"]
    for rank, item in enumerate(diff.items, start=1):
        bullets = "".join(f"<li>{_e(b)}</li>" for b in item.bullets)
        out.append(
            f'<div class="item" data-id="{_e(item.id)}"><h3>{rank}. <bdi>{_e(item.id)}</bdi>'
            f": A {item.a.score:.2f}, B {item.b.score:.2f} ({item.difference:+.2f})</h3>"
            f'<p class="caption">Article (start)</p>'
            f'<div dir="rtl" lang="ar" class="rtl article">{_e(item.article_excerpt)}</div>'
            f'<p class="caption">Reference bullets</p>'
            f'<div dir="rtl" lang="ar" class="rtl reference"><ul>{bullets}</ul></div>'
            f'<div class="pred">{_side("A", diff.label_a, item.a)}'
            f'{_side("B", diff.label_b, item.b)}</div></div>')
    return "".join(out)


def _side(name: str, label: str, side: Side) -> str:
    lines = "<br>".join(_e(line) for line in side.prediction.splitlines())
    entities = ""
    if side.missed is not None:
        entities = (f'<p class="entities">missed: <bdi>{_e(", ".join(side.missed) or "-")}'
                    f'</bdi>; invented: <bdi>{_e(", ".join(side.invented or []) or "-")}'
                    "</bdi></p>")
    return (f"<div><strong>{name} <bdi>{_e(label)}</bdi> ({side.score:.2f})</strong>"
            f'<div dir="rtl" lang="ar" class="rtl prediction">{lines}</div>{entities}</div>')


def _signatures(parts: ReportParts) -> str:
    rows = [(key, value) for key, value in _flatten(parts.result.signatures)]
    for run in parts.runs:
        rows.append((f"model of {run.label}", run.signature))
    body = "".join(f'<tr><td class="label"><bdi>{_e(k)}</bdi></td><td class="label">'
                   f'<code class="signature">{_e(v)}</code></td></tr>' for k, v in rows)
    runs = "".join(f"<li><bdi>{_e(run.label)}</bdi>: <code>{_e(run.run_dir)}</code></li>"
                   for run in parts.runs)
    return (f'<table class="signatures"><tbody>{body}</tbody></table>'
            f"<p>Run folders:</p><ul>{runs}</ul>")


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        out = []
        for key, inner in value.items():
            out += _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
        return out
    return [(prefix, value if isinstance(value, str) else str(value))]
