"""Typed options, shared by summarizers, metrics and NER backends: one validation path
and one wording for a bad option."""

from __future__ import annotations

from typing import Any, Mapping

from pydantic import BaseModel, ValidationError

from benchmark.errors import ConfigError


def validate_options(model: type[BaseModel], values: Mapping[str, Any], *,
                     owner: str) -> BaseModel:
    """Validate `values` against `model`; one line naming each unknown or bad option and
    the known ones."""
    try:
        return model(**values)
    except ValidationError as exc:
        known = ", ".join(model.model_fields) or "none"
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "options"
            if error["type"] == "extra_forbidden":
                problems.append(f"unknown option {where!r}")
            else:
                problems.append(f"option {where!r}: {error['msg']}")
        raise ConfigError(f"{owner}: {'; '.join(problems)} (options: {known})") from None
