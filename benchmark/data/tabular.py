"""Readers for row formats: JSON Lines (the corpora, XL-Sum), CSV and Parquet.

Every row goes through `example_from_row`, which accepts these columns:

- ``article`` (or XL-Sum's ``text``): the article; required, non-empty.
- the summary, first found of: ``summary_bullets`` (list, the corpora), ``bullets``
  (list, or text with one bullet per line) and ``summary`` (text, one bullet per line);
  required, at least one non-empty bullet.
- ``id``: optional; missing or empty gives ``<file stem>-<line>``.
- ``date``: optional; ``YYYY-MM-DD`` (a time after it is dropped) or a date object.
- ``references``: optional; further reference summaries (several annotators): a list
  of texts (one bullet per line) or a list of bullet lists; in CSV, a JSON list. Without
  a summary column the first reference is the summary; when the summary is listed among
  the references too (a common layout), it is not counted twice.
- ``source``: kept when the column exists (empty means none); otherwise ``url`` when
  present, otherwise the file name (never the full path: see `identity`).
- ``meta``: a dict or a JSON object string (as `to_hf_dataset` writes it); every other
  column (``source_corpus``, XL-Sum's ``title`` ...) is added to it and named in
  `Example.unused_fields`, which the loader reports once (never silently dropped).

In CSV, a ``bullets``, ``summary_bullets`` or ``references`` cell holding a JSON list
(``["...", "..."]``) is read as that list. So a file written from `Example.to_record`
reads back as the same examples.

Readers yield ``(Location, Example | InvalidRecordError)`` so that the loader decides
whether a bad line stops the load or is skipped (``--skip-invalid``). Line numbers are
1-based physical lines for JSONL and CSV (a CSV record's first line) and row numbers for
Parquet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from benchmark.data.example import Example
from benchmark.data.invalid import QUOTED_CHARS, InvalidRecordError
from benchmark.data.seed import decode_text
from benchmark.errors import DataError
from benchmark.jsonl import json_problem
from benchmark.textshow import preview

SUMMARY_HINT = ("expected 'summary' (text, one bullet per line), 'bullets' / "
                "'summary_bullets' (lists) or 'references' (a list of summaries)")
SUMMARY_COLUMNS = ("summary_bullets", "bullets", "summary")
_READ_FIELDS = frozenset({"id", "date", "source", "meta", "references", "summary"})
_DATE_PREFIX = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")


class Location(NamedTuple):
    """Where a record came from, for error messages: a file and a line (or row)."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


Parsed = tuple[Location, Example | InvalidRecordError]


def read_jsonl(path: Path, *, shown: str,
               columns: Mapping[str, str] | None = None) -> Iterator[Parsed]:
    """One example per non-blank line; a line that is not a JSON object is invalid.
    ``columns`` maps our field names to the file's (a registry entry's ``columns``).

    A line that is not JSON is quoted in its error only after an earlier line of the
    file was a JSON object: a file named ``.jsonl`` that is something else entirely
    (``/etc/passwd`` behind a link, say) never has its contents printed."""
    is_jsonl = False  # an earlier line was a JSON object: the file is JSON Lines
    stem, source = path.stem, path.name
    with _open_binary(path, shown) as handle:
        for number, raw in enumerate(handle, start=1):
            where = Location(shown, number)
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            row = _jsonl_row(raw, where=where, quote=is_jsonl)
            if isinstance(row, dict):
                is_jsonl = True
                row = _convert(row, stem=stem, source=source, where=where, columns=columns)
            yield where, row


