"""The client for OpenAI-compatible servers that the ``openai:`` summarizer, the judge
metric and pairwise judging share (DESIGN §3): endpoints, replicas, retries, health,
usage, URL redaction (`benchmark.urls`), prompts, strict answers and an answer cache.

It sits beside `benchmark.data` and imports only the ground utilities. Heavy imports
(the ``openai`` SDK) happen inside the functions that send requests.

    from benchmark.llm import LLMClient, ClientOptions, RetryPolicy, load_prompt
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "LLMClient": "benchmark.llm.client",
    "Answer": "benchmark.llm.client",
    "ClientOptions": "benchmark.llm.options",
    "OPERATIONAL": "benchmark.llm.options",
    "RetryPolicy": "benchmark.llm.retry",
    "Retryable": "benchmark.llm.retry",
    "ItemFailure": "benchmark.llm.retry",
    "Endpoint": "benchmark.llm.endpoints",
    "resolve_endpoint": "benchmark.llm.endpoints",
    "load_endpoints": "benchmark.llm.endpoints",
    "PromptTemplate": "benchmark.llm.prompts",
    "load_prompt": "benchmark.llm.prompts",
    "AnswerCache": "benchmark.llm.cache",
    "CachedAnswer": "benchmark.llm.cache",
    "Usage": "benchmark.llm.usage",
    "parse_json_answer": "benchmark.llm.answers",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'benchmark.llm' has no attribute {name!r}")
