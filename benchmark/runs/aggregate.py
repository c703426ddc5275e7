"""From a run's stored per-item lines to its corpus-level numbers (DESIGN §9).

Everything here reads ``items.jsonl`` back, so a resumed run, a re-scored run and an
uninterrupted one report the same aggregates for the same items. The lines are read one
at a time and only their numbers kept, in columns (`ItemTable`), so what a run holds
per item is a few pointers per value, not a dict per line.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from benchmark.metrics.base import Metric
from benchmark.runs.record import (Aggregate, ErrorCount, Failure, Failures, ItemCounts, Latency,
                                   MetricFailures, TokenUsage)
from benchmark.runs.run import Run
from benchmark.scorer import Scorer
from benchmark.stats.bootstrap import bootstrap_cis
from benchmark.textshow import json_text

MAX_LISTED_FAILURES = 20


@dataclass
class RunSummary:
    """What a run's items add up to: the record's aggregates, corpus values, counts,
    failures, token usage and latency percentiles."""

    aggregates: dict[str, Aggregate]
    corpus: dict[str, Any]
    items: ItemCounts
    failures: Failures
    usage: TokenUsage
    latency: Latency | None


def summarize_items(run: Run, scorer: Scorer, *, seed: int, max_failures: int) -> RunSummary:
    """Aggregates (mean, 95% CI, n, direction), corpus values, counts, failures,
    token usage and latency percentiles of the items in `run`."""
    tally = ItemTally(scorer)
    for line in run.iter_items():
        tally.add(line)
    return tally.summary(seed=seed, max_failures=max_failures)


class ItemTally:
    """What `summarize_items` keeps of each item line, a line at a time: a run that
    wrote every line of its items.jsonl itself adds them as it writes them
    (`add_written`) instead of reading the file back."""

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        self.scored = ItemTable()
        self.latencies: list[float] = []
        self.usage: dict[str, int] = {}
        self.failures: list[Failure] = []
        self.metric_failures: dict[str, MetricFailures] = {}
        self.error_keys = scorer.error_keys()
        self.truncated = self.cached = 0

    def add(self, line: Mapping[str, Any]) -> None:
        """One line as read back from items.jsonl."""
        if line.get("error"):
            self.failures.append(Failure(id=line["id"], error=line["error"]))
            return
        _count_metric_errors(line, self.error_keys, self.metric_failures)
        self.scored.append_numbers(line)  # keep memory to the numbers
        if line.get("latency_s") is not None and not line.get("cached"):
            self.latencies.append(line["latency_s"])
        for name, count in (line.get("usage") or {}).items():
            if isinstance(count, (int, float)):
                self.usage[name] = self.usage.get(name, 0) + count
        self.truncated += bool(line.get("truncated"))
        self.cached += bool(line.get("cached"))

    def add_written(self, line: Mapping[str, Any]) -> None:
        """One line as written to items.jsonl: each value that JSON would not give back
        as it is (a tuple, a numpy number, ...) goes through JSON first, so the tally is
        the one of the line read back."""
        if not _KEPT_BY_JSON.issuperset(map(type, line.values())) and any(
                _as_read_back(value) is not value for value in line.values()
                if type(value) not in _KEPT_BY_JSON):  # a list, a dict: a few a line
            line = {key: _as_read_back(value) for key, value in line.items()}
        self.add(line)

    def summary(self, *, seed: int, max_failures: int) -> RunSummary:
        scorer, scored, failures = self.scorer, self.scored, self.failures
        keys = scorer.keys()
        aggregates = {}
        intervals = bootstrap_cis({k: scored.defined(k) for k in keys}, seed=seed)
        for k in keys:
            ci = intervals[k]
            # One item has no interval (a zero-width one would look like certainty).
            bounds = [finite(ci.low), finite(ci.high)] if ci.n > 1 else [None, None]
            aggregates[k] = Aggregate(mean=finite(ci.mean), ci95=bounds, n=ci.n,
                                      direction=scorer.direction(k))
        corpus = {k: finite(v) for k, v in corpus_values(scorer, scored).items()
                  if k not in aggregates}
        latency = percentiles(self.latencies)
        return RunSummary(
            aggregates=aggregates, corpus=corpus,
            items=ItemCounts(total=len(scored) + len(failures), scored=len(scored),
                             cached=self.cached, truncated=self.truncated),
            failures=Failures(count=len(failures), max_allowed=max_failures,
                              first=failures[:MAX_LISTED_FAILURES],
                              errors=error_counts(failures),
                              metrics=self.metric_failures or None),
            usage=self.usage, latency=Latency(**latency) if latency else None)


# Values JSON reads back as they were written: same type, same value (a float's repr
# is read back to the same float, NaN and infinities included).
_KEPT_BY_JSON = frozenset({float, int, bool, str, type(None)})


def _as_read_back(value: Any) -> Any:
    """`value` as JSON gives it back, or a value `ItemTally.add` treats the same."""
    kind = type(value)
    if kind in _KEPT_BY_JSON:
        return value
    if kind is list and (not value or type(value[0]) is str):
        return value  # empty, or dropped as text either way (a list that begins with one)
    if kind is dict and all(type(key) is str and type(item) in _KEPT_BY_JSON
                            for key, item in value.items()):
        return value  # e.g. counts by name
    return json.loads(json_text(value))


def corpus_values(scorer: Scorer, items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """`Scorer.aggregate`, less the metrics that keep `Metric.aggregate`'s means of their
    keys: the intervals hold those means already (the same numbers)."""
    values: dict[str, Any] = {}
    for metric in scorer.metrics:
        if type(metric).aggregate is not Metric.aggregate:
            values.update(metric.aggregate(items))
    return values


def _count_metric_errors(line: Mapping[str, Any], error_keys: Mapping[str, str],
                         counts: dict[str, MetricFailures]) -> None:
    """Count the metrics that gave this scored item an error instead of values."""
    for metric, key in error_keys.items():
        error = line.get(key)
        if error:
            if metric in counts:
                counts[metric].count += 1
            else:
                counts[metric] = MetricFailures(count=1, first=str(error))


def error_counts(failures: Sequence[Failure], *,
                 listed: int = MAX_LISTED_FAILURES) -> list[ErrorCount]:
    """The first `listed` distinct errors, in order of first appearance, each with how
    many items it failed (over all failures, not only those listed under "first")."""
    counts: dict[str, int] = {}
    for failure in failures:
        counts[failure.error] = counts.get(failure.error, 0) + 1
    return [ErrorCount(error=error, count=count)
            for error, count in list(counts.items())[:listed]]


_ABSENT = object()  # a key an item line does not have
_FLOAT, _NONE, _MISSING = 2, 1, 0  # what a float column holds at a line


class _FloatColumn:
    """A column of floats (and None, and lines without the key) in 9 bytes a line."""

    __slots__ = ("numbers", "kinds")

    def __init__(self, length: int):
        self.numbers = array("d", bytes(8 * length))
        self.kinds = bytearray(length)  # _MISSING for the lines before the first value

    def append(self, value: Any) -> None:
        """Append a float, None or `_ABSENT` (nothing else reaches a float column)."""
        if type(value) is float:
            self.kinds.append(_FLOAT)
            self.numbers.append(value)
        else:
            self.kinds.append(_NONE if value is None else _MISSING)
            self.numbers.append(0.0)

    def pad(self, length: int) -> None:
        """Lines up to `length` that have no value yet: without the key."""
        missing = length - len(self.kinds)
        if missing > 0:
            self.kinds.extend(bytes(missing))
            self.numbers.frombytes(bytes(8 * missing))

    def __getitem__(self, index: int) -> Any:
        kind = self.kinds[index]
        return self.numbers[index] if kind == _FLOAT else None if kind == _NONE else _ABSENT

    def __len__(self) -> int:
        return len(self.kinds)

    def as_list(self) -> list[Any]:
        return [self[i] for i in range(len(self))]


class ItemTable(Sequence):
    """Item lines kept as columns: floats (with None) in arrays, other values (counts,
    flags) in lists; `_ABSENT` where a line lacks the key. Reading it gives a read-only
    mapping per line, what `Metric.aggregate` takes. A column catches up with the lines
    that lacked its key when it is next written or read (`_pad`), not at each such line:
    most lines lack most per-type entity keys."""

    def __init__(self) -> None:
        self._columns: dict[str, Any] = {}  # key -> _FloatColumn or list
        self._length = 0

    def append(self, line: Mapping[str, Any]) -> None:
        self._append(line, texts=False)

    def append_numbers(self, line: Mapping[str, Any]) -> None:
        """Append what metrics aggregate from an item line: its values and counts,
        without its texts (strings, and lists that begin with a string: the
        prediction, entity lists, the id)."""
        self._append(line, texts=True)

    def _append(self, line: Mapping[str, Any], *, texts: bool) -> None:
        """Append `line`'s values (less its texts, with `texts`); a column the line has
        no value for is left short, `_ABSENT` at this line once padded."""
        columns, length = self._columns, self._length
        for key, value in line.items():
            kind = type(value)
            column = columns.get(key)
            if kind is float and type(column) is _FloatColumn:  # the usual case
                kinds = column.kinds
                if len(kinds) != length:
                    column.pad(length)
                kinds.append(_FLOAT)
                column.numbers.append(value)
                continue
            if texts and (isinstance(value, str) or isinstance(value, list) and value
                          and isinstance(value[0], str)):
                continue  # kept no value at this line
            if column is None:
                column = columns[key] = (
                    _FloatColumn(length) if kind is float or value is None
                    else [_ABSENT] * length)
            else:
                _pad(column, length)
                if type(column) is _FloatColumn and not (kind is float or value is None):
                    column = columns[key] = column.as_list()  # not floats after all
            column.append(value)
        self._length = length + 1

    def _settle(self) -> dict[str, Any]:
        """The columns, each padded to every line (before they are read)."""
        length = self._length
        for column in self._columns.values():
            _pad(column, length)
        return self._columns

    def defined(self, key: str) -> Sequence[Any]:
        """The values of `key` in line order, without the lines that lack it or hold None
        (a float column's as one array of floats, 8 bytes a value)."""
        column = self._settle().get(key)
        if column is None:
            return []
        if isinstance(column, _FloatColumn):
            numbers = np.frombuffer(column.numbers, dtype=np.float64)
            return numbers[np.frombuffer(column.kinds, dtype=np.uint8) == _FLOAT]
        return [v for v in column if v is not _ABSENT and v is not None]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator["_Line"]:
        columns = self._settle()
        return (_Line(columns, index) for index in range(self._length))

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        return _Line(self._settle(), index)


def _pad(column: Any, length: int) -> None:
    """`column` (a `_FloatColumn` or a list) up to `length` lines, `_ABSENT` after its
    end."""
    if type(column) is _FloatColumn:
        column.pad(length)
    elif len(column) < length:
        column.extend([_ABSENT] * (length - len(column)))


class _Line(Mapping):
    """One line of an `ItemTable`, read-only."""

    __slots__ = ("_columns", "_index")

    def __init__(self, columns: dict[str, Any], index: int):
        self._columns = columns
        self._index = index

    def __getitem__(self, key: str) -> Any:
        value = self._columns[key][self._index]
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        column = self._columns.get(key)
        if column is None:
            return default
        index = self._index
        if type(column) is _FloatColumn:  # `_FloatColumn.__getitem__`, inline
            kind = column.kinds[index]
            return column.numbers[index] if kind == _FLOAT else None if kind == _NONE \
                else default
        value = column[index]
        return default if value is _ABSENT else value

    def __iter__(self) -> Iterator[str]:
        return (key for key, column in self._columns.items()
                if column[self._index] is not _ABSENT)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def percentiles(values: list[float]) -> dict[str, float] | None:
    """Mean, nearest-rank p50/p90/p99 and max; None without values."""
    if not values:
        return None
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(math.ceil(q * len(ordered))) - 1)]

    return {"mean": sum(ordered) / len(ordered), "p50": at(0.5), "p90": at(0.9),
            "p99": at(0.99), "max": ordered[-1]}


def finite(value: Any) -> Any:
    """NaN (an empty mean) as None, so run.json stays valid JSON."""
    return None if isinstance(value, float) and math.isnan(value) else value
