"""Where the package's own files and the user's configuration folder live.

Package data (the bundled dataset, presets, endpoints, prompt templates, the NER gold
annotations) ships inside the package under ``benchmark/resources/`` and is found
beside this module, so a wheel installed anywhere works (``importlib.resources`` would
find the same folder, for a package installed as files, at the cost of importing
``zipfile``, ``tempfile`` and more on every start); the repository's
top-level ``datasets/`` and ``configs/`` are the user-facing copies the design card
names, kept identical by a test.

How configuration folders are layered is `benchmark.config`; this module only knows
where the platform keeps a user's configuration and cache. The one environment variable
read here is ``$BENCH_CACHE_DIR`` (the cache folder); the CLI turns ``--config`` or
``$BENCH_CONFIG`` into the configuration folder it passes on.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_RESULTS = Path("results")  # where run folders go unless told otherwise

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, when run from one
RESOURCES = Path(__file__).resolve().parent / "resources"
BUNDLED_DATASET = RESOURCES / "datasets"
PACKAGE_CONFIG = RESOURCES / "configs"
BUNDLED_GOLD = RESOURCES / "gold" / "entities_gold.jsonl"  # development set
BUNDLED_TEST = RESOURCES / "gold" / "entities_test.jsonl"  # sealed test set
BUNDLED_VAL = RESOURCES / "gold" / "entities_val.jsonl"  # names, to choose a NER recipe on
APP_NAME = "bench"
CACHE_ENV = "BENCH_CACHE_DIR"


def user_cache_folder() -> Path:
    """``$BENCH_CACHE_DIR``, else the platform's user cache folder for ``bench``
    (``~/.cache/bench`` on Linux)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))


def user_config_folder() -> Path | None:
    """The platform's configuration folder for ``bench`` (``~/.config/bench`` on Linux),
    when it exists."""
    try:
        from platformdirs import user_config_dir
    except ImportError:  # an install without it: no user folder, the package's files
        return None
    folder = Path(user_config_dir(APP_NAME, appauthor=False))
    return folder if folder.is_dir() else None
