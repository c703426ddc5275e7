"""Named datasets: ``--dataset NAME`` and ``bench list datasets`` (``datasets.yaml``).

Each entry of ``datasets.yaml`` (`benchmark.config.DatasetEntry`) names one source
(exactly one of them):

- ``hub``: ``ID[:CONFIG][:SPLIT]`` read through `benchmark.data.hub`;
- ``url`` with its ``sha256``: downloaded once into the user cache and verified
  (`benchmark.data.download`);
- ``path`` with its ``sha256``: a local file, verified before it is read (a relative path
  is taken from the current folder).

and describes it: ``licence``, ``citation``, ``variety`` (MSA, a dialect ...), ``style``
(one sentence, bullets, several references ...), ``size`` (examples), and optionally
``columns`` (a mapping from our fields to the source's column names) and ``description``.

Dataset names resolve through `DATASETS`, the same `Registry` as summarizers, metrics
and NER backends: a name from the ``datasets.yaml`` files of the configuration layers
(the package's, the user's, then ``config_dir``; one may not redefine another's name),
a plugin (entry-point group ``benchmark.datasets``: a `DatasetEntry`, or a function
returning records), ``hf:ID[:CONFIG][:SPLIT]``, or ``py:module:attr`` (likewise).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmark.config import DatasetEntry, load_datasets
from benchmark.paths import PACKAGE_CONFIG
from benchmark.registry import PY_PREFIX, Entry, Prefix, Registry

FILE_NAME = "datasets.yaml"
BUILTIN_FILE = PACKAGE_CONFIG / FILE_NAME  # shipped in the package (benchmark/paths.py)

__all__ = ["BUILTIN_FILE", "DATASETS", "DatasetEntry", "NamedDataset", "find_dataset",
           "load_registry"]


@dataclass(frozen=True)
class NamedDataset:
    name: str
    entry: DatasetEntry
    origin: str  # the file that defined it


def load_registry(config_dir: Path | None = None) -> dict[str, NamedDataset]:
    """Every dataset named in the configuration layers of `config_dir`."""
    return {name: NamedDataset(name, defined.spec, defined.source)
            for name, defined in load_datasets(config_dir).items()}


def find_dataset(name: str, config_dir: Path | None = None) -> NamedDataset | None:
    return load_registry(config_dir).get(name)


def _defined(config_dir: Path | None) -> dict[str, Entry]:
    return {name: Entry(name, named, named.origin, named.entry.description)
            for name, named in load_registry(config_dir).items()}


DATASETS: Registry = Registry("dataset", group="benchmark.datasets", presets=_defined,
                              prefixes={"hf": Prefix(
                                  "benchmark.data.hub:HubSource.parse",
                                  "any Hugging Face dataset (hub or a local hub-style folder)",
                                  "ID[:CONFIG][:SPLIT]")})
DATASETS.prefixes[PY_PREFIX] = Prefix(None, "a function returning records (or a "
                                      "DatasetEntry) from any importable module",
                                      "module:attr")


def registry_name_of(file: Path, *, config_dir: Path | None = None) -> str | None:
    """The name of the registry entry whose file ``file`` is: the entry's path (taken from
    the current folder) is the same file, or the entry's sha256 is the file's. So
    ``--dataset ant-bbc`` and ``--dataset ../shared/corpora/ant_bbc.jsonl`` are one
    dataset under one name. The file is hashed only when some entry has a checksum and
    names another place."""
    from benchmark.data.scan_cache import file_sha256  # remembered by the file's state

    entries = [(name, named.entry) for name, named in load_registry(config_dir).items()
               if named.entry.path or named.entry.url]
    resolved = file.resolve()
    for name, entry in entries:
        if entry.path and Path(entry.path).resolve() == resolved:
            return name
    digest = None
    for name, entry in entries:
        if entry.sha256 and file.suffix.lower().lstrip(".") == entry.format:
            digest = digest or file_sha256(file)
            if digest == entry.sha256.lower():
                return name
    return None


def registry_name_of_hub(source, *, config_dir: Path | None = None) -> str | None:
    """The name of the registry entry that reads the same hub split as ``source`` (an
    `benchmark.data.hub.HubSource`) with no column mapping of its own."""
    from benchmark.data.hub import HubSource

    for name, named in load_registry(config_dir).items():
        entry = named.entry
        if entry.hub and not entry.columns and HubSource.parse("hf:" + entry.hub) == source:
            return name
    return None
