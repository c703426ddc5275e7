"""Draw the texts of the validation set of names (`entities_val.jsonl`).

The learned NER backend (issue 22) needs a set to choose its recipe on that the rules
were never revised against, like the sealed test set, without ever reading the sealed
set: this one. Run from the repository root: ``python tests/gold/sample_val_set.py``
(reads ``../shared/corpora/``; ``--corpora DIR`` to point elsewhere). Prints one JSON
line per drawn text: ``{"corpus", "id", "field", "paragraph", "why"}``; never the texts.

With ``numpy.random.default_rng(SEED)``, for each corpus in `CORPORA` order, its
records (file order) minus every record of the development and sealed test sets (by
id, and by the hash of any sealed text, as training drops them) are permuted once; the
first `SUMMARIES[corpus]` give their reference summary, the next records give one
article paragraph each (paragraphs = the article split at newlines; eligible when
`PARAGRAPH_WORDS` holds its word count; one eligible paragraph picked at random per
record; records with none are skipped) until `PARAGRAPHS[corpus]`. The same recipe as
the sealed set's random draws, another seed, no search for numbers (the set measures
names).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

SEED = 20261222
CORPORA = ("ant_bbc", "ant_cnn", "ant_france24_leadsplit", "marsum_test")
SUMMARIES = {"ant_bbc": 25, "ant_cnn": 15, "ant_france24_leadsplit": 25, "marsum_test": 15}
PARAGRAPHS = {"ant_bbc": 6, "ant_cnn": 5, "ant_france24_leadsplit": 6, "marsum_test": 5}
PARAGRAPH_WORDS = range(12, 81)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold"


def _excluded() -> tuple[set[str], set[str]]:
    ids, hashes = set(), set()
    for name in ("entities_gold.jsonl", "entities_test.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                ids.add(row["id"])
                if "sha256" in row:
                    hashes.add(row["sha256"])
    return ids, hashes


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _held(record: dict, ids: set[str], hashes: set[str]) -> bool:
    texts = [record.get("summary") or ""] + (record.get("article") or "").split("\n")
    return record["id"] in ids or any(_sha(t) in hashes for t in texts)


def draw(corpora_dir: Path) -> list[dict]:
    ids, hashes = _excluded()
    rng = np.random.default_rng(SEED)
    picked: list[dict] = []
    for corpus in CORPORA:
        with (corpora_dir / f"{corpus}.jsonl").open(encoding="utf-8") as handle:
            rows = [r for r in map(json.loads, handle) if not _held(r, ids, hashes)]
        order = rng.permutation(len(rows))
        for index in order[:SUMMARIES[corpus]]:
            picked.append(_item(corpus, rows[index]["id"], "summary", None))
        paragraphs = 0
        for index in order[SUMMARIES[corpus]:]:
            if paragraphs == PARAGRAPHS[corpus]:
                break
            parts = rows[index]["article"].split("\n")
            eligible = [i for i, p in enumerate(parts) if len(p.split()) in PARAGRAPH_WORDS]
            if eligible:
                choice = eligible[int(rng.integers(len(eligible)))]
                picked.append(_item(corpus, rows[index]["id"], "article", choice))
                paragraphs += 1
    return picked


def _item(corpus: str, record_id: str, field: str, paragraph: int | None) -> dict:
    return {"corpus": corpus, "id": record_id, "field": field, "paragraph": paragraph,
            "why": "random"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    for item in draw(args.corpora):
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
