"""Reading the llm layer's configuration files: YAML checked against a pydantic model
that forbids unknown keys, every mistake one `ConfigError` naming the file and the key.

Each file kind has one reading function (`benchmark.llm.endpoints.read_endpoints_file`,
`benchmark.llm.prompts.read_prompt_file`) built on these two helpers, so that a single
layered loader can take their place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from benchmark.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)


def read_yaml(path: Path, *, what: str) -> Any:
    """The YAML document in `path`. Errors give the position only: a parser's message
    quotes lines, and `path` may name a file that is not `what` at all (and not the
    user's to show)."""
    import yaml

    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not {what} (not UTF-8 text)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not valid YAML{where} ({what})") from None


def validated(model: type[Model], data: Any, *, path: Path, what: str,
              where: str = "") -> Model:
    """`data` as a `model` (one level: nested mappings are validated by the caller, each
    with its own `where`); one line naming the file, each bad key and what is wrong."""
    prefix = f"{path}: {where}: " if where else f"{path}: "
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix}{what} must be a mapping of keys to values")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        unknown = sorted(".".join(map(str, e["loc"])) for e in errors
                         if e["type"] == "extra_forbidden")
        problems = [f"unknown keys {unknown} (allowed: {sorted(model.model_fields)})"] \
            if unknown else []
        for error in errors:
            key = ".".join(str(part) for part in error["loc"]) or "value"
            if error["type"] == "missing":
                problems.append(f"missing key {key!r}")
            elif error["type"] != "extra_forbidden":
                problems.append(f"{key}: {error['msg']}")
        raise ConfigError(prefix + "; ".join(problems)) from None
