"""Measuring an extractor: precision, recall and F1 per type on annotated texts.

Two sources of annotated texts: the hand-annotated gold set in ``tests/gold/`` (ids and
entity strings; the texts are read from the corpora and the seed article) and the
Wojood sample (``../shared/ner/wojood_sample``, nested IOB2, first tag column).

Three sources: the development gold set in ``tests/gold/entities_gold.jsonl`` (ids and
entity strings), the sealed test set in ``tests/gold/entities_test.jsonl`` (ids, a hash
of each text, and entity offsets; `load_test_set` re-reads the texts and checks both),
and the Wojood sample.

Two matching rules; both compare sets of distinct (type, key) per text, pooled over
texts (micro-averaged), so the gold and predicted counts are the same under both:

- **exact key** (`EXACT`): a predicted entity is correct when its type equals a gold
  entity's type and its key equals the gold string's `entity_key` (normalized text).
- **overlap** (`OVERLAP`): also correct when one of its mentions overlaps (shares a
  character with) a mention of a gold entity of the same type; a gold entity is found
  when some predicted entity of its type matches it either way. One prediction can
  cover two gold entities and the other way round, so precision and recall count
  separately (`correct` predictions, `found` gold entities). Gold mentions come from
  the stored offsets, or for the development set from finding each gold string in the
  text (`locate`).

Wojood attaches clitics to its tokens (``وطولكرم``), so for Wojood both sides are also
compared after `loose_key` removes one conjunction and one preposition clitic.
"""

from __future__ import annotations

import hashlib
import re
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
EXACT = "exact"
OVERLAP = "overlap"
MATCHING_RULES = (EXACT, OVERLAP)


@dataclass(frozen=True)
class AnnotatedText:
    id: str
    corpus: str
    field: str
    text: str
    entities: tuple[tuple[str, str], ...]  # (type, surface text)
    # (type, start, end) of each gold mention where the offsets are stored (test set)
    spans: tuple[tuple[str, int, int], ...] | None = None


@dataclass
class Counts:
    gold: Counter = field(default_factory=Counter)
    predicted: Counter = field(default_factory=Counter)
    correct: Counter = field(default_factory=Counter)  # predicted entities that match
    found: Counter = field(default_factory=Counter)  # gold entities matched

    def scores(self, types: Sequence[str]) -> dict[str, float | int | None]:
        gold = sum(self.gold[t] for t in types)
        predicted = sum(self.predicted[t] for t in types)
        correct = sum(self.correct[t] for t in types)
        found = sum(self.found[t] for t in types)
        precision = correct / predicted if predicted else None
        recall = found / gold if gold else None
        f1 = (2 * precision * recall / (precision + recall)
              if precision and recall else (0.0 if precision is not None
                                            and recall is not None else None))
        return {"precision": precision, "recall": recall, "f1": f1, "gold": gold,
                "predicted": predicted, "correct": correct, "found": found}


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
             key: Callable[[str], str] = lambda k: k, rule: str = EXACT) -> Counts:
    """Pooled counts per type under one matching rule (`EXACT` or `OVERLAP`)."""
    return evaluate_rules(texts, backend, key=key, rules=(rule,))[rule]


def evaluate_rules(texts: Iterable[AnnotatedText], backend: Backend, *,
                   key: Callable[[str], str] = lambda k: k,
                   rules: Sequence[str] = MATCHING_RULES) -> dict[str, Counts]:
    """Pooled counts per type under each matching rule, extracting each text once."""
    unknown = set(rules) - set(MATCHING_RULES)
    if unknown:
        raise ValueError(f"unknown matching rule {sorted(unknown)[0]!r}")
    results = {rule: Counts() for rule in rules}
    for item in texts:
        gold = _gold_mentions(item, key)
        predicted: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for entity in backend.extract(item.text):
            if entity.type in EVAL_TYPES:
                predicted.setdefault((entity.type, key(entity.key)), []).append(
                    (entity.start, entity.end))
        for rule, counts in results.items():
            _count(counts, gold, predicted, overlap=rule == OVERLAP)
    return results


