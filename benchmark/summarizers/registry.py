"""Resolving a model name to a summarizer (DESIGN §8).

Order: a preset (``models.yaml`` of the package or the user's configuration, never one
named like a built-in), a built-in or plugin name, ``hf:<id or
path>``, ``openai:<model>``, ``py:module:attr``. Built-ins and plugins share one
registry; plugins come from the entry-point group ``benchmark.summarizers``.
"""

from __future__ import annotations

from typing import Any

from benchmark.errors import ConfigError
from benchmark.registry import Registry, import_target
from benchmark.summarizers.base import Summarizer

SUMMARIZERS: Registry[type[Summarizer]] = Registry("summarizer")

for _name, _target, _description in (
    ("lead-1", "benchmark.summarizers.baselines:Lead1", "first sentence of the article"),
    ("lead-3", "benchmark.summarizers.baselines:Lead3", "first three sentences"),
    ("lead-bullets", "benchmark.summarizers.baselines:LeadBullets",
     "first sentence of each of the first paragraphs"),
    ("random-3", "benchmark.summarizers.baselines:Random3",
     "three random sentences in article order (seeded)"),
    ("oracle", "benchmark.summarizers.oracle:Oracle",
     "UPPER BOUND: greedy ROUGE sentence selection using the reference"),
    ("textrank", "benchmark.summarizers.textrank:TextRank",
     "sentence graph over normalized token overlap"),
):
    SUMMARIZERS.register(_name, _target, description=_description)

# Backends addressed as "<prefix>:<rest>".
PREFIXES = {
    "hf": "benchmark.summarizers.hf:HFSummarizer",
    "openai": "benchmark.summarizers.openai_compat:OpenAISummarizer",
}
PREFIX_DESCRIPTIONS = {
    "hf": "transformers seq2seq or chat model by hub id or local path",
    "openai": "chat model behind any OpenAI-compatible server (vLLM, TGI, Ollama, ...)",
}

_plugins_loaded = False


def load_plugins() -> None:
    """Register the summarizers that installed packages declare as entry points."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="benchmark.summarizers"):
        dist = ep.dist.name if ep.dist is not None else "unknown"
        if ep.name in SUMMARIZERS:
            raise ConfigError(
                f"plugin {dist!r} registers summarizer {ep.name!r}, which already exists "
                f"({SUMMARIZERS.entry(ep.name).source}); uninstall or rename one")
        SUMMARIZERS.register(ep.name, ep.value, source=f"plugin {dist}")


def create_summarizer(name: str, options: dict[str, Any] | None = None, *,
                      seed: int = 0) -> Summarizer:
    """Build the summarizer that `name` resolves to, with validated `options`."""
    options = dict(options or {})
    presets = load_checked_presets()
    if name in presets:
        preset = presets[name]
        merged = {**preset.options, **options}
        try:
            summarizer = create_summarizer(preset.model, merged, seed=seed)
        except ConfigError as exc:
            raise ConfigError(f"preset {name!r} ({preset.source}): {exc}") from None
        summarizer.preset = name
        return summarizer
    if name in SUMMARIZERS:
        return _construct(SUMMARIZERS.get(name), name, options, seed)
    prefix, sep, rest = name.partition(":")
    if sep and prefix == "py":
        return _construct(import_target(rest), name, options, seed)
    if sep and prefix in PREFIXES:
        if not rest:
            raise ConfigError(f"model {name!r} names no model after '{prefix}:'")
        return _construct(import_target(PREFIXES[prefix]), name, options, seed)
    raise SUMMARIZERS.unknown(name, extra=[f"{p}:<model>" for p in PREFIXES] + list(presets))


def load_checked_presets() -> dict:
    """Every preset, refusing a user's preset named like a built-in or plugin summarizer:
    `lead-3` must mean lead-3 whatever folder the command runs from."""
    from benchmark.summarizers.presets import load_presets

    load_plugins()
    presets = load_presets()
    for name, preset in presets.items():
        if name in SUMMARIZERS:
            raise ConfigError(f"{preset.source}: preset {name!r} would shadow the summarizer "
                              f"{name!r} ({SUMMARIZERS.entry(name).source})",
                              hint="give your preset another name")
    return presets


def _construct(cls: Any, name: str, options: dict[str, Any], seed: int) -> Summarizer:
    if not (isinstance(cls, type) and issubclass(cls, Summarizer)):
        raise ConfigError(f"{name!r} does not resolve to a Summarizer subclass")
    return cls(name, options, seed=seed)
