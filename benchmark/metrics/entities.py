"""Entity coverage (DESIGN §6-7): does the summary keep the reference's entities, and
are the entities it names supported by the article?

Per item, with reference entities R and prediction entities P (distinct entities; a
surname folded into the full name seen in the same text):

- ``entity_recall`` = |{r in R : r supported by the prediction}| / |R|; None if R is empty;
- ``entity_precision`` = |{p in P : p supported by the article}| / |P|; None if P is
  empty (``1 - entity_precision`` is the hallucination rate);
- ``entity_f1`` = their harmonic mean; None when either is None; 0 when both are 0;
- ``entity_recall_<TYPE>``, ``entity_precision_<TYPE>`` for PERS LOC ORG DATE NUM
  ORDINAL PERCENT MONEY (and MISC with ``include_nisba``), present only for the types the
  reference (recall) or the prediction (precision) has;
- ``missing_entities`` (reference entities not found) and ``unsupported_entities``
  (prediction entities the article does not support), as ``"TYPE:text"`` strings;
- ``entity_counts``: the integers behind the ratios (kept for pooling).

"Supported" is `benchmark.entities.matching.supports`. Reference and prediction are
extracted with ``known=`` the article's entities, so surnames and acronyms introduced
in the article are recognized. Without a source (calling `score_item` directly),
precision is computed against the reference instead; `Scorer` always passes sources.
With several references, the one giving the highest recall is used (a reference with
entities before one without; the first on ties): ``multiref:max-recall`` in the signature.

`aggregate` returns, for every key, the mean over the items where it is defined
(``entity_recall``: items with reference entities; NaN when none is), per-type keys
only for the types some item has, plus:
``entity_recall_pooled`` (all found / all reference entities),
``entity_precision_pooled`` (all supported / all prediction entities),
``entity_f1_pooled`` (their harmonic mean), ``entity_recall_n_items`` and
``entity_precision_n_items`` (how many items each mean covers),
``entity_items_without_reference_entities`` and
``entity_items_without_prediction_entities`` (counts, not ratios).
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from dataclasses import dataclass
from typing import Any, ClassVar, Sequence

from pydantic import Field

from benchmark import __version__
from benchmark.entities.matching import Evidence, distinct, supports
from benchmark.entities.model import Entity, new_entity
from benchmark.entities.registry import get_backend
from benchmark.errors import ConfigError
from benchmark.metrics.base import Metric, MetricOptions, mean_defined
from benchmark.signature import Signature, source_hash
from benchmark.text import TextProfile
from benchmark.text.normalize import NORMALIZER_VERSION

METRIC_VERSION = "v3"
SCORED_TYPES = ("PERS", "LOC", "ORG", "DATE", "NUM", "ORDINAL", "PERCENT", "MONEY")
_OVERALL = ("entity_recall", "entity_precision", "entity_f1")


@dataclass(frozen=True)
class EntityAnalysis:
    """What `EntityMetric.prepare` keeps of an item: the article's entities (None
    without an article) and each reference's entities."""

    article: tuple[Entity, ...] | None
    references: tuple[tuple[Entity, ...], ...]

    def __reduce__(self):
        """Pickled as rows of field values: the dataset analysis stores and sends
        thousands of these, and a frozen dataclass pickles field by field in Python."""
        return (_analysis_from_rows,
                (None if self.article is None else tuple(map(_entity_row, self.article)),
                 tuple(tuple(map(_entity_row, entities)) for entities in self.references)))


_ROW = ("type", "text", "start", "end", "key", "value", "currency")  # Entity's fields
_entity_row = operator.attrgetter(*(f.name for f in dataclasses.fields(Entity)))


def _entity_of_row(row: tuple) -> Entity:
    """``Entity(*row)`` (`new_entity`: about half the time of the frozen ``__init__``)."""
    return new_entity(*row)


_make_entity = (_entity_of_row if tuple(f.name for f in dataclasses.fields(Entity)) == _ROW
                else lambda row: Entity(*row))


def _entities_of_rows(rows) -> tuple[Entity, ...]:
    if _make_entity is _entity_of_row:
        return tuple(itertools.starmap(new_entity, rows))
    return tuple(map(_make_entity, rows))


def _analysis_from_rows(article, references) -> EntityAnalysis:
    return EntityAnalysis(
        article=None if article is None else _entities_of_rows(article),
        references=tuple(map(_entities_of_rows, references)))


class EntityOptions(MetricOptions):
    ner: str = Field("rules", description="NER backend: rules, hf:<model>, a plugin or "
                                          "py:module:attr")
    include_nisba: bool = Field(False, description="score MISC (nisba adjectives) too")


