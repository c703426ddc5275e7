"""One registry shape for summarizers, metrics and entity backends.

Entries are either objects or lazy ``"module:attr"`` strings, so that registering a
heavy backend costs nothing until it is used. Built-ins and plugins go through the same
`register` call; a duplicate name is an error and an unknown name gets suggestions.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from benchmark.errors import ConfigError, UnknownNameError

T = TypeVar("T")


@dataclass(frozen=True)
class Entry:
    name: str
    target: Any  # the object, or "module:attr" until first use
    source: str  # "built-in", "plugin <dist>", "preset configs/models.yaml", ...
    description: str = ""


def import_target(spec: str) -> Any:
    """Import ``"package.module:attr"`` (attr may be dotted)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError(f"{spec!r} is not of the form 'module:attr'")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"cannot import {module_name!r} for {spec!r}: {exc}") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigError(f"{module_name!r} has no attribute {attr!r}") from None
    return obj


class Registry(Generic[T]):
    """Named entries of one kind ("summarizer", "metric", "NER backend")."""

    def __init__(self, kind: str):
        self.kind = kind
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, target: T | str, *, source: str = "built-in",
                 description: str = "") -> None:
        if name in self._entries:
            raise ConfigError(
                f"{self.kind} {name!r} is registered twice "
                f"({self._entries[name].source} and {source}); rename one")
        self._entries[name] = Entry(name, target, source, description)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        return sorted(self._entries)

    def entries(self) -> list[Entry]:
        return [self._entries[name] for name in self.names()]

    def entry(self, name: str) -> Entry:
        if name not in self._entries:
            raise self.unknown(name)
        return self._entries[name]

    def get(self, name: str) -> T:
        entry = self.entry(name)
        if isinstance(entry.target, str):
            loaded = import_target(entry.target)
            entry = Entry(entry.name, loaded, entry.source, entry.description)
            self._entries[name] = entry
        return entry.target

    def unknown(self, name: str, extra: list[str] | None = None) -> UnknownNameError:
        available = self.names() + list(extra or [])
        suggestions = difflib.get_close_matches(name, available, n=3, cutoff=0.5)
        return UnknownNameError(self.kind, name, suggestions, available)
