"""The error for one malformed file or line, the unit that ``--skip-invalid`` may skip.

A whole input that cannot be read (a missing path, an empty folder, an unknown file
type) raises a plain `DataError`: there is nothing to skip to. One bad seed file in a
folder, or one bad line or row of a JSONL/CSV/Parquet file, raises `InvalidRecordError`,
which `load_examples(skip_invalid=True)` collects instead of raising.
"""

from __future__ import annotations

from benchmark.errors import InvalidRecordError

__all__ = ["InvalidRecordError", "preview"]


def preview(text: str, width: int = 40) -> str:
    """A short one-line ``repr`` of ``text`` for error messages."""
    flat = " ".join(text.split())
    if len(flat) > width:
        flat = flat[: width - 1] + "…"
    return repr(flat)
