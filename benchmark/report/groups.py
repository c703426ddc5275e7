"""Compact letter display: systems that share a letter are not significantly different.

The insert-and-absorb algorithm (Piepho 2004, "An algorithm for a letter-based
representation of all-pairwise comparisons"): start with one group holding every
system; for each significantly different pair, split every group that holds both into
a copy without the one and a copy without the other; drop groups contained in another.
Letters are then given in rank order, so ``a`` is the group of the best-ranked system.
"""

from __future__ import annotations

import string
from typing import Sequence

LETTERS = string.ascii_lowercase + string.ascii_uppercase


def letter_groups(order: Sequence[int], different: Sequence[tuple[int, int]]) -> dict[int, str]:
    """Letters per system. `order`: systems best first; `different`: the pairs found
    significantly different. Every system gets at least one letter."""
    if not order:
        return {}
    groups: list[frozenset[int]] = [frozenset(order)]
    for a, b in sorted(tuple(sorted(pair)) for pair in different):
        split: list[frozenset[int]] = []
        for group in groups:
            if a in group and b in group:
                split += [group - {a}, group - {b}]
            else:
                split.append(group)
        groups = _absorb(split)
    position = {system: rank for rank, system in enumerate(order)}
    groups.sort(key=lambda group: sorted(position[s] for s in group))
    letters = {system: "" for system in order}
    for index, group in enumerate(groups):
        letter = LETTERS[index] if index < len(LETTERS) else f"<{index + 1}>"
        for system in sorted(group, key=position.__getitem__):
            letters[system] += letter
    return letters


def _absorb(groups: list[frozenset[int]]) -> list[frozenset[int]]:
    """Unique groups that are not strict subsets of another group."""
    unique = list(dict.fromkeys(group for group in groups if group))
    return [g for g in unique if not any(g < other for other in unique)]
