"""``bench ner eval|extract|train``: measure an entity backend, show what it finds, or
train the learned backend's tagger (`benchmark.cli.ner_train`)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, fail, user_errors
from benchmark.cli.ner_train import train_command
from benchmark.cli.usage import OneLineGroup
from benchmark.textshow import escape, json_text
from benchmark.paths import BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL
from benchmark.report.tables import Column, Number, Table, render
from benchmark.report.tables import Format as TableFormat

app = typer.Typer(cls=OneLineGroup,
                  help="Entity extraction: evaluate backends on gold sets, show entities, "
                  "train the learned backend.",
                  rich_markup_mode=None,
                  no_args_is_help=True)
app.command("train")(train_command)
BACKEND_HELP = "rules, learned, learned:<model folder>, or hf:<model id or path>"


class GoldSet(str, Enum):
    summaries = "summaries"  # the 60 reference summaries (development set)
    seed = "seed"  # the seed article's bullets and body
    all = "all"
    test = "test"  # the sealed test set (tests/gold/entities_test.jsonl)
    sealed = "sealed"  # the same
    val = "val"  # the validation set of names (tests/gold/entities_val.jsonl)
    wojood = "wojood"


class Split(str, Enum):
    train = "train"
    val = "val"
    test = "test"
    all = "all"


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command("eval")
def evaluate_command(
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "rules",
    gold: Annotated[GoldSet, typer.Option(help="which annotated texts: seed needs nothing "
                                          "else; summaries, all, test and val (names "
                                          "only) read their texts from --corpora; wojood "
                                          "from --wojood-dir")] = GoldSet.seed,
    split: Annotated[Split, typer.Option(help="Wojood split")] = Split.test,
    output_format: Annotated[TableFormat, typer.Option("--format")] = TableFormat.text,
    gold_file: Annotated[Path, typer.Option(help="gold annotations (JSONL; default: those "
                                            "shipped with the package)")] = BUNDLED_GOLD,
    test_file: Annotated[Path, typer.Option(help="sealed test set (JSONL with offsets; "
                                            "default: the one shipped with the package)")] =
        BUNDLED_TEST,
    corpora: Annotated[Optional[Path], typer.Option(help="folder of the corpora the gold "
                                                    "ids come from")] = None,
    wojood_dir: Annotated[Optional[Path], typer.Option(help="folder of the Wojood "
                                                       "sample")] = None,
) -> None:
    """Precision, recall and F1 per type (and grouped) of a backend on annotated texts,
    under two matching rules: exact key and overlap with a gold entity of the same type."""
    from benchmark.entities.evaluate import (evaluate_rules, load_gold, load_test_set,
                                             loose_key, read_wojood, score_table)
    from benchmark.entities.extract import get_backend
    from benchmark.paths import BUNDLED_DATASET

    if gold in (GoldSet.test, GoldSet.sealed, GoldSet.val) and (
            corpora is None or not corpora.is_dir()):
        where = corpora or "the corpora"
        echo(f"skipped: the {'validation' if gold is GoldSet.val else 'sealed test'} set "
             f"reads its texts from {where}, which is absent (--corpora DIR)")
        return
    with user_errors():
        resolved = get_backend(backend)
        if gold is GoldSet.wojood and wojood_dir is None:
            raise fail("--gold wojood reads the Wojood sample: pass its folder with "
                       "--wojood-dir DIR")
        if gold in (GoldSet.summaries, GoldSet.all) and corpora is None:
            raise fail(f"--gold {gold.value} reads its texts from the corpora: pass their "
                       "folder with --corpora DIR (--gold seed needs nothing else)")
        key = lambda k: k  # noqa: E731
        if gold is GoldSet.wojood:
            splits = ("train", "val", "test") if split is Split.all else (split.value,)
            texts = [t for name in splits for t in read_wojood(wojood_dir / f"{name}.txt")]
            key = loose_key
            described = f"wojood:{'+'.join(splits)}"
        elif gold in (GoldSet.test, GoldSet.sealed):
            texts = load_test_set(test_file, corpora_dir=corpora)
            described = "gold:test"
        elif gold is GoldSet.val:
            texts = load_test_set(BUNDLED_VAL, corpora_dir=corpora)
            described = "gold:val"
        else:
            texts = load_gold(gold_file, corpora_dir=corpora or Path("."),
                              seed_dir=BUNDLED_DATASET,
                              only_corpus="seed" if gold is GoldSet.seed else None)
            if gold is GoldSet.summaries:
                texts = [t for t in texts if t.field == "summary"]
            described = f"gold:{gold.value}"
        counts = evaluate_rules(texts, resolved, key=key)
        exact, overlap = score_table(counts["exact"]), score_table(counts["overlap"])
    if output_format is TableFormat.json:
        echo(json_text({"backend": str(resolved.signature()), "gold": described,
                        "texts": len(texts), "scores": exact, "scores_overlap": overlap},
                       indent=2))
        return
    title = f"{resolved.signature()}  on {described} ({len(texts)} texts)"
    echo(render(score_table_view(exact, overlap, title=title), output_format))


def score_table_view(exact: dict, overlap: dict, *, title: str) -> Table:
    """Precision, recall and F1 x100 per type under exact-key matching, then under
    overlap matching of the same type, with the counts behind the exact ones."""
    columns = [Column("type"), Column("P", align="right"), Column("R", align="right"),
               Column("F1", align="right"), Column("P_overlap", "P~", "right"),
               Column("R_overlap", "R~", "right"), Column("F1_overlap", "F1~", "right"),
               Column("gold", align="right"), Column("pred", align="right")]
    cells = [[name, *_percentages(row), *_percentages(overlap[name]), row["gold"],
              row["predicted"]] for name, row in exact.items()]
    notes = ["P, R and F1 x100 by exact key; P~, R~ and F1~ by overlap, same type"]
    return Table(columns, cells, notes, title=title)


def _percentages(row: dict) -> list[Number]:
    return [Number(None if row[k] is None else 100 * row[k], 1)
            for k in ("precision", "recall", "f1")]


@app.command("extract")
def extract_command(
    text: Annotated[str, typer.Argument(help="the text, or the path of a UTF-8 file")],
    backend: Annotated[str, typer.Option(help=BACKEND_HELP)] = "rules",
    output_format: Annotated[Format, typer.Option("--format")] = Format.text,
    known: Annotated[Optional[Path], typer.Option(
        help="a related text (the article) whose entities are known")] = None,
) -> None:
    """Show the entities a backend finds in a text."""
    from dataclasses import asdict

    from benchmark.entities import extract_entities

    with user_errors():
        content = _read_text_or_file(text)
        if not content.strip():
            raise fail("the text is empty: give the text, or the path of a UTF-8 file")
        known_entities = (extract_entities(_read_text_or_file(str(known)), backend=backend)
                          if known is not None else None)
        entities = extract_entities(content, backend=backend, known=known_entities)
    if output_format is Format.json:
        echo(json_text([asdict(e) for e in entities], indent=2))
        return
    for entity in entities:
        value = "" if entity.value is None else f"  value={entity.value}"
        currency = f" {entity.currency}" if entity.currency else ""
        shown = escape(entity.text)  # the text is the user's: no terminal controls
        echo(f"{entity.type:<8}{entity.start:>6}-{entity.end:<6}{shown}"
                   f"{value}{currency}")


def _read_text_or_file(text: str) -> str:
    path = Path(text)
    if len(text) < 4096 and "\n" not in text and path.suffix and path.exists():
        if not path.is_file():
            raise fail(f"{text}: not a file")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise fail(f"{text}: not UTF-8 text") from None
    return text
