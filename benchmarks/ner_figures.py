"""Names figures of ``rules`` against ``learned`` on every annotated set, as Markdown
tables (what docs/entities.md shows), and optionally into the model's card.

    python benchmarks/ner_figures.py [--model FOLDER] [--write-card]
                                     [--sets dev,val,sealed,wojood-test,wojood-val]

Sets: ``dev`` (the 60 development summaries), ``val`` (the validation set of names),
``sealed`` (the sealed test set), ``wojood-test`` and ``wojood-val`` (Wojood's
conventions, overlap keys loosened as `bench ner eval --gold wojood` does); texts from
``../shared``. Per type PERS, LOC, ORG and PERS+LOC+ORG: P, R, F1 by exact key, F1~
by overlap, the gold count. ``--write-card`` stores the learned model's rows in the
``evaluation`` field of its ``model.json`` (the weights and their hash are untouched),
with whether the validation set's texts were kept out of its training.
Only the dev and val sets may choose a recipe; the sealed set is measured, never tuned
on. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TYPES = ("PERS", "LOC", "ORG", "PERS+LOC+ORG")
TITLES = {"dev": "Development set (60 summaries; a development figure)",
          "val": "Validation set (102 corpus texts, names only; a development figure)",
          "sealed": "Sealed test set (178 texts)",
          "wojood-test": "Wojood sample, test split (357 sentences; Wojood's conventions)",
          "wojood-val": "Wojood sample, val split (158 sentences; a development figure)"}


def load(name: str):
    """The texts of set `name` and the key its matching uses."""
    from benchmark.entities.evaluate import load_gold, load_test_set, loose_key, read_wojood
    from benchmark.paths import BUNDLED_DATASET, BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL

    corpora = SHARED / "corpora"
    same = lambda key: key  # noqa: E731
    if name == "dev":
        texts = load_gold(BUNDLED_GOLD, corpora_dir=corpora, seed_dir=BUNDLED_DATASET)
        return [t for t in texts if t.field == "summary"], same
    if name in ("val", "sealed"):
        return load_test_set(BUNDLED_VAL if name == "val" else BUNDLED_TEST,
                             corpora_dir=corpora), same
    split = name.split("-")[1]
    return read_wojood(SHARED / "ner" / "wojood_sample" / f"{split}.txt"), loose_key


def rows(backend, texts, key) -> dict:
    """Per type: precision, recall, F1 (exact key), F1 by overlap, gold count (x100)."""
    from benchmark.entities.evaluate import evaluate_rules, score_table

    counts = evaluate_rules(texts, backend, key=key)
    exact, overlap = score_table(counts["exact"]), score_table(counts["overlap"])
    percent = lambda value: None if value is None else round(100 * value, 1)  # noqa: E731
    return {t: {"P": percent(exact[t]["precision"]), "R": percent(exact[t]["recall"]),
                "F1": percent(exact[t]["f1"]), "F1_overlap": percent(overlap[t]["f1"]),
                "gold": exact[t]["gold"]} for t in TYPES}


def table(rules: dict, learned: dict) -> str:
    lines = ["| type | rules P | R | F1 | F1~ | learned P | R | F1 | F1~ | gold |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for t in TYPES:
        cells = [rules[t][k] for k in ("P", "R", "F1", "F1_overlap")]
        cells += [learned[t][k] for k in ("P", "R", "F1", "F1_overlap")]
        shown = [f"**{c}**" if t == "PERS+LOC+ORG" and n % 4 >= 2 else str(c)
                 for n, c in enumerate(cells)]
        name = f"**{t}**" if t == "PERS+LOC+ORG" else t
        lines.append(f"| {name} | " + " | ".join(shown) + f" | {rules[t]['gold']} |")
    return "\n".join(lines)


def val_excluded(card: dict) -> bool:
    """Were the validation set's records dropped before this model was trained? (A
    model trained before the set existed read its texts, with the rules' labels.)"""
    import hashlib

    from benchmark.paths import BUNDLED_VAL

    digest = hashlib.sha256(BUNDLED_VAL.read_bytes()).hexdigest()
    return digest in card["training_data"]["evaluation_sets_sha256"]


def main() -> None:
    from benchmark.entities.extract import get_backend
    from benchmark.entities.learned.backend import shipped_model

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--sets", default=",".join(TITLES))
    parser.add_argument("--write-card", action="store_true")
    args = parser.parse_args()
    folder = args.model or shipped_model()
    rules, learned = get_backend("rules"), get_backend(f"learned:{folder}")
    print(f"`{rules.signature()}` against `{learned.signature()}`; P, R, F1 by exact "
          "key, F1~ by overlap (x100)")
    evaluation = {}
    for name in args.sets.split(","):
        texts, key = load(name)
        ruled, tagged = rows(rules, texts, key), rows(learned, texts, key)
        evaluation[name] = tagged
        print(f"\n{TITLES[name]}:\n\n{table(ruled, tagged)}")
    if args.write_card:
        path = folder / "model.json"
        card = json.loads(path.read_text(encoding="utf-8"))
        card["evaluation"] = {"command": "python benchmarks/ner_figures.py",
                              "backend": str(learned.signature()), "sets": evaluation,
                              "development_sets": ["dev", "val", "wojood-val"],
                              "val_texts_excluded_from_training": val_excluded(card)}
        path.write_text(json.dumps(card, ensure_ascii=False, indent=1, sort_keys=True)
                        + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
