"""`extract_entities` and backend resolution by name."""

from __future__ import annotations

import functools
from typing import Sequence

from benchmark.entities.model import Entity
from benchmark.entities.registry import BACKENDS, HF_PREFIX, Backend, create_backend
from benchmark.errors import ConfigError


@functools.lru_cache(maxsize=4)  # a few loaded models at most; rules is cheap
def get_backend(name: str = "rules") -> Backend:
    """The backend called `name`: a registered one (``rules``) or ``hf:<model>``."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("an entity backend needs a name: rules or hf:<model id or path>",
                          hint="choose one with {ner}")
    name = name.strip()
    if name.startswith(HF_PREFIX):
        from benchmark.entities.hf import HFBackend

        model = name[len(HF_PREFIX):]
        if not model:
            raise ConfigError("the hf: entity backend needs a model id or path, e.g. "
                              "hf:./my-ner-model")
        return HFBackend(model)
    if ":" in name and name not in BACKENDS:
        return create_backend(name)  # learned:<folder>, py:module:attr
    if name not in BACKENDS:
        raise BACKENDS.unknown(name, extra=["hf:<model id or path>"])
    return BACKENDS.get(name)()


def extract_entities(text: str, backend: str | Backend = "rules",
                     known: Sequence[Entity] | None = None) -> list[Entity]:
    """Entities of `text`, sorted by position, offsets into `text`.

    `known` holds entities of a related text (the article, when extracting a summary):
    their names and surnames are recognized here too, without a title or a list entry.
    """
    resolved = get_backend(backend) if isinstance(backend, str) else backend
    return resolved.extract(text, known=known)
