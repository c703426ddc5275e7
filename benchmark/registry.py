"""One registry shape, and one name resolver, for summarizers, metrics and NER backends.

Entries are either objects or lazy ``"module:attr"`` strings, so that registering a
heavy backend costs nothing until it is used. Built-ins and plugins go through the same
`register` call: a registry with an entry-point group (``benchmark.summarizers``,
``benchmark.metrics``, ``benchmark.ner``) registers what installed packages declare
there on first lookup. A duplicate name is an error and an unknown name gets
suggestions.

`Registry.resolve` is the only place that turns a name into a target, in this order
(DESIGN §8): a name defined in the configuration (a preset, followed with cycle
detection, or a definition such as a named dataset), a registered name (built-in or
plugin), a prefix handler (``hf:<id>``, ``openai:<model>``, ...), ``py:module:attr``.
Configuration depends on the folder the caller names (`benchmark.config`), so
`resolve` takes it as ``config_dir``.
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Generic, Mapping, TypeVar, Union

from benchmark.errors import ConfigError, UnknownNameError

T = TypeVar("T")

PY_PREFIX = "py"


@dataclass(frozen=True)
class Entry:
    name: str
    target: Any  # the object, or "module:attr" until first use
    source: str  # "built-in", "plugin <dist>", "preset configs/models.yaml", ...
    description: str = ""


@dataclass(frozen=True)
class Prefix:
    """Names of the form ``<prefix>:<argument>`` resolve to `target` (one class that
    takes the argument, e.g. the model id)."""

    target: Any  # the object, or "module:attr"
    description: str = ""
    placeholder: str = "<model>"


@dataclass(frozen=True)
class Alias:
    """A preset: a name for another name plus options (``configs/models.yaml``)."""

    name: str
    target: str
    options: Mapping[str, Any] = field(default_factory=dict)
    source: str = "preset"


@dataclass(frozen=True)
class Resolved:
    """Where a name led. `name` is the final name after presets (what the target is
    constructed with); `prefix` and `argument` the parts of ``prefix:argument`` names;
    `options` the presets' options (an outer preset overrides the one it names);
    `presets` the chain followed; `source` where the target comes from."""

    name: str
    target: Any
    prefix: str | None = None
    argument: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    presets: tuple[str, ...] = ()
    source: str = "built-in"


def import_target(spec: str) -> Any:
    """Import ``"package.module:attr"`` (attr may be dotted). A module that is not
    importable otherwise is looked for in the current folder too, as ``python -m`` would
    (the ``bench`` script's own folder, not the user's, starts its path)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ConfigError(f"{spec!r} is not of the form 'module:attr'")
    try:
        obj: Any = _import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"cannot import {module_name!r} for {spec!r}: {exc}",
                          hint="run from the folder that holds it, or add its folder to "
                               "PYTHONPATH") from exc
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise ConfigError(f"{module_name!r} has no attribute {attr!r}") from None
    return obj


def _import_module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        top = name.partition(".")[0]
        here = os.getcwd()
        if exc.name != top or here in sys.path or "" in sys.path:
            raise
        sys.path.append(here)  # last: the user's folder never shadows an installed package
        importlib.invalidate_caches()
        return importlib.import_module(name)


# The names a configuration defines: presets (followed) and definitions (an `Entry` whose
# target is what the name means, e.g. a named dataset). Called with the user's folder.
Defined = Mapping[str, Union[Alias, Entry]]
PresetSource = Callable[[Union[Path, None]], Defined]


_ENTRY_POINTS: list[Any] = []  # every installed entry point, read once per process


def installed_entry_points(group: str) -> list[Any]:
    """The installed packages' entry points in `group`. One scan of the installed
    packages' metadata serves every registry (each scan reads every package's
    entry_points.txt)."""
    if not _ENTRY_POINTS:
        from importlib.metadata import entry_points

        _ENTRY_POINTS.append(entry_points())
    return list(_ENTRY_POINTS[0].select(group=group))


