"""Training data for the learned tagger: the corpora's texts, labelled by the rules.

`read_corpora` reads every ``*.jsonl`` of a folder (records with ``id``, ``article``,
``summary``) and drops, whole (article and summary), each record of the annotated
evaluation sets: the development set's ids, the sealed test set's ids, and any record
whose summary or article paragraph hashes to a text of the sealed set (a renamed copy
of a corpus is still caught). What it dropped is counted for the model card.

`label_text` turns the rules' names in a text into one IOB tag per word token
(``B-PERS``, ``I-PERS``, ``O``, ...), and notes how many proclitic letters each name's
first word carries (``بالسعودية`` -> 1), which the tagger does not predict: the
model keeps the most frequent count per word (`clitic_lexicon`).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import regex

from benchmark.entities.learned.features import sentences
from benchmark.entities.model import Entity
from benchmark.entities.tokens import Token, word_tokens
from benchmark.errors import DataError

LABELLED_TYPES = ("PERS", "LOC", "ORG", "MISC")
_MARKS = regex.compile(r"\p{M}")


@dataclass(frozen=True)
class HeldOut:
    """The annotated evaluation records that training must never see."""

    ids: frozenset[str]
    text_hashes: frozenset[str]
    sources: tuple[str, ...]  # sha256 of each annotation file read

    @classmethod
    def from_files(cls, *paths: Path) -> "HeldOut":
        ids, hashes, sources = set(), set(), []
        for path in paths:
            if not path.is_file():
                raise DataError("evaluation annotations not found", path=str(path))
            data = path.read_bytes()
            sources.append(hashlib.sha256(data).hexdigest())
            for line in data.decode("utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    ids.add(row["id"])
                    if "sha256" in row:
                        hashes.add(row["sha256"])
        return cls(frozenset(ids), frozenset(hashes), tuple(sources))

    def holds(self, record: dict) -> bool:
        if record.get("id") in self.ids:
            return True
        if not self.text_hashes:
            return False
        texts = [record.get("summary") or ""] + (record.get("article") or "").split("\n")
        return any(_sha(text) in self.text_hashes for text in texts)


@dataclass
class CorpusFile:
    name: str
    sha256: str
    records: int
    used: int
    dropped: int


@dataclass
class Corpora:
    files: list[CorpusFile] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)  # (file, id, article, summary)

    @property
    def dropped(self) -> int:
        return sum(f.dropped for f in self.files)

    def identity(self) -> str:
        """sha256 over the names and hashes of the input files, in name order."""
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.name):
            digest.update(f"{f.name}\t{f.sha256}\n".encode())
        return digest.hexdigest()


def read_corpora(folder: Path, *, held_out: HeldOut) -> Corpora:
    """Every ``*.jsonl`` of `folder`, in name order, without the held-out records."""
    paths = sorted(folder.glob("*.jsonl")) if folder.is_dir() else []
    if not paths:
        raise DataError("no *.jsonl corpus files to train on", path=str(folder))
    corpora = Corpora()
    for path in paths:
        data = path.read_bytes()
        used = dropped = total = 0
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise DataError("not JSON", path=str(path), line=number) from None
            if not isinstance(record, dict) or not isinstance(record.get("article"), str):
                raise DataError("a record needs an 'article' string", path=str(path),
                                line=number)
            total += 1
            if held_out.holds(record):
                dropped += 1
                continue
            used += 1
            corpora.records.append({"file": path.stem, "id": str(record.get("id", number)),
                                    "article": record["article"],
                                    "summary": record.get("summary") or ""})
        corpora.files.append(CorpusFile(path.name, hashlib.sha256(data).hexdigest(), total,
                                        used, dropped))
    return corpora


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[Token, ...]
    labels: tuple[str, ...]


def record_texts(record: dict) -> Iterator[str]:
    """The texts of a record the tagger learns from: the summary, then each article
    paragraph."""
    if record["summary"].strip():
        yield record["summary"]
    for paragraph in record["article"].split("\n"):
        if paragraph.strip():
            yield paragraph


def label_text(text: str, entities: list[Entity], clitics: Counter | None = None
               ) -> list[Sentence]:
    """The sentences of `text` with IOB tags from `entities` (its names; a name that
    does not cover whole words is left out: its sentence is dropped, as unreliable).
    Counts ``(first word, proclitic letters)`` of each name into `clitics`."""
    tokens = word_tokens(text)
    labels = ["O"] * len(tokens)
    bad: set[int] = set()
    starts = [t.start for t in tokens]
    for entity in entities:
        if entity.type not in LABELLED_TYPES:
            continue
        first = bisect.bisect_right(starts, entity.start) - 1
        last = bisect.bisect_left(starts, entity.end)  # tokens [first, last)
        if first < 0 or tokens[last - 1].end != entity.end or last <= first:
            if first >= 0:
                bad.add(first)
            continue
        head = tokens[first]
        labels[first] = f"B-{entity.type}"
        for k in range(first + 1, last):
            labels[k] = f"I-{entity.type}"
        if clitics is not None:
            letters = len(_MARKS.sub("", text[head.start:entity.start]))
            clitics[(head.norm, letters)] += 1
    result = []
    for start, end in sentences(tokens):
        if any(start <= b < end for b in bad):
            continue
        result.append(Sentence(tuple(tokens[start:end]), tuple(labels[start:end])))
    return result


def clitic_lexicon(clitics: Counter, *, min_count: int = 1) -> dict[str, int]:
    """Per first word of a name: the proclitic letter count seen most often (ties: the
    smaller count), kept only where it differs from `default_clitics`'s guess."""
    by_word: dict[str, Counter] = defaultdict(Counter)
    for (word, letters), count in clitics.items():
        by_word[word][letters] += count
    lexicon = {}
    for word in sorted(by_word):
        counts = by_word[word]
        best = min(counts, key=lambda n: (-counts[n], n))
        if sum(counts.values()) >= min_count and best != default_clitics(word):
            lexicon[word] = best
    return lexicon


