"""``judge``: an LLM behind an OpenAI-compatible server grades each summary (DESIGN §6).

The judge reads the article, the reference and the candidate summary through an Arabic
rubric (``configs/prompts/judge-ar.yaml``) and answers with a JSON object holding
``faithfulness``, ``coverage``, ``fluency`` and ``conciseness`` (integers 1 to 5) and a
``justification``. Per item: ``judge_faithfulness`` ... ``judge_conciseness`` and their
mean ``judge_overall``, raw on the 1-5 scale (reported as is, not x100).

Requests reuse the ``openai:`` summarizer's machinery (`JudgeClient` subclasses it):
bounded concurrency, retries with backoff, the key read from a named environment variable
and never written anywhere. An answer that is not usable is repaired when it can be (the
JSON object is taken out of prose or a markdown fence; "4", "٤" and 4.0 read as 4) and
otherwise retried like a server error: malformed JSON, a missing criterion, a score
outside 1-5, a refusal. An item still failing after the retries gets no scores and its
error in ``judge_error``; the run goes on.

With ``logprobs: true`` and a server that returns token log-probabilities, each
criterion also gets its probability-weighted score (G-Eval, Liu et al. 2023): the
expectation of the score digit under the judge's distribution over ``1``..``5`` at
that position, in ``judge_<criterion>_weighted`` and ``judge_overall_weighted``.

Judge answers are cached like predictions (`PredictionCache`), keyed by the judge's
signature, the item id and a hash of the exact messages sent, so a rerun or a resumed
run never asks the judge twice about the same summary. The signature names the judge
model, the prompt's content hash and the sampling settings.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.errors import ConfigError
from benchmark.metrics.base import ItemInput, Metric, MetricOptions, mean_defined
from benchmark.summarizers.base import Prediction, parse_options
from benchmark.summarizers.openai_compat import OpenAIOptions, OpenAISummarizer, _Retry
from benchmark.summarizers.prompts import load_prompt
from benchmark.text import TextProfile

VERSION = "v1"
CRITERIA = ("faithfulness", "coverage", "fluency", "conciseness")
SCORE_RANGE = (1, 5)
_SCORE_TOKENS = {str(n): n for n in range(SCORE_RANGE[0], SCORE_RANGE[1] + 1)}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_PLACEHOLDER = re.compile(r"\{(article|reference|summary|summary_a|summary_b)\}")
_REFUSAL = re.compile(r"(I can(?:no|')t|I am unable|I'm unable|لا أستطيع|لا يمكنني|عذراً)",
                      re.IGNORECASE)


class JudgeOptions(OpenAIOptions):
    prompt: str = Field("judge-ar", description="rubric template in configs/prompts or path")
    max_tokens: int = Field(512, ge=1, description="completion tokens at most")
    logprobs: bool = Field(False, description="ask for token log-probabilities (G-Eval)")
    top_logprobs: int = Field(5, ge=1, le=20)
    price_input_per_mtok: float | None = Field(
        None, ge=0, description="price per million prompt tokens, for the cost estimate")
    price_output_per_mtok: float | None = Field(
        None, ge=0, description="price per million completion tokens")


# Options that change how answers are obtained or what they cost, not what they are.
JUDGE_OPERATIONAL = (*OpenAISummarizer.operational, "price_input_per_mtok",
                     "price_output_per_mtok")


@dataclass(frozen=True)
class JudgeRequest:
    """One question to the judge: an id (for the cache) and the filled-in placeholders."""

    id: str
    fields: dict[str, str]


def render(template_text: str, fields: dict[str, str]) -> str:
    """``template_text`` with each ``{name}`` placeholder replaced in one pass, so a text
    that itself contains ``{summary}`` is never substituted again."""
    return _PLACEHOLDER.sub(lambda m: fields.get(m[1], m[0]), template_text)


class JudgeClient(OpenAISummarizer):
    """The ``openai:`` backend asking rubric questions instead of summarizing.

    `parse` turns the answer's text into the stored result (a dict) or raises `_Retry`;
    `stream` yields ``(index, Prediction)`` whose ``text`` is that result as JSON.
    """

    Options: ClassVar[type] = JudgeOptions
    operational = JUDGE_OPERATIONAL
    expected_keys: tuple[str, ...] = CRITERIA

    def _request(self, request: JudgeRequest) -> dict[str, Any]:  # type: ignore[override]
        opts = self.options
        messages = []
        if self.template.system:
            messages.append({"role": "system", "content": self.template.system})
        messages.append({"role": "user", "content": render(self.template.user,
                                                           request.fields)})
        body: dict[str, Any] = {"model": self.model, "messages": messages,
                                "max_tokens": opts.max_tokens,
                                "temperature": opts.temperature, "timeout": opts.timeout}
        if opts.top_p is not None:
            body["top_p"] = opts.top_p
        if opts.send_seed:
            body["seed"] = self.seed
        if opts.logprobs:
            body["logprobs"] = True
            body["top_logprobs"] = opts.top_logprobs
        if opts.extra_body:
            body["extra_body"] = dict(opts.extra_body)
        return body

    def message_text(self, request: JudgeRequest) -> str:
        """What the cache keys on: the exact messages this request sends."""
        return json.dumps(self._request(request)["messages"], ensure_ascii=False)

    def _prediction(self, response: Any) -> Prediction:
        if not getattr(response, "choices", None):
            raise _Retry("the judge returned no choices")
        choice = response.choices[0]
        content = (choice.message.content if choice.message else None) or ""
        result = self.parse(content)
        weighted = _weighted_scores(getattr(choice, "logprobs", None), self.expected_keys)
        if weighted:
            result["weighted"] = weighted
        usage = {}
        if response.usage is not None:
            usage = {"prompt_tokens": _count(response.usage.prompt_tokens),
                     "completion_tokens": _count(response.usage.completion_tokens)}
        return Prediction(text=json.dumps(result, ensure_ascii=False), raw=content,
                          usage=usage)

    def parse(self, content: str) -> dict[str, Any]:
        """The rubric's scores from an answer, repaired where possible; `_Retry` if not."""
        data = _json_object(content)
        scores = {}
        for key in self.expected_keys:
            value = _score(data.get(key))
            if value is None:
                raise _Retry(f"the judge's answer has no score 1-5 for {key!r}: "
                             f"{_preview(content)}")
            scores[key] = value
        return {"scores": scores, "justification": str(data.get("justification", ""))[:1000]}


