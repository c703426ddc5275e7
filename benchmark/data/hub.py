"""Datasets from the Hugging Face hub (or a local folder laid out like a hub repository).

A source is written ``hf:ID[:CONFIG][:SPLIT]``: ``hf:csebuetnlp/xlsum:arabic:test``, or a
local folder ``hf:./my_hub_copy:arabic:test``. It is read through
``datasets.load_dataset`` (the hub when it can be reached; its local cache otherwise,
or at once with a one-line error naming the cache and the local folder to use:
`benchmark.hub`). With a limit and a network the split is streamed and only the first
N rows are read.

Rows go through the same rules as every other input (`tabular.example_from_row`) after
a column mapping, so the same records read from a hub dataset or from a JSONL file give
the same examples and the same identity hash:

- article: ``article``, ``text`` or ``document``;
- summary: ``summary``, ``highlights`` or ``target`` (text; one bullet per line), or the
  lists ``summary_bullets`` / ``bullets``;
- id: ``id``, else ``url``.

A registry entry may name other columns (``columns: {article: body, summary: headline,
references: annotators}``); a ``references`` column is read as in JSON Lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from benchmark.data.tabular import Parsed, rename_columns, rows_to_examples
from benchmark.errors import DataError
from benchmark.hub import datasets_cache, hf_home, hub_cache, in_cache, offline_reason, quiet_hub

PREFIX = "hf:"
ARTICLE_COLUMNS = ("article", "text", "document")
SUMMARY_COLUMNS = ("summary", "highlights", "target")
LIST_COLUMNS = ("summary_bullets", "bullets")
DEFAULT_SPLIT = "test"


@dataclass(frozen=True)
class HubSource:
    """``hf:ID[:CONFIG][:SPLIT]`` parsed."""

    repo: str
    config: str | None = None
    split: str = DEFAULT_SPLIT

    @classmethod
    def parse(cls, spec: str) -> "HubSource":
        body = spec.removeprefix(PREFIX)
        parts = body.split(":")
        if not parts[0] or len(parts) > 3 or any(not part for part in parts[1:]):
            raise DataError(f"bad dataset {spec!r}: expected hf:ID[:CONFIG][:SPLIT], e.g. "
                            "hf:csebuetnlp/xlsum:arabic:test")
        config = parts[1] if len(parts) > 1 else None
        split = parts[2] if len(parts) > 2 else DEFAULT_SPLIT
        return cls(repo=parts[0], config=config, split=split)

    @property
    def name(self) -> str:
        """The dataset's name in identities: the repo's last part, config and split."""
        base = re.sub(r"[^\w.-]+", "_", Path(self.repo).name or self.repo)
        return "_".join(part for part in (base, self.config, self.split) if part)

    def __str__(self) -> str:
        return PREFIX + ":".join(part for part in (self.repo, self.config, self.split) if part)


def is_hub_spec(value: str) -> bool:
    return value.startswith(PREFIX)


def read_hub(source: HubSource, *, limit: int | None = None,
             columns: Mapping[str, str] | None = None) -> Iterator[Parsed]:
    """Rows of one split as ``(Location, Example | InvalidRecordError)``."""
    rows = _load_rows(source, limit=limit)
    mapped = (map_columns(row, columns or {}) for row in rows)
    yield from rows_to_examples(mapped, stem=source.name, source=source.repo,
                                shown=str(source))


def map_columns(row: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """``row`` with its columns renamed to the ones `example_from_row` reads."""
    out = dict(rename_columns(row, columns))
    if not any(key in out for key in ARTICLE_COLUMNS[:2]):
        for key in ARTICLE_COLUMNS[2:]:
            if key in out:
                out["article"] = out.pop(key)
                break
    if not any(key in out for key in (*LIST_COLUMNS, "summary")):
        for key in SUMMARY_COLUMNS[1:]:
            if key in out:
                out["summary"] = out.pop(key)
                break
    if out.get("id") in (None, "") and out.get("url"):
        out["id"] = out["url"]
    return out


def _load_rows(source: HubSource, *, limit: int | None) -> Iterator[Mapping[str, Any]]:
    local = Path(source.repo).is_dir()
    offline = None if local else offline_reason()
    if offline is not None and not in_cache(source.repo, "dataset"):
        raise DataError(_offline_failure(source, offline))
    import datasets

    try:
        with quiet_hub(offline=offline is not None):
            if limit is not None and offline is None:  # streaming needs the network
                stream = datasets.load_dataset(source.repo, source.config,
                                               split=source.split, streaming=True)
                rows = list(islice(stream, limit))
            else:
                rows = datasets.load_dataset(source.repo, source.config, split=source.split)
                if limit is not None:
                    rows = rows.select(range(min(limit, len(rows))))
    except DataError:
        raise
    except Exception as exc:  # datasets raises many types: offline, missing config, ...
        raise DataError(_load_failure(source, exc, offline=offline)) from None
    yield from rows


def _offline_failure(source: HubSource, reason: str) -> str:
    return (f"cannot load {source}: {reason}, and it is not in the local cache "
            f"({hub_cache()}, {datasets_cache()}); {_offline_advice(source)}")


def _offline_advice(source: HubSource) -> str:
    config = f":{source.config}" if source.config else ""
    return ("where there is a network, run datasets.load_dataset("
            f"{source.repo!r}, {source.config!r}, split={source.split!r}) and copy "
            f"{hf_home()} here, or pass a local copy of the repository: "
            f"hf:<folder>{config}:{source.split}")


def _load_failure(source: HubSource, exc: Exception, *, offline: str | None) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if Path(source.repo).is_dir():
        return (f"cannot load {source} ({detail}); a local folder needs the layout of a hub "
                "repository: data files and a README.md whose 'configs:' section names them")
    if offline is not None:
        return f"cannot load {source} from the local cache ({offline}; {detail}); " \
               + _offline_advice(source)
    return f"cannot load {source} ({detail})"
