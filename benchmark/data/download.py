"""Fetch a registry dataset's file once, into the user cache, and verify its SHA-256.

The file lands at ``<cache>/datasets/<name>/<sha256[:12]>/<file name>``, where
``<cache>`` is ``$BENCH_CACHE_DIR`` or the platform's user cache folder for ``bench``.
A download goes to ``<file>.part`` first and is renamed only after its checksum
matched, so an interrupted download never leaves a file that looks complete; the next
attempt resumes the ``.part`` with an HTTP range request when the server allows it.
A checksum mismatch deletes the download and says both hashes.

Without network the error says what to fetch and exactly where to put it, so a user
can copy the file in by hand and work offline.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlparse

from benchmark.data.cache_folder import cache_root
from benchmark.errors import DataError
from benchmark.urls import check_download_url, redact_url, scrub, url_secrets

CHUNK = 1 << 16
TIMEOUT_S = 30

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


def cached_path(*, name: str, url: str, sha256: str) -> Path:
    """Where the verified file of ``url`` lives (whether or not it is there yet)."""
    file_name = Path(unquote(urlparse(url).path)).name or "data"
    return cache_root() / "datasets" / name / sha256[:12] / file_name


def fetch(*, name: str, url: str, sha256: str, progress: Progress | None = None) -> Path:
    """The verified local copy of ``url`` (http or https), downloading it first if
    needed."""
    try:
        check_download_url(url)
    except ValueError as exc:
        raise DataError(f"dataset {name!r}: {exc}",
                        hint="give a local file as the entry's path, with its sha256") from None
    target = cached_path(name=name, url=url, sha256=sha256)
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    try:
        _download(url, part, progress=progress)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = scrub(str(getattr(exc, "reason", None) or exc), url_secrets(url))
        raise DataError(f"cannot download dataset {name!r} from {redact_url(url)} "
                        f"({reason}); to work offline, fetch that file elsewhere and put it "
                        f"at {target} (sha256 {sha256})") from None
    actual = file_sha256(part)
    if actual != sha256.lower():
        part.unlink(missing_ok=True)
        raise DataError(f"dataset {name!r} from {redact_url(url)}: checksum mismatch "
                        f"(expected sha256 {sha256}, got {actual}); the download was deleted: "
                        "the file has changed upstream or was damaged in transit")
    os.replace(part, target)
    return target


def verify_file(path: Path, *, name: str, sha256: str) -> Path:
    """``path`` after checking that its SHA-256 is ``sha256``."""
    if not path.is_file():
        raise DataError(f"dataset {name!r}: no such file; put the file there (sha256 "
                        f"{sha256})", path=str(path))
    actual = file_sha256(path)
    if actual != sha256.lower():
        raise DataError(f"dataset {name!r}: checksum mismatch (expected sha256 {sha256}, "
                        f"got {actual})", path=str(path))
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def default_progress(name: str) -> Progress:
    """A progress bar on stderr (tqdm), created at the first byte."""
    bar = None

    def update(done: int, total: int | None) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="B", unit_scale=True, desc=f"downloading {name}",
                       leave=False)
        bar.update(done - bar.n)
        if total is not None and done >= total:
            bar.close()

    return update


def _download(url: str, part: Path, *, progress: Progress | None) -> None:
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        resumed = have > 0 and response.status == 206
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        with part.open("ab" if resumed else "wb") as out:
            done = have
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                done += len(block)
                if progress is not None:
                    progress(done, total)
        if total is not None and done < total:
            raise OSError(f"connection closed after {done} of {total} bytes; run again "
                          "to resume")
