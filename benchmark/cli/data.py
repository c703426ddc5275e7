"""``bench data validate|stats``: check a reference dataset and describe it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from benchmark.cli.common import config_folder, echo, plural, user_errors
from benchmark.cli.usage import OneLineGroup
from benchmark.textshow import json_text
from benchmark.report.tables import Column, Format, Number, Table, render

if TYPE_CHECKING:
    from benchmark.data import LoadedData
    from benchmark.data.streamed import StreamedData

app = typer.Typer(cls=OneLineGroup,
                  help="Inspect and validate reference datasets.", no_args_is_help=True,
                  rich_markup_mode=None)

PathArgument = Annotated[Optional[Path], typer.Argument(
    help="A seed .txt file, .jsonl, .csv, .parquet, a folder of seed .txt files or a "
         "save_to_disk folder (default: the bundled dataset).", show_default=False)]
SkipInvalidOption = Annotated[bool, typer.Option(
    "--skip-invalid/--no-skip-invalid", help="Skip malformed files and lines (counted "
                                             "and reported) instead of stopping at the "
                                             "first.")]
SHOWN_REASONS = 3


@app.command("validate")
def validate(path: PathArgument = None, skip_invalid: SkipInvalidOption = False) -> None:
    """Read every example at PATH; print the count, the identity and what was skipped."""
    data = load_for_cli(path, skip_invalid=skip_invalid)
    echo(f"ok: {plural(len(data.examples), 'example')} in {data.path}")
    echo(f"identity: {data.identity}")
    echo(f"skipped: {len(data.skipped)}")


@app.command("stats")
def stats(path: PathArgument = None, skip_invalid: SkipInvalidOption = False,
          output_format: Annotated[Format, typer.Option(
              "--format", help="A table (text, md, csv, html) or json.")] = Format.text) -> None:
    """Counts, article and summary lengths, bullets per summary and the date range."""
    from benchmark.data import dataset_stats

    data = load_for_cli(path, skip_invalid=skip_invalid)
    numbers = dataset_stats(data.examples)
    if output_format is Format.json:
        header = {"name": data.name, "path": data.path, "identity": data.identity,
                  "skipped": len(data.skipped)}
        echo(json_text({**header, **numbers}, indent=2))
    else:
        echo(render(stats_table(data.identity, numbers, skipped=len(data.skipped)),
                          output_format))


def load_for_cli(path: Path | None, *, skip_invalid: bool) -> "LoadedData":
    """`load_examples` with one-line errors and a warning for what was skipped."""
    from benchmark.data import load_examples

    with user_errors():  # an invalid record's error carries the --skip-invalid hint
        data = load_examples(path, skip_invalid=skip_invalid, config_dir=config_folder())
    warn_data_problems(data)
    return data


def warn_data_problems(data: "LoadedData | StreamedData") -> None:
    """On stderr: what was skipped (count and first reasons), the input fields the reader
    did not use (named once), and references without a single letter or digit, which
    score 0 for every system and pull every mean down."""
    if data.skipped:
        reasons = "; ".join(str(error) for error in data.skipped[:SHOWN_REASONS])
        more = (f"; and {len(data.skipped) - SHOWN_REASONS} more"
                if len(data.skipped) > SHOWN_REASONS else "")
        echo(f"warning: skipped {plural(len(data.skipped), 'invalid record')} of "
             f"{data.path}: {reasons}{more}", err=True)
    if data.unused_fields:
        echo(f"warning: {data.path}: field(s) not used: {', '.join(data.unused_fields)} "
             "(kept in each example's meta; not scored, not part of the identity)", err=True)
    wordless = data.wordless_ids
    if wordless:
        verb = "has" if len(wordless) == 1 else "have"
        echo(f"warning: {plural(len(wordless), 'example')} of {data.path} {verb} a summary "
                   f"with no letters or digits (first: {wordless[0]!r}); they score 0 for "
                   "every system", err=True)


def stats_table(identity: str, numbers: dict, *, skipped: int) -> Table:
    """`dataset_stats`' result as a table: lengths per measure, the rest as notes."""
    title = f"dataset   {identity}  ({plural(numbers['examples'], 'example')}" + (
        f", {skipped} skipped)" if skipped else ")")
    columns = [Column("measure")] + [Column(k, align="right")
                                     for k in ("mean", "median", "min", "max")]
    rows = []
    for key in ("article_words", "article_chars", "summary_words", "summary_chars"):
        row = numbers[key]
        rows.append([key.replace("_", " "), Number(row["mean"], 1), f"{row['median']:g}",
                     row["min"], row["max"]])
    counts = "  ".join(f"{n}: {count}" for n, count in numbers["bullets_per_summary"].items())
    references = "  ".join(f"{n}: {count}"
                           for n, count in numbers["references_per_item"].items())
    dates = numbers["dates"]
    span = f"{dates['first']} .. {dates['last']}" if dates["first"] else "none"
    notes = [f"bullets per summary  {counts}",
             f"references per item  {references}",
             f"dates     {span} ({dates['without_date']} without a date)"]
    return Table(columns, rows, notes, title=title)
