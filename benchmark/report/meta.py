"""Meta-evaluation (DESIGN §12): which automatic metric agrees with people, and how sure.

`meta_evaluate` takes human ratings (`meta_ratings`) and the runs they are about
(`meta_runs`) and returns a `MetaResult`: Krippendorff's alpha per criterion with its
interval (`meta_alpha`); for every metric and criterion, Kendall's tau-b, Spearman's
rho and Pearson's r at the summary and system levels with intervals that resample
items and systems (`meta_corr`); paired tests of whether one metric correlates better
than another (Holm across the pairs of one criterion and level); and the human scores
ranked with `bench compare`'s statistics. Human scores are averaged over annotators
first.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

import numpy as np

from benchmark.errors import BenchmarkError
from benchmark.report.meta_alpha import alpha_with_interval
from benchmark.report.meta_corr import KINDS, LEVELS, correlate_levels, paired_difference_p
from benchmark.report.meta_ratings import Ratings
from benchmark.report.meta_runs import HumanRanking, MetaRun, rank_human
from benchmark.stats.holm import holm

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345
RANKING_RESAMPLES = 10_000  # bench compare's default, for the ranking of human scores
KEY_PREFIX = {"likert": "likert_", "units": "units_", "pairwise": "wins_"}


@dataclass
class AgreementRow:
    criterion: str
    alpha: float | None
    low: float | None
    high: float | None
    level: str
    n_items: int
    n_annotators: int
    n_units: int  # pairable units (rated by two annotators or more)


@dataclass
class CorrelationRow:
    metric: str
    criterion: str
    level: str  # "summary" | "system"
    kendall: float | None
    spearman: float | None
    pearson: float | None
    low: float | None  # 95% interval of kendall
    high: float | None
    n: int  # items averaged over (summary) or systems correlated (system)
    intervals: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass
class Comparison:
    criterion: str
    level: str
    metric_a: str  # the one with the larger observed tau
    metric_b: str
    diff: float | None  # tau(a) - tau(b)
    p: float | None
    p_adjusted: float | None = None  # Holm over the pairs of this criterion and level


@dataclass
class MetaResult:
    file: str
    protocol: str
    items: int
    systems: list[str]
    annotators: list[str]
    criteria: list[str]
    metrics: list[str]
    agreement: list[AgreementRow]
    correlations: list[CorrelationRow]
    comparisons: list[Comparison]
    ranking: HumanRanking | None
    resamples: int
    seed: int
    notes: list[str] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON of DESIGN §12 (plus the protocol, the Holm-adjusted p-values, the
        intervals of rho and r, and the ranking in §10's shape)."""
        return {
            "ratings": {"file": self.file, "protocol": self.protocol, "items": self.items,
                        "systems": list(self.systems), "annotators": list(self.annotators),
                        "criteria": list(self.criteria)},
            "agreement": [asdict(row) for row in self.agreement],
            "correlations": [asdict(row) for row in self.correlations],
            "comparisons": [asdict(c) for c in self.comparisons],
            "ranking": self.ranking.contract if self.ranking else None,
            "stats": {"resamples": self.resamples, "seed": self.seed,
                      "resampling": "items+systems", "interval": "percentile", "level": 95,
                      "comparison_test": "paired-bootstrap", "correction": "holm"},
            "notes": list(self.notes),
        }

    def best(self, criterion: str, level: str) -> CorrelationRow | None:
        rows = [r for r in self.correlations if r.criterion == criterion
                and r.level == level and r.kendall is not None]
        return max(rows, key=lambda r: r.kendall) if rows else None


def meta_evaluate(ratings: Ratings, runs: Sequence[MetaRun], *,
                  metrics: Sequence[str] | None = None, resamples: int = DEFAULT_RESAMPLES,
                  seed: int = DEFAULT_SEED, rank: bool = True) -> MetaResult:
    """See the module docstring. Raises `BenchmarkError` when the ratings name systems
    that are not among the runs, or share no item with them."""
    runs, notes = _rated_runs(ratings, runs)
    keys = _metric_keys(runs, metrics)
    systems = [run.label for run in runs]
    items = _shared_items(ratings, runs, notes)
    columns = [{key: run.values(key) for key in keys} for run in runs]
    x = np.array([[[column[key].get(item, np.nan) for column in columns] for item in items]
                  for key in keys], dtype=float)
    y = ratings.scores(items, systems)
    levels = correlate_levels(x, y, resamples=resamples, seed=seed)
    correlations = _correlation_rows(levels, keys, ratings.criteria)
    comparisons = _comparisons(levels, keys, ratings.criteria)
    agreement = agreement_rows(ratings, resamples=resamples, seed=seed)
    ranking = (rank_human(runs, _human_scores(ratings, y, items, systems),
                          resamples=max(resamples, RANKING_RESAMPLES), seed=seed)
               if rank else None)
    return MetaResult(file=ratings.path, protocol=ratings.protocol, items=len(items),
                      systems=systems, annotators=list(ratings.annotators),
                      criteria=list(ratings.criteria), metrics=keys, agreement=agreement,
                      correlations=correlations, comparisons=comparisons, ranking=ranking,
                      resamples=resamples, seed=seed, notes=notes + METHOD_NOTES)


