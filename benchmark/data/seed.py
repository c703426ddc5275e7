"""The seed format: one article per UTF-8 text file, its human bullets on the first line.

    date 2025-12-24 - <heading>: <sentence> - <heading>: <sentence> - ...
    <blank line>
    <body paragraph>
    <blank line>
    <body paragraph> ...

Reading rules (DESIGN §4.1):

- A BOM, CRLF or CR line ends, leading and trailing spaces on any line and any number of
  blank lines (before the header too) are accepted.
- The first non-blank line is the header: ``date YYYY-MM-DD`` (a real calendar date),
  then `` - `` and the bullets, separated by `` - `` (a hyphen with spaces around it;
  a hyphen inside a word, as in ``COVID-19``, never separates).
- Every later non-blank line is one body paragraph; the article is the paragraphs joined
  by ``"\\n"``. Lines are kept as they are (no re-wrapping), so nothing is lost.
- The record id is the file name without its extension; ``source`` is the file name
  (not its full path, so that a dataset's identity does not depend on where it lies).

Which `` - `` separates bullets. A bullet may itself contain `` - `` (a score ``3 - 2``,
an aside). The seed's bullets have the structure ``heading: sentence``; a heading is a
run of one to eight words without sentence punctuation (``. ! ? ؟ ، , ؛ ; : " « » ( )``)
followed by a colon and a space. So:

- if the first bullet starts with a heading, the header is in *heading mode*: a `` - ``
  separates two bullets only when the text after it starts with a heading; any other
  `` - `` belongs to the bullet it is in. Each bullet keeps its heading (the heading is
  part of the human summary) and ``meta["headings"]`` lists the headings in order.
- otherwise every `` - `` separates bullets and there is no ``meta["headings"]``.

The rule cannot tell a heading from a short quoted speaker (``- قال الوزير: ...``)
after a `` - `` inside a heading-mode bullet; such a header splits there.

Malformed files (binary, not UTF-8, no date line, a bad date, no bullets, an empty
body) raise `InvalidRecordError` naming the file and the line. A first line that does
not start with ``date`` is not quoted (the file may be anything: see
`benchmark.data.invalid`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from benchmark.data.example import Example
from benchmark.data.invalid import QUOTED_CHARS, InvalidRecordError
from benchmark.textshow import preview

HEADER_EXAMPLE = "'date YYYY-MM-DD - bullet - bullet ...'"

_PUNCT = r".!?؟،,؛;:\"«»()\[\]"
_WORD = rf"[^\s{_PUNCT}]+"
HEADING = re.compile(rf"(?P<heading>{_WORD}(?:[ \t]+{_WORD}){{0,7}})[ \t]*:[ \t]+(?=\S)")
_HEADER = re.compile(r"date\b\s*:?\s*(?P<date>\S*)(?P<rest>.*)", re.IGNORECASE)
_SEPARATOR = re.compile(r"[ \t]+-[ \t]+")
_DANGLING = re.compile(r"[ \t]+-$")  # a dangling " -" at the end of the line
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STRIP = " \t\ufeff\u00a0"


def read_seed_file(path: Path, *, shown: str | None = None) -> Example:
    """Read one seed-format file; ``shown`` is how error messages name it."""
    shown = shown if shown is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidRecordError(f"cannot read: {exc.strerror}", path=shown) from None
    return parse_seed(decode_text(data, shown=shown), record_id=path.stem, source=path.name,
                      shown=shown)


def decode_text(data: bytes, *, shown: str) -> str:
    """UTF-8 text without its BOM; a binary or non-UTF-8 file is an error at its line."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InvalidRecordError("binary file (NUL byte), not UTF-8 text",
                                 path=shown, line=data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRecordError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path=shown, line=data.count(b"\n", 0, exc.start) + 1) from None


def parse_seed(text: str, *, record_id: str, source: str | None, shown: str) -> Example:
    """Parse the text of one seed file (see the module docstring for the rules)."""
    lines = [line.strip(_STRIP) for line in re.split(r"\r\n|\r|\n", text)]
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if line]
    if not numbered:
        raise InvalidRecordError(f"empty file: expected {HEADER_EXAMPLE} on the first line",
                                 path=shown, line=1)
    header_line, header = numbered[0]
    date, bullets_text = _parse_header(header, shown=shown, line=header_line)
    bullets, headings = split_bullets(bullets_text)
    if not bullets:
        raise InvalidRecordError(f"no bullets after the date: expected {HEADER_EXAMPLE}",
                                 path=shown, line=header_line)
    paragraphs = [line for _, line in numbered[1:]]
    if not paragraphs:
        raise InvalidRecordError("empty body: no article paragraph after the date line",
                                 path=shown, line=min(header_line + 1, len(lines)))
    meta = {"headings": headings} if headings is not None else {}
    return Example(id=record_id, article="\n".join(paragraphs), bullets=tuple(bullets),
                   date=date, source=source, meta=meta)


def _parse_header(header: str, *, shown: str, line: int) -> tuple[str, str]:
    """``(iso date, bullets text)`` from the header line."""
    match = _HEADER.fullmatch(header)
    if match is None:
        # Not quoted: a file that is not a seed file at all is never printed.
        raise InvalidRecordError(f"no date line: expected {HEADER_EXAMPLE} as the first "
                                 "non-blank line", path=shown, line=line)
    token, rest = match["date"], match["rest"]
    if not _DATE.fullmatch(token) or not _is_calendar_date(token):
        raise InvalidRecordError(f"bad date '{preview(token, QUOTED_CHARS)}': expected a "
                                 "real date as YYYY-MM-DD", path=shown, line=line)
    rest = _DANGLING.sub("", rest)
    if not rest.strip():
        return token, ""
    separator = _SEPARATOR.match(rest)
    if separator is None:
        raise InvalidRecordError(f"expected ' - ' between the date and the first bullet, "
                                 f"found '{preview(rest, QUOTED_CHARS)}'",
                                 path=shown, line=line)
    return token, rest[separator.end():]


def _is_calendar_date(token: str) -> bool:
    try:
        dt.date.fromisoformat(token)
    except ValueError:
        return False
    return True


def split_bullets(text: str) -> tuple[list[str], list[str] | None]:
    """Split the header's bullets at `` - ``; ``(bullets, headings or None)``.

    >>> split_bullets("a: one - b: score 3 - 2 - c: three")
    (['a: one', 'b: score 3 - 2', 'c: three'], ['a', 'b', 'c'])
    >>> split_bullets("one - two")
    (['one', 'two'], None)
    """
    text = _DANGLING.sub("", text.strip())
    pieces = [piece.strip() for piece in _SEPARATOR.split(text)]
    pieces = [piece for piece in pieces if piece and piece != "-"]
    if not pieces or HEADING.match(pieces[0]) is None:
        return pieces, None
    bullets = [pieces[0]]
    for piece in pieces[1:]:
        if HEADING.match(piece):
            bullets.append(piece)
        else:
            bullets[-1] = f"{bullets[-1]} - {piece}"
    headings = [HEADING.match(bullet)["heading"] for bullet in bullets]
    return bullets, headings
