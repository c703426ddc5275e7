"""Model presets from ``configs/models.yaml``: a name for a model plus its options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.errors import ConfigError
from benchmark.paths import config_dir


@dataclass(frozen=True)
class Preset:
    name: str
    model: str  # what the preset resolves to: "hf:...", "openai:...", a built-in
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""


def load_presets(path: Path | None = None) -> dict[str, Preset]:
    """The presets in `path` (default: ``<config dir>/models.yaml``); none if absent."""
    import yaml

    path = path or config_dir() / "models.yaml"
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
                               spec.get("description", ""))
    return presets