class EntityMetric(Metric):
    name = "entities"
    needs_source = True
    Options: ClassVar[type[MetricOptions]] = EntityOptions

    def __init__(self, profile: TextProfile, options: MetricOptions | None = None):
        super().__init__(profile, options)
        self.backend = get_backend(self.options.ner)
        self.include_nisba = self.options.include_nisba
        self.types = SCORED_TYPES + (("MISC",) if self.include_nisba else ())
        self._type_keys = tuple((entity_type, f"entity_recall_{entity_type}",
                                 f"entity_precision_{entity_type}") for entity_type in self.types)

    def keys(self) -> list[str]:
        keys = ["entity_recall", "entity_precision", "entity_f1"]
        for entity_type in self.types:
            keys += [f"entity_recall_{entity_type}", f"entity_precision_{entity_type}"]
        return keys

    def signature(self) -> Signature:
        return Signature.of(("entities", METRIC_VERSION), self._backend_signature(),
                            nisba=self.include_nisba, norm=NORMALIZER_VERSION,
                            multiref="max-recall", version=__version__)

    prepares = True

    def analysis_signature(self) -> Signature | None:
        return Signature.of(("entities-analysis", METRIC_VERSION), self._backend_signature(),
                            nisba=self.include_nisba, norm=NORMALIZER_VERSION)

    def _backend_signature(self) -> Signature:
        """The backend's own, plus a hash of its source when it comes from outside the
        package (a ``py:`` class, a plugin): editing it then invalidates stored analyses."""
        own = Signature.coerce(self.backend.signature())
        source = source_hash(type(self.backend))
        return own if source is None else Signature.of(own, ("src", source))

    def prepare(self, *, references: Sequence[str], source: str | None) -> EntityAnalysis:
        """The article's entities, and each reference's (extracted knowing the article's)."""
        article = self._extract(source) if source is not None else None
        known = article or None
        return EntityAnalysis(
            article=None if article is None else tuple(article),
            references=tuple(tuple(self._extract(text, known=known)) for text in references))

    def score_item(self, item) -> dict[str, Any]:
        return self.score_prepared(item, self.prepare(references=item.references,
                                                      source=item.source))

    def score_prepared(self, item, prepared: EntityAnalysis) -> dict[str, Any]:
        article = None if prepared.article is None else list(prepared.article)
        known = article or None
        prediction = self._extract(item.prediction, known=known)
        prediction_evidence = Evidence.of(item.prediction, prediction)
        article_evidence = (Evidence.of(item.source, article or [])
                            if item.source is not None else None)
        best: dict[str, Any] | None = None
        for reference_text, entities in zip(item.references, prepared.references):
            reference = list(entities)
            support = article_evidence or Evidence.of(reference_text, reference)
            scores = self._score(reference, prediction, prediction_evidence, support)
            if best is None or _recall_rank(scores) > _recall_rank(best):
                best = scores
        if best is None:
            raise ConfigError("an item has no reference; entity recall needs one")
        return best

    def _extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        return [e for e in distinct(self.backend.extract(text, known=known))
                if e.type in self.types]

    def _score(self, reference: list[Entity], prediction: list[Entity],
               found_in: Evidence, supported_by: Evidence) -> dict[str, Any]:
        found = [supports(entity, found_in) for entity in reference]
        backed = [supports(entity, supported_by) for entity in prediction]
        n_found, n_backed = sum(found), sum(backed)
        recall = _ratio(n_found, len(found))
        precision = _ratio(n_backed, len(backed))
        scores: dict[str, Any] = {"entity_recall": recall, "entity_precision": precision,
                                  "entity_f1": _f1(recall, precision)}
        hits, backs = _by_type(reference, found), _by_type(prediction, backed)
        for entity_type, recall_key, precision_key in self._type_keys:  # the item's types
            if entity_type in hits:
                scores[recall_key] = _share(hits[entity_type])
            if entity_type in backs:
                scores[precision_key] = _share(backs[entity_type])
        scores["missing_entities"] = [e.label() for e, ok in zip(reference, found) if not ok]
        scores["unsupported_entities"] = [e.label() for e, ok in zip(prediction, backed)
                                          if not ok]
        scores["entity_counts"] = {"reference": len(found), "found": n_found,
                                   "prediction": len(backed), "supported": n_backed}
        return scores

    def aggregate(self, items: Sequence[dict[str, Any]]) -> dict[str, float]:
        summary = {key: mean_defined(item.get(key) for item in items) for key in self.keys()
                   if key in _OVERALL or any(item.get(key) is not None for item in items)}
        counts = [item.get("entity_counts") or {} for item in items]
        reference = sum(c.get("reference", 0) for c in counts)
        prediction = sum(c.get("prediction", 0) for c in counts)
        recall = _ratio(sum(c.get("found", 0) for c in counts), reference)
        precision = _ratio(sum(c.get("supported", 0) for c in counts), prediction)
        nan = float("nan")
        pooled_f1 = _f1(recall, precision)
        summary.update({
            "entity_recall_pooled": nan if recall is None else recall,
            "entity_precision_pooled": nan if precision is None else precision,
            "entity_f1_pooled": nan if pooled_f1 is None else pooled_f1,
            "entity_recall_n_items": sum(1 for i in items if i.get("entity_recall") is not None),
            "entity_precision_n_items": sum(1 for i in items
                                            if i.get("entity_precision") is not None),
            "entity_items_without_reference_entities": sum(
                1 for i in items if i.get("entity_recall") is None),
            "entity_items_without_prediction_entities": sum(
                1 for i in items if i.get("entity_precision") is None),
        })
        return summary


def _by_type(entities: list[Entity], verdicts: list[bool]) -> dict[str, list[bool]]:
    """The verdicts on `entities`, by entity type, in order."""
    grouped: dict[str, list[bool]] = {}
    for entity, verdict in zip(entities, verdicts):
        grouped.setdefault(entity.type, []).append(verdict)
    return grouped


def _share(verdicts: list[bool]) -> float:
    return sum(verdicts) / len(verdicts)


def _recall_rank(scores: dict[str, Any]) -> float:
    """Order of references for an item: the highest recall; a reference with entities
    (even recall 0) before one without (recall undefined)."""
    recall = scores["entity_recall"]
    return -1.0 if recall is None else recall


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(recall: float | None, precision: float | None) -> float | None:
    if recall is None or precision is None:
        return None
    if recall + precision == 0:
        return 0.0
    return 2 * recall * precision / (recall + precision)
