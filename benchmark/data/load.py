"""Load reference data from a path: the one entry point the harness and the CLI use.

What a path may be:

- nothing (``None``): the bundled dataset, the seed article in ``datasets/``, named "seed";
- a ``.txt`` file in the seed format (`benchmark.data.seed`);
- a ``.jsonl`` / ``.json`` / ``.ndjson``, ``.csv`` or ``.parquet`` file
  (`benchmark.data.tabular`);
- a folder written by ``Dataset.save_to_disk`` (it holds ``dataset_info.json`` or
  ``state.json``);
- any other folder: its ``*.txt`` files, in name order, each in the seed format;
- ``hf:ID[:CONFIG][:SPLIT]``: a Hugging Face dataset, from the hub or a local folder laid
  out like a hub repository (`benchmark.data.hub`);
- a name from the dataset registry (`benchmark.data.registry.DATASETS`): one defined in
  the ``datasets.yaml`` files of the configuration layers of ``config_dir``
  (``xlsum-ar``, ``ant-bbc`` ...; ``bench list datasets``), a plugin, or
  ``py:module:attr``; a path that exists wins over a registry name. A file that a
  registry entry names (same place, or same bytes by the entry's sha256) takes the
  entry's name, its stem kept as an alias: one dataset, one name.

A malformed file or line raises `InvalidRecordError` naming the file and line; with
``skip_invalid=True`` it is collected in `LoadedData.skipped` instead, never dropped
silently. A duplicate id is invalid too (the message names both places). An input that
cannot be read at all (missing, empty folder, unknown type, no valid example) always
raises `DataError`.

`load_examples` holds every example in memory; `open_examples` streams a JSON Lines file
instead (`benchmark.data.streamed`) and loads the other inputs whole; `open_run_data`
(what a run uses) opens the whole dataset that way and gives the first ``limit``
examples beside it, so a partial run records the whole dataset's identity. The first
read of an unchanged JSON Lines file is remembered (`benchmark.data.scan_cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.data.example import Example
from benchmark.data.identity import dataset_identity, dataset_sha
from benchmark.data.invalid import InvalidRecordError
from benchmark.data.scan_cache import scan_cache_for
from benchmark.data.seed import read_seed_file
from benchmark.data.streamed import StreamedData, scan_examples
from benchmark.data.tabular import (Location, Parsed, read_csv, read_jsonl, read_parquet,
                                    rows_to_examples)
from benchmark.errors import ConfigError, DataError
from benchmark.paths import BUNDLED_DATASET
from benchmark.registry import PY_PREFIX

if TYPE_CHECKING:
    from benchmark.config import DatasetEntry
    import datasets

BUNDLED_NAME = "seed"
MAX_ARTICLE_CHARS = 1_000_000  # ~200 pages; news articles hold a few thousand
_FILE_READERS = {
    ".txt": "seed", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".parquet": "parquet",
}
KINDS_HINT = ("a seed .txt file, .jsonl, .csv, .parquet, a folder of seed .txt files or a "
              "folder written by Dataset.save_to_disk")


@dataclass
class LoadedData:
    """The examples read from one input, and the invalid parts skipped on request."""

    name: str  # registry name, file stem or folder name; "seed" for the bundled dataset
    path: str  # as given (the bundled folder's path when none was given)
    examples: list[Example]
    skipped: list[DataError] = field(default_factory=list)
    aliases: tuple[str, ...] = ()  # other names of the same dataset (a file's stem)
    file: str | None = None  # the file or folder read, absolute (None: hub, py:)

    @property
    def sha(self) -> str:
        """`dataset_sha` of the examples (recomputed on each access)."""
        return dataset_sha(self.examples)

    @property
    def identity(self) -> str:
        """``name@sha256:<first 12 hex>``."""
        return dataset_identity(self.name, self.examples)

    # The questions `StreamedData` answers too, so that a run takes either.
    @property
    def ids(self) -> list[str]:
        return [example.id for example in self.examples]

    @property
    def size(self) -> int:
        return len(self.examples)

    @property
    def wordless_ids(self) -> list[str]:
        """Ids of the examples whose summary has no letter or digit (they score 0)."""
        from benchmark.text.tokenize import count_letters_digits

        return [ex.id for ex in self.examples if count_letters_digits(ex.summary) == 0]

    @property
    def unused_fields(self) -> list[str]:
        """Input fields the reader did not use (kept in meta), in order of appearance."""
        return list(dict.fromkeys(f for ex in self.examples for f in ex.unused_fields))

    def iter_examples(self) -> Iterator[Example]:
        return iter(self.examples)

    def subset(self, keep: Collection[str]) -> "LoadedData":
        """The examples whose id is in ``keep``, in order."""
        return LoadedData(name=self.name, path=self.path, skipped=self.skipped,
                          examples=[ex for ex in self.examples if ex.id in keep],
                          aliases=self.aliases, file=self.file)

    def head(self, n: int) -> "LoadedData":
        """The first ``n`` examples."""
        if n >= self.size:
            return self
        return LoadedData(name=self.name, path=self.path, skipped=self.skipped,
                          examples=self.examples[:n], aliases=self.aliases, file=self.file)


def load_examples(path: str | Path | None = None, *, skip_invalid: bool = False,
                  limit: int | None = None, max_article_chars: int = MAX_ARTICLE_CHARS,
                  config_dir: Path | None = None) -> LoadedData:
    """Read every example at ``path`` (see the module docstring); at most ``limit``.
    An article longer than `max_article_chars` is an invalid record (a wrong column or a
    concatenated file far more often than a real article). Dataset names are looked up
    in the configuration layers of `config_dir`."""
    _check_options(limit=limit, max_article_chars=max_article_chars)
    source = _resolve(path, limit=limit, config_dir=config_dir)
    return _load_whole(source, skip_invalid=skip_invalid, limit=limit,
                       max_article_chars=max_article_chars)


def open_examples(path: str | Path | None = None, *, skip_invalid: bool = False,
                  limit: int | None = None, max_article_chars: int = MAX_ARTICLE_CHARS,
                  config_dir: Path | None = None) -> LoadedData | StreamedData:
    """`load_examples`, except that a JSON Lines file is not held in memory: it is read
    once here (every check, the ids and the sha) and again by each
    `StreamedData.iter_examples`. Other inputs are loaded whole. Both answer the same
    questions (``ids``, ``size``, ``sha``, ``iter_examples()``, ``subset()`` ...)."""
    _check_options(limit=limit, max_article_chars=max_article_chars)
    return _open(_resolve(path, limit=limit, config_dir=config_dir), limit=limit,
                 skip_invalid=skip_invalid, max_article_chars=max_article_chars)


def open_run_data(path: str | Path | None = None, *, limit: int | None = None,
                  skip_invalid: bool = False, max_article_chars: int = MAX_ARTICLE_CHARS,
                  config_dir: Path | None = None
                  ) -> tuple[LoadedData | StreamedData, LoadedData | StreamedData]:
    """``(whole dataset, the examples a run covers)``: a run on the first ``limit``
    examples still reads the whole dataset once, so that it records the whole dataset's
    identity (DESIGN §4.2) and stays comparable with runs on all of it."""
    _check_options(limit=limit, max_article_chars=max_article_chars)
    source = _resolve(path, limit=None, config_dir=config_dir)
    full = _open(source, limit=None, head=limit, skip_invalid=skip_invalid,
                 max_article_chars=max_article_chars)
    return full, (full if limit is None else full.head(limit))


def _open(source: "_Source", *, limit: int | None, skip_invalid: bool,
          max_article_chars: int, head: int | None = None) -> LoadedData | StreamedData:
    if source.reread is None:
        return _load_whole(source, skip_invalid=skip_invalid, limit=limit,
                           max_article_chars=max_article_chars)
    skipped: list[DataError] = []
    remembered = scan_cache_for(source.file, source.reread, limit=limit, head=head,
                                skip_invalid=skip_invalid, max_article_chars=max_article_chars)
    scan = remembered.get() if remembered is not None else None
    if scan is None:
        scan = scan_examples(((where.line, example) for where, example in accepted(
            source.records, skipped=skipped, skip_invalid=skip_invalid, limit=limit,
            max_article_chars=max_article_chars)), head=head)
        if not scan.ids:
            raise _no_valid_example(skipped, shown=source.shown)
        if remembered is not None and not skipped:  # skipped records: reported each read
            remembered.put(scan)
    return StreamedData(name=source.name, path=source.shown, scan=scan,
                        reread=source.reread, skipped=skipped, aliases=source.aliases,
                        file=source.file)


def _load_whole(source: "_Source", *, skip_invalid: bool, limit: int | None,
                max_article_chars: int) -> LoadedData:
    skipped: list[DataError] = []
    examples = [example for _, example in accepted(
        source.records, skipped=skipped, skip_invalid=skip_invalid, limit=limit,
        max_article_chars=max_article_chars)]
    if not examples:
        raise _no_valid_example(skipped, shown=source.shown)
    return LoadedData(name=source.name, path=source.shown, examples=examples,
                      skipped=skipped, aliases=source.aliases, file=source.file)


def accepted(records: Iterable[Parsed], *, skipped: list[DataError], skip_invalid: bool,
             limit: int | None, max_article_chars: int) -> Iterator[tuple[Location, Example]]:
    """The valid examples of ``records``, in order, at most ``limit``: a duplicate id or
    a too-long article is invalid too; an invalid record raises, or with
    ``skip_invalid`` is appended to ``skipped``."""
    seen: dict[str, Location] = {}
    for where, item in records:
        if isinstance(item, Example) and item.id in seen:
            item = InvalidRecordError(f"duplicate id {item.id!r} (first at {seen[item.id]}); "
                                      "ids must be unique", path=where.path, line=where.line)
        elif isinstance(item, Example) and len(item.article) > max_article_chars:
            item = InvalidRecordError(
                f"the article has {len(item.article):,} characters, more than the limit of "
                f"{max_article_chars:,}", path=where.path, line=where.line,
                hint="raise the limit with {max_article_chars} N, or skip such records "
                     "with {skip_invalid}")
        if isinstance(item, InvalidRecordError):
            if not skip_invalid:
                raise item
            skipped.append(item)
            continue
        seen[item.id] = where
        yield where, item
        if limit is not None and len(seen) >= limit:
            break


def _check_options(*, limit: int | None, max_article_chars: int) -> None:
    if limit is not None and limit < 1:
        raise ConfigError(f"limit must be at least 1, got {limit}")
    if max_article_chars < 1:
        raise ConfigError(f"max_article_chars must be at least 1, got {max_article_chars}")


def _no_valid_example(skipped: list[DataError], *, shown: str) -> DataError:
    detail = f"; all {len(skipped)} skipped, the first: {skipped[0]}" if skipped else ""
    return DataError(f"no valid example{detail}", path=shown)


def load_reference(path: str | Path | None = None, *, skip_invalid: bool = False,
                   config_dir: Path | None = None) -> "datasets.Dataset":
    """The reference dataset as a `datasets.Dataset` (default: the bundled one).

    Its ``info.dataset_name`` is the dataset's name and ``info.description`` its identity.
    """
    from benchmark.data.hf_dataset import to_hf_dataset

    loaded = load_examples(path, skip_invalid=skip_invalid, config_dir=config_dir)
    dataset = to_hf_dataset(loaded.examples)
    dataset.info.dataset_name = loaded.name
    dataset.info.description = loaded.identity
    return dataset


Reread = Callable[[], Iterator[Parsed]]


@dataclass
class _Source:
    """What a dataset argument resolved to: its name (and other names), how it is shown,
    its records, and ``reread`` (the same records again, where that is cheap: a JSON
    Lines file; else None)."""

    name: str
    shown: str
    records: Iterator[Parsed]
    reread: Reread | None = None
    aliases: tuple[str, ...] = ()
    file: str | None = None  # the file or folder read, absolute


def _resolve(path: str | Path | None, *, limit: int | None, config_dir: Path | None) -> _Source:
    """Whatever ``path`` names: a registry name, ``hf:``, ``py:``, a file or a folder. A
    file that a registry entry names (same place, or same bytes by its sha256) takes
    the entry's name, so a registry name and its path are one dataset."""
    if path is not None and not Path(path).exists() and _is_dataset_name(str(path)):
        return _named_dataset(str(path), limit=limit, config_dir=config_dir)
    source = BUNDLED_DATASET if path is None else Path(path)
    shown = str(source)
    records, reread = _read(source, shown=shown)
    stem = _dataset_name(source)
    name = None
    if source.is_file() and _FILE_READERS.get(source.suffix.lower()) != "seed":
        from benchmark.data.registry import registry_name_of

        name = registry_name_of(source, config_dir=config_dir)
    file = str(source.resolve())
    if name is None or name == stem:
        return _Source(stem, shown, records, reread, file=file)
    return _Source(name, shown, records, reread, aliases=(stem,), file=file)


