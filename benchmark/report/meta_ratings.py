"""Human ratings as `bench meta` reads them (DESIGN §12): the one reader of rating lines.

A file holds one protocol, told by its lines: ``winner`` (pairwise: system_a, system_b,
winner a|b|tie), ``units`` (a share of content units in ``score``), else Likert
(``score``, any numeric scale). `bench human export` writes such files; files made
elsewhere are read the same way (docs/human.md). From the lines come the two things
meta-evaluation needs: per criterion, a score per (item, system) averaged over
annotators, and a reliability table (units x annotators) for Krippendorff's alpha.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from benchmark.errors import DataError
from benchmark.report.meta_runs import read_json_lines

PROTOCOLS = ("likert", "pairwise", "units")
LEVEL_OF = {"likert": "ordinal", "pairwise": "nominal", "units": "interval"}
WINNERS = ("a", "b", "tie")
HINT = "see docs/human.md for the rating-line format"


@dataclass(frozen=True)
class Judgment:
    """One line: a score of one system (likert, units), or a winner between two."""

    item: str
    annotator: str
    criterion: str
    systems: tuple[str, ...]  # one, or (system_a, system_b)
    value: float | str  # score, or "a" | "b" | "tie"


@dataclass
class Ratings:
    path: str
    protocol: str
    judgments: list[Judgment]
    items: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.items = sorted({j.item for j in self.judgments})
        self.systems = sorted({s for j in self.judgments for s in j.systems})
        self.annotators = sorted({j.annotator for j in self.judgments})
        self.criteria = list(dict.fromkeys(j.criterion for j in self.judgments))

    @property
    def level(self) -> str:
        return LEVEL_OF[self.protocol]

    def scores(self, items: list[str], systems: list[str]) -> np.ndarray:
        """(criteria, items, systems): each system's score on each item, averaged over
        annotators (pairwise: the share of its comparisons won, a tie counting half,
        per annotator first). NaN where nobody rated it."""
        row = {item: i for i, item in enumerate(items)}
        column = {system: s for s, system in enumerate(systems)}
        shape = (len(self.criteria), len(items), len(systems))
        per_annotator: dict[tuple[int, int, int, str], list[float]] = {}
        for j in self.judgments:
            c = self.criteria.index(j.criterion)
            if j.item not in row:
                continue
            for system, points in _points(j):
                if system in column:
                    key = (c, row[j.item], column[system], j.annotator)
                    per_annotator.setdefault(key, []).append(points)
        sums, counts = np.zeros(shape), np.zeros(shape)
        for (c, i, s, _), points in per_annotator.items():
            sums[c, i, s] += sum(points) / len(points)
            counts[c, i, s] += 1
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / counts, np.nan)

    def reliability(self, criterion: str) -> tuple[np.ndarray, np.ndarray]:
        """Units x annotators (NaN: not rated) and each unit's item, for alpha. A unit
        is an (item, system) pair, or for pairwise an (item, pair of systems) whose
        value is the winner seen from the pair in sorted order (0 first, 1 second,
        2 tie)."""
        units: dict[tuple, int] = {}
        cells: dict[tuple[int, int], float] = {}
        annotator = {name: a for a, name in enumerate(self.annotators)}
        for j in self.judgments:
            if j.criterion != criterion:
                continue
            unit, value = _unit_value(j)
            u = units.setdefault((j.item, unit), len(units))
            cells[(u, annotator[j.annotator])] = value
        table = np.full((len(units), len(self.annotators)), np.nan)
        for (u, a), value in cells.items():
            table[u, a] = value
        items = np.array([item for item, _ in units], dtype=object)
        return table, items


def _points(j: Judgment) -> list[tuple[str, float]]:
    if len(j.systems) == 1:
        return [(j.systems[0], float(j.value))]
    a, b = j.systems
    won = {"a": 1.0, "b": 0.0, "tie": 0.5}[str(j.value)]
    return [(a, won), (b, 1.0 - won)]


def _unit_value(j: Judgment) -> tuple[tuple[str, ...], float]:
    if len(j.systems) == 1:
        return j.systems, float(j.value)
    ordered = tuple(sorted(j.systems))
    if j.value == "tie":
        return ordered, 2.0
    winner = j.systems[0] if j.value == "a" else j.systems[1]
    return ordered, float(ordered.index(winner))


# -- reading -------------------------------------------------------------------------------

def read_ratings(path: Path) -> Ratings:
    """Every rating line of `path`; raises `DataError` naming the line at fault."""
    judgments: list[Judgment] = []
    protocols: dict[str, int] = {}
    seen: dict[tuple, int] = {}
    for number, line in read_json_lines(path, hint=HINT):
        protocol = line.get("protocol") or _protocol_of(line)
        if protocol not in PROTOCOLS:
            raise DataError(f"protocol {protocol!r}: expected one of {', '.join(PROTOCOLS)}",
                            path=str(path), line=number, hint=HINT)
        first = protocols.setdefault(protocol, number)
        if len(protocols) > 1:
            raise DataError(f"a {protocol} rating in a file of {next(iter(protocols))} "
                            f"ratings (line {first} on); one protocol per file",
                            path=str(path), line=number, hint="export each study to its own file")
        judgment = _judgment(line, protocol, path=path, number=number)
        key = (judgment.item, judgment.annotator, judgment.criterion,
               tuple(sorted(judgment.systems)))
        if key in seen:
            raise DataError(f"{judgment.annotator!r} rated {judgment.criterion!r} of "
                            f"{', '.join(judgment.systems)} on item {judgment.item!r} again "
                            f"(first on line {seen[key]})", path=str(path), line=number,
                            hint="keep one rating per annotator, item, system and criterion")
        seen[key] = number
        judgments.append(judgment)
    if not judgments:
        raise DataError("no rating in the file", path=str(path), hint=HINT)
    return Ratings(str(path), next(iter(protocols)), judgments)


def _protocol_of(line: dict[str, Any]) -> str:
    if "winner" in line:
        return "pairwise"
    return "units" if "units" in line else "likert"


def _judgment(line: dict[str, Any], protocol: str, *, path: Path, number: int) -> Judgment:
    fields = (("item_id", "system_a", "system_b", "annotator", "criterion", "winner")
              if protocol == "pairwise" else
              ("item_id", "system", "annotator", "criterion", "score"))
    for name in fields:
        value = line.get(name)
        if name not in line or value is None or (isinstance(value, str) and not value.strip()):
            raise DataError(f"no {name!r} in this {protocol} rating", path=str(path),
                            line=number, hint=HINT)
    text = {name: str(line[name]) for name in fields if name not in ("score", "winner")}
    if protocol == "pairwise":
        winner = str(line["winner"]).lower()
        if winner not in WINNERS:
            raise DataError(f"winner {line['winner']!r}: expected a, b or tie",
                            path=str(path), line=number, hint=HINT)
        if text["system_a"] == text["system_b"]:
            raise DataError(f"system_a and system_b are both {text['system_a']!r}",
                            path=str(path), line=number, hint=HINT)
        return Judgment(text["item_id"], text["annotator"], text["criterion"],
                        (text["system_a"], text["system_b"]), winner)
    score = line["score"]
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
        raise DataError(f"score {score!r}: expected a number", path=str(path), line=number,
                        hint=HINT)
    if protocol == "units" and not 0 <= score <= 1:
        raise DataError(f"score {score!r}: a share of units is between 0 and 1",
                        path=str(path), line=number, hint=HINT)
    return Judgment(text["item_id"], text["annotator"], text["criterion"], (text["system"],),
                    float(score))


def ratings_from_lines(lines: Sequence[dict[str, Any]], *, protocol: str,
                       name: str = "<study>") -> Ratings:
    """`read_ratings` for lines of one protocol already in memory (the annotation
    app's admin page)."""
    judgments = [_judgment(line, protocol, path=Path(name), number=n)
                 for n, line in enumerate(lines, start=1)]
    return Ratings(name, protocol, judgments)
