"""The user's cache folder for ``bench``: ``$BENCH_CACHE_DIR``, else the platform's user
cache folder (``~/.cache/bench`` on Linux). Downloads and remembered dataset scans live
there; this module imports nothing heavy, so a run that only reads it stays light."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "BENCH_CACHE_DIR"


def cache_root() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("bench"))
