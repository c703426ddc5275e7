"""What the learned tagger sees of each word: the word and its clitic-free stem, its
affixes and length, what the rules' lists say of it (a listed place, a given name, a
title, an organization head, ...), the same for its neighbours two words either side,
and punctuation around it.

A word outside the model's vocabulary (rare in its training data) shows no identity,
only ``unk``, its shape and list classes, exactly as the names hidden during training
do: an unseen name after ``قال`` looks like the hidden names the model saw there.

Words are the rules' tokens (`word_tokens`: letter runs, offsets into the text);
digits, punctuation and line breaks only mark sentence ends and gaps. Each distinct
word's features are computed once and kept (`FeatureCache`), so a text costs a few
list concatenations per word. Changing a feature changes what a trained model means:
bump `FEATURES_VERSION` with it.
"""

from __future__ import annotations

from typing import Sequence

import regex

from benchmark.entities.gazetteer import Gazetteer, load_gazetteer
from benchmark.entities.tokens import Token, clitic_forms

FEATURES_VERSION = "f2"
_SENTENCE_END = regex.compile(r"[.!?؟\n]")
_LATIN = regex.compile(r"[A-Za-z]")
_QUOTE = regex.compile(r"[\"'«»“”()\[\]]")
_DIGIT = regex.compile(r"\d")
WINDOW = (-2, -1, 1, 2)
_NEAR = (-1, 1)  # neighbours whose list classes are features too
_EDGES = tuple(f"{offset}w=<edge>" for offset in WINDOW)
EDGE_FEATURES = _EDGES  # per slot of `WINDOW`: the neighbour there is past the sentence
GAP_FEATURES = ("punct_before", "punct_after", "quote_before", "digit_before", "digit_after")
_NO_GAP = (False, False, False)  # after the last word of a sentence


