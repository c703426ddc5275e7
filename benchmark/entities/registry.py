"""The NER backend registry behind ``--ner`` and ``bench list ner``.

A backend is a class with ``name``, ``signature()`` and ``extract(text, known=None) ->
list[Entity]``. Names of the form ``hf:<model id or path>`` are resolved apart (see
`benchmark.entities.extract.get_backend`), since they carry their model.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from benchmark.entities.model import Entity
from benchmark.registry import Registry


class Backend(Protocol):
    name: str

    def extract(self, text: str, known: Sequence[Entity] | None = None) -> list[Entity]:
        ...

    def signature(self) -> str:
        ...


BACKENDS: Registry[type] = Registry("NER backend")
BACKENDS.register("rules", "benchmark.entities.rules:RulesBackend",
                  description="offline patterns and gazetteers (default; deterministic)")
HF_PREFIX = "hf:"
