"""A study's answers as rating lines (DESIGN §12), the format `bench meta` reads.

Likert: one line per system, criterion and annotator with ``score`` 1-5. Pairwise: one
line per pair, criterion and annotator with ``winner`` a|b|tie, where a is the summary
shown first. Units: one line per system and annotator whose every unit was answered,
``score`` the share of units marked present and ``units`` the answers. Pages marked
"cannot judge" are left out (and counted); comments ride along on their page's lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.human.store import Study
from benchmark.textshow import json_text


@dataclass(frozen=True)
class Export:
    lines: list[dict[str, Any]]
    cannot_judge: int  # pages left out
    incomplete: int  # units answers left out: some unit of the summary unanswered


def rating_lines(study: Study) -> Export:
    systems = study.systems()
    lines: list[dict[str, Any]] = []
    skipped: set[int] = set()
    units_answers: dict[tuple[int, int], list] = {}
    for row in study.all_rows():
        if row["cannot_judge"]:
            skipped.add(row["task"])
            continue
        shown = json.loads(row["shown"])
        base = {"item_id": row["example_id"], "annotator": row["annotator"],
                "criterion": row["criterion"]}
        extra = {"protocol": study.protocol, "answered_at": row["answered_at"],
                 **({"comment": row["comment"]} if row["comment"] else {})}
        if study.protocol == "likert":
            lines.append({**base, "system": systems[shown[row["slot"]]],
                          "score": int(row["value"]), "shown_position": row["slot"], **extra})
        elif study.protocol == "pairwise":
            lines.append({"item_id": row["example_id"], "system_a": systems[shown[0]],
                          "system_b": systems[shown[1]], "annotator": row["annotator"],
                          "criterion": row["criterion"], "winner": row["value"], **extra})
        else:
            units_answers.setdefault((row["task"], row["slot"]), []).append((row, base, extra))
    incomplete = 0
    for (_, slot), answers in units_answers.items():
        row, base, extra = answers[0]
        units = json.loads(row["units"])
        present = {a[0]["unit"]: a[0]["value"] == "1" for a in answers}
        if sorted(present) != list(range(len(units))):
            incomplete += 1
            continue
        shown = json.loads(row["shown"])
        lines.append({**base, "system": systems[shown[slot]],
                      "score": sum(present.values()) / len(units),
                      "units": [{"text": text, "present": present[u]}
                                for u, text in enumerate(units)],
                      "shown_position": slot,
                      **{**extra, "answered_at": max(a[0]["answered_at"] for a in answers)}})
    return Export(lines, len(skipped), incomplete)


def write_ratings(path: Path, lines: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json_text(line) + "\n")
