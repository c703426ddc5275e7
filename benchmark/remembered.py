"""Values computed from files, remembered in the user cache under those files' state.

Two fixed costs of every run come from files that seldom change: parsing the
configuration's YAML (importing PyYAML and reading the package's ``models.yaml`` and
``datasets.yaml``: about 15 ms) and the gazetteer's place names from babel's locale data
(importing babel and loading its Arabic data: about 15 ms). `remembered` keeps such a
value in the user cache (``$BENCH_CACHE_DIR``, ``remembered/``), one file per kind of
value and set of source files, and gives it back while every source file is in the
same state as when it was computed: its resolved path, size, modification and change
times (nanoseconds), inode and device, plus a `salt` (the code and settings that
compute it). An edit, a reinstall or a ``touch`` is a new state: computed again.

What is not remembered, as for the remembered dataset scans
(`benchmark.data.scan_cache`): a value whose files were modified less than `SETTLE_S`
seconds before they were read (they could change again without their times moving),
or that changed while it was computed; a failure (an error is raised each time). A file
that cannot be read is computed again and a cache that cannot be written is not used:
the value is the same either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from benchmark.paths import user_cache_folder

T = TypeVar("T")
SCHEME = "remembered.v1"  # the layout of a remembered file
SETTLE_S = 2.0  # files modified more recently than this are read, not remembered
FOLDER = "remembered"
_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               IndexError, KeyError, TypeError, ValueError)


def remembered(kind: str, compute: Callable[[], T], *, files: Sequence[Path] | None,
               salt: bytes = b"") -> T:
    """``compute()``, read back from the user cache when it was computed before from
    `files` in their present state with the same `salt` (None: computed each time)."""
    began = time.time_ns()
    state = file_states(files) if files is not None else None
    if state is None:
        return compute()
    place = hashlib.sha256(repr((SCHEME, kind, [entry[0] for entry in state], salt))
                           .encode()).hexdigest()[:24]
    path = user_cache_folder() / FOLDER / f"{kind}-{place}.pickle"
    key = (SCHEME, state, salt)
    found = _read(path, key)
    if found is not _MISSING:
        return found
    value = compute()
    settled = all(began - entry[2] >= SETTLE_S * 1e9 for entry in state)
    if settled and file_states(files) == state:
        _write(path, {"key": key, "value": value})
    return value


def file_states(files: Sequence[Path]) -> tuple[tuple[str, int, int, int, int, int], ...] | None:
    """(resolved path, size, mtime_ns, ctime_ns, inode, device) of each file; None when
    one cannot be found."""
    states = []
    for file in files:
        try:
            resolved = os.path.realpath(file)
            info = os.stat(resolved)
        except OSError:
            return None
        states.append((resolved, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                       info.st_ino, info.st_dev))
    return tuple(states)


def package_files(package: str, *names: str) -> list[Path] | None:
    """Files of an installed package, found without importing it (its ``__init__.py``,
    whose state changes with its version, then `names` under its folder); None when it
    is not installed as files."""
    from importlib.util import find_spec

    try:
        spec = find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0])
    return [folder / "__init__.py", *(folder / name for name in names)]


_MISSING = object()


def _read(path: Path, key: Any) -> Any:
    try:
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
    except _UNREADABLE:  # missing, damaged or from elsewhere: computed again
        return _MISSING
    if not isinstance(stored, dict) or stored.get("key") != key or "value" not in stored:
        return _MISSING
    return stored["value"]


def _write(path: Path, stored: dict[str, Any]) -> None:
    try:
        replace_pickled(path, stored)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a read-only or full cache: computed in each process, as without one


def replace_pickled(path: Path, value: Any) -> None:
    """`value` pickled into `path`, the file replaced at once (a reader sees the old one
    or the new one; a failed write leaves no temporary file). Errors are the caller's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
