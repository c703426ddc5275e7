"""The dataset-analysis cache: analyse each dataset's articles and references once
(DESIGN §11).

What a metric computes from an item's references and article alone (tokens and
sentences for ROUGE, entities for entity coverage: its `Metric.prepare`) is the same for
every model, so it is stored on disk and reused by every later `bench run` and
`bench score` on the dataset: a second model's run analyses only its predictions.

Layout, next to the prediction cache::

    <cache>/analysis/<dataset digest>/<metric>-<signature digest>.sqlite

The dataset digest is over the dataset's name and resolved path; inside a file each
entry is keyed by the example id and a digest of its article and summary, so an edited
example is analysed again and a subset (``--limit``) shares the file with the whole.
The signature digest covers the metric's `analysis_signature` (text profile, NER
backend, versions) and a fingerprint of the source files of the text, entity, kernel
and metric packages, so a changed rule invalidates the file even before its version is bumped.

Each file is an SQLite table of ``(item key, pickled analysis)``. A run reads the
analyses of one batch of items at a time and writes what it computed a batch at a time,
so memory stays flat in the number of items; SQLite's locking makes concurrent runs on
one dataset safe (a writer waits for another's transaction). A file that is not a
readable database counts as empty and is replaced on the next write; writes are not
fsynced (a cache: a damaged file is only analysed again).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import pickle
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from benchmark.data.example import Example
from benchmark.signature import Signature

ANALYSIS_FOLDER = "analysis"
_PACKAGE = Path(__file__).resolve().parents[1]
_FINGERPRINTED = ("text", "entities", "kernels", "metrics")

Analyses = dict[str, dict[str, Any]]  # item key -> metric name -> analysis


def item_key(example_id: str, *, article: str | None, reference: str) -> str:
    """The key of one item's analysis: its id and a digest of its texts (each after its
    length; as UTF-16, which Python encodes Arabic text to several times faster than
    UTF-8: the article is hashed for every item of every run)."""
    digest = hashlib.sha256()
    for text in (article or "", reference):
        digest.update(b"%d:" % len(text))
        digest.update(text.encode("utf-16-le"))
    return f"{example_id}:{digest.hexdigest()[:16]}"


def example_key(example: Example) -> str:
    """`item_key` over the article and every reference (one reference: its summary)."""
    reference = "\x1e".join("\n".join(bullets) for bullets in example.all_references)
    return item_key(example.id, article=example.article, reference=reference)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the files the analyses are computed by."""
    digest = hashlib.sha256()
    for folder in _FINGERPRINTED:
        for path in sorted((_PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".txt", ".json", ".tsv", ".csv"):
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class AnalysisStore:
    """Where the analyses of one dataset for some metrics live: a small value (the
    files), opened for each read or write."""

    files: tuple[tuple[str, Path], ...]  # (metric name, file)

    @classmethod
    def for_dataset(cls, cache_dir: Path, *, dataset_name: str, dataset_path: str,
                    signatures: Mapping[str, str]) -> "AnalysisStore":
        """The store of a dataset for the metrics with the given analysis signatures."""
        place = f"{dataset_name}\0{Path(dataset_path).resolve()}"
        folder = (cache_dir / ANALYSIS_FOLDER
                  / f"{dataset_name}-{hashlib.sha256(place.encode()).hexdigest()[:12]}")
        files = []
        for name, signature in sorted(signatures.items()):
            # The analysis signature's text, then the code's field (as files on disk).
            blob = "|".join((signature, Signature.of(code=code_fingerprint()).format()))
            digest = hashlib.sha256(blob.encode()).hexdigest()[:16]
            files.append((name, folder / f"{name}-{digest}.sqlite"))
        return cls(tuple(files))

    @property
    def metrics(self) -> list[str]:
        return [name for name, _ in self.files]

    def get(self, keys: Iterable[str]) -> Analyses:
        """The stored analyses of the items `keys` names: item key -> metric -> analysis
        (items with none stored are left out)."""
        wanted = list(dict.fromkeys(keys))
        analyses: Analyses = {}
        for name, path in self.files:
            for key, value in _read(path, wanted):
                analyses.setdefault(key, {})[name] = value
        return analyses

    def load(self) -> Analyses:
        """Everything stored (for inspection and tests; runs read a batch at a time)."""
        analyses: Analyses = {}
        for name, path in self.files:
            for key, value in _read(path, None):
                analyses.setdefault(key, {})[name] = value
        return analyses

    def save(self, new: Analyses) -> None:
        """Store `new` analyses (item key -> metric -> analysis); an entry already there
        is replaced."""
        for name, path in self.files:
            rows = [(key, pickle.dumps(values[name], protocol=pickle.HIGHEST_PROTOCOL))
                    for key, values in new.items() if name in values]
            if rows:
                _write(path, rows)


_BUSY_TIMEOUT_S = 120.0  # how long a writer waits for another run's transaction
_KEYS_PER_QUERY = 500  # below SQLite's limit on bound parameters


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S)
    # A cache: no fsync per transaction. A crash of the machine can at worst leave a
    # file that is not a readable database, which counts as empty and is replaced (and
    # every entry ever written under a key is that key's analysis, old or new).
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("CREATE TABLE IF NOT EXISTS analyses "
                       "(key TEXT PRIMARY KEY, value BLOB NOT NULL)")
    return connection


