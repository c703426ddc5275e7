"""An LLM judge: a client for its server, a rubric template that shows the texts as
data, a strict reading of its answers, and a cache of them (DESIGN §6).

Shared by the ``judge`` metric (a rubric score per summary) and pairwise judging
(``bench judge``: which of two summaries is better). A `Judge` *has* an
`benchmark.llm.LLMClient`; what differs between the two is a `Rubric`: the prompt's
placeholders, the keys and types the answer must have, and what is kept of it.

The texts go into the template through `PromptTemplate.render_data`: escaped and
enclosed in tags they cannot contain (`benchmark.llm.delimiters`). An answer must be
exactly one JSON object with exactly the rubric's keys (`benchmark.llm.answers`);
anything else is asked again, then fails its item. Answers are cached under the judge's
signature (`benchmark.llm.cache`), keyed by the request's id and its exact messages, so
a rerun or a resumed run never asks the judge twice about the same texts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, cast

from pydantic import Field

from benchmark.errors import ConfigError
from benchmark.llm.answers import Check, integer_in, one_of, parse_json_answer, text
from benchmark.llm.cache import AnswerCache, CachedAnswer
from benchmark.llm.client import Answer, LLMClient
from benchmark.llm.delimiters import SCHEME
from benchmark.llm.options import OPERATIONAL, ClientOptions
from benchmark.llm.prompts import PromptTemplate, load_prompt
from benchmark.options import validate_options
from benchmark.signature import Signature

CRITERIA = ("faithfulness", "coverage", "fluency", "conciseness")
SCORE_RANGE = (1, 5)
_SCORE_TOKENS = {str(n): n for n in range(SCORE_RANGE[0], SCORE_RANGE[1] + 1)}
JUSTIFICATION_CHARS = 1000


class JudgeOptions(ClientOptions):
    prompt: str = Field("judge-ar", description="rubric template in configs/prompts or path")
    max_tokens: int = Field(512, ge=1, description="completion tokens at most")
    logprobs: bool = Field(False, description="ask for token log-probabilities (G-Eval)")
    top_logprobs: int = Field(5, ge=1, le=20)
    price_input_per_mtok: float | None = Field(
        None, ge=0, description="price per million prompt tokens, for the cost estimate")
    price_output_per_mtok: float | None = Field(
        None, ge=0, description="price per million completion tokens")


# Options that change how answers are obtained or what they cost, not what they are.
JUDGE_OPERATIONAL = (*OPERATIONAL, "price_input_per_mtok", "price_output_per_mtok")


@dataclass(frozen=True)
class JudgeRequest:
    """One question to the judge: an id (for the cache) and the texts to fill in."""

    id: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Rubric:
    """What a judge is asked and what its answer must be."""

    prompt: str  # the default template
    placeholders: tuple[str, ...]
    checks: Mapping[str, Check]
    keep: Callable[[dict[str, Any], Any, "JudgeOptions"], dict[str, Any]]


def _keep_scores(data: dict[str, Any], choice: Any, options: JudgeOptions) -> dict[str, Any]:
    result: dict[str, Any] = {
        "scores": {key: data[key] for key in CRITERIA},
        "justification": data["justification"][:JUSTIFICATION_CHARS]}
    if options.logprobs:
        weighted = weighted_scores(getattr(choice, "logprobs", None), CRITERIA)
        if weighted:
            result["weighted"] = weighted
    return result


def _keep_winner(data: dict[str, Any], choice: Any, options: JudgeOptions) -> dict[str, Any]:
    return {"winner": data["winner"],
            "justification": data["justification"][:JUSTIFICATION_CHARS]}


SCORES = Rubric("judge-ar", ("article", "reference", "summary"), {
    **{key: integer_in(*SCORE_RANGE, what=f"no score 1-5 for {key!r}") for key in CRITERIA},
    "justification": text(what="no justification text")}, _keep_scores)
PAIRWISE = Rubric("judge-pairwise-ar", ("article", "reference", "summary_a", "summary_b"), {
    "winner": one_of("A", "B", "tie", what="no winner A, B or tie"),
    "justification": text(what="no justification text")}, _keep_winner)


class Judge:
    """A judge model asked with `rubric` (see the module docstring)."""

    def __init__(self, name: str, options: dict[str, Any], *, rubric: Rubric, seed: int = 0,
                 cache_dir: Path | None = None):
        self.name = name  # openai:<model>
        self.rubric = rubric
        self.options = cast(JudgeOptions, validate_options(
            JudgeOptions, {"prompt": rubric.prompt, **options}, owner=f"judge {name}"))
        model = name.split(":", 1)[1] if name.startswith("openai:") else name
        self.client = LLMClient(model, self.options, owner=f"judge {name}", seed=seed)
        self.template: PromptTemplate = load_prompt(self.options.prompt,
                                                    placeholders=rubric.placeholders)
        self.cache_dir = cache_dir
        self._cache: AnswerCache | None = None

    @property
    def prompt_signature(self) -> str:
        """The template's hash, with the way texts are delimited in it."""
        return self.template.signature(scheme=SCHEME)

    def sampling(self) -> Signature:
        """``temp``, ``top_p`` (``None`` when not sent) and ``max_tokens``."""
        opts = self.options
        return Signature.of(("temp", opts.temperature), ("top_p", str(opts.top_p)),
                            ("max_tokens", opts.max_tokens))

    def ask(self, requests: Sequence[JudgeRequest], *,
            signature: Signature) -> Iterator[tuple[int, Answer[dict[str, Any]]]]:
        """Each request's answer, cached ones first, the rest as the judge answers;
        answers are stored under `signature` as they come."""
        cache = self._open_cache(signature)
        messages = [self.template.render_data(request.fields) for request in requests]
        todo = []
        for index, request in enumerate(requests):
            hit = cache.get(request.id, messages[index]) if cache is not None else None
            if hit is None:
                todo.append(index)
                continue
            self.client.usage.cached += 1
            yield index, Answer(value=hit.value, raw=hit.raw, usage=hit.usage,
                                latency_s=hit.latency_s)
        extra = ({"logprobs": True, "top_logprobs": self.options.top_logprobs}
                 if self.options.logprobs else {})
        bodies = [self.client.request(messages[i], **extra) for i in todo]
        for position, answer in self.client.stream(bodies, self._read):
            index = todo[position]
            if cache is not None and answer.error is None:
                cache.put(requests[index].id, messages[index], CachedAnswer(
                    answer.value, answer.raw, answer.usage, answer.latency_s))
            yield index, answer

    def _read(self, content: str, choice: Any) -> dict[str, Any]:
        data = parse_json_answer(content, self.rubric.checks, who="the judge")
        return self.rubric.keep(data, choice, self.options)

    def _open_cache(self, signature: Signature) -> AnswerCache | None:
        if self.cache_dir is None:
            return None
        if self._cache is None or self._cache.signature != str(signature):
            self.close_cache()
            self._cache = AnswerCache(self.cache_dir, signature)
        return self._cache

    def cost(self) -> dict[str, Any]:
        """Token usage of this judge's calls and, given prices, the cost."""
        usage = self.client.usage
        return {**usage.as_dict(), "cost_estimate": usage.cost(
            input_per_mtok=self.options.price_input_per_mtok,
            output_per_mtok=self.options.price_output_per_mtok)}

    def close_cache(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def close(self) -> None:
        self.client.close()
        self.close_cache()


def make_judge(judge: str, options: dict[str, Any] | None = None, *, seed: int = 0,
               pairwise: bool = False, cache_dir: Path | None = None) -> Judge:
    """A judge for ``openai:MODEL`` or a preset naming one."""
    name, merged = resolve_judge(judge, dict(options or {}))
    return Judge(name, merged, rubric=PAIRWISE if pairwise else SCORES, seed=seed,
                 cache_dir=cache_dir)


def pairwise_signature(judge: Judge) -> Signature:
    """``pairwise:v1`` then the judge as a summarizer would sign it: its name, backend,
    a digest of the options that decide its answers, its URL and its prompt's hash."""
    from benchmark.summarizers.base import options_digest

    extra = {"url": judge.client.url, "prompt": judge.prompt_signature}
    digest = options_digest(name=judge.name, backend="openai", options=judge.options,
                            operational=JUDGE_OPERATIONAL, seed=judge.client.seed,
                            extra=extra)
    return Signature.of(("pairwise", "v1"), ("model", judge.name), ("backend", "openai"),
                        ("opts", digest), *extra.items())


def resolve_judge(judge: str, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
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


def weighted_scores(logprobs: Any, criteria: Sequence[str]) -> dict[str, float]:
    """Per criterion, the expected score under the judge's token distribution at the
    score digit that follows ``"<criterion>":`` in the answer (G-Eval, Liu et al. 2023)."""
    content = getattr(logprobs, "content", None) if logprobs is not None else None
    if not content or not criteria:
        return {}
    weighted: dict[str, float] = {}
    seen = ""
    for token in content:
        piece = getattr(token, "token", "") or ""
        key = re.search(r'"(\w+)"\s*:\s*"?\s*$', seen)
        if key and key[1] in criteria and key[1] not in weighted \
                and piece.strip() in _SCORE_TOKENS:
            mass = total = 0.0
            for alternative in getattr(token, "top_logprobs", None) or []:
                digit = _SCORE_TOKENS.get((getattr(alternative, "token", "") or "").strip())
                if digit is not None:
                    probability = math.exp(alternative.logprob)
                    mass += probability
                    total += probability * digit
            if mass > 0:
                weighted[key[1]] = total / mass
        seen += piece
    return weighted
