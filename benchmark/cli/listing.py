"""``bench list summarizers|metrics|ner``: what can be named on the command line."""

from __future__ import annotations

import typer

from benchmark.cli.common import user_errors

app = typer.Typer(help="List registered summarizers, metrics, NER backends and datasets.",
                  no_args_is_help=True)


def _print_rows(rows: list[tuple[str, str, str]]) -> None:
    width_name = max((len(row[0]) for row in rows), default=4)
    width_source = max((len(row[1]) for row in rows), default=6)
    for name, source, description in rows:
        typer.echo(f"{name:<{width_name}}  {source:<{width_source}}  {description}".rstrip())


@app.command("summarizers")
def summarizers() -> None:
    """Built-in, plugin and preset summarizers, with where each comes from."""
    from benchmark.summarizers.presets import load_presets
    from benchmark.summarizers.registry import PREFIX_DESCRIPTIONS, SUMMARIZERS, load_plugins

    with user_errors():
        load_plugins()
        rows = [(e.name, e.source, e.description) for e in SUMMARIZERS.entries()]
        rows += [(name, "preset configs/models.yaml", f"-> {p.model}  {p.description}".strip())
                 for name, p in sorted(load_presets().items())]
        rows += [("py:module:attr", "built-in", "a Summarizer subclass from any module")]
        rows += [(f"{prefix}:<model>", "built-in", description)
                 for prefix, description in PREFIX_DESCRIPTIONS.items()]
    _print_rows(rows)


@app.command("metrics")
def metrics() -> None:
    """Metric names for ``--metrics``."""
    from benchmark.metrics.registry import METRICS

    _print_rows([(e.name, e.source, e.description) for e in METRICS.entries()])


@app.command("ner")
def ner() -> None:
    """Entity extraction backends for ``--ner``."""
    from benchmark.entities.registry import BACKENDS

    rows = [(e.name, e.source, e.description) for e in BACKENDS.entries()]
    rows.append(("hf:<model id or path>", "built-in",
                 "transformers token classification + rules for numbers and dates"))
    _print_rows(rows)


@app.command("datasets")
def datasets() -> None:
    """Named datasets for ``--dataset NAME``: source, size, style, variety and licence."""
    from benchmark.data.registry import load_registry

    with user_errors():
        registry = load_registry()
    rows = [(name, f"{named.entry.kind} {named.entry.location}",
             f"{named.entry.size:,} examples; {named.entry.style}; {named.entry.variety}; "
             f"licence: {named.entry.licence}")
            for name, named in sorted(registry.items())]
    rows.append(("hf:ID[:CONFIG][:SPLIT]", "built-in",
                 "any Hugging Face dataset (hub or a local hub-style folder)"))
    _print_rows(rows)