def _read(path: Path, keys: list[str] | None) -> list[tuple[str, Any]]:
    """(key, analysis) rows of `path` for `keys` (all rows for None); nothing when the
    file is missing or is not a readable store: those items are analysed again."""
    rows: list[tuple[str, Any]] = []
    try:
        connection = _reader(path)
        if connection is None:
            return []
        if keys is None:
            found = connection.execute("SELECT key, value FROM analyses").fetchall()
        else:
            found = []
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                part = keys[start:start + _KEYS_PER_QUERY]
                found += connection.execute(
                    f"SELECT key, value FROM analyses WHERE key IN "
                    f"({','.join('?' * len(part))})", part).fetchall()
        for key, blob in found:
            rows.append((key, pickle.loads(blob)))
    except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError,
            ImportError, TypeError, ValueError):
        _forget_reader(path)
        return []  # damaged, or written by an incompatible version: analyse again
    return rows


# Read-only connections kept between batches, by (process, thread, file): a run reads
# each file once a batch, and opening it (its schema read again) cost about as much as
# the query. Each is used only while the path still names the file it opened (device
# and inode: a file replaced, as a damaged one is, gets another, and an inode number is
# not reused while a connection holds the file open). A read sees every write made
# since, as a new connection would (SQLite checks the file before each read).
_READERS: dict[tuple[int, int, str], tuple[sqlite3.Connection, tuple[int, int]]] = {}
_READERS_KEPT = 16


def _reader(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to `path`, None when there is no such file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    seen = (status.st_dev, status.st_ino)
    slot = (os.getpid(), threading.get_ident(), _read_only_uri(path))
    kept = _READERS.pop(slot, None)
    if kept is not None and kept[1] == seen:
        _READERS[slot] = kept  # (the most recently used last)
        return kept[0]
    if kept is not None:
        kept[0].close()
    while len(_READERS) >= _READERS_KEPT:  # let the least recently used go
        oldest = next(iter(_READERS), None)
        let_go = _READERS.pop(oldest, None) if oldest is not None else None
        if let_go is not None and oldest[:2] == slot[:2]:  # another thread's closes
            let_go[0].close()                              # when it is collected
    connection = sqlite3.connect(slot[2], uri=True, timeout=_BUSY_TIMEOUT_S)
    _READERS[slot] = (connection, seen)
    return connection


def _forget_reader(path: Path) -> None:
    kept = _READERS.pop((os.getpid(), threading.get_ident(), _read_only_uri(path)), None)
    if kept is not None:
        kept[0].close()


def _read_only_uri(path: Path) -> str:
    """The URI that opens `path` read-only. A run reads each file a batch at a time, and
    resolving its folders each time cost more than opening the database: they are
    resolved once per absolute path (a relative one is made absolute first, as the
    working folder may change)."""
    return _resolved_uri(os.path.abspath(path))


@functools.lru_cache(maxsize=64)
def _resolved_uri(absolute: str) -> str:
    return f"{Path(absolute).resolve().as_uri()}?mode=ro"


def _write(path: Path, rows: list[tuple[str, bytes]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _insert(path, rows)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) not in _DAMAGED:
            raise _as_os_error(exc, path) from None
        path.unlink(missing_ok=True)  # not a database: start it again
        try:
            _insert(path, rows)
        except sqlite3.DatabaseError as again:
            raise _as_os_error(again, path) from None


_DAMAGED = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB
_ERRNOS = {13: errno.ENOSPC, 8: errno.EROFS, 14: errno.EACCES, 5: errno.EBUSY,
           6: errno.EBUSY}  # SQLITE_FULL, _READONLY, _CANTOPEN, _BUSY, _LOCKED


def _as_os_error(exc: sqlite3.DatabaseError, path: Path) -> OSError:
    """A failed write as the OSError it is (a full disk, a read-only folder, a store
    another run kept locked), naming the file, for the CLI's one-line error."""
    code = getattr(exc, "sqlite_errorcode", None)
    number = _ERRNOS.get(code, errno.EIO) if code is not None else errno.EIO
    return OSError(number, f"{os.strerror(number)} (storing the dataset analysis: {exc})",
                   str(path))


def _insert(path: Path, rows: list[tuple[str, bytes]]) -> None:
    with contextlib.closing(_connect(path)) as connection, connection:
        connection.executemany("INSERT OR REPLACE INTO analyses (key, value) VALUES (?, ?)",
                               rows)