def _jsonl_row(raw: bytes, *, where: Location, quote: bool) -> dict | InvalidRecordError:
    """The JSON object of one line, or its error (`quote`: the error may show it)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _invalid(f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", where)
    try:
        row = json.loads(text)
    except json.JSONDecodeError as exc:
        shown = f": '{preview(text, QUOTED_CHARS)}'" if quote else \
            "; expected one JSON object per line"
        return _invalid(f"not JSON: {json_problem(exc)}{shown}", where)
    if not isinstance(row, dict):
        return _invalid(f"expected a JSON object, found {type(row).__name__}", where)
    return row


def read_csv(path: Path, *, shown: str,
             columns: Mapping[str, str] | None = None) -> Iterator[Parsed]:
    """One example per CSV record (header row first); bullets from ``summary`` by line."""
    with _open_binary(path, shown) as handle:
        data = handle.read()
    try:
        text = decode_text(data, shown=shown)
    except InvalidRecordError as exc:  # the whole file is unreadable: nothing to skip to
        raise DataError(exc.reason, path=exc.path, line=exc.line) from None
    # No field can be longer than the file, so this limit never cuts a record; the
    # default (131,072 characters) stopped whole files at one long article.
    previous_limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames:
            raise DataError("empty CSV file: expected a header row with 'article' and "
                            "'summary'", path=shown, line=1)
        start = reader.line_num + 1
        for row in reader:
            where = Location(shown, start)
            start = reader.line_num + 1
            if None in row:
                yield where, _invalid(f"{len(row[None])} more field(s) than the header", where)
                continue
            values = rename_columns(row, columns)
            yield where, _convert({key: _csv_value(value, key) for key, value in values.items()},
                                  path=path, where=where)
    except csv.Error as exc:
        raise DataError(f"not valid CSV: {exc}", path=shown, line=reader.line_num) from None
    finally:
        csv.field_size_limit(previous_limit)


_LIST_COLUMNS = ("bullets", "summary_bullets", "references")


def _csv_value(value: str | None, key: str) -> Any:
    """CSV has no null: an empty field is None. A list column may hold a JSON list."""
    if not value:
        return None
    if key in _LIST_COLUMNS and value.lstrip().startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return value
        return parsed if isinstance(parsed, list) else value
    return value


def read_parquet(path: Path, *, shown: str,
                 columns: Mapping[str, str] | None = None) -> Iterator[Parsed]:
    """One example per Parquet row; the "line" in messages is the 1-based row number."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise DataError(f"not a readable Parquet file ({exc})", path=shown) from None
    number = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            number += 1
            where = Location(shown, number)
            yield where, _convert(row, path=path, where=where, columns=columns)


def rows_to_examples(rows: Iterator[Mapping[str, Any]], *, stem: str, source: str,
                     shown: str) -> Iterator[Parsed]:
    """Rows of any table (a `datasets.Dataset`, say) numbered from 1."""
    for number, row in enumerate(rows, start=1):
        where = Location(shown, number)
        yield where, _convert(row, stem=stem, source=source, where=where)


def _convert(row: Mapping[str, Any], *, path: Path | None = None, stem: str = "",
             source: str | None = None, where: Location,
             columns: Mapping[str, str] | None = None) -> Example | InvalidRecordError:
    """`example_from_row`, returning the error instead of raising it."""
    if path is not None:
        stem, source = path.stem, path.name
    try:
        return example_from_row(rename_columns(row, columns), stem=stem,
                                default_source=source, where=where)
    except InvalidRecordError as exc:
        return exc


def rename_columns(row: Mapping[str, Any], columns: Mapping[str, str] | None) -> Mapping[str, Any]:
    """``row`` with the columns named in ``columns`` (our field -> the source's column)
    under our names; a column the row lacks is an error naming the ones it has."""
    if not columns:
        return row
    out = dict(row)
    for target, column in columns.items():
        if column not in row:
            raise DataError(f"the column mapping names {column!r} for {target}, but the rows "
                            f"have {', '.join(sorted(row))}")
        out[target] = out.pop(column)
    return out


