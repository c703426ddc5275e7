"""Entity extraction for the entity-coverage metric (DESIGN §7).

    >>> from benchmark.entities import extract_entities
    >>> [(e.type, e.text) for e in extract_entities("زار الرئيس بوتين دمشق")]
    [('PERS', 'بوتين'), ('LOC', 'دمشق')]

Backends live in `benchmark.entities.registry.BACKENDS` (``rules``, the default, and
``hf:<model id or path>``); `matching` decides when two mentions name the same thing.
"""

from __future__ import annotations

from benchmark.entities.extract import extract_entities, get_backend
from benchmark.entities.model import ENTITY_TYPES, Entity, entity_key

__all__ = ["ENTITY_TYPES", "Entity", "entity_key", "extract_entities", "get_backend"]
