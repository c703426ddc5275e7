"""The NER backend registry behind ``--ner``, ``bench list ner`` and `get_backend`.

A backend is a class with ``name``, ``signature()`` and ``extract(text, known=None) ->
list[Entity]``. Names resolve through `Registry.resolve` like summarizers and metrics:
a registered name (``rules``, or a plugin from the entry-point group
``benchmark.ner``), a prefix (``hf:<model id or path>``, ``learned:<model folder>``: the
class gets what follows the prefix), or ``py:module:attr`` (a backend class, constructed without arguments).
"""

from __future__ import annotations

import functools
from typing import Protocol, Sequence

from benchmark.entities.model import Entity
from benchmark.errors import ConfigError
from benchmark.registry import PY_PREFIX, Prefix, Registry
from benchmark.signature import Signature


class Backend(Protocol):
    name: str

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        ...

    def signature(self) -> Signature:
        ...


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
    """A new backend that `name` resolves to (a prefixed name's class gets what follows
    the prefix, e.g. the model of ``hf:<model>``)."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("an entity backend needs a name: rules, hf:<model id or path>, a "
                          "plugin or py:module:attr", hint="choose one with {ner}")
    resolved = BACKENDS.resolve(name)
    if not isinstance(resolved.target, type):
        raise ConfigError(f"NER backend {name!r} does not resolve to a class (one with "
                          "extract() and signature())")
    takes_argument = resolved.prefix is not None and resolved.prefix != PY_PREFIX
    backend = resolved.target(resolved.argument) if takes_argument else resolved.target()
    if not callable(getattr(backend, "extract", None)) or \
            not callable(getattr(backend, "signature", None)):
        raise ConfigError(f"NER backend {name!r} has no extract() and signature()")
    return backend


@functools.lru_cache(maxsize=4)  # a few loaded models at most; rules is cheap
def get_backend(name: str = "rules") -> Backend:
    """The backend `name` resolves to, made once per process and shared."""
    return create_backend(name.strip() if isinstance(name, str) else name)
