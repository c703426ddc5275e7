"""``openai:<model>``: any OpenAI-compatible chat server (OpenAI, vLLM, TGI, Ollama,
llama.cpp) as a summarizer (DESIGN §8, §11).

Options go to an `benchmark.llm.LLMClient` (endpoint and key, replicas, retries, health,
early stops: see `benchmark.llm.client`); the article goes into a prompt template
(`benchmark.llm.prompts`); the answer is cleaned (`benchmark.summarizers.cleaning`:
``<think>`` blocks, preambles, list markup) with the raw text kept. An item that still
fails after the retries becomes ``Prediction(text="", error=...)``; failures that would
fail every item stop the run with an `EndpointError`.

The signature names the model, the options that decide the predictions, the first base
URL (without credentials) and the prompt's hash; replicas, concurrency, timeouts and
retries are operational and left out, so cached predictions stay valid across them.
"""

from __future__ import annotations

import importlib.util
from typing import Any, ClassVar, Iterator, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.errors import SummarizerError
from benchmark.llm.client import Answer, LLMClient
from benchmark.llm.endpoints import Endpoint
from benchmark.llm.options import OPERATIONAL, ClientOptions
from benchmark.llm.prompts import DEFAULT_PROMPT, load_prompt
from benchmark.summarizers.base import Prediction, Summarizer
from benchmark.summarizers.cleaning import clean_summary
from benchmark.urls import redact_url


class OpenAIOptions(ClientOptions):
    prompt: str = Field(DEFAULT_PROMPT, description="template name in configs/prompts or path")
    clean: bool = Field(True, description="strip <think>, preambles and list markup")


class OpenAISummarizer(Summarizer):
    """A chat model behind an OpenAI-compatible ``/v1/chat/completions``."""

    backend: ClassVar[str] = "openai"
    Options: ClassVar[type] = OpenAIOptions
    operational = OPERATIONAL

    def __init__(self, name: str, options: dict[str, Any] | None = None, *, seed: int = 0):
        super().__init__(name, options, seed=seed)
        if importlib.util.find_spec("openai") is None:
            raise SummarizerError(f"{name}: the openai package is not installed",
                                  hint="pip install 'arsum-bench[openai]'")
        self.model = name.split(":", 1)[1] if name.startswith("openai:") else name
        self.client = LLMClient(self.model, self.options, owner=name, seed=seed)
        self.template = load_prompt(self.options.prompt)

    @property
    def endpoint(self) -> Endpoint:
        return self.client.endpoint

    @property
    def url(self) -> str:
        """The first base URL, without credentials."""
        return self.client.url

    @property
    def batch_size(self) -> int:
        return self.client.batch_size

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        predictions: list[Prediction | None] = [None] * len(examples)
        for index, prediction in self.stream(examples):
            predictions[index] = prediction
        return [p for p in predictions if p is not None]

    def stream(self, examples: Sequence[Example]) -> Iterator[tuple[int, Prediction]]:
        """Yield ``(index, prediction)`` in completion order (see `LLMClient.stream`)."""
        bodies = [self.client.request(self.template.messages(example.article))
                  for example in examples]
        for index, answer in self.client.stream(bodies, self._cleaned):
            yield index, self._prediction(answer)

    def _cleaned(self, content: str, choice: Any) -> tuple[str, str | None]:
        """The summary in an answer, and the finish reason (for an empty result)."""
        text = clean_summary(content) if self.options.clean else content.strip()
        return text, choice.finish_reason

    @staticmethod
    def _prediction(answer: Answer[tuple[str, str | None]]) -> Prediction:
        if answer.error is not None or answer.value is None:
            return Prediction(text="", error=answer.error, latency_s=answer.latency_s)
        text, finish_reason = answer.value
        raw = answer.raw if answer.raw != text else None
        if not text:
            return Prediction(text="", raw=raw, usage=answer.usage,
                              latency_s=answer.latency_s, error=(
                                  "nothing left after removing reasoning and preamble "
                                  f"(finish_reason={finish_reason}; raise max_tokens?)"))
        return Prediction(text=text, raw=raw, usage=answer.usage, latency_s=answer.latency_s)

    def signature_extra(self) -> dict[str, str]:
        return {"url": self.client.url, "prompt": self.template.signature()}

    def describe(self) -> dict[str, Any]:
        described = super().describe()
        base_url = self.options.base_url
        if isinstance(base_url, (list, tuple)):  # replicas
            described["options"]["base_url"] = [redact_url(url) for url in base_url]
        else:
            described["options"]["base_url"] = redact_url(base_url) if base_url else None
        described.update(endpoint=self.client.endpoint.name, base_url=self.client.url,
                         api_key_env=self.client.endpoint.api_key_env,
                         prompt=self.template.signature())
        if len(self.client.urls) > 1:
            described["replicas"] = list(self.client.urls)
        return described

    def check(self) -> None:
        self.client.check()

    def close(self) -> None:
        self.client.close()