def _is_dataset_name(text: str) -> bool:
    """A registry name or ``prefix:argument``, not a path that does not exist (that is
    the reader's error to report)."""
    from benchmark.data.registry import DATASETS

    prefix, sep, _ = text.partition(":")
    if sep and prefix in DATASETS.prefixes:
        return True
    return "/" not in text and "\\" not in text and not Path(text).suffix


def _named_dataset(name: str, *, limit: int | None, config_dir: Path | None) -> _Source:
    """The records of a dataset name, through the one resolver (`DATASETS`)."""
    from benchmark.config import DatasetEntry
    from benchmark.data.hub import HubSource, read_hub
    from benchmark.data.registry import DATASETS, NamedDataset, registry_name_of_hub

    resolved = DATASETS.resolve(name, config_dir=config_dir)
    takes_argument = resolved.prefix is not None and resolved.prefix != PY_PREFIX
    source = resolved.target(resolved.argument) if takes_argument else resolved.target
    shown = name
    if resolved.prefix == PY_PREFIX:
        name = str(resolved.argument).rpartition(":")[2]
    if isinstance(source, HubSource):
        named = registry_name_of_hub(source, config_dir=config_dir)
        return _Source(named or source.name, str(source), read_hub(source, limit=limit),
                       aliases=(source.name,) if named else ())
    if isinstance(source, NamedDataset):
        source = source.entry
    if not isinstance(source, DatasetEntry) and callable(source):
        source = source()  # a plugin's or py: function: a DatasetEntry, or records
    if isinstance(source, DatasetEntry):
        return _entry_records(name, source, limit=limit)
    if isinstance(source, Iterable) and not isinstance(source, (str, bytes, Mapping)):
        rows = (row.to_record() if isinstance(row, Example) else row for row in source)
        return _Source(name, shown, rows_to_examples(iter(rows), stem=name, source=name,
                                                     shown=shown))
    raise ConfigError(f"dataset {shown!r} resolves to {type(source).__name__}, not a "
                      "DatasetEntry or a function returning records")


