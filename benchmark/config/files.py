"""The models of the configuration files, one per kind, each with ``extra="forbid"``."""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator, model_validator

from benchmark.urls import check_download_url, redact_url

PLACEHOLDER = "{article}"


class ConfigFile(BaseModel):
    """Base of every file model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PresetSpec(ConfigFile):
    """A preset of ``models.yaml``: a name for a model plus its options."""

    model: str = Field(description="hf:<id or path>, openai:<model>, a built-in, ...")
    options: dict[str, Any] = {}
    description: str = ""

    @field_validator("options", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class ModelsFile(ConfigFile):
    models: dict[str, PresetSpec] = {}

    @field_validator("models", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class DatasetEntry(ConfigFile):
    """One named dataset of ``datasets.yaml`` (see `benchmark.data.registry`)."""

    hub: Optional[str] = None
    url: Optional[str] = None
    path: Optional[str] = None
    sha256: Optional[str] = None
    format: Literal["jsonl", "csv", "parquet"] = "jsonl"
    columns: dict[str, str] = {}
    licence: str
    citation: str
    variety: str
    style: str
    size: int
    description: str = ""

    @model_validator(mode="after")
    def _one_source(self) -> "DatasetEntry":
        given = [key for key in ("hub", "url", "path") if getattr(self, key)]
        if len(given) != 1:
            raise ValueError("give exactly one of hub, url, path")
        if (self.url or self.path) and not _is_sha256(self.sha256):
            raise ValueError("a url or path source needs its sha256 (64 hex digits)")
        if self.url:
            check_download_url(self.url)
        return self

    @property
    def kind(self) -> str:
        return "hub" if self.hub else "url" if self.url else "path"

    @property
    def location(self) -> str:
        """Where the data comes from, as shown (a URL without credentials)."""
        return self.hub or (redact_url(self.url) if self.url else None) or self.path or ""


class DatasetsFile(RootModel[dict[str, DatasetEntry]]):
    """``datasets.yaml``: its top-level keys are the dataset names."""


class EndpointSpec(ConfigFile):
    """A server of ``endpoints.yaml``: one URL or replicas, and the *name* of the
    variable holding its key (``none``: no key)."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    base_url: Optional[str] = None
    base_urls: Optional[list[str]] = None
    api_key_env: Optional[str] = Field(description="the variable's name, or none")
    models: list[str] = []
    description: str = ""

    @model_validator(mode="after")
    def _urls(self) -> "EndpointSpec":
        if (self.base_url is None) == (self.base_urls is None):
            raise ValueError("give base_url, or base_urls listing replicas of one server "
                             "(not both)")
        if not self.urls or not all(self.urls):
            raise ValueError("base_url(s) must be non-empty URLs")
        repeated = sorted({url for url in self.urls if self.urls.count(url) > 1})
        if repeated:
            raise ValueError(f"base URL {redact_url(repeated[0])} is listed twice; list each "
                             "replica once")
        return self

    @property
    def urls(self) -> tuple[str, ...]:
        """Every replica, without trailing "/"; the first is the one signatures name."""
        urls = self.base_urls if self.base_urls is not None else [self.base_url or ""]
        return tuple(url.strip().rstrip("/") for url in urls)


class EndpointsFile(ConfigFile):
    default: Optional[str] = None
    endpoints: dict[str, EndpointSpec] = {}


class PromptFile(ConfigFile):
    """A prompt template: the user message with ``{article}`` exactly once."""

    user: str
    system: Optional[str] = None
    description: str = ""

    @field_validator("user")
    @classmethod
    def _one_placeholder(cls, value: str) -> str:
        count = value.count(PLACEHOLDER)
        if count != 1:
            raise ValueError(f"the user message must contain {PLACEHOLDER} exactly once "
                             f"(found {count} times)")
        return value


def _is_sha256(value: str | None) -> bool:
    return (value is not None and len(value) == 64
            and all(char in "0123456789abcdef" for char in value.lower()))


