"""Write the equivalence fixture of the ``rules`` entity extractor: the entities of the
articles and summaries of the first 500 BBC items, as the extractor on PYTHONPATH finds
them. `tests/test_entities_equivalence.py` re-extracts and compares exactly, so a speed
change that alters any entity fails.

The fixture holds no corpus text: per text its item id, a SHA-256 of the text (to notice
a changed corpus) and the entity tuples ``(type, start, end, key, value, currency)``.
Summaries are extracted with ``known=`` the article's entities, as the metric does.

    python benchmarks/entities_fixture.py [--items 500] [--rules-commit HASH]

Regenerate it from the rules *before* a speed change (e.g. in a temporary worktree of
the rules branch: ``PYTHONPATH=<that worktree> python benchmarks/entities_fixture.py``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import time
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant_bbc.jsonl"
FIXTURE = ROOT / "tests" / "data" / "entities_bbc500.jsonl.gz"
FIELDS = ("article", "summary")


def corpus_texts(path: Path, items: int) -> Iterator[tuple[str, str]]:
    """(item id, article) and (item id, summary) of the first `items` items."""
    with path.open(encoding="utf-8") as handle:
        for count, line in enumerate(handle):
            if count >= items:
                return
            record = json.loads(line)
            yield record["id"], record["article"], record["summary"]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entity_rows(entities) -> list[list]:
    return [[e.type, e.start, e.end, e.key, e.value, e.currency] for e in entities]


def extract_records(backend, items: Iterator[tuple[str, str, str]]) -> Iterator[dict]:
    """One record per text: id, field, digest, entity rows."""
    for item_id, article, summary in items:
        found = backend.extract(article)
        yield {"id": item_id, "field": "article", "sha": text_digest(article),
               "entities": entity_rows(found)}
        yield {"id": item_id, "field": "summary", "sha": text_digest(summary),
               "entities": entity_rows(backend.extract(summary, known=found))}


def main() -> None:
    from benchmark.entities.rules import RulesBackend

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--rules-commit", default="", help="the commit the rules came from")
    parser.add_argument("--out", type=Path, default=FIXTURE)
    args = parser.parse_args()
    backend = RulesBackend()
    started = time.process_time()
    records = list(extract_records(backend, corpus_texts(CORPUS, args.items)))
    seconds = time.process_time() - started
    header = {"extractor": backend.signature().format(), "rules_commit": args.rules_commit,
              "corpus": CORPUS.name, "items": args.items, "cpu_seconds": round(seconds, 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
                    for record in [header, *records])
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))  # mtime 0: the same entities, the same bytes
    entities = sum(len(r["entities"]) for r in records)
    print(f"{len(records)} texts, {entities} entities, {seconds:.1f} s CPU -> {args.out} "
          f"({args.out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