def _gold_mentions(item: AnnotatedText, key: Callable[[str], str]
                   ) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Distinct gold (type, key) with the offsets of their mentions."""
    gold: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if item.spans is not None:
        for (entity_type, surface), (_, start, end) in zip(item.entities, item.spans):
            if entity_type in EVAL_TYPES:
                gold.setdefault((entity_type, key(entity_key(surface))), []).append(
                    (start, end))
        return gold
    located = [(entity_type, surface, span) for entity_type, surface in item.entities
               if entity_type in EVAL_TYPES for span in locate(item.text, surface)]
    spans = {span for _, _, span in located}
    for entity_type, surface, (start, end) in located:
        entity = gold.setdefault((entity_type, key(entity_key(surface))), [])
        # A surface found inside a longer gold mention (سيتي in مانشستر سيتي) is not
        # a mention of its own: only the outermost entity is annotated.
        if not any(s <= start and end <= e and e - s > end - start for s, e in spans):
            entity.append((start, end))
    for entity_type, surface in item.entities:
        if entity_type in EVAL_TYPES:
            gold.setdefault((entity_type, key(entity_key(surface))), [])
    return gold


def _count(counts: Counts, gold: dict, predicted: dict, *, overlap: bool) -> None:
    def matches(g: tuple[str, str], p: tuple[str, str]) -> bool:
        if g[0] != p[0]:
            return False
        if g == p:
            return True
        return overlap and any(gs < pe and ps < ge
                               for gs, ge in gold[g] for ps, pe in predicted[p])

    for g in gold:
        counts.gold[g[0]] += 1
        if any(matches(g, p) for p in predicted):
            counts.found[g[0]] += 1
    for p in predicted:
        counts.predicted[p[0]] += 1
        if any(matches(g, p) for g in gold):
            counts.correct[p[0]] += 1


_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def locate(text: str, surface: str) -> list[tuple[int, int]]:
    """Offsets of `surface` in `text` (alef, yeh and taa marbuta folded on both sides,
    which keeps lengths), not inside a longer word except after proclitics; a surface
    with the article is also found after ``لل`` (``للأمم`` holds ``الأمم``)."""
    folded_text, folded = text.translate(_FOLD), surface.translate(_FOLD)
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(folded), folded_text)
             if _word_edges(folded_text, m.start(), m.end())]
    if not found and folded.startswith("ال") and len(folded) > 3:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(folded[1:]), folded_text)
                 if m.start() and folded_text[m.start() - 1] == "ل"
                 and _word_edges(folded_text, m.start() - 1, m.end())]
    return found


def _word_edges(text: str, start: int, end: int) -> bool:
    def letter(char: str) -> bool:
        return char.isalnum() and char != "ـ"

    if end < len(text) and letter(text[end]):
        return False
    if start and text[start - 1] == "ـ":
        start -= 1
    for _ in range(2):
        if start and text[start - 1] in "وفبلك":
            start -= 1
    return not start or not letter(text[start - 1])


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


def load_test_set(path: Path, *, corpora_dir: Path) -> list[AnnotatedText]:
    """The sealed test set joined with its texts, re-read from the corpora: each row's
    text must hash to its ``sha256`` and each entity's ``text`` must equal the text at
    its ``start``/``end`` (a `DataError` naming the line otherwise)."""
    rows = _read_jsonl(path)
    wanted: dict[str, set[str]] = {}
    for line, row in enumerate(rows, start=1):
        missing = {"corpus", "id", "field", "paragraph", "sha256", "entities"} - set(row)
        if missing:
            raise DataError(f"missing keys {sorted(missing)}", path=str(path), line=line)
        wanted.setdefault(row["corpus"], set()).add(row["id"])
    sources = {corpus: _corpus_texts(corpus, ids, corpora_dir=corpora_dir,
                                     seed_dir=corpora_dir)
               for corpus, ids in wanted.items()}
    texts: list[AnnotatedText] = []
    for line, row in enumerate(rows, start=1):
        text = _test_text(row, sources[row["corpus"]].get(row["id"]), path=path, line=line)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["sha256"]:
            raise DataError(f"the text of {row['id']!r} ({row['field']}) no longer matches "
                            "its sha256: the corpus changed, re-annotate this text",
                            path=str(path), line=line)
        entities, spans = [], []
        for entity in row["entities"]:
            start, end, entity_type = entity["start"], entity["end"], entity["type"]
            if entity_type not in ENTITY_TYPES:
                raise DataError(f"unknown entity type {entity_type!r}", path=str(path),
                                line=line)
            if text[start:end] != entity["text"]:
                raise DataError(f"entity {entity['text']!r} is not the text at {start}-{end} "
                                f"({text[start:end]!r})", path=str(path), line=line)
            entities.append((entity_type, entity.get("form", entity["text"])))
            spans.append((entity_type, start, end))
        texts.append(AnnotatedText(row["id"], row["corpus"], row["field"], text,
                                   tuple(entities), tuple(spans)))
    return texts


def _test_text(row: dict, by_field: dict[str, str] | None, *, path: Path, line: int) -> str:
    if by_field is None or row["field"] not in by_field:
        raise DataError(f"test id {row['id']!r} ({row['corpus']}, {row['field']}) not found "
                        "in its corpus", path=str(path), line=line)
    text = by_field[row["field"]]
    if row["paragraph"] is None:
        return text
    paragraphs = text.split("\n")
    if not 0 <= row["paragraph"] < len(paragraphs):
        raise DataError(f"{row['id']!r} has no paragraph {row['paragraph']}",
                        path=str(path), line=line)
    return paragraphs[row["paragraph"]]


def _read_jsonl(path: Path) -> list[dict]:
    from benchmark import jsonl  # the one JSONL reader

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
    from benchmark.data.raw import corpus_fields

    return corpus_fields(path, ids=ids, fields=("summary", "article"))


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

