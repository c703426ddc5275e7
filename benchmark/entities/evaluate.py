"""Measuring an extractor: precision, recall and F1 per type on annotated texts.

Two sources of annotated texts: the hand-annotated gold set in ``tests/gold/`` (ids and
entity strings; the texts are read from the corpora and the seed article) and the
Wojood sample (``../shared/ner/wojood_sample``, nested IOB2, first tag column).

Match rule: a predicted entity is correct when its type equals a gold entity's type and
its key equals the gold string's `entity_key` (normalized text, exact). Each text
contributes sets of (type, key); counts are pooled over texts (micro-averaged).
Wojood attaches clitics to its tokens (``وطولكرم``), so for Wojood both sides are also
compared after `loose_key` removes one conjunction and one preposition clitic.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from benchmark.entities.model import ENTITY_TYPES, entity_key
from benchmark.entities.registry import Backend
from benchmark.errors import DataError

EVAL_TYPES = ("PERS", "LOC", "ORG", "DATE", "NUM", "PERCENT", "MONEY")
GROUPS = {"PERS+LOC+ORG": ("PERS", "LOC", "ORG"),
          "DATE+NUM+PERCENT+MONEY": ("DATE", "NUM", "PERCENT", "MONEY")}
# Wojood's 21 types onto ours; the rest (NORP, OCC, EVENT, TIME, ...) are not scored.
WOJOOD_TYPES = {"PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
                "DATE": "DATE", "CARDINAL": "NUM", "ORDINAL": "NUM",
                "PERCENT": "PERCENT", "MONEY": "MONEY"}
WOJOOD_SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class AnnotatedText:
    id: str
    corpus: str
    field: str
    text: str
    entities: tuple[tuple[str, str], ...]  # (type, surface text)


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def scores(self, types: Sequence[str]) -> dict[str, float | int | None]:
        tp = sum(self.tp[t] for t in types)
        fp = sum(self.fp[t] for t in types)
        fn = sum(self.fn[t] for t in types)
        precision = tp / (tp + fp) if tp + fp else None
        recall = tp / (tp + fn) if tp + fn else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision and recall else (0.0 if precision is not None
                                            and recall is not None else None))
        return {"precision": precision, "recall": recall, "f1": f1, "gold": tp + fn,
                "predicted": tp + fp, "correct": tp}


def loose_key(key: str) -> str:
    """`key` without one leading conjunction and one preposition clitic (both sides of a
    Wojood comparison go through it, so the stripping need not be right, only equal)."""
    for prefix, replacement in (("وال", "ال"), ("فال", "ال"), ("بال", "ال"), ("كال", "ال"),
                                ("لل", "ال")):
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            return replacement + key[len(prefix):]
    if key[:1] in ("و", "ف") and len(key) > 4:
        key = key[1:]
    if key[:1] in ("ب", "ل", "ك") and len(key) > 4:
        key = key[1:]
    return key


def evaluate(texts: Iterable[AnnotatedText], backend: Backend, *,
             key: Callable[[str], str] = lambda k: k) -> Counts:
    """Pooled true/false positives and false negatives per type."""
    counts = Counts()
    for item in texts:
        gold = {(t, key(entity_key(s))) for t, s in item.entities if t in EVAL_TYPES}
        predicted = {(e.type, key(e.key)) for e in backend.extract(item.text)
                     if e.type in EVAL_TYPES}
        for entity_type, _ in gold & predicted:
            counts.tp[entity_type] += 1
        for entity_type, _ in predicted - gold:
            counts.fp[entity_type] += 1
        for entity_type, _ in gold - predicted:
            counts.fn[entity_type] += 1
    return counts


def score_table(counts: Counts) -> dict[str, dict[str, float | int | None]]:
    """Rows per type, then per group, then all types together."""
    rows = {t: counts.scores([t]) for t in EVAL_TYPES}
    rows.update({name: counts.scores(types) for name, types in GROUPS.items()})
    rows["ALL"] = counts.scores(EVAL_TYPES)
    return rows


def load_gold(path: Path, *, corpora_dir: Path, seed_dir: Path,
              only_corpus: str | None = None) -> list[AnnotatedText]:
    """The gold annotations joined with their texts (read from the corpora and seed);
    with `only_corpus`, those of that corpus alone (``"seed"`` needs no corpora)."""
    rows = [row for row in _read_jsonl(path)
            if only_corpus is None or row["corpus"] == only_corpus]
    texts: list[AnnotatedText] = []
    wanted: dict[str, set[str]] = {}
    for row in rows:
        wanted.setdefault(row["corpus"], set()).add(row["id"])
    sources = {corpus: _corpus_texts(corpus, ids, corpora_dir=corpora_dir, seed_dir=seed_dir)
               for corpus, ids in wanted.items()}
    for line, row in enumerate(rows, start=1):
        by_field = sources[row["corpus"]].get(row["id"])
        if by_field is None or row["field"] not in by_field:
            raise DataError(f"gold id {row['id']!r} ({row['corpus']}, {row['field']}) not "
                            "found in its corpus", path=str(path), line=line)
        entities = tuple((e["type"], e["text"]) for e in row["entities"])
        bad = [t for t, _ in entities if t not in ENTITY_TYPES]
        if bad:
            raise DataError(f"unknown entity type {bad[0]!r}", path=str(path), line=line)
        texts.append(AnnotatedText(row["id"], row["corpus"], row["field"],
                                   by_field[row["field"]], entities))
    return texts


def _read_jsonl(path: Path) -> list[dict]:
    from benchmark.runs import jsonl  # the one JSONL reader; a leaf module

    if not path.is_file():
        raise DataError("gold file not found", path=str(path))
    return [line.record for line in
            jsonl.iter_lines(path, required=("id", "corpus", "field", "entities"))]


def _corpus_texts(corpus: str, ids: set[str], *, corpora_dir: Path,
                  seed_dir: Path) -> dict[str, dict[str, str]]:
    if corpus == "seed":
        from benchmark.data.seed import read_seed_file

        found = {}
        for record_id in ids:
            example = read_seed_file(seed_dir / f"{record_id}.txt")
            found[record_id] = {"bullets": example.summary, "article": example.article}
        return found
    path = corpora_dir / f"{corpus}.jsonl"
    if not path.is_file():
        raise DataError(f"corpus {corpus!r} not found; the gold set reads its texts from "
                        f"{corpora_dir}", path=str(path))
    found = {}
    with path.open(encoding="utf-8") as handle:
        for raw in handle:
            record = json.loads(raw)
            if record["id"] in ids:
                found[record["id"]] = {"summary": record["summary"],
                                       "article": record["article"]}
    return found


def read_wojood(path: Path) -> list[AnnotatedText]:
    """Sentences of a Wojood IOB2 file (tokens joined by spaces) with the entities of
    the first tag column mapped by `WOJOOD_TYPES`."""
    if not path.is_file():
        raise DataError("Wojood file not found", path=str(path))
    texts: list[AnnotatedText] = []
    tokens: list[str] = []
    tags: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines() + [""]
    for number, raw in enumerate(lines, start=1):
        parts = raw.split()
        if not parts:
            if tokens:
                texts.append(AnnotatedText(f"{path.stem}:{len(texts) + 1}", "wojood",
                                           path.stem, " ".join(tokens), _spans(tokens, tags)))
            tokens, tags = [], []
            continue
        if len(parts) < 2:
            raise DataError("expected 'token TAG [TAG ...]'", path=str(path), line=number)
        tokens.append(parts[0])
        tags.append(parts[1])
    return texts


def _spans(tokens: list[str], tags: list[str]) -> tuple[tuple[str, str], ...]:
    spans: list[tuple[str, list[str]]] = []
    for token, tag in zip(tokens, tags):
        prefix, _, label = tag.partition("-")
        if prefix == "B" or (prefix == "I" and (not spans or spans[-1][0] != label)):
            spans.append((label, [token]))
        elif prefix == "I":
            spans[-1][1].append(token)
        else:
            spans.append(("O", []))
    return tuple((WOJOOD_TYPES[label], " ".join(words)) for label, words in spans
                 if label in WOJOOD_TYPES)

