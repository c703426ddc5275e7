"""The one JSON Lines module: every append-only file the benchmark writes or reads back
(``items.jsonl``, the prediction cache, gold annotations, saved predictions).

Reading works on bytes and decodes each line on its own, so a file cut inside a
multi-byte character (a full disk, a kill) never fails as a whole:

- a last line without its newline that is not a complete JSON object is a *torn tail*:
  readers skip it and `JsonlAppender` truncates it before its first append, so the next
  line is never glued onto it;
- a damaged line anywhere else is a `DataError` naming the file and the line.

`JsonlAppender` writes each batch of lines with raw ``os.write`` calls; when a write
fails (``ENOSPC``) it cuts the file back to where the batch began and re-raises, so the
file always ends on a whole line. It fsyncs at most once a second and on close.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, NamedTuple, Sequence

from benchmark.errors import DataError
from benchmark.textshow import json_utf8

BOM = b"\xef\xbb\xbf"
SYNC_INTERVAL_S = 1.0


class Line(NamedTuple):
    number: int  # 1-based physical line
    record: dict[str, Any]


def iter_lines(path: Path, *, required: Sequence[str] = (), shown: str | None = None,
               hint: str | None = None) -> Iterator[Line]:
    """The JSON objects of `path` with their line numbers; blank lines and a torn tail
    are skipped. A damaged line, a line that is not an object or one missing a
    `required` key raises `DataError` (`hint` says what to do about it)."""
    for _, line in iter_lines_at(path, required=required, shown=shown, hint=hint):
        yield line


def iter_lines_at(path: Path, *, required: Sequence[str] = (), shown: str | None = None,
                  hint: str | None = None) -> Iterator[tuple[int, Line]]:
    """`iter_lines`, each line with the byte offset where it starts (for `read_at`)."""
    shown = shown or str(path)
    offset = 0
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            start = offset
            offset += len(raw)
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
                start += len(BOM)
            complete = raw.endswith(b"\n")
            if not raw.strip():
                continue
            try:
                record = _parse(raw)
            except ValueError as exc:
                if not complete:
                    return  # a torn tail: the write of this line never finished
                raise DataError(str(exc), path=shown, line=number,
                                hint=hint) from None
            _check(record, required, shown=shown, number=number, hint=hint)
            yield start, Line(number, record)


class JsonlFollower:
    """Reads the lines appended to `path` since its last call, as another process writes
    them: whole lines only (a line still being written is read by a later call, and a
    torn tail that a writer cuts off is never read), damaged lines raising `DataError`
    as in `iter_lines`."""

    def __init__(self, path: Path, *, required: Sequence[str] = (), hint: str | None = None):
        self.path = path
        self.required = tuple(required)
        self.hint = hint
        self.offset = 0  # bytes read: always the end of a whole line
        self.number = 0  # lines read

    def read(self, *, tail: bool = False) -> list[Line]:
        """The new lines; `tail`: also a complete JSON object after the last newline
        (read again, whole, once its newline is written)."""
        try:
            with open(self.path, "rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            return []
        begin = len(BOM) if self.offset == 0 and data.startswith(BOM) else 0
        end = max(data.rfind(b"\n") + 1, begin)
        found = []
        for raw in data[begin:end].splitlines(keepends=True):
            self.number += 1
            if raw.strip():
                found.append(Line(self.number, self._record(raw, self.number)))
        self.offset += end
        if tail and data[end:].strip():
            try:
                found.append(Line(self.number + 1, self._record(data[end:], self.number + 1)))
            except DataError:
                pass  # a torn tail: skipped, as `iter_lines` does
        return found

    def _record(self, raw: bytes, number: int) -> dict[str, Any]:
        shown = str(self.path)
        try:
            record = _parse(raw)
        except ValueError as exc:
            raise DataError(str(exc), path=shown, line=number, hint=self.hint) from None
        _check(record, self.required, shown=shown, number=number, hint=self.hint)
        return record


def _check(record: Any, required: Sequence[str], *, shown: str, number: int,
           hint: str | None) -> None:
    """A line must be a JSON object with every `required` key."""
    if not isinstance(record, dict):
        raise DataError(f"expected a JSON object, found {_json_type(record)}",
                        path=shown, line=number, hint=hint)
    missing = [key for key in required if key not in record]
    if missing:
        raise DataError(f"no {missing[0]!r} in this line", path=shown, line=number,
                        hint=hint)


def read_at(handle: BinaryIO, offset: int) -> dict[str, Any]:
    """The JSON object of the line starting at byte `offset` of an open file."""
    handle.seek(offset)
    return _parse(handle.readline())


def torn_tail(path: Path) -> bytes:
    """The bytes after the last newline when they are not a complete JSON value ("" when
    the file ends cleanly or is absent)."""
    tail, _ = _tail(path)
    if not tail.strip():
        return b""
    try:
        _parse(tail)
    except ValueError:
        return tail
    return b""


def _parse(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {json_problem(exc)}") from None


# What the json module's messages mean, for people (its own wording, e.g. "Invalid
# control character at", expects its position to follow).
_JSON_PROBLEMS = (
    ("Expecting property name", "expected a key in double quotes (a trailing comma, or "
                                "single quotes?)"),
    ("Expecting ',' delimiter", "expected a comma or the end of the object or list"),
    ("Expecting ':' delimiter", "expected ':' after the key"),
    ("Expecting value", "expected a value (a string in double quotes, a number, true, "
                        "false, null, an object or a list)"),
    ("Extra data", "more text after the end of the JSON value (two objects on one line?)"),
    ("Invalid \\escape", "an invalid backslash escape (a backslash is written \\\\)"),
    ("Invalid \\uXXXX escape", "an invalid \\u escape (four hex digits expected)"),
)
_UNTERMINATED = "unterminated string starting at {where}: its closing \" is missing"


def json_problem(exc: json.JSONDecodeError) -> str:
    """What is wrong and where, worded for people: ``unterminated string starting at
    column 12: ...`` (``line N, column C`` when the text has several lines)."""
    doc, at = exc.doc, exc.pos
    problem = next((text + " at {where}" for start, text in _JSON_PROBLEMS
                    if exc.msg.startswith(start)),
                   exc.msg[:1].lower() + exc.msg[1:] + " at {where}")
    if exc.msg.startswith("Unterminated string"):
        problem = _UNTERMINATED
    elif exc.msg.startswith("Invalid control character"):
        char = doc[at:at + 1]
        if char in ("\r", "\n"):  # the line ended inside a string: where did it start?
            at = max(0, doc.rfind('"', 0, at))
            problem = _UNTERMINATED
        else:
            problem = (f"a raw control character (U+{ord(char or ' '):04X}) inside a string "
                       "at {where}; write it escaped (\\t, \\n)")
    line = doc.count("\n", 0, at) + 1
    column = at - (doc.rfind("\n", 0, at) + 1) + 1
    several = "\n" in doc.rstrip("\r\n")
    return problem.format(where=f"line {line}, column {column}" if several
                          else f"column {column}")


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def _tail(path: Path) -> tuple[bytes, int]:
    """(bytes after the last newline, offset where they start)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return b"", 0
    with open(path, "rb") as handle:
        end = size
        chunk = 1 << 16
        collected = b""
        while end > 0:
            start = max(0, end - chunk)
            handle.seek(start)
            collected = handle.read(end - start) + collected
            cut = collected.rfind(b"\n")
            if cut >= 0:
                return collected[cut + 1:], size - len(collected) + cut + 1
            end = start
        return collected, 0