class Registry(Generic[T]):
    """Named entries of one kind ("summarizer", "metric", "NER backend")."""

    def __init__(self, kind: str, *, group: str | None = None,
                 prefixes: Mapping[str, Prefix] | None = None,
                 presets: PresetSource | None = None):
        self.kind = kind
        self.group = group
        self.prefixes: dict[str, Prefix] = {PY_PREFIX: Prefix(
            None, f"a {kind} class from any importable module", "module:attr")}
        self.prefixes.update(prefixes or {})
        self._presets = presets
        self._entries: dict[str, Entry] = {}
        self._plugins_loaded = group is None

    # -- registering ------------------------------------------------------------------
    def register(self, name: str, target: T | str, *, source: str = "built-in",
                 description: str = "") -> None:
        if name in self._entries:
            raise ConfigError(
                f"{self.kind} {name!r} is registered twice "
                f"({self._entries[name].source} and {source}); rename one")
        if ":" in name:
            raise ConfigError(f"{self.kind} name {name!r} may not contain ':' "
                              "(reserved for prefixes such as hf: and py:)")
        self._entries[name] = Entry(name, target, source, description)

    def load_plugins(self) -> None:
        """Register what installed packages declare in this registry's entry-point group
        (once; later calls do nothing)."""
        if self._plugins_loaded:
            return
        self._plugins_loaded = True
        for ep in installed_entry_points(self.group):
            dist = ep.dist.name if ep.dist is not None else "unknown"
            if ep.name in self._entries:
                raise ConfigError(
                    f"plugin {dist!r} registers {self.kind} {ep.name!r}, which already "
                    f"exists ({self._entries[ep.name].source}); uninstall or rename one")
            self.register(ep.name, ep.value, source=f"plugin {dist}")

    # -- looking up ---------------------------------------------------------------------
    def __contains__(self, name: str) -> bool:
        self.load_plugins()
        return name in self._entries

    def names(self) -> list[str]:
        self.load_plugins()
        return sorted(self._entries)

    def entries(self) -> list[Entry]:
        return [self._entries[name] for name in self.names()]

    def entry(self, name: str) -> Entry:
        if name not in self:
            raise self.unknown(name)
        return self._entries[name]

    def get(self, name: str) -> T:
        entry = self.entry(name)
        if isinstance(entry.target, str):
            loaded = import_target(entry.target)
            entry = Entry(entry.name, loaded, entry.source, entry.description)
            self._entries[name] = entry
        return entry.target

    def presets(self, config_dir: Path | None = None) -> Defined:
        """The names the configuration defines (package, user folder, `config_dir`)."""
        return self._presets(config_dir) if self._presets is not None else {}

    def resolve(self, name: str, *, config_dir: Path | None = None) -> Resolved:
        """The target `name` leads to: preset or definition, registered name, prefix,
        ``py:``; presets are read from the configuration layers of `config_dir`."""
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"no {self.kind} name given")
        presets = self.presets(config_dir)
        chain: list[str] = []
        options: dict[str, Any] = {}
        current = name.strip()
        while current in presets:
            preset = presets[current]
            if isinstance(preset, Entry):
                return Resolved(current, preset.target, options=options,
                                presets=tuple(chain), source=preset.source)
            if current in chain:
                loop = " -> ".join([*chain, current])
                raise ConfigError(f"preset {chain[0]!r} ({presets[chain[0]].source}) "
                                  f"leads back to itself: {loop}; point it at a model")
            chain.append(current)
            options = {**preset.options, **options}  # the outer preset wins
            current = preset.target
        resolved = self._resolve_plain(current, presets)
        return Resolved(resolved.name, resolved.target, resolved.prefix, resolved.argument,
                        options, tuple(chain), resolved.source)

    def _resolve_plain(self, name: str, presets: Defined) -> Resolved:
        if name in self:
            entry = self.entry(name)
            return Resolved(name, self.get(name), source=entry.source)
        prefix, sep, rest = name.partition(":")
        if sep and prefix in self.prefixes:
            if not rest:
                raise ConfigError(f"{self.kind} {name!r} names nothing after '{prefix}:' "
                                  f"(expected {prefix}:{self.prefixes[prefix].placeholder})")
            if prefix == PY_PREFIX:
                return Resolved(name, import_target(rest), prefix, rest, source="py:")
            target = self.prefixes[prefix].target
            if isinstance(target, str):
                target = import_target(target)
            return Resolved(name, target, prefix, rest, source=f"{prefix}:")
        raise self.unknown(name, extra=list(presets))

    def unknown(self, name: str, extra: list[str] | None = None) -> UnknownNameError:
        available = (self.names() + list(extra or [])
                     + [f"{prefix}:{p.placeholder}" for prefix, p in self.prefixes.items()])
        suggestions = difflib.get_close_matches(name, available, n=3, cutoff=0.5)
        return UnknownNameError(self.kind, name, suggestions, available)
