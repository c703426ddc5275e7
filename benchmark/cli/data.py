"""``bench data validate|stats`` (placeholder until the data commands land)."""

import typer

app = typer.Typer(help="Inspect and validate reference datasets.", no_args_is_help=True)
