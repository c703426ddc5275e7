"""The configuration layers, reading one file, and the one rule for names across layers."""

from __future__ import annotations

import contextlib
import os
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Iterable, Iterator, TypeVar

from pydantic import BaseModel, ValidationError

from benchmark.errors import ConfigError
from benchmark.paths import PACKAGE_CONFIG, user_config_folder

PACKAGE_ORIGIN = "the package"
# The folder in effect for code that cannot take it as an argument: a plugin's
# constructor, or code not yet switched to the loaders here. Set by the CLI for one
# command and by `create_summarizer` and `Scorer` around what they construct.
_IN_EFFECT: ContextVar[Path | None] = ContextVar("bench_config_dir", default=None)


@dataclass(frozen=True)
class ConfigLayer:
    folder: Path
    origin: str  # for messages: "the package", "the user config folder", "the config folder"

    @property
    def is_package(self) -> bool:
        return self.origin == PACKAGE_ORIGIN


def config_layers(config_dir: Path | None = None) -> list[ConfigLayer]:
    """The package's configuration, the user config folder when there is one, then
    `config_dir` (else the folder in effect, see `config_in_effect`), which must be a
    folder; a folder met twice counts once."""
    layers = [ConfigLayer(PACKAGE_CONFIG, PACKAGE_ORIGIN)]
    user = user_config_folder()
    if user is not None:
        layers.append(ConfigLayer(user, "the user config folder"))
    config_dir = config_dir if config_dir is not None else _IN_EFFECT.get()
    if config_dir is not None:
        layers.append(ConfigLayer(check_config_dir(config_dir), "the config folder"))
    seen: set[Path] = set()
    unique = []
    for layer in layers:
        if layer.folder.resolve() not in seen:
            seen.add(layer.folder.resolve())
            unique.append(layer)
    return unique


@contextlib.contextmanager
def config_in_effect(config_dir: Path | None) -> Iterator[None]:
    """Within the block, `config_layers()` without an argument reads `config_dir` (None
    changes nothing): how a folder reaches constructors whose signature cannot take it."""
    if config_dir is None:
        yield
        return
    token = _IN_EFFECT.set(check_config_dir(config_dir))
    try:
        yield
    finally:
        _IN_EFFECT.reset(token)


def config_dir_in_effect() -> Path | None:
    return _IN_EFFECT.get()


def check_config_dir(config_dir: Path) -> Path:
    """`config_dir` if it is a folder; else a `ConfigError` naming it."""
    folder = Path(config_dir).expanduser()
    if not folder.is_dir():
        problem = "not a folder" if folder.exists() else "no such folder"
        raise ConfigError(f"configuration folder {folder}: {problem}",
                          hint="name a folder holding models.yaml, datasets.yaml, "
                               "endpoints.yaml or prompts/ with {config}")
    return folder



T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Defined(Generic[T]):
    """A name defined by a configuration file, with the file and layer it came from."""

    name: str
    spec: T
    file: Path
    layer: ConfigLayer

    @property
    def source(self) -> str:
        return str(self.file)

    @property
    def from_package(self) -> bool:
        return self.layer.is_package




def read_yaml(path: Path) -> Any:
    """The YAML in `path`. Errors give the position only: the parser's own message
    quotes lines, and the path may name a file that is not the user's to show. A file
    of the package's own configuration is remembered in the user cache under its state
    and PyYAML's (`benchmark.remembered`): importing PyYAML and parsing them cost every
    run about 15 ms. A user's files are parsed each time (they may hold secrets, which
    stay out of the cache)."""
    from benchmark.remembered import package_files, remembered

    library = package_files("yaml")
    if library is None or PACKAGE_CONFIG not in Path(os.path.realpath(path)).parents:
        return _parse_yaml(path)
    return remembered("package-yaml", lambda: _parse_yaml(path),
                      files=[path, *library, Path(__file__)])


def _parse_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:  # libyaml's safe loader where PyYAML has it: the same values, a tenth of the time
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None


def parse_file(model: type[T], data: Any, path: Path, *, noun: str,
               names_under: str | None) -> T:
    """`data` (a file's YAML) validated by `model`; one line naming the file and the first
    bad key. Named entries sit under the top-level key `names_under` (None: the top-level
    keys are the names)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, not "
                          f"{type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problem = _describe(exc.errors()[0], model, noun=noun, names_under=names_under)
        raise ConfigError(f"{path}: {problem}") from None


def _describe(error: Any, model: type[BaseModel], *, noun: str,
              names_under: str | None) -> str:
    loc = [str(part) for part in error["loc"]]
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden" and len(loc) == 1 and names_under is not None:
        return (f"unknown top-level key {loc[0]!r} (expected: "
                f"{', '.join(model.model_fields)})")
    if names_under is not None and len(loc) >= 2 and loc[0] == names_under:
        loc = loc[1:]
    elif names_under is not None or not loc:
        return f"{'.'.join(loc) or 'file'}: {message}"
    name, rest = loc[0], loc[1:]
    return f"{noun} {name!r}: " + (f"{'.'.join(rest)}: " if rest else "") + message


def merge_layers(found: Iterable[Defined[T]], *, noun: str) -> dict[str, Defined[T]]:
    """The one rule for names across layers: the first definition of a name stays; a
    later one that differs (in anything but its description) is an error naming both
    files."""
    merged: dict[str, Defined[T]] = {}
    for defined in found:
        earlier = merged.get(defined.name)
        if earlier is None:
            merged[defined.name] = defined
        elif _meaning(earlier.spec) != _meaning(defined.spec):
            raise ConfigError(f"{defined.file}: {noun} {defined.name!r} would replace the "
                              f"{noun} of that name in {earlier.file}",
                              hint=f"give your {noun} another name")
    return merged


def _meaning(spec: BaseModel) -> Any:
    dumped = spec.model_dump()
    if isinstance(dumped, dict):
        dumped.pop("description", None)
    return dumped
