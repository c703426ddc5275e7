"""Model presets from ``models.yaml``: a name for a model plus its options.

Read through `benchmark.config` (the package's presets, the user config folder's, then
those of the folder the caller names): a later layer adds names, and one that gives a
known preset another meaning is an error naming both files, so a ``models.yaml`` cannot
quietly redirect a known name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.config import ConfigLayer, Defined, PresetSpec, load_models
from benchmark.config.load import read_models


@dataclass(frozen=True)
class Preset:
    name: str
    model: str  # what the preset resolves to: "hf:...", "openai:...", a built-in
    options: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    source: str = ""  # the file it was read from
    from_package: bool = True  # False: a user's file

    @classmethod
    def of(cls, defined: Defined[PresetSpec]) -> "Preset":
        spec = defined.spec
        return cls(defined.name, spec.model, dict(spec.options), spec.description,
                   defined.source, defined.from_package)


def load_presets(path: Path | None = None, *, config_dir: Path | None = None
                 ) -> dict[str, Preset]:
    """The presets in the file `path`, or else those of every configuration layer
    (`config_dir` the last)."""
    if path is not None:
        layer = ConfigLayer(path.parent, "a file")
        return {d.name: Preset.of(d) for d in read_models(path, layer)}
    return {name: Preset.of(defined) for name, defined in load_models(config_dir).items()}
