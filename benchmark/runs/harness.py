"""A run: dataset x summarizer x metrics, with caching, resume, timing and failures.

Flow (DESIGN §3, §9): read the dataset (a JSON Lines file streams: checked, hashed and
its ids listed in a first read, then read again a batch at a time), resolve the
summarizer and the scorer, find an unfinished run of the same configuration to resume
(or start one), then for each batch take cached predictions, send the rest to the model
(caching each as it arrives), score and append one line per item to ``items.jsonl``.
Aggregates are computed at the end from the stored per-item values (tallied as they are
written when this invocation wrote them all), so a resumed run reports the same numbers
as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from benchmark import jsonl
from benchmark.data import LoadedData
from benchmark.data.example import Example
from benchmark.data.load import MAX_ARTICLE_CHARS, open_run_data
from benchmark.data.streamed import StreamedData
from benchmark.errors import BenchmarkError, RunInProgressError
from benchmark.runs.aggregate import ItemTally, summarize_items
from benchmark.runs.analysis import AnalysisStore, example_key
from benchmark.runs.cache import PredictionCache
from benchmark.runs.claims import Claim, claim_configuration, claim_holder
from benchmark.runs.executors import open_executor
from benchmark.runs.opening import create_run_folder, new_record
from benchmark.runs.saved import SavedPredictions
from benchmark.runs.record import default_label
from benchmark.runs.run import Run, list_runs
from benchmark.runs.scoring_pool import Scored
from benchmark.runs.status import RESUMABLE, finished_status, mark_stopped
from benchmark.runs.workers import plan_workers
from benchmark.scorer import Scorer
from benchmark.summarizers.base import Prediction, Summarizer
from benchmark.summarizers.registry import create_summarizer
from benchmark.text import TextProfile

ProgressCallback = Callable[[int], None]
Dataset = LoadedData | StreamedData  # examples in memory, or read again from the file


@dataclass
class RunConfig:
    model: str
    options: dict[str, Any] = field(default_factory=dict)
    dataset: str | Path | None = None  # None: the bundled dataset
    metrics: Sequence[str] = ("rouge",)
    scorer_options: dict[str, Any] = field(default_factory=dict)  # e.g. ner="rules"
    profile: str | TextProfile = "ar"  # a name, or a profile with its options
    limit: int | None = None
    output_dir: Path = Path("results")
    seed: int = 0
    use_cache: bool = True
    cache_dir: Path | None = None  # default: <output_dir>/.cache
    skip_invalid: bool = False
    max_failures: int = 0
    workers: int = 1  # processes that score items
    reuse_analysis: bool = True  # store and reuse the dataset analysis (runs/analysis.py)
    max_article_chars: int = MAX_ARTICLE_CHARS  # longer articles are invalid records
    executor: str = "local"  # where items are scored: local or ray (runs/executors.py)
    ray_address: str | None = None  # executor ray: the cluster; None: RAY_ADDRESS or local
    label: str | None = None  # what tables show (default: model name + options given)
    config_dir: Path | None = None  # presets, datasets, endpoints, prompts (benchmark.config)


@dataclass
class RunOutcome:
    run: Run  # the finished run: its folder and record
    resumed: bool
    data: Dataset
    cacheable: bool = True  # False: predictions are never cached (cheap baselines, --no-cache)

    @property
    def failures(self) -> int:
        return self.run.record.failures.count

    @property
    def too_many_failures(self) -> bool:
        return self.failures > self.run.record.failures.max_allowed


StartCallback = Callable[[Run, int, int, bool], None]  # run, total, done, resumed


def run_benchmark(config: RunConfig, *, on_start: StartCallback | None = None,
                  on_progress: ProgressCallback | None = None) -> RunOutcome:
    """Run (or resume) one benchmark; returns the finished run record."""
    # The whole dataset is read even for --limit: the run records its identity.
    full, data = open_run_data(config.dataset, skip_invalid=config.skip_invalid,
                               limit=config.limit, max_article_chars=config.max_article_chars,
                               config_dir=config.config_dir)
    summarizer = create_summarizer(config.model, config.options, seed=config.seed,
                                   config_dir=config.config_dir)
    try:
        scorer = Scorer(config.metrics, config.profile, config_dir=config.config_dir,
                        **config.scorer_options)
        return _Run(config, data, summarizer, scorer, full_data=full).execute(on_start,
                                                                              on_progress)
    finally:
        summarizer.close()


def score_predictions(*, data: Dataset, predictions: Mapping[str, str], name: str,
                      scorer: Scorer, output_dir: Path, workers: int = 1,
                      cache_dir: Path | None = None,
                      executor: str = "local", ray_address: str | None = None,
                      label: str | None = None,
                      on_progress: ProgressCallback | None = None) -> RunOutcome:
    """Score saved predictions (id -> text: a dict, or a `PredictionFile` that reads
    each text when it is scored) without any model, as a run on disk."""
    summarizer = SavedPredictions(name, predictions)
    subset = data.subset(predictions)
    config = RunConfig(model=name, output_dir=output_dir, use_cache=False, workers=workers,
                       cache_dir=cache_dir, label=label, executor=executor,
                       ray_address=ray_address)
    return _Run(config, subset, summarizer, scorer, full_data=data).execute(None, on_progress)


class _Run:
    """One run of `summarizer` over `data`. `full_data` is the whole dataset when `data`
    is the subset that has predictions (``bench score``); the record names the whole
    dataset, so runs on it stay comparable, and counts the missing predictions."""

    def __init__(self, config: RunConfig, data: Dataset, summarizer: Summarizer,
                 scorer: Scorer, *, full_data: Dataset | None = None):
        self.config = config
        self.data = data
        self.full_data = full_data or data
        self.summarizer = summarizer
        self.scorer = scorer
        self.sha = data.sha
        self.pool = None  # the executor, while items are scored
        self.checked = False  # the summarizer's health check ran
        self.seconds = {"summarize_seconds": 0.0, "score_seconds": 0.0}  # this invocation
        self.tally: ItemTally | None = None  # every line of items.jsonl, when this wrote all

    # -- set-up ---------------------------------------------------------------------
    def resume_key(self) -> str:
        blob = json.dumps({"model": str(self.summarizer.signature()), "dataset": self.sha,
                           "metrics": self.scorer.signature, "limit": self.config.limit,
                           "seed": self.config.seed}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _find_unfinished(self, key: str) -> Run | None:
        for path in reversed(list_runs(self.config.output_dir)):
            try:
                run = Run.open(path)
            except BenchmarkError:  # an unreadable folder is not ours to resume
                continue
            if run.record.status in RESUMABLE and run.record.resume_key == key:
                return run
        return None

    def _open_run(self, key: str) -> tuple[Run, Claim, bool]:
        """The unfinished run of this configuration, or a new one. The configuration is
        claimed (locked) first, so two processes never look up, create or write the
        same run at once."""
        output = self.config.output_dir
        if output.exists() and not output.is_dir():
            raise BenchmarkError(f"{output}: the output folder is a file",
                                 hint="choose another {output_dir}")
        output.mkdir(parents=True, exist_ok=True)
        claim = claim_configuration(output, key)
        if claim is None:
            holder = claim_holder(output, key)
            raise RunInProgressError(
                f"{output}: the same run is in progress in another bench process"
                + (f" (pid {holder})" if holder else ""),
                hint="wait for it to finish, or stop it and rerun to resume")
        try:
            unfinished = self._find_unfinished(key)
            if unfinished is not None:
                unfinished.record.resume()
                return unfinished, claim, True
            return self._new_run(key), claim, False
        except BaseException:
            claim.close()
            raise

    def _new_run(self, key: str) -> Run:
        created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = create_run_folder(self.config.output_dir, model=self.summarizer.name,
                                 created=created, key=key)
        return Run(path, new_record(run_dir=path, created=created, key=key,
                                    label=self.label(), seed=self.config.seed,
                                    limit=self.config.limit, summarizer=self.summarizer,
                                    scorer=self.scorer, data=self.data,
                                    full_data=self.full_data))

    def label(self) -> str:
        """``--name``, else the model name plus the options given explicitly (those that
        decide the outputs) and a seed other than 0, e.g. ``lead-3[sentences=2]``,
        ``random-3[seed=2]``: runs that differ in them are different rows."""
        if self.config.label:
            return self.config.label
        given = self.summarizer.options.model_dump(mode="json")
        hidden = set(self.summarizer.operational) | {"api_key_env"}
        shown = {key: given[key] for key in self.config.options
                 if key in given and key not in hidden}
        if self.config.seed != RunConfig.seed:
            shown.setdefault("seed", self.config.seed)
        return default_label(self.summarizer.name, shown)

    # -- the loop -------------------------------------------------------------------
    def execute(self, on_start, on_progress) -> RunOutcome:
        run, claim, resumed = self._open_run(self.resume_key())
        try:
            return self._execute(run, resumed, on_start, on_progress)
        finally:
            claim.close()

    def _execute(self, run: Run, resumed: bool, on_start, on_progress) -> RunOutcome:
        done = run.compact_items()
        self.tally = None if done else ItemTally(self.scorer)  # else: read back at the end
        run.record.label = self.label()  # a resumed run takes the label given now
        run.save()
        todo_count = sum(1 for id_ in self.data.ids if id_ not in done)
        if on_start:
            on_start(run, self.data.size, len(done), resumed)
        started = time.perf_counter()
        cache = None
        if self.config.use_cache and self.summarizer.cacheable:
            cache = PredictionCache(self.config.cache_dir or self.config.output_dir / ".cache",
                                    str(self.summarizer.signature()), dataset=self.sha)
        try:
            self._predict_and_score(run, done, todo_count, cache, on_progress)
        except BaseException as exc:  # the record says how the run stopped; resumable
            mark_stopped(run.record, exc)
            raise
        finally:
            elapsed = self._end_invocation(run, cache, started)
        self._finish(run, todo_count=todo_count, elapsed=elapsed)
        return RunOutcome(run, resumed, self.data, cacheable=cache is not None)

    def _predict_and_score(self, run: Run, done: set[str], todo_count: int,
                           cache: PredictionCache | None, on_progress) -> None:
        """Predict and score the items not `done`, a batch at a time, appending their
        lines to items.jsonl in order while later batches are scored."""
        pending: deque[tuple[list[dict], Scored]] = deque()  # batches being scored, in order
        workers = 1
        if self.config.executor == "local":
            plan = run.record.timing.worker_plan = plan_workers(self.config.workers, todo_count)
            workers = plan.processes
        self.pool = open_executor(self.scorer, kind=self.config.executor, workers=workers,
                                  ray_address=self.config.ray_address,
                                  store=self._analysis_store(), items=todo_count)
        with jsonl.JsonlAppender(run.items_file) as items:
            batch_size = max(1, self.summarizer.batch_size, self.pool.batch_size)
            # Read a batch at a time: a dataset file streams (data/streamed.py).
            todo = (ex for ex in (self.data.iter_examples() if todo_count else ())
                    if ex.id not in done)
            while batch := list(islice(todo, batch_size)):
                pending.append(self._process(batch, cache))
                while len(pending) >= self.pool.in_flight_limit:
                    self._write(*pending.popleft(), items, on_progress)
            while pending:
                self._write(*pending.popleft(), items, on_progress)

    def _end_invocation(self, run: Run, cache: PredictionCache | None,
                        started: float) -> float:
        """Close what this invocation opened, add its time and usage to the record and
        save it; return its wall seconds."""
        timing = run.record.timing
        try:
            if self.pool is not None:
                self.pool.close()
                timing.scoring_processes = getattr(self.pool, "processes_used", None)
                _note_unstarted_workers(timing)
        finally:
            if cache is not None:
                cache.close()  # whatever failed: a run waiting for these predictions goes on
        run.record.add_metric_usage(self.scorer.usage())
        self.scorer.close()
        elapsed = time.perf_counter() - started
        timing.wall_seconds += elapsed
        timing.executor = self.config.executor  # this invocation's
        timing.summarize_seconds += self.seconds["summarize_seconds"]
        timing.score_seconds += self.seconds["score_seconds"]
        run.save()
        return elapsed

    def _finish(self, run: Run, *, todo_count: int, elapsed: float) -> None:
        """Aggregate the stored items into the record, with an honest status: a run in
        which no item could be scored did not complete."""
        options = {"seed": self.config.seed, "max_failures": self.config.max_failures}
        summary = (self.tally.summary(**options) if self.tally is not None
                   else summarize_items(run, self.scorer, **options))
        record = run.record
        record.timing.latency_s = summary.latency
        record.timing.items_this_invocation = todo_count
        record.timing.items_per_second = todo_count / elapsed if elapsed > 0 else None
        record.aggregates, record.corpus = summary.aggregates, summary.corpus
        record.items, record.failures, record.usage = (summary.items, summary.failures,
                                                       summary.usage)
        record.status = finished_status(record)
        record.finished = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        run.save()

    def _analysis_store(self) -> AnalysisStore | None:
        signatures = self.scorer.analysis_signatures()
        if not self.config.reuse_analysis or not signatures:
            return None
        return AnalysisStore.for_dataset(self.config.cache_dir or self.config.output_dir / ".cache",
                                         dataset_name=self.full_data.name,
                                         dataset_path=self.full_data.path, signatures=signatures)

    def _write(self, lines: list[dict], scored: Scored, items: jsonl.JsonlAppender,
               on_progress: ProgressCallback | None) -> None:
        """Wait for a batch's scores, then append its lines to items.jsonl."""
        began = time.perf_counter()
        values = scored.result()
        self.seconds["score_seconds"] += time.perf_counter() - began
        for line, item_values in zip((line for line in lines if line["error"] is None), values):
            line.update(item_values)
        items.append(lines)
        if self.tally is not None:
            for line in lines:
                self.tally.add_written(line)
        if on_progress:
            on_progress(len(lines))

    def _process(self, batch: list[Example],
                 cache: PredictionCache | None) -> tuple[list[dict], Scored]:
        """Predict a batch (from the cache or the model) and start scoring it."""
        predictions, cached = self._predict(batch, cache)
        lines = []
        for i, ex in enumerate(batch):
            prediction = predictions.get(i) or Prediction("", error="the summarizer returned "
                                                          "no prediction for this item")
            lines.append(self._item_line(ex, prediction, cached=i in cached))
        began = time.perf_counter()
        scored = self.pool.submit([(ex.id, example_key(ex), line["prediction"],
                                    ex.scored_reference, ex.article)
                                   for line, ex in zip(lines, batch) if line["error"] is None])
        self.seconds["score_seconds"] += time.perf_counter() - began
        return lines, scored

    def _predict(self, batch: list[Example], cache: PredictionCache | None,
                 ) -> tuple[dict[int, Prediction], set[int]]:
        """The predictions of a batch by position (cached ones first, or those another
        run asking the same model is writing, then the model's, each cached as it
        arrives), and the positions the cache answered."""
        predictions: dict[int, Prediction] = {}
        if cache is not None:
            predictions = cache.fetch([(ex.id, ex.article) for ex in batch])
        cached = set(predictions)
        pending = [i for i in range(len(batch)) if i not in predictions]
        if not pending:
            return predictions, cached
        if not self.checked:
            self.summarizer.check()  # an unreachable server stops before the first item
            self.checked = True
        began = time.perf_counter()
        for j, prediction in self.summarizer.stream([batch[i] for i in pending]):
            predictions[pending[j]] = prediction
            if cache is not None:
                cache.put(batch[pending[j]].id, batch[pending[j]].article, prediction)
        spent = time.perf_counter() - began
        self.seconds["summarize_seconds"] += spent
        share = spent / len(pending)
        for i in pending:
            if predictions[i].latency_s is None:
                predictions[i].latency_s = share
        return predictions, cached

    @staticmethod
    def _item_line(ex: Example, prediction: Prediction, *, cached: bool) -> dict[str, Any]:
        line: dict[str, Any] = {"id": ex.id, "prediction": prediction.text}
        if prediction.raw is not None and prediction.raw != prediction.text:
            line["raw"] = prediction.raw
        line.update(latency_s=prediction.latency_s, cached=cached,
                    truncated=prediction.truncated, usage=prediction.usage or None,
                    error=prediction.error)
        return line


def _note_unstarted_workers(timing) -> None:
    """Add to the worker plan's reason that no worker started, when none did."""
    plan = timing.worker_plan
    if plan is not None and plan.processes > 1 and timing.scoring_processes == 1:
        plan.reason += ("; no worker started: the items were scored here before the work "
                        "left was worth starting one")
