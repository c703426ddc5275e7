"""Where the package's own files and the user's configuration live.

Package data (the bundled dataset, presets, endpoints, prompt templates, the NER gold
annotations) ships inside the package under ``benchmark/resources/`` and is found
through `importlib.resources`, so a wheel installed anywhere works; the repository's
top-level ``datasets/`` and ``configs/`` are the user-facing copies the design card
names, kept identical by a test.

Configuration comes in layers (`config_layers`): the package's own files first, then
one user folder: ``--config DIR`` (the CLI sets ``$BENCH_CONFIG``), else
``$BENCH_CONFIG`` (``$BENCH_CONFIG_DIR`` is its older name), else the user config
folder of the platform (``platformdirs``; e.g. ``~/.config/bench``). A ``configs/``
folder in the working directory is read only when named that way: a file in whatever
folder the command runs from must not decide where a key is sent. A user layer adds
names; giving a new meaning to a name the package defines is an error naming both
(see `benchmark.summarizers.presets`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DEFAULT_RESULTS = Path("results")  # where run folders go unless told otherwise

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout, when run from one
RESOURCES = Path(str(resources.files("benchmark") / "resources"))
BUNDLED_DATASET = RESOURCES / "datasets"
PACKAGE_CONFIG = RESOURCES / "configs"
BUNDLED_GOLD = RESOURCES / "gold" / "entities_gold.jsonl"  # development set
BUNDLED_TEST = RESOURCES / "gold" / "entities_test.jsonl"  # sealed test set
CONFIG_VARIABLES = ("BENCH_CONFIG", "BENCH_CONFIG_DIR")
APP_NAME = "bench"


@dataclass(frozen=True)
class ConfigLayer:
    folder: Path
    origin: str  # for messages: "the package", "$BENCH_CONFIG", "the user config folder"

    @property
    def is_package(self) -> bool:
        return self.origin == PACKAGE_ORIGIN


PACKAGE_ORIGIN = "the package"


def config_layers() -> list[ConfigLayer]:
    """The package's configuration, then the user's folder when there is one."""
    layers = [ConfigLayer(PACKAGE_CONFIG, PACKAGE_ORIGIN)]
    user = user_config_layer()
    if user is not None and user.folder.resolve() != PACKAGE_CONFIG.resolve():
        layers.append(user)
    return layers


def user_config_layer() -> ConfigLayer | None:
    for variable in CONFIG_VARIABLES:
        if os.environ.get(variable):
            return ConfigLayer(Path(os.environ[variable]).expanduser(), f"${variable}")
    try:
        from platformdirs import user_config_dir
    except ImportError:  # an install without it: no user folder, the package's files
        return None
    folder = Path(user_config_dir(APP_NAME, appauthor=False))
    return ConfigLayer(folder, "the user config folder") if folder.is_dir() else None


def config_dir() -> Path:
    """The folder of the last configuration layer (where a user's files would go)."""
    return config_layers()[-1].folder
