"""The metric protocol: per-item statistics first, aggregation after (STYLE §2).

A metric scores one item at a time and never averages inside. Aggregation works on the
stored per-item values, so confidence intervals and paired tests never re-run a metric.
"""

from __future__ import annotations

import functools
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Iterable, Literal, Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from benchmark.options import validate_options
from benchmark.signature import Signature
from benchmark.text import TextProfile

Direction = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class ItemInput:
    """What a metric sees of one item. `references` holds one or more reference texts,
    each with bullets or sentences on separate lines."""

    prediction: str
    references: Sequence[str]
    source: str | None = None


class MetricOptions(BaseModel):
    """Base for a metric's options: unknown fields are an error (as for summarizers)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Metric(ABC):
    """A metric: `score_item` returns a dict of per-item values.

    Numeric values are floats in [0, 1] (or None where undefined for the item, e.g.
    entity recall with no reference entities); other values (lists of strings) are
    kept in `items.jsonl` but never aggregated.

    Options are typed: a metric declares ``Options``, a `MetricOptions` subclass, and
    receives the validated instance as ``self.options``. A metric that calls a server
    (an LLM judge) sets ``needs_server`` (``--metrics all`` leaves those out) and
    releases its client in `close`.
    """

    name: ClassVar[str]
    needs_source: ClassVar[bool] = False
    needs_server: ClassVar[bool] = False
    # The per-item key that holds why the metric gave an item no values (None: the
    # metric never fails on one item alone); the run counts these.
    error_key: ClassVar[str | None] = None
    Options: ClassVar[type[MetricOptions]] = MetricOptions

    def __init__(self, profile: TextProfile, options: MetricOptions | None = None):
        self.profile = profile
        self.options = options if options is not None else self.Options()

    @classmethod
    def accepted_options(cls) -> tuple[str, ...]:
        """The option names this metric takes."""
        return tuple(cls.Options.model_fields)

    @classmethod
    def create(cls, profile: TextProfile, values: Mapping[str, Any] | None = None) -> "Metric":
        """The metric with `values` validated against its ``Options``."""
        return cls(profile, parse_metric_options(cls.Options, dict(values or {}),
                                                 owner=cls.name))

    def close(self) -> None:
        """Release what the metric holds (a client, a model); nothing by default."""

    @abstractmethod
    def keys(self) -> list[str]:
        """The numeric per-item keys, in report order."""

    @abstractmethod
    def score_item(self, item: ItemInput) -> dict[str, Any]:
        """Per-item values for one prediction."""

    @abstractmethod
    def signature(self) -> Signature:
        """How this metric computes: its fields, then the version (formatted
        ``rouge:v1|norm:ar.v1|...|ver:0.1.0``)."""

    def score_batch(self, items: Sequence[ItemInput], *,
                    ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Per-item values for several items (``ids`` name them, for metrics that cache
        per item). Metrics that call a server override this to work concurrently."""
        return [self.score_item(item) for item in items]

    # -- analysing the reference side once (optional) --------------------------------
    # A metric that does costly work on the references and the article (tokens,
    # sentences, entities) can do it in `prepare`: the run harness then computes it
    # once per dataset, stores it on disk under `analysis_signature`, and scores each
    # prediction with `score_prepared`. The defaults prepare nothing.

    prepares: ClassVar[bool] = False  # True when `prepare` and `score_prepared` are real

    def analysis_signature(self) -> Signature | None:
        """What `prepare`'s value depends on (text profile, NER backend, versions); None
        when it must not be stored on disk (e.g. a custom tokenizer)."""
        return None

    def prepare(self, *, references: Sequence[str], source: str | None) -> Any:
        """The analysis of one item's references (and article) that does not depend on
        the prediction; a picklable value."""
        return None

    def score_prepared(self, item: ItemInput, prepared: Any) -> dict[str, Any]:
        """`score_item`, given `prepare`'s value for the same references and source."""
        return self.score_item(item)

    def direction(self, key: str) -> Direction:
        return "higher"

    def scale(self, key: str) -> float:
        """Factor reports multiply a value by: 100 for ratios in [0, 1] (the default),
        1 for counts and unbounded ratios, shown as they are."""
        return 100.0

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        """Corpus-level values; by default the mean of each key over defined items."""
        return {key: mean_defined(item.get(key) for item in items) for key in self.keys()}


def parse_metric_options(model: type[MetricOptions], values: Mapping[str, Any], *,
                         owner: str) -> MetricOptions:
    """Validate `values`; one line naming each unknown or bad option and the known ones."""
    return validate_options(model, values, owner=f"metric {owner}")


@functools.lru_cache(maxsize=16)
def article_tokens(profile: TextProfile, text: str) -> tuple[str, ...]:
    """The tokens of an article, remembered for the next metric that asks: extractiveness
    and length analyse the same article one after another (item by item)."""
    return tuple(profile.tokenize(text))


SentenceTokens = tuple[tuple[str, tuple[str, ...]], ...]  # (sentence, its tokens) in order
MEMO_TEXTS = 1024  # texts remembered: more than a batch scored metric by metric


def sentence_tokens(profile: TextProfile, text: str) -> SentenceTokens:
    """`text`'s sentences, each with its tokens. Several metrics (ROUGE, length,
    bullets) split and tokenize the same prediction one after another, metric by metric
    over a batch: the last `MEMO_TEXTS` texts are remembered (with the built-in
    tokenizers; a custom one may not be hashable, or may keep state)."""
    if profile.tokenizer is not None:
        return _sentence_tokens(profile, text)
    return _remembered_sentence_tokens(profile, text)


def _sentence_tokens(profile: TextProfile, text: str) -> SentenceTokens:
    return tuple((sentence, tuple(profile.tokenize(sentence)))
                 for sentence in profile.sentences(text))


_remembered_sentence_tokens = functools.lru_cache(maxsize=MEMO_TEXTS)(_sentence_tokens)


def mean_defined(values: Iterable[float | None]) -> float:
    """Mean of the values that are not None (NaN when none is)."""
    total, count = 0.0, 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return total / count if count else math.nan
