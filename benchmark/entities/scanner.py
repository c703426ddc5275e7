"""The state the name rules share while they walk one text's tokens.

`Scanner` holds the tokens, which of them numbers and dates already took, the
gazetteer, and an overlay of names that only hold for this text (the `known` entities
of the article, and aliases found on the way). Lookups are clitic-tolerant.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from benchmark.entities.gazetteer import Gazetteer, Phrase, PhraseIndex
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.stream import PHRASE, TITLE, list_bits
from benchmark.entities.tokens import Token, clitic_forms, skip_letters

_CLITIC_ARTICLE = ("وال", "فال", "بال", "كال", "لل")
PARTICLES = frozenset({"ابو", "ابي", "ابا", "بن", "ابن", "بنت", "عبد", "ال", "ولد", "دي",
                       "دو", "دا", "فان", "فون", "لا", "ام", "ذو"})


@dataclass(frozen=True, slots=True)
class Span:
    """Tokens [first, last) read as one entity, with `stripped` proclitic letters
    removed from the first token."""

    first: int
    last: int
    type: str
    stripped: int = 0
    restored: bool = False
    id: str | None = None


@dataclass
class Scanner:
    text: str
    tokens: list[Token]
    taken: list[bool]  # by numbers and dates
    gazetteer: Gazetteer
    overlay: PhraseIndex = field(default_factory=PhraseIndex)
    norms: list[str] = field(default_factory=list)  # of the tokens (given, or read)
    lists: list[int] = field(default_factory=list)  # `stream.list_bits` of the tokens

    def __post_init__(self) -> None:
        if len(self.norms) != len(self.tokens):
            self.norms = [token.norm for token in self.tokens]
        if len(self.lists) != len(self.tokens):
            self.lists = list(map(list_bits, self.norms))

    def phrase_at(self, i: int, index: PhraseIndex | None = None) -> Span | None:
        """The longest list phrase starting at token `i` (overlay first)."""
        if index is None:  # the overlay, then the lists if a reading starts a name there
            indexes = [self.overlay] if self.overlay.by_first else []
            if self.lists[i] & PHRASE:
                indexes.append(self.gazetteer.phrases)
        elif (index is self.gazetteer.titles and not self.lists[i] & TITLE) \
                or (index is self.gazetteer.phrases and not self.lists[i] & PHRASE):
            return None  # no reading of the token starts one
        else:
            indexes = [index]
        if not indexes or self.maqsura_stopword(i):
            return None  # على is not علي, إلى not a name
        best: Span | None = None
        next_word = self.tokens[i + 1].norm if i + 1 < len(self.tokens) else None
        for form in clitic_forms(self.tokens[i].norm):
            for source in indexes:
                if form.form not in source.by_first:
                    continue  # most readings start no phrase: skip the call
                for phrase in source.candidates(form.form, next_word):
                    length = len(phrase.tokens)
                    if best is not None and length <= best.last - best.first:
                        break
                    if self._continues(i, phrase):
                        best = Span(i, i + length, phrase.type, form.stripped,
                                    form.restored_article, phrase.id)
                        break
        return best

    def _continues(self, i: int, phrase: Phrase) -> bool:
        end = i + len(phrase.tokens)
        if end > len(self.tokens) or any(self.taken[i:end]):
            return False
        for offset in range(1, len(phrase.tokens)):
            token = self.tokens[i + offset]
            if token.breaks_before and token.gap.strip() not in ("-", "/"):
                return False
            if token.norm != phrase.tokens[offset]:
                return False
        return True

    def title_at(self, i: int) -> Span | None:
        return self.phrase_at(i, self.gazetteer.titles)

    def norm(self, i: int) -> str:
        return self.tokens[i].norm

    def bare(self, i: int) -> str:
        """Token `i` without a leading و/ف conjunction (for list lookups)."""
        norm = self.tokens[i].norm
        if norm[:1] in ("و", "ف") and len(norm) > 3:
            return norm[1:]
        return norm

    def maqsura_stopword(self, i: int) -> bool:
        """Normalization folds ى into ي, so the preposition على reads as the name علي:
        is token `i` a stop word written with its final ى (also after و or ف)?"""
        token = self.tokens[i]
        if not token.text.endswith("ى"):
            return False
        norm, stopwords = token.norm, self.gazetteer.maqsura_stopwords
        return norm in stopwords or (norm[:1] in ("و", "ف") and norm[1:] in stopwords)

    def is_function_word(self, i: int) -> bool:
        gazetteer = self.gazetteer
        token = self.tokens[i]
        norm = token.norm
        if norm in gazetteer.maqsura_stopwords and norm in gazetteer.given_names \
                and not token.text.endswith("ى"):
            return False  # علي (a name), not على (a preposition)
        return (norm in gazetteer.stopwords or norm in gazetteer.descriptors
                or norm in gazetteer.nisba or norm in gazetteer.org_heads)

    def namelike(self, i: int) -> bool:
        """Could token `i` be part of a person's name?"""
        if i >= len(self.tokens) or self.taken[i]:
            return False
        norm = self.tokens[i].norm
        if len(norm) < 2 or self.is_function_word(i) or norm.startswith(_CLITIC_ARTICLE):
            return False
        if self.title_at(i) is not None and norm not in self.gazetteer.given_names:
            return False
        phrase = self.phrase_at(i)
        return phrase is None or phrase.type == "PERS"

    def entity(self, span: Span) -> Entity:
        first = self.tokens[span.first]
        start = first.start + skip_letters(first.text, span.stripped)
        end = self.tokens[span.last - 1].end
        surface = self.text[start:end]
        return Entity(span.type, surface, start, end,
                      entity_key(surface, restore_article=span.restored))
