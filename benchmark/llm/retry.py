"""What a failed request means, and how long to wait before the next attempt.

An attempt fails in one of three ways: `Retryable` (408/409/429, 5xx, a timeout, a
refused connection, empty content, a body that is not JSON, an answer the caller could
not use), `ItemFailure` (a retry would not help: another 4xx, an answer over the length
limit) or `KeyRejected` (401/403: every request would fail, so the run stops). The SDK's
own retries are off, so this policy is the only one, visible and tested.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Callable

RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx


class Retryable(Exception):
    """A failed attempt worth repeating (after `retry_after` seconds at least).
    `connection`: the server could not be reached at all; `status`: its HTTP status."""

    def __init__(self, message: str, retry_after: float | None = None, *,
                 connection: bool = False, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.connection = connection
        self.status = status


class ItemFailure(Exception):
    """A failed attempt that a retry would not fix."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class KeyRejected(Exception):
    """The server refused the key (HTTP 401 or 403)."""

    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


@dataclass
class RetryPolicy:
    """``max_retries`` repeats after exponential backoff with seeded "equal jitter"."""

    max_retries: int = 5
    backoff: float = 1.0  # the first delay's cap, seconds; doubles per attempt
    backoff_max: float = 60.0  # cap of one delay, and of a server's Retry-After
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @property
    def attempts(self) -> int:
        return self.max_retries + 1

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number `attempt` (0-based): half of the
        doubling cap fixed, half drawn from the seeded generator; at least the server's
        ``Retry-After``, itself capped at `backoff_max`."""
        cap = min(self.backoff_max, self.backoff * 2 ** attempt)
        delay = cap / 2 + self._rng.uniform(0, cap / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.backoff_max))
        return delay


def classify(exc: BaseException, *, timeout: float,
             describe: Callable[[BaseException], str]) -> Retryable | ItemFailure:
    """What an exception from the SDK (or our deadline) means for the next attempt;
    raises `KeyRejected` for 401 and 403. `describe` words the exception without
    secrets."""
    import openai

    if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
        raise KeyRejected(exc.status_code) from None
    if isinstance(exc, (openai.APITimeoutError, TimeoutError)):  # SDK's, or our deadline
        return Retryable(f"timed out after {timeout:g}s")
    if isinstance(exc, openai.APIConnectionError):
        return Retryable(f"connection error: {describe(exc)}", connection=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        message = f"HTTP {status}: {describe(exc)}"
        if status in RETRY_STATUSES or status >= 500:
            return Retryable(message, retry_after(exc), status=status)
        return ItemFailure(message, status=status)
    if isinstance(exc, ValueError):  # json.JSONDecodeError: a body that is not JSON
        return Retryable(f"invalid JSON in the response: {describe(exc)}")
    return ItemFailure(f"{type(exc).__name__}: {describe(exc)}")


def retry_after(exc: Any) -> float | None:
    """Seconds from a ``Retry-After`` header (numeric form only)."""
    try:
        value = exc.response.headers.get("retry-after")
        return max(0.0, float(value)) if value is not None else None
    except (AttributeError, TypeError, ValueError):
        return None
