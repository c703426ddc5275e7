"""``judge``: an LLM behind an OpenAI-compatible server grades each summary (DESIGN §6).

The judge reads the article, the reference and the candidate summary through an Arabic
rubric (``configs/prompts/judge-ar.yaml``) and answers with a JSON object holding
``faithfulness``, ``coverage``, ``fluency`` and ``conciseness`` (integers 1 to 5) and a
``justification``. Per item: ``judge_faithfulness`` ... ``judge_conciseness`` and their
mean ``judge_overall``, raw on the 1-5 scale (reported as is, not x100).

The metric *has* a `benchmark.metrics.judging.Judge`: an LLM client (bounded
concurrency, retries, per-replica health, early stops; the key read from a named
environment variable and never written anywhere), the rubric with the texts shown as
delimited data, a strict reading of the answer (exactly one JSON object with exactly
the rubric's keys, integer scores 1-5; anything else is asked again) and the cache of
answers. An item still failing after the retries gets no scores and its error in
``judge_error``; the run goes on.

With ``logprobs: true`` and a server that returns token log-probabilities, each
criterion also gets its probability-weighted score (G-Eval, Liu et al. 2023): the
expectation of the score digit under the judge's distribution over ``1``..``5`` at
that position, in ``judge_<criterion>_weighted`` and ``judge_overall_weighted``.

The signature names the judge model, its URL (without credentials), the prompt's hash
(with the delimiting scheme) and the sampling settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.errors import ConfigError
from benchmark.llm.client import Answer
from benchmark.metrics.base import ItemInput, Metric, MetricOptions, mean_defined
from benchmark.metrics.judging import CRITERIA, JudgeRequest, make_judge
from benchmark.signature import Signature
from benchmark.text import TextProfile

VERSION = "v1"


class JudgeMetricOptions(MetricOptions):
    """The metric's options; the judge client's own (``judge_options``) are validated
    by `benchmark.metrics.judging.JudgeOptions` when the judge is made."""

    judge: str | None = Field(None, description="openai:<model> or a preset naming one")
    judge_options: dict[str, Any] = Field(default_factory=dict)
    judge_cache_dir: str | None = Field(None, description="where answers are cached")
    seed: int = Field(0, description="sent to the server with send_seed")


class JudgeMetric(Metric):
    """Rubric scores from an LLM judge, per item (see the module docstring)."""

    name: ClassVar[str] = "judge"
    needs_source: ClassVar[bool] = True
    needs_server: ClassVar[bool] = True
    error_key: ClassVar[str] = "judge_error"
    Options: ClassVar[type[MetricOptions]] = JudgeMetricOptions

    def __init__(self, profile: TextProfile, options: MetricOptions | None = None):
        super().__init__(profile, options)
        opts = self.options
        if not opts.judge:
            raise ConfigError("metric 'judge' needs a judge model: openai:<model> or a preset",
                              hint="name it with {judge}")
        cache_dir = Path(opts.judge_cache_dir) if opts.judge_cache_dir is not None else None
        self.judge = make_judge(opts.judge, dict(opts.judge_options), seed=opts.seed,
                                cache_dir=cache_dir)

    def keys(self) -> list[str]:
        keys = [f"judge_{c}" for c in CRITERIA] + ["judge_overall"]
        if self.judge.options.logprobs:
            keys += [f"judge_{c}_weighted" for c in CRITERIA] + ["judge_overall_weighted"]
        return keys

    def direction(self, key: str) -> str:
        return "higher"

    def scale(self, key: str) -> float:
        """Judge scores are reported raw (1-5), not x100."""
        return 1.0

    def signature(self) -> Signature:
        judge = self.judge
        return Signature.of(("judge", VERSION), ("model", judge.client.model),
                            ("url", judge.client.url), ("prompt", judge.prompt_signature),
                            judge.sampling(), ("seed", judge.client.seed),
                            ("logprobs", judge.options.logprobs), version=__version__)

    def score_item(self, item: ItemInput) -> dict[str, Any]:
        return self.score_batch([item], ids=["item"])[0]

    def score_batch(self, items: Sequence[ItemInput], *,
                    ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Every item's values, asking the judge concurrently about the uncached ones."""
        ids = list(ids) if ids is not None else [str(n) for n in range(len(items))]
        requests = [JudgeRequest(id=item_id, fields={
            "article": item.source or "", "reference": item.references[0],
            "summary": item.prediction}) for item_id, item in zip(ids, items)]
        values: list[dict[str, Any]] = [{} for _ in requests]
        for index, answer in self.judge.ask(requests, signature=self.signature()):
            values[index] = self._values(answer)
        return values

    def _values(self, answer: Answer[dict[str, Any]]) -> dict[str, Any]:
        values: dict[str, Any] = {key: None for key in self.keys()}
        if answer.error is not None or answer.value is None:
            values["judge_error"] = answer.error
            return values
        result = answer.value
        scores = result["scores"]
        for criterion in CRITERIA:
            values[f"judge_{criterion}"] = float(scores[criterion])
        values["judge_overall"] = sum(scores[c] for c in CRITERIA) / len(CRITERIA)
        values["judge_justification"] = result.get("justification", "")
        weighted = result.get("weighted") or {}
        if self.judge.options.logprobs and len(weighted) == len(CRITERIA):
            for criterion in CRITERIA:
                values[f"judge_{criterion}_weighted"] = weighted[criterion]
            values["judge_overall_weighted"] = sum(weighted.values()) / len(CRITERIA)
        return values

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        return {key: mean_defined(item.get(key) for item in items) for key in self.keys()}

    def cost(self) -> dict[str, Any]:
        """Token usage of this metric's judge calls and, given prices, the cost."""
        return self.judge.cost()

    def close(self) -> None:
        self.judge.close()
