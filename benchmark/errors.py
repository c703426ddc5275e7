"""The library's exception types.

Library code raises these; only the CLI turns them into one-line messages and exit
codes. Every message is written for the user: it names the file, line or setting at
fault; the next step, where there is one, is the error's `hint`. A hint names settings
as ``{setting}`` placeholders, never as CLI flags: `BenchmarkError.worded_hint` fills
them in, with the flags in the CLI and with keyword arguments in Python.
"""

from __future__ import annotations

from typing import Mapping

# How a setting reads in a hint for Python users (the CLI passes its flags instead).
PYTHON_WORDING = {"skip_invalid": "skip_invalid=True", "force": "force=True"}


class _Wording(dict):
    def __missing__(self, key: str) -> str:
        return PYTHON_WORDING.get(key, key)


class BenchmarkError(Exception):
    """Base class for every error a user can cause or fix.

    `hint` is the next step, kept apart from the message so that the CLI can word it
    with its flags; library code never names a CLI flag in either.
    """

    hint: str | None = None

    def __init__(self, message: str = "", *, hint: str | None = None):
        super().__init__(message)
        if hint is not None:
            self.hint = hint

    def worded_hint(self, wording: Mapping[str, str] | None = None) -> str | None:
        """The hint with each ``{setting}`` written as `wording` says (CLI flags), or
        as the Python keyword."""
        if not self.hint:
            return None
        return self.hint.format_map(_Wording(wording or {}))


class DataError(BenchmarkError):
    """A reference-data file or folder is malformed."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}", hint=hint)


class ConfigError(BenchmarkError):
    """An option, preset or configuration file is invalid."""


class UnknownNameError(BenchmarkError):
    """A registry lookup found no entry of that name."""

    def __init__(self, kind: str, name: str, suggestions: list[str], available: list[str]):
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else ""
        listing = f"available: {', '.join(available)}" if available else ""
        tail = "; ".join(part for part in (hint, listing) if part)
        super().__init__(f"unknown {kind} {name!r}" + (f"; {tail}" if tail else ""))


class InvalidRecordError(DataError):
    """One file, line or row is malformed; the rest of the input may still be usable
    (skipped and counted with ``skip_invalid``)."""

    hint = "fix it or rerun with {skip_invalid}"

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None):
        self.reason = reason  # the message without the location
        super().__init__(reason, path=path, line=line, hint=hint)


class TokenizerLossError(BenchmarkError):
    """A tokenizer dropped letters or digits: the text profile does not fit the text."""


class IncompatibleRunsError(BenchmarkError):
    """Runs that `compare` was asked to rank were computed differently."""


class SummarizerError(BenchmarkError):
    """A summarizer could not be created or failed as a whole (not a single item)."""


class RunInProgressError(BenchmarkError):
    """Another process holds the same run configuration."""


class EndpointError(SummarizerError):
    """A model's server failed as a whole (unreachable, rejecting the key): continuing
    would fail every remaining item, so the run stops and is marked aborted."""