def sentences(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """[start, end) token ranges of the sentences: a new one begins after ``. ! ? ؟``
    or a line break in the gap before a word."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(tokens)):
        if _SENTENCE_END.search(tokens[i].gap):
            ranges.append((start, i))
            start = i
    if tokens:
        ranges.append((start, len(tokens)))
    return ranges


def stem(norm: str) -> str:
    """The word without proclitics and article: the shortest clitic reading, then
    ``ال`` off (``بالسعوديه`` -> ``سعوديه``)."""
    form = clitic_forms(norm)[-1].form
    if form.startswith("ال") and len(form) > 4:
        form = form[2:]
    return form


def _length_class(norm: str) -> str:
    n = len(norm)
    return "1" if n < 3 else str(n) if n < 7 else "7+"


def list_classes(norm: str, gazetteer: Gazetteer, org_firsts: dict[str, str]
                 ) -> tuple[str, ...]:
    """What the lists say of a word in any clitic reading: ``L:LOC`` a listed one-word
    name of that type, ``F:ORG`` the first word of a longer listed name, ``given``,
    ``title``, ``orghead``, ``placehead``, ``eventhead``, ``nisba``, ``stop``, ``desc``;
    ``~`` marks a reading after a proclitic."""
    classes: set[str] = set()
    for form in clitic_forms(norm):
        mark = "~" if form.stripped else ""
        word = form.form
        for phrase in gazetteer.phrases.by_first.get(word, ()):
            kind = "L" if len(phrase.tokens) == 1 else "F"
            classes.add(f"{mark}{kind}:{phrase.type}")
        if word in gazetteer.given_names:
            classes.add(mark + "given")
        if word in gazetteer.titles.by_first:
            classes.add(mark + "title")
        if word in org_firsts:
            classes.add(mark + "orghead:" + org_firsts[word])
        if word in gazetteer.place_heads:
            classes.add(mark + "placehead:" + gazetteer.place_heads[word])
        if word in gazetteer.event_heads:
            classes.add(mark + "eventhead")
    bare = norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 3 else norm
    if norm in gazetteer.nisba or bare in gazetteer.nisba:
        classes.add("nisba")
    if norm in gazetteer.stopwords:
        classes.add("stop")
    if norm in gazetteer.descriptors:
        classes.add("desc")
    return tuple(sorted(classes))


class FeatureCache:
    """Per distinct word: its own features, and the features it lends each neighbour
    position (prefixed with the offset)."""

    def __init__(self, gazetteer: Gazetteer | None = None, *,
                 vocabulary: frozenset[str] | None = None, limit: int = 1 << 18):
        self.gazetteer = gazetteer or load_gazetteer()
        self.vocabulary = vocabulary  # None: every word is known
        self._org_firsts = {head.split()[0]: kind
                            for head, kind in self.gazetteer.org_heads.items()}
        self._limit = limit
        # per word: (own, near, far) features, unmasked and masked (see `parts`)
        self._parts: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self._masked_parts: dict[str, tuple[list[str], list[str], list[str]]] = {}
        self._lent: dict[tuple[str, bool], tuple[list[str], ...]] = {}
        self._gaps: dict[str, tuple[bool, bool, bool]] = {}

    def parts(self, word: str) -> tuple[list[str], list[str], list[str]]:
        """A word's own features, those it lends its neighbours one place away, and
        those it lends two places away (these two without the offset prefix that
        `sequence` adds)."""
        found = self._parts.get(word)
        if found is None:
            self._compute(word)
            found = self._parts[word]
        return found

    def _compute(self, word: str) -> None:
        if len(self._parts) > self._limit:
            self._parts, self._masked_parts, self._lent = {}, {}, {}
        root = stem(word)
        shape = [f"len={_length_class(word)}", f"p1={word[:1]}", f"p2={word[:2]}",
                 f"p3={word[:3]}", f"s1={word[-1:]}", f"s2={word[-2:]}", f"s3={word[-3:]}",
                 f"rs2={root[-2:]}", f"rp2={root[:2]}"]
        if clitic_forms(word)[-1].form.startswith("ال"):
            shape.append("article")
        if _LATIN.search(word):
            shape.append("latin")
        classes = [f"c={c}" for c in list_classes(word, self.gazetteer, self._org_firsts)]
        known = self.vocabulary is None or word in self.vocabulary
        identity = [f"w={word}", f"stem={root}"] if known else ["unk"]
        suffix = f"s2={word[-2:]}"
        self._parts[word] = (["bias"] + identity + shape + classes,
                             identity + classes + [suffix], identity)
        self._masked_parts[word] = (["bias", "unk"] + shape, ["unk", suffix], ["unk"])

    def _lend(self, word: str, masked: bool) -> tuple[list[str], ...]:
        """The features `word` lends each slot of `WINDOW`, prefixed with the offset."""
        lent = self._lent.get((word, masked))
        if lent is None:
            self.parts(word)
            _, near, far = (self._masked_parts if masked else self._parts)[word]
            lent = self._lent[(word, masked)] = tuple(
                [f"{offset}{f}" for f in (near if offset in _NEAR else far)]
                for offset in WINDOW)
        return lent

    def _gap(self, gap: str) -> tuple[bool, bool, bool]:
        """(punctuation, a quote or bracket, a digit) in the text between two words."""
        flags = self._gaps.get(gap)
        if flags is None:
            flags = self._gaps[gap] = (bool(gap.strip()), bool(_QUOTE.search(gap)),
                                       bool(_DIGIT.search(gap)))
            if len(self._gaps) > self._limit:
                self._gaps = {}
        return flags

    def gap_flags(self, tokens: Sequence[Token], starts):
        """Per token, 1.0 where each of `GAP_FEATURES` holds (`starts` marks the first
        token of each sentence), as `sequence` adds them: an array (tokens, 5)."""
        import numpy

        gaps = numpy.array([self._gap(token.gap) for token in tokens], dtype=float)
        flags = numpy.zeros((len(tokens), len(GAP_FEATURES)))
        flags[:, 0] = numpy.maximum(gaps[:, 0], starts)
        inside = ~starts[1:]  # the next token is in the same sentence
        flags[:-1, 1] = gaps[1:, 0] * inside
        flags[:, 2] = gaps[:, 1]
        flags[:, 3] = gaps[:, 2]
        flags[:-1, 4] = gaps[1:, 2] * inside
        return flags

    def sequence(self, tokens: Sequence[Token], masked: Sequence[bool] | None = None
                 ) -> list[list[str]]:
        """The feature lists of a sentence's tokens; a `masked` token shows only its
        shape (no word, stem or list class): training hides some names this way so the
        model learns their contexts, not only their spellings."""
        norms = [token.norm for token in tokens]
        masked = masked or [False] * len(tokens)
        gaps = [self._gap(token.gap) for token in tokens] + [_NO_GAP]
        n = len(tokens)
        rows: list[list[str]] = []
        for i, word in enumerate(norms):
            self.parts(word)
            row = list((self._masked_parts if masked[i] else self._parts)[word][0])
            # (the order below is GAP_FEATURES's, and crf.Decoder reads them that way)
            for slot, offset in enumerate(WINDOW):
                j = i + offset
                if 0 <= j < n:
                    row += self._lend(norms[j], masked[j])[slot]
                elif j == -1 or j == n:
                    row.append(_EDGES[slot])
            punct, quote, digit = gaps[i]
            if i == 0 or punct:
                row.append("punct_before")
            if gaps[i + 1][0]:
                row.append("punct_after")
            if quote:
                row.append("quote_before")
            if digit:
                row.append("digit_before")
            if gaps[i + 1][2]:
                row.append("digit_after")
            rows.append(row)
        return rows
