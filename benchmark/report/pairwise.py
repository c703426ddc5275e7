"""Pairwise judging of two runs (``bench judge RUN_A RUN_B``).

For every item both runs summarized without error, the judge sees the article, the
reference and the two summaries twice: A first, then B first. Judges favour one position
(Wang et al. 2023, "Large Language Models are not Fair Evaluators"), so an item counts as
a win only when both orders prefer the same run; any disagreement, or a tie, is a tie.
The report gives wins, ties and losses of A against B, how often the two orders agreed,
and A's win rate (wins plus half the ties, over the items) with a 95% percentile
bootstrap interval over items (seeded).

Answers are cached under ``<results>/.cache/judge/`` (`benchmark.llm.cache`), so a rerun
or an interrupted comparison asks nothing twice. Requests that failed are counted and
their first distinct errors kept (``errors``), so the terminal can show what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from benchmark.errors import BenchmarkError, IncompatibleRunsError
from benchmark.metrics.judging import JudgeRequest, make_judge, pairwise_signature
from benchmark.runs.run import Run
from benchmark.stats.bootstrap import bootstrap_means

RESAMPLES = 10_000
ORDERS = ("AB", "BA")


@dataclass
class PairwiseResult:
    a: str  # run labels (model name, else folder name)
    b: str
    wins: int
    ties: int
    losses: int
    consistent: int  # items where both orders gave the same verdict
    win_rate: float
    low: float
    high: float
    failed: int  # items the judge could not answer (left out)
    signature: str
    seed: int
    resamples: int
    usage: dict[str, int] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)  # {"error", "count"}

    @property
    def n(self) -> int:
        return self.wins + self.ties + self.losses

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "n": self.n, "wins": self.wins, "ties": self.ties,
                "losses": self.losses, "position_consistent": self.consistent,
                "win_rate": self.win_rate, "low": self.low, "high": self.high,
                "failed": self.failed, "signature": self.signature,
                "stats": {"resamples": self.resamples, "seed": self.seed,
                          "interval": "95% percentile bootstrap over items"},
                "usage": self.usage, "errors": self.errors, "items": self.items}


def judge_pair(run_a: Path, run_b: Path, *, judge: str, judge_options: dict[str, Any],
               cache_dir: Path | None, seed: int = 0, resamples: int = RESAMPLES,
               on_progress: Callable[[int], None] | None = None) -> PairwiseResult:
    """Judge every shared item of two runs in both orders (see the module docstring)."""
    shared, label_a, label_b = _shared_items(Run.open(run_a), Run.open(run_b))
    judge_ = make_judge(judge, judge_options, seed=seed, pairwise=True, cache_dir=cache_dir)
    signature = pairwise_signature(judge_)
    requests = [JudgeRequest(id=f"{item['id']}|{order}", fields=_fields(item, order))
                for item in shared for order in ORDERS]
    answers: list[Any] = [None] * len(requests)
    try:
        for index, answer in judge_.ask(requests, signature=signature):
            answers[index] = answer
            if on_progress is not None:
                on_progress(1)
    finally:
        judge_.close()
    usage = {key: value for key, value in judge_.cost().items() if key != "cost_estimate"}
    return _tally(shared, answers, label_a, label_b, signature=str(signature), seed=seed,
                  resamples=resamples, usage=usage)


def _shared_items(a: Run, b: Run) -> tuple[list[dict[str, Any]], str, str]:
    from benchmark.report.run_dataset import load_run_dataset

    dataset, other = a.record.dataset, b.record.dataset
    if dataset.sha256 != other.sha256:
        raise IncompatibleRunsError(
            f"{a.path} and {b.path} are on different datasets "
            f"({dataset.identity} and {other.identity}); judge runs of the same dataset")
    try:
        data = load_run_dataset(a)
    except BenchmarkError as exc:
        raise BenchmarkError(f"cannot reload the runs' dataset {dataset.path!r} to show "
                             f"the judge the articles: {exc}") from None
    predictions_a = _predictions(a)
    predictions_b = _predictions(b)
    shared = []
    for example in data.examples:
        if example.id in predictions_a and example.id in predictions_b:
            shared.append({"id": example.id, "article": example.article,
                           "reference": example.summary, "a": predictions_a[example.id],
                           "b": predictions_b[example.id]})
    if not shared:
        raise BenchmarkError(f"{a.path} and {b.path} have no item that both summarized")
    return shared, _label(a), _label(b)


def _predictions(run: Run) -> dict[str, str]:
    return {item["id"]: item["prediction"] for item in run.iter_items()
            if item.get("error") is None and item.get("prediction")}


def _label(run: Run) -> str:
    record = run.record
    return str(record.label or record.model.label or record.model.name or run.path.name)


def _fields(item: dict[str, Any], order: str) -> dict[str, str]:
    first, second = (item["a"], item["b"]) if order == "AB" else (item["b"], item["a"])
    return {"article": item["article"], "reference": item["reference"],
            "summary_a": first, "summary_b": second}


def _verdict(answer: Any, order: str) -> str | None:
    """Which run ("a", "b") or "tie" one answer favours; None if it failed."""
    if answer is None or answer.error is not None or answer.value is None:
        return None
    winner = answer.value["winner"]
    if winner == "tie":
        return "tie"
    first_is_a = order == "AB"
    return "a" if (winner == "A") == first_is_a else "b"


def _tally(shared, answers, label_a, label_b, *, signature, seed, resamples,
           usage) -> PairwiseResult:
    outcomes: list[float] = []
    wins = ties = losses = consistent = failed = 0
    items = []
    for number, item in enumerate(shared):
        verdicts = [_verdict(answers[2 * number + k], order) for k, order in enumerate(ORDERS)]
        if None in verdicts:
            failed += 1
            continue
        consistent += verdicts[0] == verdicts[1]
        outcome = verdicts[0] if verdicts[0] == verdicts[1] else "tie"
        wins += outcome == "a"
        losses += outcome == "b"
        ties += outcome == "tie"
        outcomes.append({"a": 1.0, "tie": 0.5, "b": 0.0}[outcome])
        items.append({"id": item["id"], "outcome": outcome, "verdicts": verdicts})
    errors = first_errors(answers)
    if not outcomes:
        listed = "; ".join(f"{e['error']} ({e['count']} requests)" for e in errors)
        raise BenchmarkError("the judge answered no item in both orders"
                             + (f": {listed}" if listed else ""),
                             hint="fix the cause and rerun: answers already given are kept")
    values = np.asarray(outcomes)
    means = bootstrap_means(values, np.random.default_rng(seed), resamples)
    low, high = np.percentile(means, [2.5, 97.5])
    return PairwiseResult(a=label_a, b=label_b, wins=wins, ties=ties, losses=losses,
                          consistent=consistent, win_rate=float(values.mean()),
                          low=float(low), high=float(high), failed=failed,
                          signature=signature, seed=seed, resamples=resamples, usage=usage,
                          items=items, errors=errors)


def first_errors(answers: list[Any], *, shown: int = 3) -> list[dict[str, Any]]:
    """The first `shown` distinct errors among failed answers, each with its true count."""
    counts: dict[str, int] = {}
    for answer in answers:
        if answer is not None and answer.error is not None:
            counts[answer.error] = counts.get(answer.error, 0) + 1
    return [{"error": error, "count": count} for error, count in list(counts.items())[:shown]]


def format_pairwise(result: PairwiseResult) -> str:
    """The terminal summary of a pairwise judgement."""
    n = result.n
    lines = [f"{result.a} vs {result.b}: {n} items judged in both orders"
             + (f" ({result.failed} left out: the judge failed)" if result.failed else ""),
             f"  wins {result.wins}  ties {result.ties}  losses {result.losses}  "
             f"(orders agreed on {result.consistent} of {n})",
             f"  win rate of {result.a}: {100 * result.win_rate:.1f} "
             f"[{100 * result.low:.1f}, {100 * result.high:.1f}] "
             f"(wins + half the ties, x100; 95% bootstrap, {result.resamples} resamples, "
             f"seed {result.seed})",
             f"  {result.signature}"]
    lines[1:1] = [f"  failed: {e['error']} ({e['count']} requests)" for e in result.errors]
    return "\n".join(lines)
