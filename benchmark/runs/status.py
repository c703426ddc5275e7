"""A run's status, told truthfully (DESIGN §9).

``running`` while a process works on it (or after ``kill -9``); ``complete`` when every
item was predicted and each metric scored at least one; ``failed`` when no item could be
scored, a metric scored none (a judge whose server never answered), or an error stopped
the run (a text profile without its data, a model that cannot load); ``aborted`` when
the model failed as a whole (an unreachable server); ``interrupted`` after Ctrl-C or
SIGTERM. Every status but ``complete`` is continued in place by the same command.
"""

from __future__ import annotations

from benchmark.errors import BenchmarkError, SummarizerError
from benchmark.runs.record import Aborted, RunRecord

# Statuses a rerun of the same configuration continues in place.
RESUMABLE = frozenset({"running", "aborted", "failed", "interrupted"})


def finished_status(record: RunRecord) -> str:
    """``complete``, or ``failed`` when no item was scored or a metric scored none."""
    scored = record.items.scored
    if record.failures.count and not scored:
        return "failed"
    if record.failures.metrics_without_values(scored):
        return "failed"
    return "complete"


def mark_stopped(record: RunRecord, exc: BaseException) -> None:
    """Set the status of a run that `exc` stopped before it finished, with its reason."""
    if isinstance(exc, KeyboardInterrupt):  # Ctrl-C, or SIGTERM turned into one by the CLI
        record.status = "interrupted"
        return
    if isinstance(exc, SummarizerError):  # the model as a whole: a later rerun may work
        record.status = "aborted"
        record.aborted = Aborted(error=str(exc), hint=exc.worded_hint())
        return
    if isinstance(exc, (GeneratorExit, SystemExit)):
        return
    record.status = "failed"
    hint = exc.worded_hint() if isinstance(exc, BenchmarkError) else None
    record.failed = Aborted(error=str(exc) or type(exc).__name__, hint=hint)
