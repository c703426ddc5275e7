"""Resolving a model name to a summarizer (DESIGN §8).

Order: a preset (``models.yaml`` of the configuration layers, `benchmark.config`; never
one named like a built-in), a built-in or plugin name, ``hf:<id or path>``,
``openai:<model>``, ``py:module:attr``. Built-ins and plugins share one registry;
plugins come from the entry-point group ``benchmark.summarizers``. The resolution itself
(presets with cycle detection, prefixes) is `Registry.resolve`, shared with metrics, NER
backends and datasets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmark.config import config_in_effect
from benchmark.errors import ConfigError
from benchmark.registry import Alias, Prefix, Registry
from benchmark.summarizers.base import Summarizer


def _presets(config_dir: Path | None) -> dict[str, Alias]:
    return {name: Alias(name, preset.model, preset.options,
                        "models.yaml" if preset.from_package else preset.source)
            for name, preset in load_checked_presets(config_dir).items()}


# Backends addressed as "<prefix>:<rest>" (``py:module:attr`` is every registry's).
PREFIXES = {
    "hf": Prefix("benchmark.summarizers.hf:HFSummarizer",
                 "transformers seq2seq or chat model by hub id or local path"),
    "openai": Prefix("benchmark.summarizers.openai_compat:OpenAISummarizer",
                     "chat model behind any OpenAI-compatible server (vLLM, TGI, Ollama, ...)"),
}

SUMMARIZERS: Registry[type[Summarizer]] = Registry(
    "summarizer", group="benchmark.summarizers", prefixes=PREFIXES, presets=_presets)

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


def load_plugins() -> None:
    """Register the summarizers that installed packages declare as entry points."""
    SUMMARIZERS.load_plugins()


def create_summarizer(name: str, options: dict[str, Any] | None = None, *,
                      seed: int = 0, config_dir: Path | None = None) -> Summarizer:
    """Build the summarizer that `name` resolves to, with validated `options`; presets,
    endpoints and prompts come from the configuration layers of `config_dir`
    (`benchmark.config`), which is in effect while the summarizer is constructed."""
    resolved = SUMMARIZERS.resolve(name, config_dir=config_dir)
    merged = {**resolved.options, **(options or {})}
    try:
        with config_in_effect(config_dir):
            summarizer = _construct(resolved.target, resolved.name, merged, seed)
    except ConfigError as exc:
        if not resolved.presets:
            raise
        preset = resolved.presets[0]
        source = SUMMARIZERS.presets(config_dir)[preset].source
        raise ConfigError(f"preset {preset!r} ({source}): {exc}") from None
    if resolved.presets:
        summarizer.preset = resolved.presets[0]
    return summarizer


def load_checked_presets(config_dir: Path | None = None) -> dict:
    """Every preset, refusing a user's preset named like a built-in or plugin summarizer:
    `lead-3` must mean lead-3 whatever folder the command runs from."""
    from benchmark.summarizers.presets import load_presets

    load_plugins()
    presets = load_presets(config_dir=config_dir)
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
