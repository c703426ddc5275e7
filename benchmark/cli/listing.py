"""``bench list summarizers|metrics|ner``: what can be named on the command line."""

from __future__ import annotations

import typer

from benchmark.cli.common import config_folder, echo, user_errors
from benchmark.cli.usage import OneLineGroup

app = typer.Typer(cls=OneLineGroup,
                  help="List registered summarizers, metrics, NER backends and datasets.",
                  rich_markup_mode=None,
                  no_args_is_help=True)


def _print_rows(rows: list[tuple[str, str, str]]) -> None:
    width_name = max((len(row[0]) for row in rows), default=4)
    width_source = max((len(row[1]) for row in rows), default=6)
    for name, source, description in rows:
        echo(f"{name:<{width_name}}  {source:<{width_source}}  {description}".rstrip())


def _registry_rows(registry) -> list[tuple[str, str, str]]:
    """Every name a registry resolves: entries (built-in, plugin), presets, prefixes."""
    rows = [(e.name, e.source, e.description) for e in registry.entries()]
    rows += [(name, f"preset {alias.source}", f"-> {alias.target}")
             for name, alias in sorted(registry.presets(config_folder()).items())]
    rows += [(f"{prefix}:{p.placeholder}", "built-in", p.description)
             for prefix, p in registry.prefixes.items()]
    return rows


@app.command("summarizers")
def summarizers() -> None:
    """Built-in, plugin and preset summarizers, with where each comes from."""
    from benchmark.summarizers.presets import load_presets
    from benchmark.summarizers.registry import SUMMARIZERS

    with user_errors():
        rows = _registry_rows(SUMMARIZERS)
        descriptions = {name: p.description
                        for name, p in load_presets(config_dir=config_folder()).items()}
        rows = [(name, source, f"{text}  {descriptions.get(name, '')}".strip()
                 if source.startswith("preset") else text) for name, source, text in rows]
    _print_rows(rows)


@app.command("metrics")
def metrics() -> None:
    """Metric names for ``--metrics`` (``all``: every metric that needs no server)."""
    from benchmark.metrics.registry import METRICS

    with user_errors():
        rows = _registry_rows(METRICS)
    rows.append(("all", "built-in", "every metric above that needs no server"))
    _print_rows(rows)


@app.command("ner")
def ner() -> None:
    """Entity extraction backends for ``--ner``."""
    from benchmark.entities.registry import BACKENDS

    with user_errors():
        rows = _registry_rows(BACKENDS)
    _print_rows(rows)


@app.command("datasets")
def datasets() -> None:
    """Named datasets for ``--dataset NAME``: source, size, style, variety and licence."""
    from benchmark.data.registry import DATASETS, load_registry

    with user_errors():
        registry = load_registry(config_folder())
        plugins = [(e.name, e.source, e.description) for e in DATASETS.entries()]
    rows = [(name, f"{named.entry.kind} {named.entry.location}",
             f"{named.entry.size:,} examples; {named.entry.style}; {named.entry.variety}; "
             f"licence: {named.entry.licence}")
            for name, named in sorted(registry.items())]
    rows += plugins + [(f"{prefix}:{p.placeholder}", "built-in", p.description)
                       for prefix, p in sorted(DATASETS.prefixes.items())]
    _print_rows(rows)