_ARTICLE_CLITICS = ("وبال", "فبال", "وكال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل",
                    "لل")


def default_clitics(norm: str) -> int:
    """The proclitic letters of a name's first word that no lexicon entry covers: those
    before a definite article (``وبالسعوديه`` -> 2, ``للامم`` -> 1), else none."""
    for prefix in _ARTICLE_CLITICS:
        if norm.startswith(prefix) and len(norm) > len(prefix) + 1:
            return len(prefix) - 2 if not prefix.endswith("لل") else len(prefix) - 1
    return 0


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Wojood's types onto the tagger's; OCC, EVENT, DATE, numbers and the rest are not
# names here (and numbers stay with the rules).
WOJOOD_NAMES = {"PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
                "NORP": "MISC"}


def read_wojood_sentences(path: Path) -> list[Sentence]:
    """A Wojood IOB2 file (``token TAG [TAG ...]``, nested, outermost first) as tagged
    sentences of word tokens: per token, the outermost tag whose type is a name
    (`WOJOOD_NAMES`), so a place inside an occupation span is still a place. A
    whitespace token of several letter runs gives its tag to the first, ``I-`` to the
    rest; tokens without letters (digits, punctuation) are not word tokens."""
    if not path.is_file():
        raise DataError("Wojood file not found", path=str(path))
    result: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines() + [""], 1):
        parts = raw.split()
        if parts and len(parts) < 2:
            raise DataError("expected 'token TAG [TAG ...]'", path=str(path), line=number)
        if parts:
            words.append(parts[0])
            tags.append(_name_tag(parts[1:]))
            continue
        if words:
            result.append(_wojood_sentence(words, tags))
        words, tags = [], []
    return [s for s in result if s.tokens]


def _name_tag(tags: list[str]) -> str:
    for tag in tags:
        prefix, _, label = tag.partition("-")
        if label in WOJOOD_NAMES:
            return f"{prefix}-{WOJOOD_NAMES[label]}"
    return "O"


def _wojood_sentence(words: list[str], tags: list[str]) -> Sentence:
    text = " ".join(words)
    ends = list(itertools.accumulate(len(w) + 1 for w in words))  # end + 1 of each word
    tokens = word_tokens(text)
    labels: list[str] = []
    word_of_previous = -1
    for token in tokens:
        k = bisect.bisect_right(ends, token.start)
        tag = tags[k]
        if tag != "O" and k == word_of_previous:
            tag = "I-" + tag[2:]
        if tag.startswith("I-") and (not labels or labels[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        labels.append(tag)
        word_of_previous = k
    return Sentence(tuple(tokens), tuple(labels))
