"""Model presets from ``models.yaml``: a name for a model plus its options.

The package's presets come first, then the user's (see `benchmark.paths`): a user file
adds names, and one that gives a package preset's name another meaning is an error
naming both files (so a ``models.yaml`` cannot quietly redirect a known name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.errors import ConfigError
from benchmark.paths import config_layers


@dataclass(frozen=True)
class Preset:
    name: str
    model: str  # what the preset resolves to: "hf:...", "openai:...", a built-in
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    source: str = ""  # the file it was read from
    from_package: bool = True  # False: a user's file


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    """The presets in `path`, or else those of every configuration layer."""
    if path is not None:
        return _read_presets(path)
    merged: dict[str, Preset] = {}
    for layer in config_layers():
        for name, preset in _read_presets(layer.folder / "models.yaml",
                                          from_package=layer.is_package).items():
            earlier = merged.get(name)
            if earlier is not None and (earlier.model, earlier.options) != \
                    (preset.model, preset.options):
                raise ConfigError(f"{preset.source}: preset {name!r} would replace the "
                                  f"preset of that name in {earlier.source}",
                                  hint="give your preset another name")
            if earlier is None:
                merged[name] = preset
    return merged


def _read_presets(path: Path, *, from_package: bool = True) -> dict[str, Preset]:
    """The presets in `path`; none if absent."""
    import yaml

    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    models = data.get("models", {})
    if not isinstance(models, dict):
        raise ConfigError(f"{path}: 'models' must be a mapping of preset name to settings")
    presets = {}
    for name, spec in models.items():
        if not isinstance(spec, dict) or "model" not in spec:
            raise ConfigError(f"{path}: preset {name!r} needs a 'model' key")
        unknown = set(spec) - {"model", "options", "description"}
        if unknown:
            raise ConfigError(f"{path}: preset {name!r} has unknown keys {sorted(unknown)}")
        presets[name] = Preset(name, spec["model"], dict(spec.get("options") or {}),
                               spec.get("description", ""), str(path), from_package)
    return presets
