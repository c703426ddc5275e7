"""A run on disk (DESIGN §9) as one value: its folder, its record and its per-item
values.

``<output>/<run-id>/run.json`` is the `RunRecord`; ``items.jsonl`` holds one line per
example (appended by the harness through `benchmark.jsonl`, so a torn last line from a
killed process or a full disk is skipped when read). A `Run` reads ``items.jsonl`` at
most once, the first time its values are asked for, keeping each scored item's numbers
and where its line starts: `values` answers from memory and `line` reads one line back
(for the texts of the few items a diff shows).

    run = Run.open("results/<run-id>")
    run.record.aggregates["rouge2_f"].mean, run.values("rouge2_f")["<item id>"]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from benchmark import jsonl
from benchmark.errors import DataError
from benchmark.runs.record import RunRecord

RUN_FILE = "run.json"
ITEMS_FILE = "items.jsonl"
DAMAGED_HINT = ("the file was edited or damaged: restore it, or delete the run folder and "
                "run again (cached predictions are reused)")


@dataclass
class ItemValues:
    """The numbers of a run's scored items, by key then item id, and where each item's
    line starts in ``items.jsonl`` (None for items built in memory)."""

    by_key: dict[str, dict[str, float]] = field(default_factory=dict)
    offsets: dict[str, int] = field(default_factory=dict)
    scored: int = 0
    ids: dict[str, None] = field(default_factory=dict)  # scored item ids, in file order

    @classmethod
    def of_lines(cls, lines: Iterable[dict[str, Any]]) -> "ItemValues":
        """From item lines held in memory (tests, synthetic runs)."""
        values = cls()
        for line in lines:
            values.add(line)
        return values

    def add(self, line: dict[str, Any], offset: int | None = None) -> None:
        if line.get("error"):
            return
        item_id = line["id"]
        self.scored += 1
        self.ids[item_id] = None
        if offset is not None:
            self.offsets[item_id] = offset
        for key, value in line.items():
            if isinstance(value, (int, float)):
                self.by_key.setdefault(key, {})[item_id] = value


@dataclass(eq=False)
class Run:
    """A run folder and its record; the items are read when first needed, once."""

    path: Path
    record: RunRecord
    _values: ItemValues | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: str | Path) -> "Run":
        """The run in folder `path`; `BenchmarkError` when it holds no readable record."""
        path = Path(path)
        return cls(path, RunRecord.read(path / RUN_FILE))

    @classmethod
    def in_memory(cls, path: str | Path, record: RunRecord,
                  items: Iterable[dict[str, Any]]) -> "Run":
        """A run whose item lines are given (nothing is read from `path`)."""
        return cls(Path(path), record, ItemValues.of_lines(items))

    @property
    def run_file(self) -> Path:
        return self.path / RUN_FILE

    @property
    def items_file(self) -> Path:
        return self.path / ITEMS_FILE

    @property
    def label(self) -> str:
        return self.record.shown_label

    @property
    def run_id(self) -> str:
        return self.path.name

    def save(self) -> None:
        """Write the record (atomically)."""
        self.record.write(self.run_file)

    # -- items ------------------------------------------------------------------------
    def iter_items(self) -> Iterator[dict[str, Any]]:
        """The complete item lines; a torn last line (killed mid-write) is skipped."""
        for _, line in self._iter_lines():
            yield line

    def values(self, key: str) -> dict[str, float]:
        """Per-item values of `key` (scored items that have one), by item id."""
        return self._item_values().by_key.get(key, {})

    def item_ids(self) -> list[str]:
        """The ids of the scored items, in the order of ``items.jsonl``."""
        return list(self._item_values().ids)

    def line(self, item_id: str) -> dict[str, Any]:
        """The whole line of scored item `item_id`, read back from ``items.jsonl``."""
        offset = self._item_values().offsets[item_id]
        with open(self.items_file, "rb") as handle:
            return jsonl.read_at(handle, offset)

    def _item_values(self) -> ItemValues:
        if self._values is None:
            values = ItemValues()
            for offset, line in self._iter_lines():
                values.add(line, offset)
            check_item_count(self, expected=self.record.scored, scored=values.scored)
            self._values = values
        return self._values

    def _iter_lines(self) -> Iterator[tuple[int, dict[str, Any]]]:
        if not self.items_file.exists():
            return
        for offset, line in jsonl.iter_lines_at(self.items_file, required=("id",),
                                                hint=DAMAGED_HINT):
            yield offset, line.record

    def compact_items(self) -> set[str]:
        """Rewrite items.jsonl keeping one successful line per id (dropping a torn last
        line and failed items, which will be retried); return the ids kept."""
        if not self.items_file.exists():
            return set()
        kept: dict[str, dict] = {}
        for line in self.iter_items():
            if not line.get("error"):
                kept.setdefault(str(line["id"]), line)
        jsonl.rewrite(self.items_file, kept.values())
        self._values = None
        return set(kept)


def check_item_count(run: Run, *, expected: int | None, scored: int) -> None:
    """Raise when items.jsonl holds another number of scored items (`scored`) than
    run.json counts (`expected`): a torn or edited file, on which statistics would
    disagree with the `n` shown beside them."""
    if expected is None or expected == scored:
        return
    torn = "; its last line is cut off" if jsonl.torn_tail(run.items_file) else ""
    raise DataError(f"{scored} scored items, but {RUN_FILE} counts {expected}{torn}",
                    path=str(run.items_file), hint=DAMAGED_HINT)


def list_runs(root: Path) -> list[Path]:
    """Run folders directly under `root` (those holding a run.json), oldest first."""
    if not root.is_dir():
        return []
    return [path for path in sorted(root.iterdir()) if (path / RUN_FILE).is_file()]


def make_run_id(model: str, created: str, key: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-")[:60] or "model"
    stamp = created.replace("-", "").replace(":", "").replace("T", "-")[:15]
    return f"{stamp}-{slug}-{key[:6]}"
