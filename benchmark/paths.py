"""Where the project's own files live: the bundled dataset and the configs folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATASET = PROJECT_ROOT / "datasets"


def config_dir() -> Path:
    """``$BENCH_CONFIG_DIR``, else ``./configs`` when it exists, else the project's."""
    if os.environ.get("BENCH_CONFIG_DIR"):
        return Path(os.environ["BENCH_CONFIG_DIR"])
    local = Path("configs")
    if local.is_dir():
        return local
    return PROJECT_ROOT / "configs"
