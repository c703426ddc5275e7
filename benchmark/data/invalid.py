"""The error for one malformed file or line, the unit that ``--skip-invalid`` may skip.

A whole input that cannot be read (a missing path, an empty folder, an unknown file
type) raises a plain `DataError`: there is nothing to skip to. One bad seed file in a
folder, or one bad line or row of a JSONL/CSV/Parquet file, raises `InvalidRecordError`,
which `load_examples(skip_invalid=True)` collects instead of raising.

An error quotes a file's text (`benchmark.textshow.preview`, at most `QUOTED_CHARS`)
only once the file has shown itself to be of the expected format: a JSON Lines file
after a line that is a JSON object, a seed file from a header line that starts with
``date``, a CSV row once the header named the article column. An arbitrary file given by
mistake never has a line of it printed.
"""

from __future__ import annotations

from benchmark.errors import InvalidRecordError

__all__ = ["QUOTED_CHARS", "InvalidRecordError"]

QUOTED_CHARS = 40  # how much of a malformed value an error message quotes
