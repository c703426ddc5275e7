"""The NER backend registry behind ``--ner`` and ``bench list ner``.

A backend is a class with ``name``, ``signature()`` and ``extract(text, known=None) ->
list[Entity]``. Names resolve through `Registry.resolve` like summarizers and metrics:
a registered name (``rules``, or a plugin from the entry-point group
``benchmark.ner``), ``hf:<model id or path>`` or ``learned:<model folder>`` (the
class gets the model), or
``py:module:attr`` (a backend class constructed without arguments).
"""

from __future__ import annotations

from typing import Protocol, Sequence

from benchmark.entities.model import Entity
from benchmark.errors import ConfigError
from benchmark.registry import Prefix, Registry


class Backend(Protocol):
    name: str

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        ...

    def signature(self) -> str:
        ...


HF_PREFIX = "hf:"
BACKENDS: Registry[type] = Registry("NER backend", group="benchmark.ner", prefixes={
    "hf": Prefix("benchmark.entities.hf:HFBackend",
                 "transformers token classification + rules for numbers and dates",
                 "<model id or path>"),
    "learned": Prefix("benchmark.entities.learned.backend:LearnedBackend",
                      "a tagger trained with bench ner train + the rules", "<model folder>"),
})
BACKENDS.register("rules", "benchmark.entities.rules:RulesBackend",
                  description="offline patterns and gazetteers (default; deterministic)")
BACKENDS.register("learned", "benchmark.entities.learned.backend:LearnedBackend",
                  description="the shipped tagger trained from the corpora, merged with "
                              "the rules (offline; deterministic)")


def create_backend(name: str) -> Backend:
    """The backend `name` resolves to, constructed (``hf:`` backends get their model)."""
    resolved = BACKENDS.resolve(name)
    backend = (resolved.target(resolved.argument)
               if resolved.prefix is not None and resolved.prefix != "py"
               else resolved.target())
    if not callable(getattr(backend, "extract", None)) or \
            not callable(getattr(backend, "signature", None)):
        raise ConfigError(f"NER backend {name!r} has no extract() and signature()")
    return backend