def example_from_row(row: Mapping[str, Any], *, stem: str, default_source: str | None,
                     where: Location) -> Example:
    """One `Example` from a row (see the module docstring for the accepted columns)."""
    article_key = "article" if "article" in row else "text" if "text" in row else None
    if article_key is None:
        raise _invalid("no 'article' field (nor XL-Sum's 'text')", where)
    article = row[article_key]
    if article is None:
        raise _invalid(f"empty '{article_key}'", where)
    if not isinstance(article, str):
        raise _invalid(f"'{article_key}' is {type(article).__name__}, not text", where)
    if not article.strip():
        raise _invalid(f"empty '{article_key}'", where)
    references = _references(row.get("references"), where)
    if _has_summary(row) or not references:
        bullets_key, bullets = _bullets(row, where)
    else:
        bullets_key, bullets = "references", references.pop(0)
    if bullets in references:  # the summary listed again among the references
        references.remove(bullets)
    record_id = row.get("id")
    record_id = str(record_id) if record_id not in (None, "") else f"{stem}-{where.line}"
    if "source" in row:
        source = str(row["source"]) if row["source"] else None
    else:
        source = str(row["url"]) if row.get("url") else default_source
    meta = _meta(row.get("meta"), where)
    kept = [key for key in row
            if key not in _READ_FIELDS and key != article_key and key != bullets_key]
    meta.update({key: _json_safe(row[key]) for key in kept})
    # ``url`` is the source when there is no ``source`` column: used, not reported.
    unused = tuple(key for key in kept if key != "url" or "source" in row)
    return Example(id=record_id, article=article.strip(), bullets=bullets,
                   date=_date(row.get("date"), where), source=source, meta=meta,
                   references=tuple(references), unused_fields=unused)


def _has_summary(row: Mapping[str, Any]) -> bool:
    return any(row.get(key) not in (None, "", [], ()) for key in SUMMARY_COLUMNS)


def _references(value: Any, where: Location) -> list[tuple[str, ...]]:
    """Each reference as bullets: a text gives one bullet per line, a list its items."""
    if value in (None, "", [], ()):
        return []
    if not isinstance(value, (list, tuple)):
        raise _invalid(f"'references' must be a list (of texts, or of bullet lists), found "
                       f"{type(value).__name__}", where)
    references = []
    for number, reference in enumerate(value, start=1):
        bullets = _as_bullets(reference)
        if bullets is None:
            raise _invalid(f"reference {number} must be a text or a list of texts, found "
                           f"{type(reference).__name__}", where)
        if not bullets:
            raise _invalid(f"reference {number} is empty: no summary bullet", where)
        references.append(bullets)
    return references


def _as_bullets(value: Any) -> tuple[str, ...] | None:
    """A summary's bullets from a text (one per line) or a list of texts, stripped and
    without empty ones; None when `value` is neither."""
    if isinstance(value, str):
        parts = value.splitlines()
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        parts = list(value)
    else:
        return None
    return tuple(part.strip() for part in parts if part.strip())


def _bullets(row: Mapping[str, Any], where: Location) -> tuple[str, tuple[str, ...]]:
    """``(column used, bullets)``; the first non-empty of the accepted summary columns
    (an empty ``summary_bullets`` list beside a ``summary`` text falls back to it)."""
    present = [key for key in SUMMARY_COLUMNS if row.get(key) not in (None, [], ())]
    for key in present or [k for k in ("summary_bullets", "bullets") if k in row]:
        value = row.get(key)
        if value is None:
            continue
        bullets = _as_bullets(value)
        if bullets is None:
            raise _invalid(f"'{key}' must be text or a list of texts, found "
                           f"{type(value).__name__}", where)
        if not bullets:
            raise _invalid(f"empty '{key}': no summary bullet", where)
        return key, bullets
    raise _invalid(f"no summary: {SUMMARY_HINT}", where)


def _date(value: Any, where: Location) -> str | None:
    """An ISO ``YYYY-MM-DD`` string or None."""
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    match = _DATE_PREFIX.fullmatch(str(value).strip())
    if match is not None:
        try:
            return dt.date.fromisoformat(match[1]).isoformat()
        except ValueError:
            pass
    raise _invalid(f"bad date '{preview(str(value), QUOTED_CHARS)}': expected YYYY-MM-DD",
                   where)


def _meta(value: Any, where: Location) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise _invalid(f"'meta' is not a JSON object: '{preview(value, QUOTED_CHARS)}'",
                           where) from None
    if not isinstance(value, dict):
        raise _invalid(f"'meta' must be an object, found {type(value).__name__}", where)
    return {str(key): _json_safe(item) for key, item in value.items()}


def _json_safe(value: Any) -> Any:
    """Meta values as plain JSON (NaN becomes None, dates ISO strings), so they hash."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return str(value)


def _invalid(message: str, where: Location) -> InvalidRecordError:
    return InvalidRecordError(message, path=where.path, line=where.line)


def _open_binary(path: Path, shown: str):
    try:
        return path.open("rb")
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", path=shown) from None
