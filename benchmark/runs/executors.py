"""Where items are scored: processes on this machine, or tasks on a Ray cluster
(DESIGN §11).

An executor scores one batch of ``(prediction, reference, source)`` triples at a time
and returns one dict of values per triple, in input order; the harness writes them to
``items.jsonl`` as they come, so memory stays flat in the number of items on every
executor. ``batch_size`` is the fewest items an executor wants per batch to keep its
workers busy. Metrics behind a server (the LLM judge) always run in this process, the
driver: their clients, caches and token counts live here.

- ``local`` (`LocalExecutor`): today's `ScoringPool`, ``workers`` processes.
- ``ray`` (`RayExecutor`): each batch cut into shards, one Ray task per shard, sent
  when the batch is submitted: the driver reads and sends the next batch while the
  cluster scores this one (two batches in flight). The scorer travels once through
  Ray's object store and each Ray worker process keeps it between tasks; each shard
  travels with the stored analyses of its items (the driver reads the store a batch at
  a time and stores what the tasks computed), so the nodes need no shared disk.
  Numbers are identical to the local executor: the same code scores the same items.
  Every node needs this package installed (or a ``runtime_env``).
"""

from __future__ import annotations

import importlib.util
import uuid
from typing import Any, Protocol, Sequence

from benchmark.errors import BenchmarkError, ConfigError
from benchmark.runs.analysis import Analyses, AnalysisStore
from benchmark.runs.scoring_pool import (AnalysisWriter, Item, Scored, ScoringPool,
                                         analyses_of, score_items, subset)
from benchmark.scorer import Scorer

EXECUTORS = ("local", "ray")
SHARDS_PER_CPU = 2  # shards per batch and CPU: a slow shard leaves others to take up
MAX_SHARD = 256  # items per Ray task at most
MAX_BATCH = 16384  # items per batch at most, whatever the cluster's size


class Executor(Protocol):
    batch_size: int
    in_flight_limit: int  # submissions the harness may leave unfinished

    def submit(self, items: Sequence[Item]) -> Scored: ...

    def close(self) -> None: ...


class LocalExecutor(ScoringPool):
    """Worker processes on this machine (one: in this process)."""

    batch_size = 1  # any batch the summarizer gives


def check_executor(kind: str, *, ray_address: str | None = None) -> None:
    """An error for an executor that cannot be opened, before a run starts: an unknown
    name, ray missing, a Ray address that is malformed or where nobody listens."""
    if kind not in EXECUTORS:
        raise ConfigError(f"unknown executor {kind!r}; choose one of {', '.join(EXECUTORS)}")
    if kind == "local" and ray_address is not None:
        raise ConfigError("a Ray address was given with the local executor",
                          hint="add {executor} ray, or drop {ray_address}")
    if kind == "ray":
        if importlib.util.find_spec("ray") is None:
            raise ConfigError("the ray executor needs the ray package; "
                              "pip install 'arsum-bench[ray]'")
        _check_reachable(ray_address)


def open_executor(scorer: Scorer, *, kind: str = "local", workers: int = 1,
                  ray_address: str | None = None, store: AnalysisStore | None = None,
                  items: int | None = None) -> Executor:
    """The executor named `kind`; `ray_address` only for ``ray``. Both reuse the dataset
    analysis in `store` and add what they compute to it."""
    check_executor(kind, ray_address=ray_address)
    if kind == "local":
        return LocalExecutor(scorer, workers, store=store, items=items)
    return RayExecutor(scorer, address=ray_address, store=store)


# -- Ray ----------------------------------------------------------------------------------
_worker_scorers: dict[str, Scorer] = {}  # in each Ray worker process: the current scorer


def _score_shard(key: str, holder: list, items: Sequence[Item], ready: Analyses,
                 stored: frozenset[str]) -> tuple[list[dict[str, Any]], Analyses]:
    """One Ray task: the values of `items` and the analyses it computed. `holder` wraps
    the scorer's object reference so that Ray does not fetch and unpickle it for every
    task: a worker does so once per run."""
    scorer = _worker_scorers.get(key)
    if scorer is None:
        import ray

        _worker_scorers.clear()  # a worker outlives runs: keep only this run's scorer
        scorer = _worker_scorers[key] = ray.get(holder[0])
    return score_items(scorer, items, ready, stored=stored, server=False)


