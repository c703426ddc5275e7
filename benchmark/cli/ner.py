"""``bench ner ...`` (placeholder until the entity commands land)."""

import typer

app = typer.Typer(help="Entity extraction: evaluate backends on gold sets.", no_args_is_help=True)
