"""Lines computed from installed files, remembered in the user cache under those files'
state: the gazetteer's places from babel's locale data (`babel_files`).

Loading babel and its Arabic locale data costs about 15 ms of CPU in every process that
extracts entities, a second model's run included; the lines it gives change only with
babel's files. So they are kept in the user cache (``$BENCH_CACHE_DIR``,
``remembered/``), in a file named by a digest of what decides them: each file's
resolved path, size, modification and change times and inode, and a `salt` (the code
that computes them and its settings). A changed or reinstalled file is a new name,
computed again. A file that cannot be read is computed again and a cache that cannot
be written is not used; the lines are the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmark.data.cache_folder import cache_root

SCHEME = 1  # the layout of a remembered file


def remembered_lines(name: str, compute: Callable[[], list[str]], *,
                     files: Sequence[Path] | None, salt: bytes) -> list[str]:
    """``compute()``, read back from the user cache when computed before from `files`
    in the same state (None: not remembered, computed each time)."""
    key = _key(files, salt) if files is not None else None
    if key is None:
        return compute()
    path = cache_root() / "remembered" / f"{name}-{key}.json"
    found = _read(path)
    if found is not None:
        return found
    lines = compute()
    _write(path, lines)
    return lines


def babel_files(locales: Sequence[str]) -> list[Path] | None:
    """The files babel reads to answer for `locales` (its version, the global data, the
    root locale and each locale's data), found without importing babel; None when babel
    is not installed where a path can be given."""
    from importlib.util import find_spec

    spec = find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0])
    data = folder / "locale-data"
    return [folder / "__init__.py", folder / "global.dat", data / "root.dat",
            *(data / f"{locale}.dat" for locale in locales)]


def _key(files: Sequence[Path], salt: bytes) -> str | None:
    digest = hashlib.sha256(f"{SCHEME}".encode() + b"\0" + salt)
    for file in files:
        try:
            state = os.stat(file)
            resolved = os.path.realpath(file)
        except OSError:
            return None  # not there: computed (and failing) as without a cache
        digest.update(f"\0{resolved}\0{state.st_size}\0{state.st_mtime_ns}\0"
                      f"{state.st_ctime_ns}\0{state.st_ino}\0{state.st_dev}".encode())
    return digest.hexdigest()[:32]


def _read(path: Path) -> list[str] | None:
    try:
        found = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError):  # missing or damaged: computed again
        return None
    if isinstance(found, list) and all(isinstance(line, str) for line in found):
        return found
    return None


def _write(path: Path, lines: list[str]) -> None:
    """Replace the file at once (a reader sees the old one or the new one)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(lines, ensure_ascii=False).encode("utf-8"))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass  # a read-only or full cache: computed in each process, as without one
