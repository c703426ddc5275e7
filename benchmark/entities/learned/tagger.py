"""A trained model folder, loaded: the CRF tagger and its card.

A model folder holds ``weights.tsv`` (the CRF's weights, `crf`), ``vocabulary.txt``
(the words it knows by name) and ``model.json`` (the card: identity, training data,
recipe, figures, licence, and the proclitic lexicon the decoder needs). `Tagger.names`
reads the names of a text: the CRF decoded per sentence (numpy; python-crfsuite is
needed only to train), IOB tags back to entities with offsets into the text.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

from benchmark.entities.learned.crf import WEIGHTS_FILE, Decoder, Weights
from benchmark.entities.learned.features import FEATURES_VERSION, FeatureCache
from benchmark.entities.learned.silver import default_clitics
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.gazetteer import load_gazetteer
from benchmark.entities.tokens import Token, clitic_forms, skip_letters, word_tokens
from benchmark.errors import ConfigError

MODEL_FILE = WEIGHTS_FILE
CARD_FILE = "model.json"
VOCABULARY_FILE = "vocabulary.txt"


def read_card(folder: Path) -> dict:
    path = folder / CARD_FILE
    names = (MODEL_FILE, CARD_FILE, VOCABULARY_FILE)
    if not all((folder / name).is_file() for name in names):
        raise ConfigError(f"{folder} is not a trained NER model folder (it needs "
                          f"{MODEL_FILE}, {VOCABULARY_FILE} and {CARD_FILE})",
                          hint="train one with: bench ner train --corpora DIR -o DIR")
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a readable model card ({exc})") from None
    if card.get("features") != FEATURES_VERSION:
        raise ConfigError(f"{path}: the model was trained with features "
                          f"{card.get('features')!r}, this version computes "
                          f"{FEATURES_VERSION!r}",
                          hint="retrain it with: bench ner train --corpora DIR -o DIR")
    return card


def _runs(labels: Sequence[str]) -> list[tuple[int, int]]:
    """[first, last) of each name in IOB `labels`, as `Tagger.entities` reads them."""
    runs, i = [], 0
    while i < len(labels):
        if labels[i] == "O":
            i += 1
            continue
        j = i + 1
        while j < len(labels) and labels[j] == "I-" + labels[i][2:]:
            j += 1
        runs.append((i, j))
        i = j
    return runs


def _unseen_clitics(norm: str) -> int:
    """Proclitic letters of a first word the lexicon lacks: before an article
    (`default_clitics`), or where the rest of the word begins a listed name or is a
    given name (``وواسط``), else none."""
    letters = default_clitics(norm)
    if letters or norm[:1] not in "وفبلك":
        return letters
    gazetteer = load_gazetteer()
    for form in clitic_forms(norm)[1:]:
        if form.form in gazetteer.phrases.by_first or form.form in gazetteer.given_names:
            return form.stripped
    return 0


class Tagger:
    """The CRF of one model folder. A decoder keeps per-word sums as it reads, so each
    thread gets its own (the weights are shared)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.card = read_card(folder)
        self.clitics: dict[str, int] = self.card.get("clitics", {})
        words = (folder / VOCABULARY_FILE).read_text(encoding="utf-8").split()
        self._vocabulary = frozenset(words)
        self.weights = Weights(folder / MODEL_FILE)
        self._local = threading.local()

    @property
    def features(self) -> FeatureCache:
        return self._decoder().features

    def _decoder(self) -> Decoder:
        decoder = getattr(self._local, "decoder", None)
        if decoder is None:
            features = FeatureCache(vocabulary=self._vocabulary)
            decoder = self._local.decoder = Decoder(self.weights, features)
        return decoder

    def tag(self, tokens: Sequence[Token]) -> list[str]:
        """One IOB tag per token, sentence by sentence (the most likely sequence)."""
        return self.scored_tags(tokens)[0]

    def scored_tags(self, tokens: Sequence[Token]) -> tuple[list[str], dict[int, float]]:
        """The most likely tags, and for each token in a name the marginal probability
        of its tag."""
        return self._decoder().tag(tokens)

    def names(self, text: str, tokens: Sequence[Token] | None = None) -> list[Entity]:
        tokens = word_tokens(text) if tokens is None else tokens
        return self.entities(text, tokens, self.tag(tokens))

    def scored_names(self, text: str) -> list[tuple[Entity, float]]:
        """The names of the most likely tags, each with its confidence: the smallest
        marginal probability of its tags (how sure the model is of every word)."""
        tokens = word_tokens(text)
        labels, sure = self.scored_tags(tokens)
        return [(entity, min(sure[k] for k in range(first, last)))
                for entity, (first, last) in zip(self.entities(text, tokens, labels),
                                                 _runs(labels))]

    def entities(self, text: str, tokens: Sequence[Token], labels: Sequence[str]
                 ) -> list[Entity]:
        """Entities of IOB `labels` (an ``I-`` after another type starts a name), the
        first word's proclitics cut off."""
        found: list[Entity] = []
        i = 0
        while i < len(labels):
            if labels[i] == "O":
                i += 1
                continue
            entity_type = labels[i][2:]
            j = i + 1
            while j < len(labels) and labels[j] == "I-" + entity_type:
                j += 1
            found.append(self._entity(text, tokens, i, j, entity_type))
            i = j
        return found

    def _entity(self, text: str, tokens: Sequence[Token], first: int, last: int,
                entity_type: str) -> Entity:
        head = tokens[first]
        letters = self.clitics.get(head.norm)
        if letters is None:
            letters = _unseen_clitics(head.norm)
        if letters >= len(head.norm) - 1:
            letters = 0
        restored = letters >= 1 and head.norm[letters - 1:letters + 1] == "لل"
        start = head.start + skip_letters(head.text, letters)
        end = tokens[last - 1].end
        surface = text[start:end]
        return Entity(entity_type, surface, start, end,
                      entity_key(surface, restore_article=restored))
