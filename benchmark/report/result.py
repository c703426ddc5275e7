"""What a comparison of runs produces (DESIGN §10), as typed values.

`compare_runs` builds a `CompareResult`; the tables in every format, the plots, the HTML
report and the JSON contract (`report/contract.py`, the only writer of that JSON) are
rendered from it. Means, bounds and differences are on the report scale (x100 for
scores in [0, 1]; each key's scale comes from the run records).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmark.runs.run import Run
from benchmark.stats.signature import statistics_signature
from benchmark.signature import Signature

DEFAULT_KEYS = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f", "entity_recall",
                "entity_precision", "entity_f1")
ALPHA = 0.05
DEFAULT_RESAMPLES = 10_000
DEFAULT_SEED = 12345
TESTS = ("paired-bootstrap", "approximate-randomization")


@dataclass(frozen=True)
class StatsSettings:
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    alpha: float = ALPHA
    baseline: str | None = None  # a label: baseline-versus-rest instead of all pairs

    def signature(self, resamples: int) -> Signature:
        return statistics_signature(resamples=resamples, seed=self.seed, tests=TESTS,
                                    alpha=self.alpha)


@dataclass
class MetricCell:
    mean: float | None
    low: float | None
    high: float | None
    n: int
    group: str = ""


@dataclass
class Row:
    label: str
    model: str
    run_dir: str
    upper_bound: bool
    group: str
    metrics: dict[str, MetricCell]

    @property
    def shown_label(self) -> str:
        return self.label + (" (upper bound)" if self.upper_bound else "")

    @property
    def n(self) -> int:
        """The most items any of the row's metrics has."""
        return max((cell.n for cell in self.metrics.values()), default=0)


@dataclass
class Pair:
    metric: str
    a: str
    b: str
    diff: float | None  # mean of a minus mean of b, report scale
    low: float | None
    high: float | None
    p_bootstrap: float | None
    p_randomization: float | None
    p_adjusted: float | None  # Holm over the family of this metric
    significant: bool
    n: int = 0  # shared items
    # The smallest true difference this test detects with 80% power at Holm's
    # strictest level (benchmark.stats.power); None when untested.
    mde: float | None = None


@dataclass
class CompareResult:
    dataset_name: str
    dataset_identity: str
    keys: list[str]
    rank_by: str
    settings: StatsSettings
    resamples: int
    rows: list[Row]
    pairs: list[Pair]
    notes: list[str] = field(default_factory=list)
    signatures: dict[str, str] = field(default_factory=dict)
    scales: dict[str, float] = field(default_factory=dict)  # key -> report scale
    runs: dict[str, Run] = field(default_factory=dict, repr=False)  # label -> its run
    # The items every row is computed on, when the runs scored different ones (None:
    # all runs scored the same items).
    shared_items: frozenset[str] | None = field(default=None, repr=False)

    def values(self, label: str, key: str) -> dict[str, float]:
        """A row's per-item values of `key` (stored scale), on the compared items."""
        values = self.runs[label].values(key)
        if self.shared_items is None:
            return values
        return {item: value for item, value in values.items() if item in self.shared_items}

    @property
    def family(self) -> str:
        return (f"baseline:{self.settings.baseline}" if self.settings.baseline
                else "all-pairs")

    @property
    def tests(self) -> tuple[str, ...]:
        return TESTS

    def pairs_of(self, metric: str) -> dict[tuple[str, str], Pair]:
        """The pairs tested on `metric`, by (a, b) labels."""
        return {(p.a, p.b): p for p in self.pairs if p.metric == metric}

    def run_of(self, row: Row) -> Run:
        return self.runs[row.label]

    def top_pair(self) -> tuple[Row, Row] | None:
        """The two best-ranked real systems (upper bounds only when fewer than two)."""
        real = [row for row in self.rows if not row.upper_bound]
        rows = real if len(real) >= 2 else list(self.rows)
        return (rows[0], rows[1]) if len(rows) >= 2 else None
