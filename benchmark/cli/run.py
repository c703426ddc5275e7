"""``bench run``: summarize a dataset with one model, score it, write results/<run-id>/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import (VerboseOption, config_folder, echo, entity_options,
                                  judge_options, metric_options, parse_key_values, plural,
                                  print_run_summary, rouge_options, stop_on_signals,
                                  text_profile, user_errors)
from benchmark.cli.options import (CliticsOption, ExecutorOption, FoldHamzaOption,
                                   IncludeNisbaOption, JudgeApiKeyEnvOption,
                                   JudgeBaseUrlOption, JudgeOption, JudgeOptionsOption,
                                   MetricOptionOption, MetricsOption, ModelOption,
                                   MultiRefOption, NerOption, OutputDirOption, ProfileOption,
                                   RayAddressOption, SentenceSplitOption, SkipInvalidOption,
                                   StemOption, TokenizerOption, WorkersOption,
                                   scoring_options)

EXIT_FAILURES = 3


def run(
    model: ModelOption,
    dataset: Annotated[Optional[Path], typer.Option(help="Dataset: a file or folder (seed .txt "
                                                    "files, JSONL, CSV, Parquet, save_to_disk "
                                                    "folder), hf:ID[:CONFIG][:SPLIT] or a name "
                                                    "from 'bench list datasets'. Default: the "
                                                    "bundled dataset.")] = None,
    metrics: MetricsOption = "rouge",
    metric_option: MetricOptionOption = None,
    multiref: MultiRefOption = None,
    ner: NerOption = None,
    include_nisba: IncludeNisbaOption = False,
    judge: JudgeOption = None,
    judge_base_url: JudgeBaseUrlOption = None,
    judge_api_key_env: JudgeApiKeyEnvOption = None,
    judge_option: JudgeOptionsOption = None,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Only the first N examples.")] = None,
    output_dir: OutputDirOption = Path("results"),
    seed: Annotated[int, typer.Option(help="Seed for sampling baselines and statistics.")] = 0,
    option: Annotated[Optional[list[str]], typer.Option("--option", "-o", help="Summarizer "
                                                        "option KEY=VALUE (repeatable).")] = None,
    base_url: Annotated[Optional[list[str]], typer.Option(
        help="openai: server base URL; repeat it for replicas of one server.")] = None,
    api_key_env: Annotated[Optional[str], typer.Option(help="openai: NAME of the environment "
                                                       "variable holding the key.")] = None,
    concurrency: Annotated[Optional[int], typer.Option(min=1, help="openai: requests in "
                                                       "flight, per replica.")] = None,
    max_failures: Annotated[int, typer.Option(min=0, help="Exit non-zero when more items "
                                              "than this fail.")] = 0,
    cache: Annotated[bool, typer.Option("--cache/--no-cache", help="Take predictions from "
                                        "the cache when there (--no-cache: call the model "
                                        "again).")] = True,
    skip_invalid: SkipInvalidOption = False,
    profile: ProfileOption = "ar",
    fold_hamza: FoldHamzaOption = False,
    clitics: CliticsOption = False,
    stem: StemOption = None,
    tokenizer: TokenizerOption = None,
    sentence_split: SentenceSplitOption = None,
    workers: WorkersOption = 1,
    executor: ExecutorOption = "local",
    ray_address: RayAddressOption = None,
    name: Annotated[Optional[str], typer.Option(help="Label of the run in tables (default: "
                                                "the model name plus the options given, "
                                                "e.g. lead-3[sentences=2]).")] = None,
    max_article_chars: Annotated[int, typer.Option(
        min=1, help="Longer articles are invalid records.")] = 1_000_000,
    verbose: VerboseOption = False,
) -> None:
    """Summarize every article with MODEL, score the summaries and write the run."""
    from benchmark.cli.data import warn_data_problems
    from benchmark.cli.progress import ProgressBar
    from benchmark.runs.executors import check_executor
    from benchmark.runs.harness import RunConfig, run_benchmark

    per_metric = metric_options(metric_option)
    with user_errors():
        text = text_profile(profile, fold_hamza=fold_hamza, clitics=clitics, stem=stem,
                            tokenizer=tokenizer)
    options = model_options(option, base_url=base_url, api_key_env=api_key_env,
                            concurrency=concurrency)
    config = RunConfig(model=model, options=options, dataset=dataset,
                       metrics=[m.strip() for m in metrics.split(",") if m.strip()],
                       scorer_options={
                           **entity_options(ner, include_nisba), **rouge_options(sentence_split),
                           **scoring_options(multiref, per_metric),
                           **judge_options(judge, judge_base_url, judge_api_key_env,
                                           judge_option, results=output_dir)},
                       profile=text, limit=limit, output_dir=output_dir, seed=seed,
                       use_cache=cache, skip_invalid=skip_invalid, max_failures=max_failures,
                       workers=workers, label=name, max_article_chars=max_article_chars,
                       executor=executor, ray_address=ray_address, config_dir=config_folder())
    with user_errors():
        check_executor(executor, ray_address=ray_address)
    bar = ProgressBar(desc=model)
    with user_errors(), stop_on_signals(), bar:
        outcome = run_benchmark(config, on_start=bar.start, on_progress=bar.update)
    warn_data_problems(outcome.data)
    report_outcome(outcome, max_failures=max_failures, use_cache=cache, verbose=verbose)


def model_options(pairs: list[str] | None, *, base_url: list[str] | None,
                  api_key_env: str | None, concurrency: int | None) -> dict:
    """The summarizer's options: ``-o KEY=VALUE`` and the flags of the openai backend."""
    options: dict = parse_key_values(pairs, option="--option")
    if base_url:
        options["base_url"] = base_url[0] if len(base_url) == 1 else base_url
    for key, value in (("api_key_env", api_key_env), ("concurrency", concurrency)):
        if value is not None:
            options[key] = value
    return options


