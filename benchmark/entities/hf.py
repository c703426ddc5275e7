"""The ``hf:<model id or path>`` backend: a transformers token-classification model for
names, unioned with the rules' DATE/NUM/PERCENT/MONEY pass.

Word-level aggregation (``aggregation_strategy="first"``: a word takes its first
sub-token's label), so a name never ends inside a word. Label schemes are mapped onto
ours (CAMeL's B-/I- PERS LOC ORG MISC; PER, PERSON; GPE, LOCATION, FAC; ORGANIZATION;
NORP -> MISC); the model's other labels (its own dates or numbers) are dropped, since the
rules own those types. Long texts go to the model in sentence chunks. The model ignores
``known``; cross-text matching still links surnames to full names.
"""

from __future__ import annotations

from typing import Any, Sequence

import regex

from benchmark.entities.gazetteer import GAZETTEER_VERSION, load_gazetteer
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.rules import RULES_VERSION, numeric_entities
from benchmark.entities.tokens import clitic_forms, skip_letters
from benchmark.errors import ConfigError
from benchmark.signature import Signature
from benchmark.text import normalize_arabic

LABELS = {
    "PERS": "PERS", "PER": "PERS", "PERSON": "PERS",
    "LOC": "LOC", "GPE": "LOC", "LOCATION": "LOC", "FAC": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "MISC": "MISC", "NORP": "MISC",
}
AGGREGATION = "first"
MAX_CHUNK_CHARS = 1500
_CHUNK_END = regex.compile(r"\n+|(?<=[.!?؟])\s+")
_HEAD = regex.compile(r"[^\p{L}\p{N}]+")
_TAIL = regex.compile(r"[^\p{L}\p{N}]+$")


def map_label(label: str) -> str | None:
    """Our type for a model label (``B-PER`` -> PERS), or None to drop it."""
    label = label.upper()
    if len(label) > 2 and label[1] == "-" and label[0] in "BIESLU":
        label = label[2:]
    return LABELS.get(label)


class HFBackend:
    name = "hf"

    def __init__(self, model: str, *, batch_size: int = 8, device: int | str = -1):
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self._pipeline: Any = None

    def signature(self) -> Signature:
        return Signature.of(ner=f"hf({self.model})+{RULES_VERSION}", gaz=GAZETTEER_VERSION)

    def _load(self) -> Any:
        if self._pipeline is None:
            try:
                from transformers import pipeline
            except ImportError as exc:
                raise ConfigError("the hf: entity backend needs transformers and torch",
                                  hint="install torch first (the CPU build, as in the README's set-up; pip keeps "
                     "it), then: pip install 'arsum-bench[hf]'") from exc
            try:
                self._pipeline = pipeline("token-classification", model=self.model,
                                          aggregation_strategy=AGGREGATION,
                                          device=self.device)
            except (OSError, ValueError) as exc:
                raise ConfigError(f"cannot load NER model {self.model!r}: "
                                  f"{str(exc).splitlines()[0]}") from None
        return self._pipeline

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        found = numeric_entities(text)
        taken = bytearray(len(text))
        for entity in found:
            taken[entity.start:entity.end] = b"\x01" * (entity.end - entity.start)
        chunks = chunk_spans(text)
        if chunks:
            outputs = self._load()([text[s:e] for s, e in chunks], batch_size=self.batch_size)
            for (offset, _), predictions in zip(chunks, outputs):
                for prediction in predictions:
                    entity = self._entity(text, prediction, offset)
                    if entity is not None and not any(taken[entity.start:entity.end]):
                        found.append(entity)
        return sorted(found, key=lambda e: (e.start, e.end))

    def _entity(self, text: str, prediction: dict, offset: int) -> Entity | None:
        entity_type = map_label(prediction.get("entity_group") or prediction.get("entity", ""))
        if entity_type is None or prediction.get("start") is None:
            return None
        start, end = offset + prediction["start"], offset + prediction["end"]
        start, end = _trim(text, start, end)
        if start >= end:
            return None
        start, restored = _strip_known_clitic(text, start, end)
        surface = text[start:end]
        return Entity(entity_type, surface, start, end,
                      entity_key(surface, restore_article=restored))


def chunk_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of sentence groups of at most `MAX_CHUNK_CHARS` characters."""
    spans: list[tuple[int, int]] = []
    pieces = [m.end() for m in _CHUNK_END.finditer(text)] + [len(text)]
    chunk_start, last = 0, 0
    for boundary in pieces:
        if boundary - chunk_start > MAX_CHUNK_CHARS and last > chunk_start:
            spans.append((chunk_start, last))
            chunk_start = last
        last = boundary
    if last > chunk_start:
        spans.append((chunk_start, last))
    result = []
    for start, end in spans:
        while start < end and len(text[start:end]) > MAX_CHUNK_CHARS:
            result.append((start, start + MAX_CHUNK_CHARS))
            start += MAX_CHUNK_CHARS
        if text[start:end].strip():
            result.append((start, end))
    return result


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop spaces and punctuation the model included at either end."""
    surface = text[start:end]
    head = _HEAD.match(surface)
    tail = _TAIL.search(surface)
    new_start = start + (head.end() if head else 0)
    new_end = end - (len(tail.group()) if tail else 0)
    return new_start, max(new_start, new_end)


def _strip_known_clitic(text: str, start: int, end: int) -> tuple[int, bool]:
    """Move `start` past a proclitic when the rest of the word begins a list name
    (``بالسعودية`` -> ``السعودية``); the model labels whole words."""
    word = regex.match(r"[\p{L}\p{M}]+", text[start:end])
    if word is None:
        return start, False
    phrases = load_gazetteer().phrases
    norm = normalize_arabic(word.group())
    if phrases.starting_with(norm):
        return start, False
    for form in clitic_forms(norm)[1:]:
        if phrases.starting_with(form.form):
            return start + skip_letters(word.group(), form.stripped), form.restored_article
    return start, False
