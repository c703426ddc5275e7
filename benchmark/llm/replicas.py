"""Spreading one endpoint's requests over several replicas of the same server (DESIGN §11).

A serving engine (vLLM, TGI) scales out by running the same model behind several base
URLs. `ReplicaPicker` hands each request the least-loaded replica (fewest requests in
flight; ties go to the one listed first), with its own limit of ``limit`` requests in
flight per replica, so at most ``limit x replicas`` are in flight in all. A request that
finds every usable slot taken waits for the next one to free.

Health is kept per replica. A replica that refuses connections is set aside for a
cooldown (1 s, doubling on each further refusal up to `MAX_COOLDOWN`; one answer resets
it) while others work; when every replica is set aside, requests go to them anyway (a
server that came back must be found again). A retry goes to a replica other than the
one that just failed it, unless that one is the only replica not set aside. Refusals
count per replica, never across replicas: a replica with ``breaker`` of them in a row is
*out* (still retried after its cooldown), and only when every replica is out has the
endpoint failed as a whole (`all_out`): one dead replica among live ones never stops a
run, whatever the concurrency.

Which replica answered does not change a prediction: the replica list is operational,
never part of a signature. The picker is asyncio code and must be used from one loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Sequence

FIRST_COOLDOWN = 1.0  # seconds a refusing replica is set aside
MAX_COOLDOWN = 30.0


@dataclass
class Replica:
    url: str
    client: Any  # what requests go through (an AsyncOpenAI client)
    index: int
    in_flight: int = 0
    refusals: int = 0  # consecutive
    down_until: float = 0.0  # monotonic seconds; set aside until then

    def down(self, now: float) -> bool:
        return now < self.down_until


class ReplicaPicker:
    """Least-loaded choice among replicas, at most `limit` requests in flight on each."""

    def __init__(self, replicas: Sequence[tuple[str, Any]], *, limit: int,
                 breaker: int | None = None, clock: Callable[[], float] = time.monotonic):
        if not replicas:
            raise ValueError("a picker needs at least one replica")
        self.replicas = [Replica(url, client, i) for i, (url, client) in enumerate(replicas)]
        self.limit = limit
        self.breaker = breaker  # refusals in a row that put a replica out; None: never
        self._clock = clock
        self._changed = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def use(self, *, avoid: Replica | None = None) -> AsyncIterator[Replica]:
        """A replica slot for one attempt; `avoid` (the replica that failed the previous
        attempt) is chosen only when no other replica is usable: a retry waits for a
        slot elsewhere rather than go back to it."""
        async with self._changed:
            while (replica := self._pick(avoid)) is None:
                await self._wait()
            replica.in_flight += 1
        try:
            yield replica
        finally:
            async with self._changed:
                replica.in_flight -= 1
                self._changed.notify_all()

    def refused(self, replica: Replica) -> None:
        """`replica` refused a connection: set it aside for a while."""
        replica.refusals += 1
        cooldown = min(MAX_COOLDOWN, FIRST_COOLDOWN * 2 ** min(replica.refusals - 1, 16))
        replica.down_until = self._clock() + cooldown

    def answered(self, replica: Replica) -> None:
        """`replica` answered (whatever the status): it is reachable again."""
        replica.refusals = 0
        replica.down_until = 0.0

    def urls(self) -> list[str]:
        return [replica.url for replica in self.replicas]

    def out(self, replica: Replica) -> bool:
        """`replica` refused ``breaker`` connections in a row (and answered none since)."""
        return self.breaker is not None and replica.refusals >= self.breaker

    def all_out(self) -> bool:
        """No replica is left: each one refused ``breaker`` connections in a row."""
        return all(self.out(replica) for replica in self.replicas)

    def _pick(self, avoid: Replica | None) -> Replica | None:
        now = self._clock()
        usable = [r for r in self.replicas if not r.down(now)] or self.replicas
        if len(usable) > 1:
            usable = [r for r in usable if r is not avoid]
        free = [r for r in usable if r.in_flight < self.limit]
        if not free:
            return None
        return min(free, key=lambda r: (r.in_flight, r.index))

    async def _wait(self) -> None:
        """Until a slot frees, or the next set-aside replica's cooldown ends (it may be
        the only one with free slots)."""
        now = self._clock()
        ends = [r.down_until - now for r in self.replicas if r.down(now)]
        # asyncio.timeout, not wait_for: wait_for runs the wait in a task of its own,
        # which, cancelled with its caller, competes for the condition's lock and can
        # outlive a loop being shut down ("Task was destroyed but it is pending").
        try:
            async with asyncio.timeout(min(ends) if ends else None):
                await self._changed.wait()
        except TimeoutError:
            pass
