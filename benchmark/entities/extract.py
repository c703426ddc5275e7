"""`extract_entities`: entities of a text with a backend given by name or as an object."""

from __future__ import annotations

from typing import Sequence

from benchmark.entities.model import Entity
from benchmark.entities.registry import Backend, get_backend


def extract_entities(text: str, backend: str | Backend = "rules",
                     known: Sequence[Entity] | None = None) -> list[Entity]:
    """Entities of `text`, sorted by position, offsets into `text`.

    `known` holds entities of a related text (the article, when extracting a summary):
    their names and surnames are recognized here too, without a title or a list entry.
    `backend` is a name (``rules``, ``hf:<model>``, a plugin, ``py:module:attr``; see
    `benchmark.entities.registry`) or a backend object.
    """
    resolved = get_backend(backend) if isinstance(backend, str) else backend
    return resolved.extract(text, known=known)


__all__ = ["extract_entities", "get_backend"]
