"""The first read of a JSON Lines dataset, remembered: its ids, lines and identity.

A run reads a JSON Lines file twice (`benchmark.data.streamed`): once to check every
record, list the ids and compute the identity (DESIGN §4.2), then a batch at a time to
score. The first read of an unchanged file always gives the same `Scan`, so it is kept
in ``<cache>/scans/<digest of the file's path and reading options>.json`` (``<cache>`` is
``$BENCH_CACHE_DIR`` or the user cache folder, as for downloads) and reused while all
of these are unchanged:

- the file: its resolved path, size, modification and change times (nanoseconds),
  inode and device (`FileState`); an edit, a replacement or a ``touch`` changes one;
- how it was read: ``limit``, ``max_article_chars``, ``skip_invalid``;
- the code that reads, checks and hashes records: a digest of the ``benchmark/data``
  sources and the tokenizer that finds wordless summaries, plus `SCHEME`. A change to
  what the identity covers, or to a reader, makes every remembered scan stale.

A file's SHA-256 (`file_sha256`: does a dataset file hold a registry entry's bytes?)
is remembered the same way, by the file's state alone.

What is not remembered: a read that skipped invalid records (their errors are
reported each time), and a file modified less than `SETTLE_S` seconds before its read
began, which could still change within the file system's timestamp resolution without
its times moving (git's "racily clean" files). The second read still hashes what it
yields and compares it with the digest the first read took of the same examples
(`Scan.check`), so a scan that should not have been reused stops the run rather than
mislabelling it; and a remembered scan whose identity and digest were not written
together (a damaged or edited entry: `seal`) is not reused.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmark.data.cache_folder import cache_root
from benchmark.data.streamed import Scan

SCHEME = "scan.v1"  # the layout of a remembered scan
SETTLE_S = 2.0  # a file modified more recently than this is read, not remembered
FOLDER = "scans"
_DATA = Path(__file__).resolve().parent
_CODE = (_DATA, _DATA.parent / "text" / "tokenize.py")


@dataclass(frozen=True)
class FileState:
    """What identifies one version of a file without reading it."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int

    @classmethod
    def of(cls, path: Path) -> "FileState | None":
        try:
            resolved = path.resolve()
            info = resolved.stat()
        except OSError:
            return None
        return cls(str(resolved), info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                   info.st_ino, info.st_dev)


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the sources that read, check and hash records."""
    digest = hashlib.sha256(SCHEME.encode())
    for place in _CODE:
        files = sorted(place.rglob("*.py")) if place.is_dir() else [place]
        for file in files:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


class ScanCache:
    """The remembered scan of one file read with some options: `get` it, or `put` the
    scan just computed. Both are best effort: an unreadable or unwritable cache only
    means the file is read."""

    def __init__(self, path: Path, *, options: dict[str, Any], root: Path | None = None):
        self.state = FileState.of(path)
        self.began = time.time_ns()
        key = {"scheme": SCHEME, "code": code_digest(), "options": options,
               "file": asdict(self.state) if self.state else None}
        self.key = json.loads(json.dumps(key, default=str))  # as it reads back
        root = root if root is not None else cache_root()
        # One entry per file and reading options (a run on the first N examples and one
        # on all of them keep theirs), replaced when the file or the code changes.
        place = json.dumps([str(self.state.path if self.state else path), options],
                           sort_keys=True, default=str)
        name = hashlib.sha256(place.encode()).hexdigest()[:24]
        self.file = root / FOLDER / f"{name}.json"

    def get(self) -> Scan | None:
        if self.state is None:
            return None
        try:
            stored = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stored, dict) or stored.get("key") != self.key:
            return None
        try:
            scan = Scan(**stored["scan"])
        except (KeyError, TypeError):
            return None
        return scan if stored.get("seal") == seal(scan) else None

    def put(self, scan: Scan) -> bool:
        """Remember `scan` if the file did not change while it was read and had settled
        before; True when stored."""
        if self.state is None or FileState.of(Path(self.state.path)) != self.state:
            return False
        if self.began - self.state.mtime_ns < SETTLE_S * 1e9:
            return False
        return _write_atomically(self.file, {"key": self.key, "scan": asdict(scan),
                                             "seal": seal(scan)})


def seal(scan: Scan) -> str:
    """Binds a scan's identities to the digests a second read compares (`Scan.check`):
    an entry whose sha was changed without them is not reused."""
    return hashlib.sha256(json.dumps(
        [scan.sha, scan.check, scan.head, scan.head_sha, scan.head_check]).encode()).hexdigest()


def scan_cache_for(file: str | None, reread: Any, **options: Any) -> ScanCache | None:
    """Where the first read of `file` is remembered, for these reading options and the
    reader's own (a registry entry's column mapping); None without a file."""
    if file is None:
        return None
    reader = getattr(reread, "keywords", {})  # a functools.partial of the reader
    return ScanCache(Path(file), options={
        **options, "columns": reader.get("columns"),
        "reader": getattr(getattr(reread, "func", None), "__qualname__", None)})


def file_sha256(path: Path, *, root: Path | None = None) -> str:
    """The hex SHA-256 of the file's bytes, remembered while its `FileState` is
    unchanged (and it had settled when hashed)."""
    began = time.time_ns()
    state = FileState.of(path)
    name = hashlib.sha256(str(state.path if state else path).encode()).hexdigest()[:24]
    entry = (root if root is not None else cache_root()) / FOLDER / f"sha256-{name}.json"
    key = asdict(state) if state else None
    try:
        stored = json.loads(entry.read_text(encoding="utf-8"))
        if key is not None and stored.get("file") == key:
            return str(stored["sha256"])
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    sha = digest.hexdigest()
    if state is not None and FileState.of(path) == state and \
            began - state.mtime_ns >= SETTLE_S * 1e9:
        _write_atomically(entry, {"file": key, "sha256": sha})
    return sha


def _write_atomically(file: Path, value: Any) -> bool:
    temporary = file.with_name(f"{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, file)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    return True
