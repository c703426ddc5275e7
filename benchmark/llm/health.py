"""When a server has failed as a whole: the run stops with one line instead of failing
every remaining item.

- `no_replica_left`: every replica refused ``breaker`` connections in a row (counted
  per replica by `benchmark.llm.replicas.ReplicaPicker`).
- `FailureStreak`: ``max_consecutive_failures`` items in a row failed with the same
  HTTP error that retrying did not fix (a 4xx other than 429, or a 5xx after the
  retries): a wrong model name (404) or a server that fails every request stops the
  run after a few items, not after the whole dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from benchmark.errors import EndpointError

SERVER_HINT = "check that the server is running at that URL"
STREAK_HINT = ("fix the cause, then rerun the same command to resume (the option "
               "max_consecutive_failures sets how many items in a row stop a run; 0: never)")


@dataclass
class FailureStreak:
    """Items in a row that failed with one persistent HTTP error."""

    limit: int  # 0: never stop
    error: str | None = None
    count: int = 0

    def record(self, error: str | None, status: int | None) -> bool:
        """Count one finished item (`error` None: it succeeded); True when the streak
        reaches the limit."""
        if error is None or not persistent(status):
            self.error, self.count = None, 0
            return False
        if error != self.error:
            self.error, self.count = error, 0
        self.count += 1
        return 0 < self.limit <= self.count

    @property
    def tripped(self) -> bool:
        """The streak reached the limit: no further request should be sent."""
        return 0 < self.limit <= self.count

    def stop(self, owner: str) -> EndpointError:
        return EndpointError(f"{owner}: stopped after {self.count} items in a row failed "
                             f"with the same error: {self.error}", hint=STREAK_HINT)


def persistent(status: int | None) -> bool:
    """An HTTP failure that retrying did not fix: any status but 429 (a rate limit
    says to come back later, not that every item will fail)."""
    return status is not None and status != 429


def no_replica_left(owner: str, urls: Sequence[str], refusals: Sequence[int],
                    last: str) -> EndpointError:
    """The error when every replica is out; `urls` shown redacted."""
    if len(urls) == 1:
        return EndpointError(f"{owner}: {urls[0]}: {refusals[0]} connection failures in a "
                             f"row; last: {last}", hint=SERVER_HINT)
    listed = ", ".join(f"{url} ({count} in a row)" for url, count in zip(urls, refusals))
    return EndpointError(f"{owner}: no replica left: every one refused its connections "
                         f"({listed}); last: {last}", hint=SERVER_HINT)
