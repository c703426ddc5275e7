"""How many processes score a run's items (DESIGN §11): as many as asked for, no more
than the CPUs this process may use, nor than those idle when the run starts.

Scoring is CPU-bound: a worker process that has to share a busy CPU only adds the cost
of starting it (about a second). So at the start of a run with several workers asked
for, the CPUs this process may use (its affinity) are watched for `WINDOW_S`: from
``/proc/stat`` (Linux: the idle and I/O-wait time of each CPU, before and after), else
from the 1-minute load average (busy CPUs ~ load), else they count as idle. Each
process needs a CPU at least half idle: ``processes = min(asked, usable CPUs,
round-half-up(idle CPUs))``, at least one. This process sleeps while it watches, so
the CPU it will run on counts as idle when it is.

The decision and its reason are a `WorkerPlan`, recorded in ``run.json``
(``timing.worker_plan``) and printed by the CLI. The pool may still score everything
here when the items left would take too little time to pay for starting a worker
(`scoring_pool.WORKERS_WORTH_S`); ``timing.scoring_processes`` says what was used.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Callable, Collection

from benchmark.runs.record import WorkerPlan

MIN_ITEMS_FOR_POOL = 64  # fewer items are scored in-process (a process costs ~1 s to start)
WINDOW_S = 0.1  # how long the CPUs are watched (/proc/stat counts in 10 ms ticks)
PROC_STAT = Path("/proc/stat")

IdleCpus = tuple[float | None, str | None]  # (idle CPUs, how they were measured)


def usable_cpus() -> list[int]:
    """The CPUs this process may run on."""
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return list(range(os.cpu_count() or 1))


def cpu_times(text: str, cpus: Collection[int]) -> dict[int, tuple[int, int]]:
    """(idle, total) ticks of each CPU in `cpus` from the text of ``/proc/stat``: idle
    is idle + iowait; total the sum of user, nice, system, idle, iowait, irq, softirq
    and steal (guest time is inside user already)."""
    times = {}
    for line in text.splitlines():
        name, _, rest = line.partition(" ")
        if not name.startswith("cpu") or name == "cpu" or not name[3:].isdigit():
            continue
        cpu = int(name[3:])
        if cpu in cpus:
            fields = [int(value) for value in rest.split()[:8]]
            times[cpu] = (fields[3] + fields[4], sum(fields))
    return times


def idle_between(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]
                 ) -> float | None:
    """Idle CPUs between two `cpu_times` (the sum of each CPU's idle share); None when
    no tick passed (a window too short to tell)."""
    idle = 0.0
    counted = False
    for cpu, (idle_after, total_after) in after.items():
        if cpu not in before:
            continue
        idle_before, total_before = before[cpu]
        ticks = total_after - total_before
        if ticks > 0:
            idle += min(1.0, max(0.0, (idle_after - idle_before) / ticks))
            counted = True
    return idle if counted else None


def measure_idle_cpus(cpus: Collection[int], *, window_s: float = WINDOW_S) -> IdleCpus:
    """How many of `cpus` are idle now, and how that was measured."""
    try:
        before = cpu_times(PROC_STAT.read_text(), cpus)
        time.sleep(window_s)
        idle = idle_between(before, cpu_times(PROC_STAT.read_text(), cpus))
        if idle is not None:
            return idle, f"/proc/stat over {window_s:g} s"
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average on this platform
        return None, None
    return max(0.0, len(cpus) - load), "1-minute load average"


def plan_workers(requested: int, items: int, *,
                 measure: Callable[[Collection[int]], IdleCpus] | None = None) -> WorkerPlan:
    """The processes to score `items` with when `requested` were asked for (see the
    module docstring), with the reason in words."""
    asked = f"{requested} processes asked for" if requested > 1 else "1 process asked for"
    if requested <= 1:
        return WorkerPlan(requested=requested, processes=1,
                          reason=f"{asked}: items scored in this process")
    if items < MIN_ITEMS_FOR_POOL:
        return WorkerPlan(requested=requested, processes=1,
                          reason=f"{asked}, but {items} items are fewer than "
                                 f"{MIN_ITEMS_FOR_POOL}: scored in this process (starting "
                                 "a worker costs about a second)")
    cpus = usable_cpus()
    idle, how = (measure or measure_idle_cpus)(cpus)
    room = len(cpus) if idle is None else max(1, math.floor(idle + 0.5))
    processes = max(1, min(requested, len(cpus), room))
    seen = (f"{len(cpus)} CPUs usable, {idle:.1f} idle ({how})" if idle is not None
            else f"{len(cpus)} CPUs usable, idle time not measurable here")
    if processes == requested:
        why = f"{processes} processes"
    elif len(cpus) <= room:
        why = f"{processes} processes: no more than the usable CPUs"
    else:
        why = (f"{processes} process{'es' if processes > 1 else ''}: each needs a CPU at "
               "least half idle, the others are busy")
    return WorkerPlan(requested=requested, processes=processes, usable_cpus=len(cpus),
                      idle_cpus=None if idle is None else round(idle, 2), measured=how,
                      reason=f"{asked}; {seen}: {why}")
