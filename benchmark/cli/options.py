"""The options `bench run` and `bench score` share: metrics, text profile, judge and
scoring, declared once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

ModelOption = Annotated[str, typer.Option(
    "--model", "-m", help="Summarizer: a built-in (see 'bench list summarizers'), a preset, "
                          "hf:<id|path>, openai:<model>, a plugin or py:module:attr.")]
MetricsOption = Annotated[str, typer.Option(
    help="Comma-separated metrics (see 'bench list metrics'); 'all': every metric that needs "
         "no server.")]
MetricOptionOption = Annotated[Optional[list[str]], typer.Option(
    "--metric-option", help="Metric option METRIC.KEY=VALUE, e.g. bullets.threshold=0.6 "
                            "(repeatable).")]
NerOption = Annotated[Optional[str], typer.Option(
    help="Entity backend for the entities metric: rules (default), learned, "
         "learned:<model folder> or hf:<model>.")]
IncludeNisbaOption = Annotated[bool, typer.Option(
    "--include-nisba/--no-include-nisba", help="entities: count nisba adjectives (السوري) too.")]
JudgeOption = Annotated[Optional[str], typer.Option(
    help="judge metric: the judge model, openai:<model> or a preset.")]
JudgeBaseUrlOption = Annotated[Optional[str], typer.Option(
    help="judge metric: the judge server's base URL.")]
JudgeApiKeyEnvOption = Annotated[Optional[str], typer.Option(
    help="judge metric: NAME of the variable holding the judge's key ('none': no key).")]
JudgeOptionsOption = Annotated[Optional[list[str]], typer.Option(
    help="judge metric: judge option KEY=VALUE, e.g. concurrency=16 (repeatable).")]
OutputDirOption = Annotated[Path, typer.Option(help="Where run folders go.")]
ProfileOption = Annotated[str, typer.Option(
    help="Text profile: ar, none or xlsum (XL-Sum's scorer, for comparison with published "
         "numbers).")]
FoldHamzaOption = Annotated[bool, typer.Option(
    "--fold-hamza/--no-fold-hamza", help="Text: fold the hamza carriers ؤ ئ to ء.")]
CliticsOption = Annotated[bool, typer.Option(
    "--clitics/--no-clitics", help="Text: strip a leading conjunction/preposition clitic.")]
StemOption = Annotated[Optional[bool], typer.Option(
    "--stem/--no-stem", help="Text: stem (ar: a light stemmer; xlsum: its stemmer, on unless "
                             "--no-stem).")]
SentenceSplitOption = Annotated[Optional[str], typer.Option(
    help="rouge: ROUGE-Lsum sentences, ar (split ar.v2, the default) or newline (one per "
         "line: rouge-score's convention for text already split).")]
TokenizerOption = Annotated[Optional[str], typer.Option(
    help="Text: a custom tokenizer, module:attr (an object with tokenize(text), or a class).")]
WorkersOption = Annotated[int, typer.Option(
    min=1, help="Processes that score items (metrics are CPU-bound).")]
ExecutorOption = Annotated[str, typer.Option(
    help="Where items are scored: local (--workers processes) or ray (tasks on a Ray "
         "cluster).")]
RayAddressOption = Annotated[Optional[str], typer.Option(
    help="executor ray: the cluster's address (default: RAY_ADDRESS, else a local instance).")]
SkipInvalidOption = Annotated[bool, typer.Option(
    "--skip-invalid/--no-skip-invalid", help="Skip malformed examples (counted) instead of "
                                             "failing.")]


class MultiRef(str, Enum):
    max = "max"
    mean = "mean"


MultiRefOption = Annotated[Optional[MultiRef], typer.Option(
    help="Items with several references: max (the best reference per score, rouge-score's "
         "score_multi; the default) or mean (the mean over references). ROUGE, chrF and "
         "bullets; in their signatures.", show_default=False)]


def scoring_options(multiref: MultiRef | None, per_metric: dict | None = None) -> dict:
    """The scorer options of ``--multiref`` and ``--metric-option`` (only those given)."""
    options: dict = {} if multiref is None else {"multiref": multiref.value}
    return {**options, **({"metric_options": per_metric} if per_metric else {})}
