"""Scoring items in several processes, with the dataset analysis reused (DESIGN §11).

Metrics are pure Python and CPU-bound, so threads would not help: worker processes,
each given the scorer once (when it starts). Submissions are cut into chunks of a few
items, each sent with the stored analyses of its items (read from the `AnalysisStore`
a submission at a time); `submit` does not wait, so the harness keeps summarizing while
the workers score, and this process scores the chunks no worker has started yet
whenever it waits for one (see `ScoringPool`). Values come back in input order. With
one worker, or too few items to pay for starting a process, everything stays
in-process. How many processes a run asks for here is `benchmark.runs.workers`.

Metrics behind a server (the LLM judge) are scored in this process only, for every
item, so that workers never open server connections.

Analyses missing from the store (a dataset's first run) are computed where the item is
scored, returned with its values and stored a few hundred items at a time, so the next
run on the dataset only analyses its predictions, and memory stays flat in the number
of items.
"""

from __future__ import annotations

import os
import signal
import time
from typing import TYPE_CHECKING, Any, Collection, Sequence

from benchmark.runs.analysis import Analyses, AnalysisStore
from benchmark.runs.collector import collect_less_often
from benchmark.scorer import Scorer

if TYPE_CHECKING:  # worker processes are imported only where they start
    from concurrent.futures import Future, ProcessPoolExecutor

# prediction, reference (a text, or several references as bullet lists), source
Triple = tuple[str, str | list[list[str]], str | None]
# example id, analysis key (None: not stored), prediction, reference, source
Item = tuple[str, str | None, str, str | list[list[str]], str | None]

MIN_CHUNK = 8  # items per chunk sent to a worker: fewer costs more in transfer than it saves
# Workers start once the items left would take this long in this process: starting
# one costs about a second, and it only helps with work left to share.
WORKERS_WORTH_S = 2.0


FLUSH_ITEMS = 256  # analyses computed here are stored once this many items have some


def score_items(scorer: Scorer, items: Sequence[Item], ready: Analyses, *,
                stored: Collection[str], server: bool | None = None,
                ) -> tuple[list[dict[str, Any]], Analyses]:
    """Each item's values (of the metrics `server` picks, as in `Scorer.score_triples`),
    using the analyses in `ready` (item key -> metric -> analysis) and computing the
    missing ones; returns the values and the computed analyses of the metrics named in
    `stored` (the ones the store keeps)."""
    preparing = [metric.name for metric in scorer.metrics if metric.prepares]
    fresh: Analyses = {}
    prepared_items = []
    for _, key, _, reference, source in items:
        prepared = dict(ready.get(key, {})) if key is not None else {}
        lacking = [name for name in preparing if name not in prepared]
        if lacking and server is not True:
            computed = scorer.prepare(reference=reference, source=source, only=lacking)
            prepared.update(computed)
            kept = {name: value for name, value in computed.items() if name in stored}
            if key is not None and kept:
                fresh[key] = kept
        prepared_items.append(prepared)
    values = scorer.score_triples([(p, r, s) for _, _, p, r, s in items],
                                  ids=[item[0] for item in items], server=server,
                                  prepared=prepared_items)
    return values, fresh


def analyses_of(store: AnalysisStore | None, items: Sequence[Item]) -> Analyses:
    """The stored analyses of `items` (nothing without a store)."""
    if store is None:
        return {}
    return store.get(key for _, key, _, _, _ in items if key is not None)


def subset(analyses: Analyses, items: Sequence[Item]) -> Analyses:
    """The part of `analyses` that concerns `items`."""
    return {item[1]: analyses[item[1]] for item in items if item[1] in analyses}


class AnalysisWriter:
    """Collects the analyses computed during a run and stores them `FLUSH_ITEMS` items
    at a time (and on `flush`)."""

    def __init__(self, store: AnalysisStore | None):
        self.store = store
        self.metrics = frozenset(store.metrics) if store is not None else frozenset()
        self._fresh: Analyses = {}

    def add(self, fresh: Analyses) -> None:
        if self.store is None or not fresh:
            return
        self._fresh.update(fresh)
        if len(self._fresh) >= FLUSH_ITEMS:
            self.flush()

    def flush(self) -> None:
        if self.store is not None and self._fresh:
            self.store.save(self._fresh)
        self._fresh = {}


_worker: Scorer | None = None


def _init_worker(scorer: Scorer) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent stops the run and shuts the
    # pool down, so workers ignore it rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect_less_often()  # a process of bench's own, as the command's is
    _worker = scorer


def _score_chunk(items: Sequence[Item], ready: Analyses,
                 stored: frozenset[str]) -> tuple[list[dict[str, Any]], Analyses]:
    assert _worker is not None  # set by the pool initializer
    # Workers never open server connections: server metrics stay in the parent.
    return score_items(_worker, items, ready, stored=stored, server=False)


