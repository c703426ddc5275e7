"""Draw the texts of the sealed entity test set (`entities_test.jsonl`).

Run from the repository root: ``python tests/gold/sample_test_set.py`` (reads
``../shared/corpora/``; ``--corpora DIR`` to point elsewhere). Prints one JSON line per
drawn text: ``{"corpus", "id", "field", "paragraph", "why"}``; never the texts.

1. **Random draws** (``numpy.random.default_rng(SEED)``): for each corpus in `CORPORA`
   order, its records (file order) minus every id of ``entities_gold.jsonl`` are
   permuted once; the first `SUMMARIES[corpus]` give their reference summary, the next
   records give one article paragraph each (paragraphs = the article split at newlines;
   eligible when `PARAGRAPH_WORDS` holds its word count; one eligible paragraph picked
   at random per record; records with none are skipped) until `PARAGRAPHS[corpus]`.
2. **PERCENT / MONEY search** (deterministic; random draws hold few of either): the
   summaries of the four corpora, corpus by corpus in `CORPORA` order and file order,
   skipping excluded and already drawn records; a summary is added when `PERCENT_RE`
   (or `MONEY_RE`) finds a mention in it and the set's count of that pattern's matches
   is still under `QUOTA`; it stops when both counts reach `QUOTA`. The patterns only
   find candidates; the annotation decides what each mention is.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np

SEED = 20261201
CORPORA = ("ant_bbc", "ant_cnn", "ant_france24_leadsplit", "marsum_test")
SUMMARIES = {"ant_bbc": 35, "ant_cnn": 25, "ant_france24_leadsplit": 35, "marsum_test": 25}
PARAGRAPHS = {"ant_bbc": 8, "ant_cnn": 7, "ant_france24_leadsplit": 8, "marsum_test": 7}
PARAGRAPH_WORDS = range(12, 81)  # 12 to 80 words: one readable paragraph
QUOTA = 17  # pattern matches wanted per type (the guideline quota is 15 annotated)
_NUMBER = r"[0-9٠-٩][0-9٠-٩.,٫]*"
PERCENT_RE = re.compile(_NUMBER + r"\s*(?:%|٪|في\s*الما?ئة|بالما?ئة)")
MONEY_RE = re.compile(
    _NUMBER + r"\s*(?:(?:ألف|آلاف|مليون|ملايين|مليار|مليارات|بليون|ترليون|تريليون)\s*)?"
    r"(?:دولار|يورو|جنيه|ريال|درهم|دينار|ليرة|روبية|روبل|يوان|فرنك|إسترليني|استرليني)")

ROOT = Path(__file__).resolve().parents[2]
DEV_GOLD = ROOT / "tests" / "gold" / "entities_gold.jsonl"


def draw(corpora_dir: Path) -> list[dict]:
    """The drawn texts, in the order of the two steps above."""
    excluded = {json.loads(line)["id"]
                for line in DEV_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()}
    rng = np.random.default_rng(SEED)
    records = {}
    for corpus in CORPORA:
        with (corpora_dir / f"{corpus}.jsonl").open(encoding="utf-8") as handle:
            records[corpus] = [r for r in map(json.loads, handle) if r["id"] not in excluded]
    picked: list[dict] = []
    for corpus in CORPORA:
        rows = records[corpus]
        order = rng.permutation(len(rows))
        for index in order[:SUMMARIES[corpus]]:
            picked.append(_item(corpus, rows[index]["id"], "summary", None, "random"))
        paragraphs = 0
        for index in order[SUMMARIES[corpus]:]:
            if paragraphs == PARAGRAPHS[corpus]:
                break
            parts = rows[index]["article"].split("\n")
            eligible = [i for i, p in enumerate(parts) if len(p.split()) in PARAGRAPH_WORDS]
            if eligible:
                choice = eligible[int(rng.integers(len(eligible)))]
                picked.append(_item(corpus, rows[index]["id"], "article", choice, "random"))
                paragraphs += 1
    taken = {(p["corpus"], p["id"]) for p in picked}
    counts = {"PERCENT": 0, "MONEY": 0}
    for corpus, record_id, text in _picked_texts(picked, records):
        counts["PERCENT"] += len(PERCENT_RE.findall(text))
        counts["MONEY"] += len(MONEY_RE.findall(text))
    for corpus in CORPORA:
        for record in records[corpus]:
            if min(counts.values()) >= QUOTA:
                return picked
            if (corpus, record["id"]) in taken:
                continue
            found = {"PERCENT": len(PERCENT_RE.findall(record["summary"])),
                     "MONEY": len(MONEY_RE.findall(record["summary"]))}
            wanted = [t for t, n in found.items() if n and counts[t] < QUOTA]
            if wanted:
                picked.append(_item(corpus, record["id"], "summary", None,
                                    "search:" + "+".join(wanted)))
                taken.add((corpus, record["id"]))
                for entity_type, n in found.items():
                    counts[entity_type] += n
    return picked


def _item(corpus: str, record_id: str, field: str, paragraph: int | None, why: str) -> dict:
    return {"corpus": corpus, "id": record_id, "field": field, "paragraph": paragraph,
            "why": why}


def _picked_texts(picked: list[dict], records: dict[str, list[dict]]):
    by_id = {(c, r["id"]): r for c, rows in records.items() for r in rows}
    for item in picked:
        record = by_id[(item["corpus"], item["id"])]
        text = (record["summary"] if item["field"] == "summary"
                else record["article"].split("\n")[item["paragraph"]])
        yield item["corpus"], item["id"], text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    for item in draw(args.corpora):
        print(json.dumps(item, ensure_ascii=False))


if __name__ == "__main__":
    main()