def _check_reachable(address: str | None, *, timeout: float = 5.0) -> None:
    """Fail fast on a ``host:port`` (or ``ray://host:port``) nobody listens on: Ray
    itself keeps retrying such an address for minutes. ``auto``, ``local`` and None are
    Ray's to resolve."""
    import socket

    if not address or address in ("auto", "local"):
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        raise ConfigError(f"Ray address {address!r}: expected HOST:PORT, ray://HOST:PORT, "
                          "auto or local")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise BenchmarkError(f"could not reach Ray at {address}: {exc.strerror or exc}; "
                             "is the cluster's head node up (ray start --head)?") from None


class RayExecutor:
    """Shards of each batch as Ray tasks; server metrics in this process."""

    def __init__(self, scorer: Scorer, *, address: str | None = None,
                 store: AnalysisStore | None = None):
        check_executor("ray", ray_address=address)
        import ray

        self.scorer = scorer
        self.store = store
        self.analyses = AnalysisWriter(store)
        self._started = False
        if not ray.is_initialized():
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False,
                         configure_logging=False)
            except Exception as exc:  # ConnectionError, ValueError, RuntimeError, ...
                where = f"at {address}" if address else "(a new local instance)"
                raise BenchmarkError(f"could not start or reach Ray {where}: "
                                     f"{type(exc).__name__}: {exc}") from None
            self._started = True
        self._ray = ray
        self._key = uuid.uuid4().hex
        self._holder = [ray.put(scorer)]
        self._task = ray.remote(_score_shard)
        self.cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self.batch_size = min(MAX_BATCH, MAX_SHARD * SHARDS_PER_CPU * self.cpus)
        self._pending: set[RayScored] = set()  # submitted, not collected

    # The next batch is read, summarized and sent while the cluster scores this one.
    in_flight_limit = 2

    def submit(self, items: Sequence[Item]) -> "RayScored":
        """Send `items`' shards to the cluster now; `result()` collects their values (in
        input order). Server metrics (the judge) are scored here meanwhile."""
        return RayScored(self, items)

    def score(self, items: Sequence[Item]) -> list[dict[str, Any]]:
        return self.submit(items).result()

    def close(self) -> None:
        for pending in list(self._pending):  # a run stopped early: stop what it sent
            pending.cancel()
        self.analyses.flush()
        self._holder = []
        if self._started:
            self._ray.shutdown()
            self._started = False


class RayScored:
    """One batch sent to the cluster as shards: its values once the tasks are done."""

    def __init__(self, executor: RayExecutor, items: Sequence[Item]):
        self.executor = executor
        self.refs: list[Any] = []
        self.server: list[dict[str, Any]] | None = None
        if not items:
            return
        ready = analyses_of(executor.store, items)
        size = min(MAX_SHARD, -(-len(items) // (SHARDS_PER_CPU * executor.cpus)))
        self.refs = [executor._task.remote(executor._key, executor._holder,
                                           list(items[i:i + size]),
                                           subset(ready, items[i:i + size]),
                                           executor.analyses.metrics)
                     for i in range(0, len(items), size)]
        executor._pending.add(self)
        if executor.scorer.has_server_metrics:  # the judge runs while the shards do
            try:
                self.server = score_items(executor.scorer, items, {}, stored=(),
                                          server=True)[0]
            except BaseException:
                self.cancel()
                raise

    def result(self) -> list[dict[str, Any]]:
        ray, values = self.executor._ray, []
        try:
            for shard_values, fresh in ray.get(self.refs):
                values += shard_values
                self.executor.analyses.add(fresh)
        except BaseException as exc:  # Ctrl-C or a failed shard: stop the others
            self.cancel()
            cause = getattr(exc, "cause", None)
            if isinstance(exc, ray.exceptions.RayTaskError) and \
                    isinstance(cause, BenchmarkError):  # e.g. a tokenizer losing letters
                raise cause from None
            raise
        self.executor._pending.discard(self)
        for item_values, extra in zip(values, self.server or ()):
            item_values.update(extra)
        return values

    def cancel(self) -> None:
        for ref in self.refs:
            self.executor._ray.cancel(ref)
        self.executor._pending.discard(self)
