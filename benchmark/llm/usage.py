"""Token usage and its cost: per answer from the server's counts, summed per client."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping

COUNTS = ("prompt_tokens", "completion_tokens")


def token_counts(usage: Any) -> dict[str, int]:
    """The prompt and completion counts of a response's ``usage``; a count that is not a
    whole, non-negative number is left out (a server's odd count never costs an
    answer)."""
    if usage is None:
        return {}
    counts = {name: _count(getattr(usage, name, None)) for name in COUNTS}
    return {name: count for name, count in counts.items() if count is not None}


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


@dataclass
class Usage:
    """Tokens over the answers asked for, and how many came from a cache instead."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0  # answers asked of the server (each with its retries)
    cached: int = 0  # answers taken from a cache

    def add(self, counts: Mapping[str, int]) -> None:
        self.requests += 1
        self.prompt_tokens += int(counts.get("prompt_tokens", 0))
        self.completion_tokens += int(counts.get("completion_tokens", 0))

    def cost(self, *, input_per_mtok: float | None,
             output_per_mtok: float | None) -> float | None:
        """The cost at these prices per million tokens; None without both prices."""
        if input_per_mtok is None or output_per_mtok is None:
            return None
        return (self.prompt_tokens * input_per_mtok
                + self.completion_tokens * output_per_mtok) / 1e6

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