def _entry_records(name: str, entry: "DatasetEntry", *, limit: int | None) -> _Source:
    """The records of a named dataset's source: the hub, a URL or a verified file."""
    from benchmark.data import download

    if entry.hub:
        from benchmark.data.hub import HubSource, read_hub
        hub = HubSource.parse("hf:" + entry.hub)
        return _Source(name, name, read_hub(hub, limit=limit, columns=entry.columns),
                       aliases=(hub.name,))
    if entry.url:
        file = download.fetch(name=name, url=entry.url, sha256=entry.sha256,
                              progress=download.default_progress(name))
    else:
        file = download.verify_file(Path(entry.path), name=name, sha256=entry.sha256)
    reader = {"jsonl": read_jsonl, "csv": read_csv, "parquet": read_parquet}[entry.format]
    read = partial(reader, file, shown=str(file), columns=entry.columns)  # errors name the file
    return _Source(name, name, read(), read if entry.format == "jsonl" else None,
                   aliases=(file.stem,), file=str(file.resolve()))


def _dataset_name(source: Path) -> str:
    """The file's stem or the folder's name; "seed" for the bundled folder however named."""
    if source.is_dir() and source.resolve() == BUNDLED_DATASET.resolve():
        return BUNDLED_NAME
    return source.stem if source.is_file() else source.resolve().name


