"""OpenAI-compatible endpoints from ``endpoints.yaml`` (DESIGN §8): the package's, then
the user's configuration layers (`benchmark.config`).

The file names servers: a base URL, the *name* of the environment variable holding the
API key (``none`` for a local server without keys) and the models served there::

    default: openai
    endpoints:
      local-vllm: {base_url: "http://localhost:8000/v1", api_key_env: none,
                   models: [Qwen/Qwen2.5-7B-Instruct]}
      vllm-replicas: {base_urls: ["http://gpu1:8000/v1", "http://gpu2:8000/v1"],
                      api_key_env: none, models: [Qwen/Qwen2.5-7B-Instruct]}

``base_urls`` lists replicas of one server (see `benchmark.llm.replicas`); the
``base_url`` option takes one URL or a list (``--base-url`` repeated).

`resolve_endpoint` picks one for a model, each field independently: the run's option
(``endpoint``, ``base_url``, ``api_key_env``) first, then the selected endpoint (the one
named by the ``endpoint`` option, else the one listing the model, else ``default``),
then OpenAI's own URL and ``OPENAI_API_KEY``. One exception: a ``base_url`` option
replaces the ``default`` fallback entirely, so ``--base-url`` alone sends no key (add
``--api-key-env VAR`` for a server that wants one). Keys are read from the environment
only, and never stored in options, signatures or messages; URLs are shown through
`benchmark.urls.redact_url` (no user information, no credential-like parameters).

The files are read by `benchmark.config` (a model per file kind that forbids unknown
keys: a misspelled key is an error naming the key and the file; one rule for names
across the configuration layers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from benchmark.config import EndpointsFile, EndpointSpec, parse_file, read_yaml
from benchmark.config import load_endpoints as load_layered_endpoints
from benchmark.errors import ConfigError
from benchmark.urls import redact_url

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_KEY_ENV = "OPENAI_API_KEY"
NO_KEY = frozenset({"none", "null", "-", ""})  # api_key_env values meaning "no key"


@dataclass(frozen=True)
class Endpoint:
    name: str
    base_url: str  # the first replica; the one signatures name
    api_key_env: str | None  # None: the server needs no key
    models: tuple[str, ...] = ()
    source: str = "built-in default"
    base_urls: tuple[str, ...] = ()  # every replica, base_url first; () means (base_url,)

    def __post_init__(self) -> None:
        if not self.base_urls:
            object.__setattr__(self, "base_urls", (self.base_url,))


@dataclass(frozen=True)
class EndpointConfig:
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    default: str | None = None
    path: Path | None = None


def parse_key_env(value: str | None) -> str | None:
    """The variable name, or None for the spellings of "no key" (``none``, ``-``)."""
    if value is None or value.strip().lower() in NO_KEY:
        return None
    return value.strip()


def load_endpoints(path: Path | None = None) -> EndpointConfig:
    """The endpoints in the file `path`, or else those of every configuration layer
    (`benchmark.config.load_endpoints`: the package's, then the user's, which may add
    endpoints and choose the default but not redefine one)."""
    if path is None:
        layered = load_layered_endpoints()
        return EndpointConfig({name: _endpoint(name, defined.spec, defined.source)
                               for name, defined in layered.endpoints.items()},
                              layered.default, layered.default_file)
    if not path.is_file():
        return EndpointConfig()
    parsed = parse_file(EndpointsFile, read_yaml(path), path, noun="endpoint",
                        names_under="endpoints")
    endpoints = {name: _endpoint(name, spec, str(path))
                 for name, spec in parsed.endpoints.items()}
    if parsed.default is not None and parsed.default not in endpoints:
        raise ConfigError(f"{path}: default endpoint {parsed.default!r} is not defined "
                          f"(defined: {', '.join(endpoints) or 'none'})")
    return EndpointConfig(endpoints, parsed.default, path)


def _endpoint(name: str, spec: EndpointSpec, source: str) -> Endpoint:
    urls = spec.urls
    return Endpoint(name, urls[0], parse_key_env(spec.api_key_env), tuple(spec.models),
                    source=source, base_urls=urls)


def replica_urls(urls: str | Sequence[str], *, where: str) -> tuple[str, ...]:
    """URLs without trailing "/", each once (a replica listed twice is a typo)."""
    cleaned = tuple(url.strip().rstrip("/") for url in ([urls] if isinstance(urls, str)
                                                        else urls))
    repeated = sorted({url for url in cleaned if cleaned.count(url) > 1})
    if repeated:
        raise ConfigError(f"{where}: base URL {redact_url(repeated[0])} is listed twice; "
                          "list each replica once")
    if not cleaned:
        raise ConfigError(f"{where}: no base URL given")
    return cleaned


def resolve_endpoint(model: str, *, endpoint: str | None = None,
                     base_url: str | Sequence[str] | None = None,
                     api_key_env: str | None = None,
                     config: EndpointConfig | None = None) -> Endpoint:
    """Where to send requests for `model`, and which variable holds the key. A list
    of `base_url` values names replicas of one server."""
    config = config if config is not None else load_endpoints()
    selected = _select(model, endpoint, config)
    if base_url and selected is not None and selected.name == config.default \
            and endpoint is None and model not in selected.models:
        selected = None  # an explicit URL replaces the fallback endpoint, key included
    if api_key_env is not None:
        key_env = parse_key_env(api_key_env)
    elif selected is not None:
        key_env = selected.api_key_env
    else:
        key_env = None if base_url else DEFAULT_KEY_ENV
    if base_url:
        name = selected.name if selected else "custom"
        urls = replica_urls(base_url, where="option base_url")
        return Endpoint(name, urls[0], key_env, selected.models if selected else (),
                        "options", base_urls=urls)
    if selected is None:
        return Endpoint("default", DEFAULT_BASE_URL, key_env)
    return Endpoint(selected.name, selected.base_url.rstrip("/"), key_env, selected.models,
                    selected.source,
                    base_urls=tuple(url.rstrip("/") for url in selected.base_urls))


def _select(model: str, endpoint: str | None, config: EndpointConfig) -> Endpoint | None:
    if endpoint is not None:
        if endpoint not in config.endpoints:
            where = config.path or "configs/endpoints.yaml (absent)"
            raise ConfigError(f"unknown endpoint {endpoint!r} in {where}; defined: "
                              f"{', '.join(config.endpoints) or 'none'}")
        return config.endpoints[endpoint]
    for candidate in config.endpoints.values():
        if model in candidate.models:
            return candidate
    return config.endpoints.get(config.default) if config.default else None


def read_api_key(endpoint: Endpoint, *, owner: str,
                 environ: Mapping[str, str] | None = None) -> str | None:
    """The key from the endpoint's variable; a `ConfigError` naming it when unset."""
    if endpoint.api_key_env is None:
        return None
    environ = os.environ if environ is None else environ
    key = environ.get(endpoint.api_key_env, "").strip()
    if not key:
        raise ConfigError(
            f"{owner}: the environment variable {endpoint.api_key_env} holding the API key "
            f"for {redact_url(endpoint.base_url)} is not set (endpoint {endpoint.name!r} "
            f"from {endpoint.source})",
            hint="export it, or name another variable with {api_key_env} VAR, or "
                 "{api_key_env} none for a server without keys")
    return key
