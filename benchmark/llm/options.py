"""The options of an OpenAI-compatible client, shared by the ``openai:`` summarizer and
the judge: where requests go, how they are retried and when a run stops (operational:
never part of a signature), and how the model samples (part of it)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ClientOptions(BaseModel):
    """Unknown fields are an error (one line naming them, `benchmark.options`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    endpoint: str | None = Field(None, description="a name from configs/endpoints.yaml")
    base_url: str | list[str] | None = Field(
        None, description="server URL, e.g. http://localhost:8000/v1; a list for replicas")
    api_key_env: str | None = Field(
        None, description="name of the variable holding the key; 'none' for no key")
    concurrency: int = Field(8, ge=1, le=1024,
                             description="requests in flight at most, per replica")
    timeout: float = Field(120.0, gt=0, description="seconds per request")
    max_retries: int = Field(5, ge=0, le=50)
    backoff: float = Field(1.0, ge=0, description="first retry delay in seconds; doubles")
    backoff_max: float = Field(60.0, ge=0, description="cap of one retry delay, seconds")
    breaker: int = Field(8, ge=1, description="connection failures in a row that set a "
                         "replica aside; the run stops when no replica is left")
    health_check: bool = Field(True, description="check the server before the first item")
    max_consecutive_failures: int = Field(
        8, ge=0, description="items in a row failing with the same HTTP error (4xx but "
        "429, or 5xx after the retries) that stop the run; 0: never stop")
    max_tokens: int = Field(1024, ge=1, description="completion tokens at most")
    temperature: float = Field(0.0, ge=0, le=2)
    top_p: float | None = Field(None, gt=0, le=1)
    send_seed: bool = Field(True, description="send the run's seed with each request")
    max_response_chars: int = Field(100_000, ge=1, description="a longer answer fails its "
                                    "item (a runaway generation)")
    extra_body: dict[str, Any] | None = Field(
        None, description="extra JSON fields for the server (e.g. vLLM chat_template_kwargs)")


# Options that change how answers are obtained, not what they are.
OPERATIONAL = ("endpoint", "base_url", "api_key_env", "concurrency", "timeout",
               "max_retries", "backoff", "backoff_max", "breaker", "health_check",
               "max_response_chars", "max_consecutive_failures")