def repair_tail(path: Path) -> int:
    """Make `path` end on a whole line before appending: truncate a torn tail, or add
    the missing newline after a complete last line. Returns the bytes dropped."""
    tail, offset = _tail(path)
    if not tail:
        return 0
    if torn_tail(path):
        with open(path, "rb+") as handle:
            handle.truncate(offset)
            os.fsync(handle.fileno())
        return len(tail)
    with open(path, "ab") as handle:
        handle.write(b"\n")
    return 0


def encode(record: dict[str, Any]) -> bytes:
    """One line: UTF-8 JSON, with control and bidi characters as ``\\u`` escapes (the
    value read back is the same; `benchmark.textshow.json_text`)."""
    return json_utf8(record) + b"\n"


class JsonlAppender:
    """Appends whole lines to `path`; opened lazily (the folder and file are created on
    the first append, after the tail is repaired)."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self._synced = time.monotonic()

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        data = b"".join(encode(record) for record in records)
        if not data:
            return
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            repair_tail(self.path)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        start = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            _write_all(self._fd, data)
        except OSError as exc:
            try:
                os.ftruncate(self._fd, start)  # never leave half a line behind
            except OSError:
                pass  # the next open repairs the tail
            raise OSError(exc.errno, exc.strerror, str(self.path)) from exc
        if time.monotonic() - self._synced >= SYNC_INTERVAL_S:
            self.sync()

    def sync(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.fsync(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = write(fd, view)
        view = view[written:]


write = os.write  # the one system call that writes lines (tests inject ENOSPC here)


def rewrite(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Replace `path` with `records` atomically: a crash or a full disk leaves either the
    old file or the new one, never a mix."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(fd, b"".join(encode(record) for record in records))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder so that a rename inside it survives a power cut (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
