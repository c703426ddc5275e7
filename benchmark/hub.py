"""The Hugging Face hub, reached at once or not at all.

Without a network, `datasets` and `transformers` retry the hub for half a minute and
print a line per retry before they give up. Before either is asked for an ``hf:``
dataset or model, `offline_reason` says whether the hub can be reached: an offline flag
(``HF_HUB_OFFLINE``, ``HF_DATASETS_OFFLINE``, ``TRANSFORMERS_OFFLINE``), else one TCP
connection to the endpoint (or the proxy) with a short timeout. Offline, a resource
that is not in the local cache fails at once, naming the cache and the local folder to
use instead; a cached one is read in offline mode. `quiet_hub` keeps the libraries' log
lines and warnings off the terminal while they work (import a library before entering
it: `transformers` resets its log level when it is imported).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import sys
import warnings
from pathlib import Path
from typing import Iterator, Literal
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://huggingface.co"
PROBE_TIMEOUT_S = 2.0
OFFLINE_FLAGS = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY",
                   "http_proxy")
LIBRARY_LOGGERS = ("huggingface_hub", "datasets", "transformers", "filelock", "fsspec",
                   "urllib3")
Kind = Literal["model", "dataset"]


def offline_reason() -> str | None:
    """Why the hub cannot be used now (an offline flag is set, or it cannot be
    reached), or None when it can."""
    for flag in OFFLINE_FLAGS:
        if os.environ.get(flag, "").strip().upper() in ("1", "ON", "YES", "TRUE"):
            return f"{flag} is set"
    endpoint = os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    proxy = next((os.environ[name] for name in PROXY_VARIABLES if os.environ.get(name)), None)
    problem = _unreachable(proxy or endpoint)
    if problem is None:
        return None
    through = f" through the proxy {_shown(proxy)}" if proxy else ""
    return f"the hub at {_shown(endpoint)} cannot be reached{through} ({problem})"


@functools.lru_cache(maxsize=8)
def _unreachable(url: str) -> str | None:
    """None when a TCP connection to `url`'s host opens within the timeout (once per
    process), else what went wrong."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = parts.hostname
    if not host:
        return "no host in the address"
    try:
        port = parts.port or (80 if parts.scheme == "http" else 443)
    except ValueError:
        return "a bad port in the address"
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
            return None
    except socket.timeout:
        return f"no answer within {PROBE_TIMEOUT_S:g} s"
    except OSError as exc:
        return (exc.strerror or str(exc) or type(exc).__name__).lower()


def _shown(url: str) -> str:
    """The scheme, host and port of `url` (never its user information)."""
    parts = urlsplit(url if "//" in url else f"//{url}")
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}" if parts.scheme else netloc


def hf_home() -> Path:
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "huggingface"


def hub_cache() -> Path:
    """Where the hub's files are cached (``HF_HUB_CACHE``, else ``$HF_HOME/hub``)."""
    for name in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(name):
            return Path(os.environ[name]).expanduser()
    return hf_home() / "hub"


def datasets_cache() -> Path:
    """Where `datasets` keeps what it prepared (``HF_DATASETS_CACHE``)."""
    if os.environ.get("HF_DATASETS_CACHE"):
        return Path(os.environ["HF_DATASETS_CACHE"]).expanduser()
    return hf_home() / "datasets"


def in_cache(repo: str, kind: Kind) -> bool:
    """Whether the local caches hold `repo` (a model, or a dataset's files or its
    prepared tables)."""
    folder = hub_cache() / f"{kind}s--{repo.replace('/', '--')}" / "snapshots"
    if folder.is_dir() and any(folder.iterdir()):
        return True
    return kind == "dataset" and (datasets_cache() / repo.replace("/", "___")).is_dir()


@contextlib.contextmanager
def quiet_hub(*, offline: bool) -> Iterator[None]:
    """While the hub libraries work: their loggers at ERROR, their warnings ignored,
    and, when `offline`, their offline mode on (so they read the cache and never
    retry a network that is not there)."""
    saved = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    verbosity = _library_verbosity()
    flags = _offline_flags(offline)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _restore_flags(flags)
        _restore_verbosity(verbosity)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _library_verbosity() -> dict[str, int]:
    """Set the libraries that keep their own verbosity (and set it again when they are
    imported) to errors, for those imported already; return what it was."""
    saved = {}
    for name in ("transformers", "datasets"):
        module = sys.modules.get(f"{name}.utils.logging")
        if module is not None:
            saved[name] = module.get_verbosity()
            module.set_verbosity_error()
    return saved


def _restore_verbosity(saved: dict[str, int]) -> None:
    for name, level in saved.items():
        sys.modules[f"{name}.utils.logging"].set_verbosity(level)


def _offline_flags(offline: bool) -> list[tuple[object, str, object]]:
    """Turn on the offline switches the libraries read (their module constants, read
    once at import, and the environment for those imported later); return what to
    restore."""
    if not offline:
        return []
    saved: list[tuple[object, str, object]] = []
    for name in OFFLINE_FLAGS[:2]:
        saved.append((os.environ, name, os.environ.get(name)))
        os.environ[name] = "1"
    for module_name, attrs in (("huggingface_hub.constants", ("HF_HUB_OFFLINE",)),
                               ("datasets.config", ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))):
        try:
            module = __import__(module_name, fromlist=["x"])
        except ImportError:
            continue
        for attr in attrs:
            if hasattr(module, attr):
                saved.append((module, attr, getattr(module, attr)))
                setattr(module, attr, True)
    return saved


def _restore_flags(saved: list[tuple[object, str, object]]) -> None:
    for owner, name, value in reversed(saved):
        if owner is os.environ:
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value  # type: ignore[assignment]
        else:
            setattr(owner, name, value)
