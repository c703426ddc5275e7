"""Scoring items in several processes (DESIGN §11).

Metrics are pure Python and CPU-bound, so threads would not help: a pool of worker
processes, each holding its own copy of the scorer, scores chunks of a batch and the
results come back in input order. With one worker everything stays in-process.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Sequence

from benchmark.scorer import Scorer

Triple = tuple[str, str, str | None]  # prediction, reference, source

_worker_scorer: Scorer | None = None


def _init_worker(scorer: Scorer) -> None:
    global _worker_scorer
    # Ctrl-C reaches the whole process group: the parent stops the run and shuts the
    # pool down, so workers ignore it rather than each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_scorer = scorer


def _score_chunk(triples: Sequence[Triple]) -> list[dict[str, Any]]:
    assert _worker_scorer is not None  # set by the pool initializer
    return _worker_scorer.score_triples(triples, server=False)


class ScoringPool:
    """Scores batches of triples: local metrics in ``workers`` processes (or in this one),
    metrics behind a server (the LLM judge) in this process, concurrently per batch."""

    def __init__(self, scorer: Scorer, workers: int = 1):
        self.scorer = scorer
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            # spawn, not fork: a summarizer may be running threads (HTTP clients).
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(scorer,))

    def score(self, triples: Sequence[Triple], *,
              ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        if self._pool is None or len(triples) < 2 * self.workers:
            return self.scorer.score_triples(triples, ids=ids)
        size = -(-len(triples) // (2 * self.workers))  # two chunks per worker
        chunks = [triples[i:i + size] for i in range(0, len(triples), size)]
        local = [values for chunk in self._pool.map(_score_chunk, chunks) for values in chunk]
        if self.scorer.has_server_metrics:
            remote = self.scorer.score_triples(triples, ids=ids, server=True)
            for values, extra in zip(local, remote):
                values.update(extra)
        return local

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
