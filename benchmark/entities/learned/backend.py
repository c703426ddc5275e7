"""The ``learned`` NER backend: a CRF tagger trained from the corpora (shipped with the
package) for names, merged with the rules.

Numbers, dates, percentages and money come from the rules alone. For names, each of
the tagger's PERS, LOC and ORG is kept with its confidence (the smallest marginal
probability of its words' tags): where no rules entity overlaps it, from `NEW_MIN`;
where rules names overlap it (another span or type for the same words), it replaces
them from `CONFLICT_MIN`, and otherwise the rules' reading stays; so does the rules'
reading of a word's proclitics where both found the same name. The rules' other
names (a listed name or a name after a title the tagger missed, nisba adjectives,
aliases of the `known` entities) are kept. Both thresholds were chosen on the
development set and Wojood's val split (docs/entities.md). The model loads on the first
text, not when the backend is made (``bench --help`` and the signature never load it).
"""

from __future__ import annotations

import bisect
import threading
from pathlib import Path
from typing import Sequence

from benchmark.entities.gazetteer import GAZETTEER_VERSION
from benchmark.entities.learned.tagger import Tagger, read_card
from benchmark.entities.model import Entity
from benchmark.entities.rules import RULES_VERSION, RulesBackend
from benchmark.signature import Signature

TAGGED_TYPES = frozenset({"PERS", "LOC", "ORG"})


def shipped_model() -> Path:
    """The model folder inside the package (``benchmark/resources/ner/learned``)."""
    from benchmark.paths import RESOURCES

    return RESOURCES / "ner" / "learned"


class LearnedBackend:
    name = "learned"

    def __init__(self, model: str | Path | None = None):
        self.folder = Path(model) if model else shipped_model()
        self._rules = RulesBackend()
        self._tagger: Tagger | None = None
        self._lock = threading.Lock()

    def signature(self) -> Signature:
        card = read_card(self.folder)
        return Signature.of(ner=f"learned({card['model_sha256'][:12]})+{RULES_VERSION}",
                            gaz=GAZETTEER_VERSION)

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            with self._lock:
                if self._tagger is None:
                    self._tagger = Tagger(self.folder)
        return self._tagger

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        return merge(tagged=self.tagger.scored_names(text),
                     ruled=self._rules.extract(text, known=known))

    def __getstate__(self) -> dict:
        """Sent to worker processes without the loaded tagger (each loads its own)."""
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"])


NEW_MIN = 0.5
CONFLICT_MIN = 0.8
MAX_CLITIC_LETTERS = 3  # و ب ال, at most, before a name in one word
_NUMERIC = frozenset({"DATE", "NUM", "PERCENT", "MONEY"})


def merge(*, tagged: list[tuple[Entity, float]], ruled: list[Entity]) -> list[Entity]:
    """The rules' entities and the tagger's (entity, confidence) names, merged as the
    module says, sorted by position. A tagged name never replaces a number or date."""
    dropped: set[int] = set()
    kept: list[Entity] = []
    starts = [e.start for e in ruled]  # sorted, and the rules' spans do not overlap,
    ends = [e.end for e in ruled]  # so their ends are sorted too
    for entity, confidence in tagged:
        if entity.type not in TAGGED_TYPES:
            continue
        overlapping = [k for k in range(bisect.bisect_right(ends, entity.start),
                                        bisect.bisect_left(starts, entity.end))
                       if ruled[k].start < entity.end and entity.start < ruled[k].end]
        if not overlapping:
            if confidence >= NEW_MIN:
                kept.append(entity)
        elif confidence >= CONFLICT_MIN and not any(
                ruled[k].type in _NUMERIC or _same_words(ruled[k], entity)
                for k in overlapping):
            kept.append(entity)
            dropped.update(overlapping)
    kept += [entity for k, entity in enumerate(ruled) if k not in dropped]
    return sorted(kept, key=lambda e: (e.start, e.end))


def _same_words(ruled: Entity, tagged: Entity) -> bool:
    """The same name of the same words, read with other proclitics (``كابل``: the rules
    know the city; the tagger's lexicon cut a ك): the rules' reading is kept."""
    return (ruled.type == tagged.type and ruled.end == tagged.end
            and abs(ruled.start - tagged.start) <= MAX_CLITIC_LETTERS)
