"""The rubric of a study: criteria with their Arabic names and questions, and the words
of each protocol's answers (``configs/rubrics/human-ar.yaml``, or a file of the same
shape)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from benchmark.errors import ConfigError
from benchmark.paths import PACKAGE_CONFIG

DEFAULT_RUBRIC = PACKAGE_CONFIG / "rubrics" / "human-ar.yaml"
PROTOCOLS = ("likert", "pairwise", "units")
SECTIONS = ("criteria", "likert", "pairwise", "units")


def load_rubric(path: Path | None = None) -> dict[str, Any]:
    """The rubric as a plain dict (stored in the study as JSON); raises `ConfigError`."""
    source = Path(path) if path is not None else DEFAULT_RUBRIC
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{source}: no such rubric file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(data, dict) or any(not isinstance(data.get(s), dict) for s in SECTIONS):
        raise ConfigError(f"{source}: a rubric needs the sections {', '.join(SECTIONS)}",
                          hint=f"start from {DEFAULT_RUBRIC}")
    for name, criterion in data["criteria"].items():
        if not isinstance(criterion, dict) or not criterion.get("question"):
            raise ConfigError(f"{source}: criterion {name!r} needs a 'question'")
    data["likert"] = {int(k): str(v) for k, v in data["likert"].items()}
    if sorted(data["likert"]) != [1, 2, 3, 4, 5]:
        raise ConfigError(f"{source}: 'likert' needs the labels of 1 to 5")
    return data


def study_criteria(rubric: dict[str, Any], protocol: str,
                   chosen: list[str] | None) -> list[str]:
    """The criteria a study rates: the chosen ones (which must be in the rubric), else
    all of the rubric's; units studies rate one criterion, content."""
    if protocol == "units":
        if chosen:
            raise ConfigError("a units study rates one criterion (the share of the "
                              "reference's units a summary states)", hint="drop {criteria}")
        return [str(rubric["units"].get("criterion", "content"))]
    known = list(rubric["criteria"])
    if not chosen:
        return known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ConfigError(f"criterion {unknown[0]!r} is not in the rubric; its criteria: "
                          f"{', '.join(known)}")
    return list(dict.fromkeys(chosen))
