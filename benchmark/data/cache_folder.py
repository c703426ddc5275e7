"""The user's cache folder for ``bench``: ``$BENCH_CACHE_DIR``, else the platform's user
cache folder (``~/.cache/bench`` on Linux). Downloads and remembered dataset scans live
there; this module imports nothing heavy, so a run that only reads it stays light."""

from __future__ import annotations

from pathlib import Path

from benchmark.paths import CACHE_ENV, user_cache_folder

__all__ = ["CACHE_ENV", "cache_root"]


def cache_root() -> Path:
    return user_cache_folder()