class Scored:
    """The values of submitted items, once scored, with the server metrics' values
    (scored in this process) added."""

    def __init__(self, pool: "ScoringPool", chunks: Sequence[Future | list[dict[str, Any]]],
                 server: list[dict[str, Any]] | None = None):
        self._pool = pool
        self._chunks = list(chunks)  # values, or a future of a worker's (values, analyses)
        self._server = server

    def result(self) -> list[dict[str, Any]]:
        values: list[dict[str, Any]] = []
        for chunk in self._chunks:
            values += chunk if isinstance(chunk, list) else self._pool.wait(chunk)
        if self._server is not None:
            for item_values, extra in zip(values, self._server):
                item_values.update(extra)
        return values


class ScoringPool:
    """`workers` processes' worth of scoring: `workers - 1` worker processes and this
    one. Given the number of `items` to come, workers start only once the first
    submissions, scored here, show that the items left would take `WORKERS_WORTH_S` or
    more in this process (without it, at once). Until a worker is up, submissions are
    scored here; then they go to the workers in chunks, and while this process waits
    for a chunk, it takes the last chunks no worker has started yet (cancelling them in
    the pool) and scores them itself, so the work balances whatever else this process
    does, and a pool of two starts a single process. So `workers` > 1 is never much
    slower than one process."""

    def __init__(self, scorer: Scorer, workers: int = 1, *, store: AnalysisStore | None = None,
                 items: int | None = None):
        self.scorer = scorer
        self.store = store
        self.workers = max(1, workers)
        self.analyses = AnalysisWriter(store)  # computed in this run, stored as they come
        self._pool: ProcessPoolExecutor | None = None
        # chunks sent, in order, with their stored analyses
        self._waiting: dict[Future, tuple[Sequence[Item], Analyses]] = {}
        self._taken: dict[Future, list[dict[str, Any]]] = {}  # chunks scored here instead
        self._up: Future | None = None  # done once a worker has started
        self._left = items  # items still to score here before workers start (None: unknown)
        self._sent = False  # some chunk went to a worker
        if self.workers > 1 and items is None:
            self._start_workers()

    def _start_workers(self) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: a summarizer may be running threads (HTTP clients).
        self._pool = ProcessPoolExecutor(self.workers - 1,
                                         mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker, initargs=(self.scorer,))
        self._up = self._pool.submit(os.getpid)

    @property
    def processes_used(self) -> int:
        """The processes that scored items: this one, and the workers if any got work."""
        return self.workers if self._sent else 1

    @property
    def in_flight_limit(self) -> int:
        """How many submissions the caller may leave unfinished."""
        return 1 if self._pool is None else 2 * self.workers

    def submit(self, items: Sequence[Item]) -> Scored:
        """Start scoring `items` (in-process: score them now). Metrics behind a server
        (the LLM judge) score every item here, concurrently inside the metric."""
        ready = analyses_of(self.store, items)
        if self._pool is None or not self._up.done():
            # No worker is up yet: score here rather than queue chunks that would wait
            # for it, and start the workers once the items left are worth it.
            began = time.perf_counter()
            values = self._score_here(items, ready, server=None)
            if self._pool is None and self.workers > 1 and self._left is not None and items:
                self._left -= len(items)
                seconds_left = (time.perf_counter() - began) / len(items) * self._left
                if seconds_left > WORKERS_WORTH_S:
                    self._start_workers()
            return Scored(self, [values])
        self._sent = True
        chunks = []
        for start in range(0, len(items), MIN_CHUNK):
            chunk = items[start:start + MIN_CHUNK]
            chunk_ready = subset(ready, chunk)
            future = self._pool.submit(_score_chunk, chunk, chunk_ready, self.analyses.metrics)
            self._waiting[future] = (chunk, chunk_ready)
            chunks.append(future)
        server = (score_items(self.scorer, items, {}, stored=(), server=True)[0]
                  if self.scorer.has_server_metrics else None)
        return Scored(self, chunks, server)

    def _score_here(self, items: Sequence[Item], ready: Analyses, *,
                    server: bool | None) -> list[dict[str, Any]]:
        values, fresh = score_items(self.scorer, items, ready, stored=self.analyses.metrics,
                                    server=server)
        self.analyses.add(fresh)
        return values

    def wait(self, future: Future) -> list[dict[str, Any]]:
        """The values of a chunk sent to the workers; meanwhile score, here, the last
        chunks that no worker has started."""
        while future not in self._taken and not future.done():
            if not self._take_last():
                break
        if future in self._taken:
            self._waiting.pop(future, None)
            return self._taken.pop(future)
        values, fresh = future.result()
        self._waiting.pop(future, None)
        self.analyses.add(fresh)
        return values

    def _take_last(self) -> bool:
        """Score the last waiting chunk here if no worker has started it."""
        for future in reversed(self._waiting):
            if future not in self._taken and future.cancel():
                chunk, ready = self._waiting[future]
                self._taken[future] = self._score_here(chunk, ready, server=False)
                return True
        return False

    def score(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        return self.submit(items).result()

    def close(self) -> None:
        """Stop the workers and store the analyses computed meanwhile."""
        if self._pool is not None:
            if not self._up.done():
                # No worker got to work: stop it rather than wait for it to finish
                # starting. Nothing was sent to it, so nothing is lost.
                for process in list(getattr(self._pool, "_processes", {}).values()):
                    process.terminate()
                self._pool.shutdown()
            else:
                self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.analyses.flush()
