"""One loader per file kind, each reading every layer through the one rule for names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.config.files import (DatasetEntry, DatasetsFile, EndpointsFile, EndpointSpec,
                                    ModelsFile, PresetSpec, PromptFile)
from benchmark.config.layers import (ConfigLayer, Defined, config_layers, merge_layers,
                                     parse_file, read_yaml)
from benchmark.errors import ConfigError

PROMPT_SUFFIXES = (".yaml", ".yml", ".txt")


def load_models(config_dir: Path | None = None) -> dict[str, Defined[PresetSpec]]:
    """Every preset of the ``models.yaml`` files of the layers."""
    return merge_layers((defined for layer in config_layers(config_dir)
                         for defined in read_models(layer.folder / "models.yaml", layer)),
                        noun="preset")


def read_models(path: Path, layer: ConfigLayer) -> list[Defined[PresetSpec]]:
    """The presets of one ``models.yaml`` (none when it is absent)."""
    if not path.is_file():
        return []
    parsed = parse_file(ModelsFile, read_yaml(path), path, noun="preset", names_under="models")
    return [Defined(str(name), spec, path, layer) for name, spec in parsed.models.items()]


def load_datasets(config_dir: Path | None = None) -> dict[str, Defined[DatasetEntry]]:
    """Every named dataset of the ``datasets.yaml`` files of the layers."""
    return merge_layers((defined for layer in config_layers(config_dir)
                         for defined in read_datasets(layer.folder / "datasets.yaml", layer)),
                        noun="dataset")


def read_datasets(path: Path, layer: ConfigLayer) -> list[Defined[DatasetEntry]]:
    if not path.is_file():
        return []
    parsed = parse_file(DatasetsFile, read_yaml(path), path, noun="dataset", names_under=None)
    return [Defined(str(name), entry, path, layer) for name, entry in parsed.root.items()]


@dataclass(frozen=True)
class Endpoints:
    """The endpoints of every layer, and the default one (the last layer naming one)."""

    endpoints: dict[str, Defined[EndpointSpec]]
    default: str | None = None
    default_file: Path | None = None  # the file that chose the default


def load_endpoints(config_dir: Path | None = None) -> Endpoints:
    """Every endpoint of the ``endpoints.yaml`` files of the layers; a later layer may
    add endpoints and choose the default, not redefine an endpoint."""
    found: list[Defined[EndpointSpec]] = []
    default, default_file = None, None
    for layer in config_layers(config_dir):
        path = layer.folder / "endpoints.yaml"
        if not path.is_file():
            continue
        parsed = parse_file(EndpointsFile, read_yaml(path), path, noun="endpoint",
                            names_under="endpoints")
        found += [Defined(str(name), spec, path, layer)
                  for name, spec in parsed.endpoints.items()]
        if parsed.default is not None:
            default, default_file = parsed.default, path
    endpoints = merge_layers(found, noun="endpoint")
    if default is not None and default not in endpoints:
        raise ConfigError(f"{default_file}: default endpoint {default!r} is not defined "
                          f"(defined: {', '.join(endpoints) or 'none'})")
    return Endpoints(endpoints, default, default_file)


def prompt_names(config_dir: Path | None = None) -> list[str]:
    """The names of the templates in the ``prompts/`` folders of the layers."""
    return sorted({path.stem for layer in config_layers(config_dir)
                   if (layer.folder / "prompts").is_dir()
                   for path in (layer.folder / "prompts").iterdir()
                   if path.suffix in PROMPT_SUFFIXES})


def load_prompt(name_or_path: str, config_dir: Path | None = None) -> Defined[PromptFile]:
    """The template called `name_or_path` in the layers' ``prompts/`` folders (the same
    name in two layers must say the same), or the file at that path (a name with a
    suffix or a ``/``)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix in PROMPT_SUFFIXES or "/" in name_or_path:
        if not candidate.is_file():
            raise ConfigError(f"prompt file {name_or_path!r} does not exist")
        return read_prompt(candidate, ConfigLayer(candidate.parent, "a path"))
    found = [read_prompt(folder / f"{name_or_path}{suffix}", layer)
             for layer in config_layers(config_dir)
             for folder in [layer.folder / "prompts"]
             for suffix in PROMPT_SUFFIXES if (folder / f"{name_or_path}{suffix}").is_file()]
    if not found:
        available = ", ".join(prompt_names(config_dir)) or "none"
        raise ConfigError(f"unknown prompt {name_or_path!r}; available: {available} "
                          "(or give the path of a .yaml/.txt template)")
    return merge_layers(found, noun="prompt")[name_or_path]


def read_prompt(path: Path, layer: ConfigLayer) -> Defined[PromptFile]:
    """One template: a YAML `PromptFile`, or a ``.txt`` file holding the user message."""
    if path.suffix == ".txt":
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not a prompt template (not UTF-8 text)") from None
        data: Any = {"user": text.strip("\n")}
    else:
        data = read_yaml(path)
    spec = parse_file(PromptFile, data, path, noun="prompt", names_under="")
    return Defined(path.stem, spec, path, layer)