def _read(source: Path, *, shown: str) -> tuple[Iterator[Parsed], Reread | None]:
    """Dispatch on what ``source`` is: ``(records, reread)`` as in `_resolve`."""
    if source.is_dir():
        from benchmark.data.hf_dataset import is_saved_dataset, read_saved_dataset
        if is_saved_dataset(source):
            return read_saved_dataset(source, shown=shown), None
        return _read_seed_folder(source, shown=shown), None
    if not source.exists():
        raise DataError(f"no such file or folder; expected {KINDS_HINT}", path=shown)
    kind = _FILE_READERS.get(source.suffix.lower())
    if kind is None:
        raise DataError(f"unknown file type {source.suffix or '(no extension)'!r}; expected "
                        f"{KINDS_HINT}", path=shown)
    if kind == "seed":
        return _read_seed_files([source], shown=lambda _: shown), None
    if kind == "jsonl":
        reread = partial(read_jsonl, source, shown=shown)
        return reread(), reread
    reader = {"csv": read_csv, "parquet": read_parquet}[kind]
    return reader(source, shown=shown), None


def _read_seed_folder(folder: Path, *, shown: str) -> Iterator[Parsed]:
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if not entries:
        raise DataError(f"empty folder; expected {KINDS_HINT}", path=shown)
    files = [p for p in entries if p.is_file() and p.suffix.lower() == ".txt"]
    if not files:
        found = ", ".join(p.name for p in entries[:5]) + (", ..." if len(entries) > 5 else "")
        raise DataError(f"no .txt files in this folder (found {found}); expected {KINDS_HINT}",
                        path=shown)
    return _read_seed_files(files, shown=lambda p: str(Path(shown) / p.name))


def _read_seed_files(files: list[Path], *, shown) -> Iterator[Parsed]:
    for file in files:
        where = Location(shown(file))
        try:
            yield where, read_seed_file(file, shown=where.path)
        except InvalidRecordError as exc:
            yield where, exc