def report_outcome(outcome, *, max_failures: int, use_cache: bool = True,
                   verbose: bool = False) -> None:
    """The run's summary, cache use and first errors; exit 3 past --max-failures or when
    a metric scored no item."""
    print_run_summary(outcome, verbose=verbose)
    print_cache_use(outcome, use_cache=use_cache)
    record = outcome.run.record
    print_first_errors(record)
    if outcome.too_many_failures:
        echo(f"error: {plural(outcome.failures, 'item')} failed (more than --max-failures "
             f"{max_failures}); see 'error' in {outcome.run.items_file}; rerun "
             "the same command to retry them", err=True)
        raise typer.Exit(EXIT_FAILURES)
    exit_if_a_metric_failed(record)


def exit_if_a_metric_failed(record) -> None:
    """A warning per metric that failed on some items (how many, and the first error);
    exit 3 when one failed on every item: the run is ``failed``, not ``complete``."""
    scored = record.items.scored
    for name, failed in (record.failures.metrics or {}).items():
        share = "all" if failed.count >= scored else f"{failed.count} of"
        echo(f"warning: metric {name} failed on {share} {plural(scored, 'scored item')} "
             f"(first error: {failed.first})", err=True)
    without = record.failures.metrics_without_values(scored)
    if without:
        echo(f"error: the run failed: {', '.join(without)} scored no item; fix the cause "
             "above and rerun the same command", err=True)
        raise typer.Exit(EXIT_FAILURES)


def print_first_errors(record, *, shown: int = 3) -> None:
    """The first distinct item errors of a run with failures, with how many items each
    failed (the true counts: "first" lists only the first failures)."""
    counts = record.failures.errors
    if counts is None:  # a record written before the counts were kept
        from benchmark.runs.aggregate import error_counts

        counts = error_counts(record.failures.first)
    for entry in counts[:shown]:
        echo(f"  failed: {entry.error}" + (f" ({entry.count} items)" if entry.count > 1 else ""),
             err=True)


def print_cache_use(outcome, *, use_cache: bool = True) -> None:
    """How many of this run's predictions the cache answered (never silent: a cached
    prediction is one the model did not compute in this run)."""
    items = outcome.run.record.items
    if not use_cache:
        echo(f"predictions: all {items.total} computed again (--no-cache)", err=True)
    elif outcome.cacheable:
        echo(f"predictions: {items.cached} of {items.total} from the cache", err=True)
    else:  # the baselines: recomputing beats reading a cache
        echo(f"predictions: all {items.total} computed ({outcome.run.record.model.name} "
             "is never cached: it is cheaper to recompute)", err=True)
