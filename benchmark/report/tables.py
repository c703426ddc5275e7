"""One presentation layer: a typed table rendered as text, Markdown, CSV, JSON or HTML.

Every command that prints numbers builds a `Table` (columns, typed cells, notes) and
hands it to `render`. Numbers are formatted in one place, so all formats show the same
digits on the same scale, and every format escapes what it must: control and bidi
characters in all of them (`benchmark.textshow`: visible escapes, JSON escapes in JSON),
then pipes and raw HTML (Markdown), spreadsheet formulas (CSV cells that start with
``= + - @``) and HTML special characters (HTML).
"""

from __future__ import annotations

import csv
import enum
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Union

from benchmark.textshow import LINES, escape, json_text

class Format(str, enum.Enum):
    text = "text"
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"


@dataclass(frozen=True)
class Number:
    """A value shown with a fixed number of decimals (None: missing, shown as ``-``)."""

    value: float | None
    digits: int = 2


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95% interval and, optionally, its group letters."""

    mean: float | None
    low: float | None
    high: float | None
    group: str = ""
    digits: int = 2


Cell = Union[str, int, Number, Estimate, None]


@dataclass(frozen=True)
class Column:
    key: str
    title: str = ""
    align: str = "left"  # or "right"

    @property
    def heading(self) -> str:
        return self.title or self.key


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    title: str = ""
    # Values that hold for every row (the seed, the resample count): a CSV, which has
    # no notes, repeats them as last columns; the other formats state them in the notes.
    constants: dict[str, Union[str, int, float]] = field(default_factory=dict)
    # How each number was computed (name -> signature), shown after the notes as
    # ``signature NAME: VALUE``; a terminal may shorten them to its width.
    signatures: dict[str, str] = field(default_factory=dict)
    # Leading columns (the labels) repeated in each part of a table too wide to print.
    sticky: int = 1

    @property
    def all_notes(self) -> list[str]:
        return self.notes + [f"signature {name}: {value}"
                             for name, value in self.signatures.items()]


# -- formatting cells -------------------------------------------------------------------

def fmt_number(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 example``, ``2 examples`` (`many` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def cell_text(cell: Cell) -> str:
    """The one way a cell reads, in every format that shows text."""
    if cell is None:
        return "-"
    if isinstance(cell, Number):
        return fmt_number(cell.value, cell.digits)
    if isinstance(cell, Estimate):
        text = fmt_number(cell.mean, cell.digits)
        if cell.low is not None and cell.high is not None:
            text += f" [{fmt_number(cell.low, cell.digits)}, {fmt_number(cell.high, cell.digits)}]"
        return text + (f" {cell.group}" if cell.group else "")
    return str(cell)


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# -- escaping ---------------------------------------------------------------------------

def escape_markdown(text: str) -> str:
    """A cell that cannot break the table or inject HTML: pipes, backslashes and
    emphasis characters escaped, ``< > &`` as entities, control characters escaped."""
    text = escape(text).replace("\\", "\\\\")
    text = html.escape(text, quote=False)
    return re.sub(r"([|*_`\[\]])", r"\\\1", text)


def escape_csv(text: str) -> str:
    """Text cells that a spreadsheet would read as a formula get a leading quote
    (OWASP's advice for CSV injection); numbers are written as numbers. Control and
    bidi characters are shown escaped."""
    text = escape(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def escape_html(text: str) -> str:
    """HTML text or attribute value: ``& < > " '`` as entities, control and bidi
    characters shown escaped (newline and tab kept)."""
    return html.escape(escape(text, keep=LINES), quote=True)


# -- renderers --------------------------------------------------------------------------

def render(table: Table, fmt: Format | str, *, width: int | None = None,
           full_signatures: bool = True) -> str:
    """`table` in `fmt`; text is fitted to `width` columns when given (see
    `render_text`), other formats ignore it."""
    fmt = Format(fmt)
    if fmt is Format.text:
        return render_text(table, width=width, full_signatures=full_signatures)
    return {Format.md: render_markdown, Format.csv: render_csv,
            Format.json: lambda t: json_text(table_json(t), indent=2),
            Format.html: render_html_document}[fmt](table)


def render_text(table: Table, *, width: int | None = None,
                full_signatures: bool = True) -> str:
    """Aligned columns. With a `width`, a table wider than it is printed in parts
    (the `sticky` label columns repeated in each) and, unless `full_signatures`,
    signatures are cut to one line each. Notes stay whole (a terminal wraps them
    without harm; a search for their text still finds them)."""
    headers = [escape(c.heading) for c in table.columns]
    rows = [[escape(cell_text(cell)) for cell in row] for row in table.rows]
    widths = [max(_width(cell) for cell in column) for column in zip(headers, *rows)]
    lines = [escape(table.title)] if table.title else []
    for number, part in enumerate(_column_parts(widths, table.sticky, width)):
        if number:
            lines.append("")

        def line(cells: list[str]) -> str:
            return "  ".join(_pad(cells[i], widths[i], table.columns[i].align)
                             for i in part).rstrip()

        lines += [line(headers), "  ".join("-" * widths[i] for i in part)]
        lines += [line(row) for row in rows]
    lines += [escape(note) for note in table.notes]
    shortened = False
    for name, value in table.signatures.items():
        text = escape(f"signature {name}: {value}")
        if width is not None and not full_signatures and _width(text) > width:
            text, shortened = shorten_signature(text, width), True
        lines.append(text)
    if shortened:
        lines.append("(signatures shortened to the terminal's width; --verbose shows them "
                     "whole)")
    return "\n".join(lines)


def _column_parts(widths: list[int], sticky: int, width: int | None) -> list[list[int]]:
    """Column indices per printed part: all in one when they fit in `width`, else the
    `sticky` columns plus as many others as fit (at least one) in each part."""
    every = list(range(len(widths)))
    if width is None or sum(widths) + 2 * (len(widths) - 1) <= width or len(widths) <= sticky + 1:
        return [every]
    fixed = every[:sticky]
    base = sum(widths[i] for i in fixed) + 2 * max(len(fixed) - 1, 0)
    parts: list[list[int]] = []
    current: list[int] = []
    used = base
    for i in every[sticky:]:
        extra = widths[i] + 2
        if current and used + extra > width:
            parts.append(fixed + current)
            current, used = [], base
        current.append(i)
        used += extra
    parts.append(fixed + current)
    return parts


def shorten_signature(text: str, width: int) -> str:
    """The leading ``|``-separated fields of `text` that fit in `width` columns, then
    ``|…``: a signature recognizable on one terminal line."""
    fields = text.split("|")
    kept = fields[0]
    for part in fields[1:]:
        if _width(kept) + 1 + _width(part) + 2 > width:
            break
        kept += "|" + part
    return kept + "|…" if kept != text else text


def _width(text: str) -> int:
    """Columns a terminal uses: combining marks (tashkeel) take none."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int, align: str) -> str:
    space = " " * (width - _width(text))
    return space + text if align == "right" else text + space


def render_markdown(table: Table) -> str:
    lines = [f"**{escape_markdown(table.title)}**", ""] if table.title else []
    lines.append("| " + " | ".join(escape_markdown(c.heading) for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.align == "right" else "---"
                                for c in table.columns) + "|")
    lines += ["| " + " | ".join(_markdown_cell(cell) for cell in row) + " |"
              for row in table.rows]
    if table.all_notes:
        lines.append("")
        lines += [escape_markdown(note) + "  " for note in table.all_notes]
    return "\n".join(lines).rstrip()


def _markdown_cell(cell: Cell) -> str:
    if isinstance(cell, (Number, Estimate)):  # our own digits, letters and brackets
        return cell_text(cell)
    return escape_markdown(cell_text(cell))


def _csv_headers(column: Column, sample: Cell) -> list[str]:
    if isinstance(sample, Estimate):
        return [f"{column.key}_mean", f"{column.key}_low", f"{column.key}_high",
                f"{column.key}_group"]
    return [column.key]


def _csv_values(cell: Cell, *, estimate: bool) -> list[object]:
    if estimate:
        if not isinstance(cell, Estimate):
            return ["", "", "", ""]
        return [fmt_number(cell.mean, cell.digits) if cell.mean is not None else "",
                fmt_number(cell.low, cell.digits) if cell.low is not None else "",
                fmt_number(cell.high, cell.digits) if cell.high is not None else "",
                escape_csv(cell.group)]
    if isinstance(cell, Number):
        return ["" if cell.value is None else fmt_number(cell.value, cell.digits)]
    if cell is None:
        return [""]
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return [cell]
    return [escape_csv(str(cell))]


def render_csv(table: Table) -> str:
    """One header row, then the rows; estimates split into mean, low, high and group
    columns, then the table's constants. Notes are not part of a CSV (the JSON carries
    them)."""
    estimate = [any(isinstance(row[i], Estimate) for row in table.rows)
                for i in range(len(table.columns))]
    headers: list[str] = []
    for column, is_estimate in zip(table.columns, estimate):
        headers += _csv_headers(column, Estimate(None, None, None) if is_estimate else None)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([escape_csv(h) for h in headers + list(table.constants)])
    for row in table.rows:
        values: list[object] = []
        for cell, is_estimate in zip(row, estimate):
            values += _csv_values(cell, estimate=is_estimate)
        for constant in table.constants.values():
            values += _csv_values(constant, estimate=False)
        writer.writerow(values)
    return buffer.getvalue().rstrip("\n")


def json_cell(cell: Cell) -> object:
    if isinstance(cell, Number):
        return _rounded(cell.value, cell.digits + 2)
    if isinstance(cell, Estimate):
        return {"mean": cell.mean, "low": cell.low, "high": cell.high,
                **({"group": cell.group} if cell.group else {})}
    return cell


def table_json(table: Table) -> dict:
    return {"title": table.title,
            "columns": [c.key for c in table.columns],
            "rows": [{c.key: json_cell(cell) for c, cell in zip(table.columns, row)}
                     for row in table.rows],
            "notes": table.all_notes}


def render_html_table(table: Table) -> str:
    """The table as an HTML fragment (``<table>`` and its notes), everything escaped;
    cells get ``dir="auto"`` so Arabic labels read right to left."""
    head = "".join(f'<th scope="col">{escape_html(c.heading)}</th>' for c in table.columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td dir="auto"{_html_align(column)}>{escape_html(cell_text(cell))}</td>'
            for column, cell in zip(table.columns, row)) + "</tr>\n"
        for row in table.rows)
    caption = f"<caption>{escape_html(table.title)}</caption>" if table.title else ""
    notes = "".join(f'<p class="note" dir="auto">{escape_html(n)}</p>\n'
                    for n in table.all_notes)
    return (f"<table>{caption}<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>"
            f"</table>\n{notes}")


def _html_align(column: Column) -> str:
    return ' style="text-align:right"' if column.align == "right" else ""


def render_html_document(table: Table) -> str:
    """A standalone page: doctype, UTF-8, the table and its notes."""
    title = escape_html(table.title or "bench")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n<style>table{{border-collapse:collapse}}"
            "td,th{border:1px solid #ccc;padding:2px 6px;font-family:sans-serif}"
            "</style>\n</head>\n<body>\n" + render_html_table(table) + "</body>\n</html>")
