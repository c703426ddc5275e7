"""The library's exception types.

Library code raises these; only the CLI turns them into one-line messages and exit
codes. Every message is written for the user: it names the file, line or option at
fault and, where there is one, the next step.
"""

from __future__ import annotations


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