def _rated_runs(ratings: Ratings, runs: Sequence[MetaRun]) -> tuple[list[MetaRun], list[str]]:
    labels = {run.label: run for run in runs}
    unknown = [system for system in ratings.systems if system not in labels]
    if unknown:
        raise BenchmarkError(f"{ratings.path}: system {unknown[0]!r} is rated but no run given "
                             f"is labelled so (runs: {', '.join(labels)})",
                             hint="pass the run folders of every rated system")
    rated = [run for run in runs if run.label in ratings.systems]
    notes = [f"run {run.label} has no rating: left out" for run in runs
             if run.label not in ratings.systems]
    if len(rated) < 2:
        raise BenchmarkError(f"{ratings.path}: ratings of {len(rated)} system(s) among the "
                             "runs; correlating across systems needs two or more")
    return rated, notes


def _shared_items(ratings: Ratings, runs: Sequence[MetaRun], notes: list[str]) -> list[str]:
    scored = set.union(*(set(run.predictions()) for run in runs))
    items = [item for item in ratings.items if item in scored]
    if not items:
        raise BenchmarkError(f"{ratings.path}: no rated item is among the runs' items",
                             hint="pass the runs the study was made from")
    if len(items) < len(ratings.items):
        notes.append(f"{len(ratings.items) - len(items)} rated item(s) not in the runs: "
                     "left out")
    return items


def _metric_keys(runs: Sequence[MetaRun], metrics: Sequence[str] | None) -> list[str]:
    if metrics:
        for key in metrics:
            missing = [run.label for run in runs if key not in run.metric_keys(per_type=True)]
            if missing:
                raise BenchmarkError(f"metric {key!r} is not in the runs of "
                                     f"{', '.join(missing)}", hint="choose one with {metric}")
        return list(dict.fromkeys(metrics))
    shared = set.intersection(*(set(run.metric_keys()) for run in runs))
    return [key for key in runs[0].metric_keys() if key in shared]


def _value(number: float) -> float | None:
    return None if number is None or math.isnan(number) else float(number)


def _correlation_rows(levels, keys: list[str], criteria: list[str]) -> list[CorrelationRow]:
    rows = []
    for level in LEVELS:
        corr = levels[level]
        bounds = {kind: corr.interval(kind) for kind in KINDS}
        for c, criterion in enumerate(criteria):
            for a, key in enumerate(keys):
                observed = {kind: _value(corr.observed[kind][a, c]) for kind in KINDS}
                intervals = {kind: [_value(bounds[kind][0][a, c]), _value(bounds[kind][1][a, c])]
                             for kind in KINDS}
                rows.append(CorrelationRow(key, criterion, level, **observed,
                                           low=intervals["kendall"][0],
                                           high=intervals["kendall"][1],
                                           n=int(corr.n[a, c]), intervals=intervals))
    return rows


def _comparisons(levels, keys: list[str], criteria: list[str]) -> list[Comparison]:
    out = []
    for level in LEVELS:
        corr = levels[level]
        observed, boot = corr.observed["kendall"], corr.boot["kendall"]
        for c, criterion in enumerate(criteria):
            family = []
            for i in range(len(keys)):
                for j in range(i + 1, len(keys)):
                    a, b = (i, j) if not observed[j, c] > observed[i, c] else (j, i)
                    diff, p = paired_difference_p(observed, boot, a, b, c)
                    family.append(Comparison(criterion, level, keys[a], keys[b],
                                             _value(diff), _value(p)))
            tested = [comparison for comparison in family if comparison.p is not None]
            for comparison, adjusted in zip(tested, holm([x.p for x in tested])):
                comparison.p_adjusted = adjusted
            out += family
    return out


def agreement_rows(ratings: Ratings, *, resamples: int = DEFAULT_RESAMPLES,
                   seed: int = DEFAULT_SEED) -> list[AgreementRow]:
    """Krippendorff's alpha of every criterion, with its interval over items."""
    return [_agreement(ratings, criterion, resamples=resamples, seed=seed)
            for criterion in ratings.criteria]


def _agreement(ratings: Ratings, criterion: str, *, resamples: int, seed: int) -> AgreementRow:
    table, items = ratings.reliability(criterion)
    result = alpha_with_interval(table, level=ratings.level, clusters=items,
                                 resamples=resamples, seed=seed)
    rated = ~np.isnan(table)
    pairable = rated.sum(axis=1) >= 2
    return AgreementRow(criterion, _value(result.alpha), _value(result.low),
                        _value(result.high), ratings.level,
                        n_items=len(set(items[pairable])),
                        n_annotators=int(rated[pairable].any(axis=0).sum()),
                        n_units=result.units)


def _human_scores(ratings: Ratings, y: np.ndarray, items: list[str],
                  systems: list[str]) -> dict[str, dict[str, dict[str, float]]]:
    prefix = KEY_PREFIX[ratings.protocol]
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for s, system in enumerate(systems):
        scores[system] = {f"{prefix}{criterion}": {item: float(y[c, i, s])
                                                   for i, item in enumerate(items)
                                                   if not np.isnan(y[c, i, s])}
                          for c, criterion in enumerate(ratings.criteria)}
    return scores


METHOD_NOTES = [
    "summary level: per item, the correlation across systems, averaged over items (n: "
    "items used; an item is skipped where either side is constant or a score is "
    "missing); system level: per system, the mean over items, correlated across systems "
    "(n: systems)",
    "intervals: 95% percentile bootstrap over items and systems together (Deutsch, Dror "
    "and Roth 2021); comparisons: paired bootstrap of the difference of two metrics' "
    "Kendall tau on the same resamples, Holm-adjusted over the pairs of one criterion "
    "and level",
]