class PairwiseClient(JudgeClient):
    """The judge choosing the better of two summaries: ``{"winner": "A"|"B"|"tie"}``."""

    expected_keys = ()

    def parse(self, content: str) -> dict[str, Any]:
        data = _json_object(content)
        winner = str(data.get("winner", "")).strip().strip('"').upper()
        winner = {"TIE": "tie", "A": "A", "B": "B", "تعادل": "tie"}.get(winner)
        if winner is None:
            raise _Retry(f"the judge's answer names no winner A, B or tie: "
                         f"{_preview(content)}")
        return {"winner": winner, "justification": str(data.get("justification", ""))[:1000]}


def make_client(judge: str, options: dict[str, Any] | None = None, *, seed: int = 0,
                pairwise: bool = False) -> JudgeClient:
    """A judge client for ``openai:MODEL`` or a preset naming one."""
    model, merged = _resolve(judge, dict(options or {}))
    cls = PairwiseClient if pairwise else JudgeClient
    if pairwise:
        merged.setdefault("prompt", "judge-pairwise-ar")
    parse_options(cls.Options, merged, owner=f"judge {judge}")  # one-line errors first
    return cls(model, merged, seed=seed)


def _resolve(judge: str, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The judge's ``openai:<model>`` name and options, through the summarizers' one
    resolver (presets followed, with cycle detection)."""
    from benchmark.errors import UnknownNameError
    from benchmark.summarizers.registry import SUMMARIZERS

    try:
        resolved = SUMMARIZERS.resolve(judge)
    except UnknownNameError:
        resolved = None
    if resolved is None or resolved.prefix != "openai":
        raise ConfigError(f"judge {judge!r}: give openai:<served model name> or a preset "
                          "of configs/models.yaml that names one (the judge needs an "
                          "OpenAI-compatible server)")
    return resolved.name, {**resolved.options, **options}


class JudgeMetricOptions(MetricOptions):
    """The metric's options; the judge client's own (``judge_options``) are validated
    by `JudgeOptions` when the client is made."""

    judge: str | None = Field(None, description="openai:<model> or a preset naming one")
    judge_options: dict[str, Any] = Field(default_factory=dict)
    judge_cache_dir: str | None = Field(None, description="where answers are cached")
    seed: int = Field(0, description="sent to the server with send_seed")


class JudgeMetric(Metric):
    """Rubric scores from an LLM judge, per item (see the module docstring)."""

    name: ClassVar[str] = "judge"
    needs_source: ClassVar[bool] = True
    needs_server: ClassVar[bool] = True
    Options: ClassVar[type[MetricOptions]] = JudgeMetricOptions

    def __init__(self, profile: TextProfile, options: MetricOptions | None = None):
        super().__init__(profile, options)
        opts = self.options
        if not opts.judge:
            raise ConfigError("metric 'judge' needs a judge model: openai:<model> or a preset",
                              hint="name it with {judge}")
        self.client = make_client(opts.judge, dict(opts.judge_options), seed=opts.seed)
        self.template = load_prompt(self.client.options.prompt)
        self.cache = None
        if opts.judge_cache_dir is not None:
            from benchmark.runs.cache import PredictionCache

            self.cache = PredictionCache(Path(opts.judge_cache_dir), self.signature())
        self.usage = {"prompt_tokens": 0, "completion_tokens": 0, "requests": 0,
                      "cached": 0}

    def keys(self) -> list[str]:
        keys = [f"judge_{c}" for c in CRITERIA] + ["judge_overall"]
        if self.client.options.logprobs:
            keys += [f"judge_{c}_weighted" for c in CRITERIA] + ["judge_overall_weighted"]
        return keys

    def direction(self, key: str) -> str:
        return "higher"

    def scale(self, key: str) -> float:
        """Judge scores are reported raw (1-5), not x100."""
        return 1.0

    def signature(self) -> str:
        opts = self.client.options
        sampling = f"temp:{opts.temperature:g}|top_p:{opts.top_p}|max_tokens:{opts.max_tokens}"
        return (f"judge:{VERSION}|model:{self.client.model}|url:{self.client.endpoint.base_url}"
                f"|prompt:{self.template.signature()}|{sampling}|seed:{self.client.seed}"
                f"|logprobs:{'yes' if opts.logprobs else 'no'}|ver:{__version__}")

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_batch([item], ids=["item"])[0]

    def score_batch(self, items: Sequence[ItemInput], *,
                    ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Every item's values, asking the judge concurrently about the uncached ones."""
        ids = list(ids) if ids is not None else [str(n) for n in range(len(items))]
        requests = [JudgeRequest(id=item_id, fields={
            "article": item.source or "", "reference": item.references[0],
            "summary": item.prediction}) for item_id, item in zip(ids, items)]
        answers: list[Prediction | None] = [None] * len(items)
        todo = []
        for index, request in enumerate(requests):
            cached = self._cached(request)
            if cached is not None:
                answers[index] = cached
                self.usage["cached"] += 1
            else:
                todo.append(index)
        if todo:
            for position, answer in self.client.stream([requests[i] for i in todo]):
                index = todo[position]
                answers[index] = answer
                self._record(requests[index], answer)
        return [self._values(answer) for answer in answers]

    def _cached(self, request: JudgeRequest) -> Prediction | None:
        if self.cache is None:
            return None
        return self.cache.get(request.id, self.client.message_text(request))

    def _record(self, request: JudgeRequest, answer: Prediction) -> None:
        self.usage["requests"] += 1
        for key in ("prompt_tokens", "completion_tokens"):
            self.usage[key] += int(answer.usage.get(key, 0))
        if self.cache is not None:
            self.cache.put(request.id, self.client.message_text(request), answer)

    def _values(self, answer: Prediction) -> dict[str, Any]:
        values: dict[str, Any] = {key: None for key in self.keys()}
        if answer.error is not None:
            values["judge_error"] = answer.error
            return values
        result = json.loads(answer.text)
        scores = result["scores"]
        for criterion in CRITERIA:
            values[f"judge_{criterion}"] = float(scores[criterion])
        values["judge_overall"] = sum(scores[c] for c in CRITERIA) / len(CRITERIA)
        values["judge_justification"] = result.get("justification", "")
        weighted = result.get("weighted") or {}
        if self.client.options.logprobs and len(weighted) == len(CRITERIA):
            for criterion in CRITERIA:
                values[f"judge_{criterion}_weighted"] = weighted[criterion]
            values["judge_overall_weighted"] = sum(weighted.values()) / len(CRITERIA)
        return values

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        return {key: mean_defined(item.get(key) for item in items) for key in self.keys()}

    def cost(self) -> dict[str, Any]:
        """Token usage of this metric's judge calls and, given prices, the cost."""
        opts = self.client.options
        estimate = None
        if opts.price_input_per_mtok is not None and opts.price_output_per_mtok is not None:
            estimate = (self.usage["prompt_tokens"] * opts.price_input_per_mtok
                        + self.usage["completion_tokens"] * opts.price_output_per_mtok) / 1e6
        return {**self.usage, "cost_estimate": estimate}

    def close(self) -> None:
        self.client.close()
        if self.cache is not None:
            self.cache.close()


def _json_object(content: str) -> dict[str, Any]:
    """The first JSON object in ``content`` (inside prose or a ```json fence too)."""
    text = content.strip()
    if not text:
        raise _Retry("the judge returned an empty answer")
    start = text.find("{")
    while start != -1:
        try:
            data, _ = json.JSONDecoder().raw_decode(text[start:])
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(data, dict):
            return data
        start = text.find("{", start + 1)
    if _REFUSAL.search(text):
        raise _Retry(f"the judge refused: {_preview(text)}")
    raise _Retry(f"the judge's answer is not a JSON object: {_preview(text)}")


def _score(value: Any) -> int | None:
    """An integer 1-5 from 4, 4.0, "4", "٤" or "4/5"; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        match = re.match(r"\s*(\d+(?:\.0+)?)\s*(?:/\s*5)?\s*$", value.translate(_ARABIC_DIGITS))
        if match is None:
            return None
        value = float(match[1])
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        number = int(value)
        if SCORE_RANGE[0] <= number <= SCORE_RANGE[1]:
            return number
    return None


def _weighted_scores(logprobs: Any, criteria: Sequence[str]) -> dict[str, float]:
    """Per criterion, the expected score under the judge's token distribution at the
    score digit that follows ``"<criterion>":`` in the answer (G-Eval)."""
    content = getattr(logprobs, "content", None) if logprobs is not None else None
    if not content or not criteria:
        return {}
    weighted: dict[str, float] = {}
    seen = ""
    for token in content:
        text = getattr(token, "token", "") or ""
        key = re.search(r'"(\w+)"\s*:\s*"?\s*$', seen)
        if key and key[1] in criteria and key[1] not in weighted and text.strip() in _SCORE_TOKENS:
            mass = total = 0.0
            for alternative in getattr(token, "top_logprobs", None) or []:
                digit = _SCORE_TOKENS.get((getattr(alternative, "token", "") or "").strip())
                if digit is not None:
                    probability = math.exp(alternative.logprob)
                    mass += probability
                    total += probability * digit
            if mass > 0:
                weighted[key[1]] = total / mass
        seen += text
    return weighted


def _count(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _preview(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."
