"""``bench score``: score saved predictions against a dataset, without any model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import (VerboseOption, config_folder, echo, entity_options, fail,
                                  judge_options, metric_options, plural, print_run_summary,
                                  rouge_options, stop_on_signals, text_profile, user_errors)
from benchmark.cli.options import (CliticsOption, ExecutorOption, FoldHamzaOption,
                                   IncludeNisbaOption, JudgeApiKeyEnvOption,
                                   JudgeBaseUrlOption, JudgeOption, JudgeOptionsOption,
                                   MetricOptionOption, MetricsOption, MultiRefOption,
                                   NerOption, OutputDirOption, ProfileOption,
                                   RayAddressOption, SentenceSplitOption, SkipInvalidOption,
                                   StemOption, TokenizerOption, WorkersOption,
                                   scoring_options)
from benchmark import jsonl
from benchmark.runs.predictions import PredictionFile


def score(
    predictions: Annotated[Path, typer.Option(help="JSONL file with 'id' and 'prediction' "
                                              "per line.")],
    dataset: Annotated[Optional[Path], typer.Option(help="Dataset the ids refer to "
                                                    "(default: bundled).")] = None,
    metrics: MetricsOption = "rouge",
    metric_option: MetricOptionOption = None,
    multiref: MultiRefOption = None,
    ner: NerOption = None,
    include_nisba: IncludeNisbaOption = False,
    judge: JudgeOption = None,
    judge_base_url: JudgeBaseUrlOption = None,
    judge_api_key_env: JudgeApiKeyEnvOption = None,
    judge_option: JudgeOptionsOption = None,
    name: Annotated[Optional[str], typer.Option(help="Model name and label of the run in "
                                                "tables (default: the predictions file "
                                                "name).")] = None,
    output_dir: OutputDirOption = Path("results"),
    profile: ProfileOption = "ar",
    fold_hamza: FoldHamzaOption = False,
    clitics: CliticsOption = False,
    stem: StemOption = None,
    tokenizer: TokenizerOption = None,
    sentence_split: SentenceSplitOption = None,
    workers: WorkersOption = 1,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    skip_invalid: SkipInvalidOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Score the predictions in FILE and write a run folder that 'bench compare' reads."""
    from benchmark.cli.data import warn_data_problems
    from benchmark.cli.run import exit_if_a_metric_failed
    from benchmark.data.load import open_examples
    from benchmark.runs.executors import check_executor
    from benchmark.runs.harness import score_predictions
    from benchmark.scorer import Scorer

    with user_errors():
        check_executor(executor, ray_address=ray_address)
        texts = read_predictions(predictions)
        data = open_examples(dataset, skip_invalid=skip_invalid, config_dir=config_folder())
        warn_data_problems(data)
        known = set(data.ids)
        unknown = [i for i in texts if i not in known]
        if unknown:
            raise fail(f"{predictions}: {len(unknown)} id(s) not in dataset {data.name} "
                       f"(first: {unknown[0]!r}); check --dataset")
        text = text_profile(profile, fold_hamza=fold_hamza, clitics=clitics, stem=stem,
                            tokenizer=tokenizer)
        scorer = Scorer([m.strip() for m in metrics.split(",") if m.strip()], text,
                        **entity_options(ner, include_nisba), **rouge_options(sentence_split),
                        **scoring_options(multiref),
                        **judge_options(judge, judge_base_url, judge_api_key_env, judge_option,
                                        results=output_dir),
                        metric_options=metric_options(metric_option))
        with texts, stop_on_signals():
            outcome = score_predictions(data=data, predictions=texts,
                                        name=name or predictions.stem, scorer=scorer,
                                        output_dir=output_dir, workers=workers,
                                        executor=executor, ray_address=ray_address)
    missing = data.size - len(texts)
    if missing:
        one = missing == 1
        echo(f"warning: {plural(missing, 'example')} of {data.name} "
             f"{'has' if one else 'have'} no prediction and {'was' if one else 'were'} not "
             "scored", err=True)
    print_run_summary(outcome, verbose=verbose)
    exit_if_a_metric_failed(outcome.run.record)


def read_predictions(path: Path) -> PredictionFile:
    """The predictions of a JSONL file (id -> text, each text read when it is scored),
    with file:line errors."""
    texts = PredictionFile.read(path)
    if jsonl.torn_tail(path):
        echo(f"warning: {path}: the last line is cut off (no newline, not complete "
                   "JSON) and was ignored", err=True)
    return texts
