"""Whether runs may be ranked together (DESIGN §10): same dataset (identity computed by
the same scheme), same metric and statistics signatures; each difference named field by
field. Runs on different items of one dataset are comparable: compare pairs them on the
items they share (`benchmark.report.compare.shared_items`)."""

from __future__ import annotations

from typing import Sequence

from benchmark.runs.run import Run
from benchmark.signature import Signature


def compatibility_problems(runs: Sequence[Run]) -> list[str]:
    """What differs between the runs that would make ranking them misleading: the
    dataset, the items covered, a metric signature or the statistics signature (each
    named field by field)."""
    first = runs[0]
    a = first.record
    problems = []
    for run in runs[1:]:
        b = run.record
        if a.dataset.scheme != b.dataset.scheme:
            old = run if b.dataset.scheme < a.dataset.scheme else first
            problems.append(f"the dataset identity of {old.label} was computed by an older "
                            "bench (identity scheme 1, which covered the file name and "
                            "metadata), so it cannot be matched with the others'; rerun "
                            f"{old.label} (its predictions are cached)")
        elif a.dataset.sha256 != b.dataset.sha256:
            problems.append(f"dataset of {run.label} is {b.dataset.identity}, of "
                            f"{first.label} {a.dataset.identity}")
        for metric in sorted(set(a.metrics.signatures) & set(b.metrics.signatures)):
            problems += _signature_problems(f"{metric} signature", first, run,
                                            a.metrics.signatures[metric],
                                            b.metrics.signatures[metric])
        if a.metrics.statistics and b.metrics.statistics:
            # The seed also drives sampling baselines (random-3): runs differing only
            # in it are comparable, since compare recomputes every interval itself.
            problems += _signature_problems("statistics signature", first, run,
                                            a.metrics.statistics, b.metrics.statistics,
                                            ignore=("seed",))
    return problems


def _signature_problems(what: str, first: Run, run: Run, left: str, right: str,
                        *, ignore: tuple[str, ...] = ()) -> list[str]:
    differences = Signature.parse(left).difference(Signature.parse(right), ignore=ignore)
    if not differences:
        return []
    fields = "; ".join(d.describe() for d in differences)
    return [f"{what} of {run.label} differs from {first.label}'s ({fields})"]
