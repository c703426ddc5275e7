"""Rendering a `RunDiff` as terminal text, Markdown or JSON.

Texts come from models and datasets, so every format escapes them
(`benchmark.textshow`): terminal text shows control characters as ``\\xNN`` and bidi
controls as ``\\uNNNN`` (an ESC from a model cannot recolour or move the terminal, an
override cannot reorder a line), Markdown also backslash-escapes the characters that
would start markup or HTML, JSON writes them as JSON escapes.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from functools import partial

from benchmark.report.diff import RunDiff, Side
from benchmark.textshow import LINES, escape, json_text

DIFF_FORMATS = ("text", "md", "json")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~&-])")


def render_diff(diff: RunDiff, fmt: str) -> str:
    if fmt == "text":
        return _text(diff)
    if fmt == "md":
        return _markdown(diff)
    if fmt == "json":
        payload = asdict(diff)
        for item, diffed in zip(payload["items"], diff.items):
            item["difference"] = diffed.difference
        return json_text(payload, indent=2)
    raise ValueError(f"unknown diff format {fmt!r}")


def markdown_safe(text: str) -> str:
    """``text`` as literal Markdown: markup characters escaped, controls shown."""
    return _MARKDOWN.sub(r"\\\1", escape(str(text), keep=LINES))


def _header(diff: RunDiff) -> list[str]:
    return [f"{diff.metric}: A = {diff.label_a} ({diff.run_a}), B = {diff.label_b} "
            f"({diff.run_b})",
            f"dataset {diff.dataset}; {diff.shared} items scored by both; the "
            f"{len(diff.items)} where |A - B| is largest (scores x100 for [0, 1] metrics)"]


def _entities(side: Side) -> str | None:
    if side.missed is None:
        return None
    return (f"missed: {', '.join(side.missed) or '-'}; "
            f"invented: {', '.join(side.invented or []) or '-'}")


def _text(diff: RunDiff) -> str:
    safe = partial(escape, keep=LINES)
    lines = [safe(line) for line in _header(diff)]
    for rank, item in enumerate(diff.items, start=1):
        lines += ["", f"{rank}. {safe(item.id)}  A {item.a.score:.2f}  B {item.b.score:.2f}  "
                      f"(A - B = {item.difference:+.2f})",
                  f"   article: {safe(item.article_excerpt)}", "   reference:"]
        lines += [f"     - {safe(bullet)}" for bullet in item.bullets]
        for name, label, side in (("A", diff.label_a, item.a), ("B", diff.label_b, item.b)):
            lines.append(f"   {name} {safe(label)} ({side.score:.2f}):")
            lines += [f"     {safe(line)}" for line in side.prediction.splitlines() or [""]]
            entities = _entities(side)
            if entities is not None:
                lines.append(f"     entities {safe(entities)}")
    return "\n".join(lines)


def _markdown(diff: RunDiff) -> str:
    safe = markdown_safe
    lines = [f"## bench diff: {safe(diff.metric)}", ""]
    lines += [safe(line) + "  " for line in _header(diff)]
    for rank, item in enumerate(diff.items, start=1):
        lines += ["", f"### {rank}. {safe(item.id)}: A {item.a.score:.2f}, "
                      f"B {item.b.score:.2f} (A \\- B = {item.difference:+.2f})", "",
                  f"**Article:** {safe(item.article_excerpt)}", "", "**Reference:**", ""]
        lines += [f"* {safe(bullet)}" for bullet in item.bullets]
        lines += _markdown_side("A", diff.label_a, item.a) + _markdown_side("B", diff.label_b,
                                                                            item.b)
    return "\n".join(lines)


def _markdown_side(name: str, label: str, side: Side) -> list[str]:
    lines = ["", f"**{name} {markdown_safe(label)}** ({side.score:.2f}):", ""]
    lines += [f"> {markdown_safe(line)}" for line in side.prediction.splitlines() or [""]]
    entities = _entities(side)
    if entities is not None:
        lines += ["", f"Entities {markdown_safe(entities)}"]
    return lines

