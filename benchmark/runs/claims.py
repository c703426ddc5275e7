"""Claims: one process at a time per run configuration and output folder (DESIGN §9),
and per prediction cache file and dataset.

A run claims its configuration (its resume key) before it looks for an unfinished run
to resume, so that identical commands started together end up as one run: the first
claims it, the others are refused. A run that asks a model for predictions claims the
prediction cache file for its dataset, so that concurrent runs needing the same
predictions wait for them instead of asking too (`benchmark.runs.cache`). A claim is a
`filelock` lock, which the system drops when the process dies (kill -9 included), and
which works wherever the package does.

Claims live with the results, in ``<output>/.claims/``: a folder of the user's own
(mode 0700, owner checked, never a symlink). Another user who could write into the
output folder and made ``.claims`` first does not get to see or touch the claims:
they go to the user's own cache folder instead. Lock files are created afresh or
opened without following a symlink and never truncated (filelock's native Unix lock);
the holder's process id goes to a file of its own, written new and renamed into place,
so no claim ever writes into a file it did not create.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.errors import BenchmarkError

CLAIMS_FOLDER = ".claims"


@dataclass
class Claim:
    """A held claim; `close` releases it (so does the end of the process)."""

    lock: Any  # filelock.FileLock
    holder_file: Path

    def close(self) -> None:
        if self.lock.is_locked:
            self.holder_file.unlink(missing_ok=True)
            self.lock.release()


def claim_configuration(root: Path, key: str) -> Claim | None:
    """Claim the run configuration `key` in output folder `root`; None when another
    process holds it."""
    from filelock import FileLock, Timeout

    folder = claims_folder(root)
    name = _name(root, key)
    lock_file = folder / f"{name}.lock"
    _remove_if_foreign(lock_file)
    lock = FileLock(lock_file, timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        return None
    holder = folder / f"{name}.pid"
    try:
        _write_new(holder, f"{os.getpid()}\n")
    except BaseException:
        lock.release()
        raise
    return Claim(lock, holder)


def prediction_key(cache_file: str, dataset: str) -> str:
    """The claim key of the predictions of one cache file for one dataset."""
    return f"predictions\n{cache_file}\n{dataset}"


def claim_predictions(folder: Path, *, cache_file: str, dataset: str) -> Claim | None:
    """Claim the right to ask the model for the predictions of `cache_file` (in `folder`)
    on `dataset` (its identity hash); None when another process holds it."""
    return claim_configuration(folder, prediction_key(cache_file, dataset))


def claim_holder(root: Path, key: str, *, wait: float = 1.0) -> str | None:
    """The process id written by the holder of a configuration's claim, if readable
    within `wait` seconds (the holder writes it just after taking the claim)."""
    try:
        path = claims_folder(root) / f"{_name(root, key)}.pid"
    except BenchmarkError:
        return None
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
            continue
        with os.fdopen(fd, encoding="utf-8") as handle:
            return handle.read(64).strip() or None


def claims_folder(root: Path) -> Path:
    """``<root>/.claims`` when it is the user's own, else the user's own cache folder
    for claims; created (mode 0700) when missing."""
    folder = root / CLAIMS_FOLDER
    if _private_folder(folder):
        return folder
    fallback = _user_claims_folder()
    if _private_folder(fallback):
        return fallback
    raise BenchmarkError(f"{folder} and {fallback} belong to another user or are not "
                         "folders; neither can hold this run's claim",
                         hint="remove them, or choose another {output_dir}")


def _user_claims_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("bench")) / "claims"


def _private_folder(folder: Path) -> bool:
    """Whether `folder` is (or was just made) a real folder of this user that nobody
    else can write to."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or not _mine(info):
        return False
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)  # ours: close it to others
    return True


def _mine(info: os.stat_result) -> bool:
    geteuid = getattr(os, "geteuid", None)  # not on Windows, where folders are per user
    return geteuid is None or info.st_uid == geteuid()


def _remove_if_foreign(path: Path) -> None:
    """Remove a symlink, or anything but a regular file of this user, where a lock file
    goes (the folder is the user's own, so only they or root put it there)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) or not _mine(info) or info.st_nlink > 1:
        path.unlink()


def _write_new(path: Path, text: str) -> None:
    """Replace `path` with a new file holding `text` (a fresh temporary file renamed
    over it: a symlink at `path` is replaced, never followed)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".holder-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _name(root: Path, key: str) -> str:
    return hashlib.sha256(f"{root.resolve()}\n{key}".encode()).hexdigest()[:32]
