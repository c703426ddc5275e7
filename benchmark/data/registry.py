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
