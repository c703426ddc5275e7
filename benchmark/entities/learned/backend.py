"""The ``learned`` NER backend: a CRF tagger trained from the corpora (shipped with the
package) for names, merged with the rules.

Numbers, dates, percentages and money come from the rules alone. For names, the
tagger's (PERS, LOC, ORG) come first and the rules' names fill what it left out (a
listed name or a name after a title it did not tag, nisba adjectives, aliases of the
`known` entities); a rules name overlapping a tagged one is dropped. The model loads on
the first text, not when the backend is made (``bench --help`` and the signature never
load it).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from benchmark.entities.gazetteer import GAZETTEER_VERSION
from benchmark.entities.learned.tagger import Tagger, read_card
from benchmark.entities.model import Entity
from benchmark.entities.rules import RULES_VERSION, RulesBackend

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

    def signature(self) -> str:
        card = read_card(self.folder)
        return (f"ner:learned({card['model_sha256'][:12]})+{RULES_VERSION}"
                f"|gaz:{GAZETTEER_VERSION}")

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            with self._lock:
                if self._tagger is None:
                    self._tagger = Tagger(self.folder)
        return self._tagger

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        ruled = self._rules.extract(text, known=known)
        tagged = [e for e in self.tagger.names(text) if e.type in TAGGED_TYPES]
        return merge(tagged=tagged, ruled=ruled)

    def __getstate__(self) -> dict:
        """Sent to worker processes without the loaded tagger (each loads its own)."""
        return {"folder": self.folder}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["folder"])


def merge(*, tagged: list[Entity], ruled: list[Entity]) -> list[Entity]:
    """The tagger's names, then every rules entity that overlaps none of them (all of
    the rules' numbers and dates: the tagger reads only words), sorted by position."""
    starts = sorted((e.start, e.end) for e in tagged)
    kept = list(tagged)
    for entity in ruled:
        if entity.type in ("DATE", "NUM", "PERCENT", "MONEY") or not _overlaps(
                starts, entity.start, entity.end):
            kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    import bisect

    k = bisect.bisect_left(spans, (end, end))  # spans starting before `end`
    return k > 0 and any(s < end and start < e for s, e in spans[max(0, k - 8):k])
