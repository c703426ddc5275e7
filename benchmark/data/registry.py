"""Named datasets: ``--dataset NAME`` and ``bench list datasets`` (``configs/datasets.yaml``).

Each entry names one source (exactly one of them):

- ``hub``: ``ID[:CONFIG][:SPLIT]`` read through `benchmark.data.hub`;
- ``url`` with its ``sha256``: downloaded once into the user cache and verified
  (`benchmark.data.download`);
- ``path`` with its ``sha256``: a local file, verified before it is read (a relative path
  is taken from the current folder).

and describes it: ``licence``, ``citation``, ``variety`` (MSA, a dialect ...), ``style``
(one sentence, bullets, several references ...), ``size`` (examples), and optionally
``columns`` (a mapping from our fields to the source's column names) and ``description``.

The package's own file comes first; a user's file (``datasets.yaml`` in the folder named
by ``--config``, ``$BENCH_CONFIG``, the user config folder, or passed as ``config_dirs``)
adds entries, and may not reuse a
built-in name: that is an error naming both files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from benchmark.errors import ConfigError
from benchmark.paths import PACKAGE_CONFIG, user_config_layer
from benchmark.urls import redact_url

FILE_NAME = "datasets.yaml"
BUILTIN_FILE = PACKAGE_CONFIG / FILE_NAME  # shipped in the package (benchmark/paths.py)


class DatasetEntry(BaseModel):
    """One named dataset, as written in ``datasets.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    hub: Optional[str] = None
    url: Optional[str] = None
    path: Optional[str] = None
    sha256: Optional[str] = None
    format: Literal["jsonl", "csv", "parquet"] = "jsonl"
    columns: dict[str, str] = {}
    licence: str
    citation: str
    variety: str
    style: str
    size: int
    description: str = ""

    @model_validator(mode="after")
    def _one_source(self) -> "DatasetEntry":
        given = [key for key in ("hub", "url", "path") if getattr(self, key)]
        if len(given) != 1:
            raise ValueError("give exactly one of hub, url, path")
        if (self.url or self.path) and not _is_sha256(self.sha256):
            raise ValueError("a url or path source needs its sha256 (64 hex digits)")
        return self

    @property
    def kind(self) -> str:
        return "hub" if self.hub else "url" if self.url else "path"

    @property
    def location(self) -> str:
        """Where the data comes from, as shown (a URL without credentials)."""
        return self.hub or (redact_url(self.url) if self.url else None) or self.path or ""


@dataclass(frozen=True)
class NamedDataset:
    name: str
    entry: DatasetEntry
    origin: str  # the file that defined it


def load_registry(config_dirs: list[Path] | None = None) -> dict[str, NamedDataset]:
    """Every named dataset: the built-in file first, then each user file."""
    registry = dict(_read_file(BUILTIN_FILE))
    for folder in _user_dirs(config_dirs):
        file = folder / FILE_NAME
        if not file.is_file() or file.resolve() == BUILTIN_FILE.resolve():
            continue
        for name, named in _read_file(file).items():
            if name in registry:
                raise ConfigError(f"{file}: dataset {name!r} is already defined in "
                                  f"{registry[name].origin}; pick another name")
            registry[name] = named
    return registry


def find_dataset(name: str, config_dirs: list[Path] | None = None) -> NamedDataset | None:
    return load_registry(config_dirs).get(name)


def _user_dirs(config_dirs: list[Path] | None) -> list[Path]:
    dirs = list(config_dirs or [])
    layer = user_config_layer()  # --config, $BENCH_CONFIG or the user config folder
    if layer is not None:
        dirs.append(layer.folder)
    return dirs


def _read_file(file: Path) -> dict[str, NamedDataset]:
    import yaml

    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: expected a mapping of dataset names to entries")
    entries = {}
    for name, body in raw.items():
        try:
            entry = DatasetEntry.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "entry"
            raise ConfigError(f"{file}: dataset {name!r}: {where}: {first['msg']}") from None
        entries[str(name)] = NamedDataset(name=str(name), entry=entry, origin=str(file))
    return entries


def _is_sha256(value: str | None) -> bool:
    return (value is not None and len(value) == 64
            and all(char in "0123456789abcdef" for char in value.lower()))
