"""The state the name rules share while they walk one text's tokens.

`Scanner` holds the tokens, which of them numbers and dates already took, the
gazetteer, and an overlay of names that only hold for this text (the `known` entities
of the article, and aliases found on the way). Lookups are clitic-tolerant.
"""

from __future__ import annotations

from typing import NamedTuple

from benchmark.entities.gazetteer import Gazetteer, Phrase, PhraseIndex
from benchmark.entities.model import Entity, new_entity
from benchmark.entities.stream import PHRASE, TITLE, TextWords
from benchmark.entities.tokens import clitic_forms, restored_key, skip_letters, surface_key

_CLITIC_ARTICLE = ("وال", "فال", "بال", "كال", "لل")
PARTICLES = frozenset({"ابو", "ابي", "ابا", "بن", "ابن", "بنت", "عبد", "ال", "ولد", "دي",
                       "دو", "دا", "فان", "فون", "لا", "ام", "ذو"})


class Span(NamedTuple):  # a tuple: the rules make thousands, a frozen init is slow
    """Tokens [first, last) read as one entity, with `stripped` proclitic letters
    removed from the first token."""

    first: int
    last: int
    type: str
    stripped: int = 0
    restored: bool = False
    id: str | None = None


# `_new_span(Span, (first, last, type, stripped, restored, id))`: a `Span` of all six fields
# made without the NamedTuple's Python-level `__new__` (`phrase_at` makes one at each
# phrase found, about 110,000 in a first model's run on BBC).
_new_span = tuple.__new__


class Scanner:
    """One text's tokens as the parallel lists of `stream.TextWords` (``texts[i]``,
    ``gaps[i]``, ``breaks[i]``, ``norms[i]``, ``lists[i]``, ``starts[i]``, ``ends[i]``;
    `size` of them), which of them numbers and dates took, the gazetteer, and the
    overlay of this text's names, and which tokens may start one of those
    (`overlay_starts`: the tokens a clitic reading of which is the first word of an
    overlay phrase, kept by whoever grows the overlay; None when not known)."""

    __slots__ = ("text", "texts", "gaps", "breaks", "norms", "lists", "starts", "ends",
                 "size", "taken", "gazetteer", "overlay", "overlay_starts")

    def __init__(self, text: str, words: TextWords, taken: list[bool], gazetteer: Gazetteer,
                 overlay: PhraseIndex | None = None) -> None:
        self.text = text
        self.texts, self.gaps, self.breaks = words.texts, words.gaps, words.breaks
        self.norms, self.lists = words.norms, words.lists
        self.starts, self.ends = words.token_starts, words.token_ends
        self.size = len(self.norms)
        self.taken = taken  # by numbers and dates
        self.gazetteer = gazetteer
        self.overlay = overlay if overlay is not None else PhraseIndex()
        self.overlay_starts: set[str] | None = None

    def phrase_at(self, i: int, index: PhraseIndex | None = None) -> Span | None:
        """The longest list phrase starting at token `i` (overlay first)."""
        if index is None:  # the overlay, then the lists if a reading starts a name there
            starts = self.overlay_starts
            overlay = self.overlay.by_first and (starts is None or self.norms[i] in starts)
            if self.lists[i] & PHRASE:
                indexes = [self.overlay, self.gazetteer.phrases] if overlay \
                    else [self.gazetteer.phrases]
            elif overlay:
                indexes = [self.overlay]
            else:
                return None  # most tokens: no reading starts a listed name
        elif index is self.gazetteer.phrases and not self.lists[i] & PHRASE:
            return None  # no reading of the token starts one (titles: `title_at` asks)
        else:
            indexes = [index]
        if self.texts[i].endswith("ى") and self.maqsura_stopword(i):
            return None  # على is not علي, إلى not a name
        best: Span | None = None
        next_word = self.norms[i + 1] if i + 1 < self.size else None
        for form in clitic_forms(self.norms[i]):
            for source in indexes:
                if form.form not in source.by_first:
                    continue  # most readings start no phrase: skip the call
                for phrase in source.candidates(form.form, next_word):
                    length = len(phrase.tokens)
                    if best is not None and length <= best.last - best.first:
                        break
                    if self._continues(i, phrase):
                        best = _new_span(Span, (i, i + length, phrase.type, form.stripped,
                                                form.restored_article, phrase.id))
                        break
        return best

    def _continues(self, i: int, phrase: Phrase) -> bool:
        end = i + len(phrase.tokens)
        if end > self.size or any(self.taken[i:end]):
            return False
        for offset in range(1, len(phrase.tokens)):
            k = i + offset
            if self.breaks[k] and self.gaps[k].strip() not in ("-", "/"):
                return False
            if self.norms[k] != phrase.tokens[offset]:
                return False
        return True

    def title_at(self, i: int) -> Span | None:
        if not self.lists[i] & TITLE:
            return None  # no reading of the token starts a title (most tokens)
        return self.phrase_at(i, self.gazetteer.titles)

    def norm(self, i: int) -> str:
        return self.norms[i]

    def bare(self, i: int) -> str:
        """Token `i` without a leading و/ف conjunction (for list lookups)."""
        norm = self.norms[i]
        if norm[:1] in ("و", "ف") and len(norm) > 3:
            return norm[1:]
        return norm

    def maqsura_stopword(self, i: int) -> bool:
        """Normalization folds ى into ي, so the preposition على reads as the name علي:
        is token `i` a stop word written with its final ى (also after و or ف)?"""
        if not self.texts[i].endswith("ى"):
            return False
        norm, stopwords = self.norms[i], self.gazetteer.maqsura_stopwords
        return norm in stopwords or (norm[:1] in ("و", "ف") and norm[1:] in stopwords)

    def is_function_word(self, i: int) -> bool:
        gazetteer = self.gazetteer
        norm = self.norms[i]
        if norm in gazetteer.maqsura_stopwords and norm in gazetteer.given_names \
                and not self.texts[i].endswith("ى"):
            return False  # علي (a name), not على (a preposition)
        return (norm in gazetteer.stopwords or norm in gazetteer.descriptors
                or norm in gazetteer.nisba or norm in gazetteer.org_heads)

    def namelike(self, i: int) -> bool:
        """Could token `i` be part of a person's name?"""
        if i >= self.size or self.taken[i]:
            return False
        norm = self.norms[i]
        if len(norm) < 2 or self.is_function_word(i) or norm.startswith(_CLITIC_ARTICLE):
            return False
        if self.title_at(i) is not None and norm not in self.gazetteer.given_names:
            return False
        phrase = self.phrase_at(i)
        return phrase is None or phrase.type == "PERS"

    def entity(self, span: Span) -> Entity:
        start = self.starts[span.first]
        if span.stripped:
            start += skip_letters(self.texts[span.first], span.stripped)
        end = self.ends[span.last - 1]
        surface = self.text[start:end]
        return new_entity(span.type, surface, start, end,
                          restored_key(surface) if span.restored else surface_key(surface))
