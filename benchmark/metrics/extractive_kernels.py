"""Extractive fragments (Grusky, Naaman and Artzi 2018, "Newsroom") on token lists.

An extractive fragment is a maximal shared run of tokens between the summary and the
article. The paper's greedy procedure walks the summary left to right and, at each
position, takes the longest run of summary tokens found anywhere in the article, then
continues after it (a summary token matching nothing is skipped).

The widely copied Newsroom code (``newsroom/analyze/fragments.py``) implements the
search by walking the article once per summary position and, after a match, jumping
past it: a longer match that starts inside the span it just matched is never tried.
With summary ``a a b`` and article ``a a a b`` it finds ``a a`` (at 0) then ``b``,
although ``a a b`` (at 1) covers the whole summary. `fragments` here tries every
article position where the summary token occurs, so it always takes the longest.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Sequence

Tokens = Sequence[str]


def fragments(*, article: Tokens, summary: Tokens) -> list[tuple[int, int]]:
    """Greedy longest fragments as ``(summary start, length)`` pairs, left to right.

    At summary position i the fragment is the longest common run of ``summary[i:]``
    with the article starting at any article position (the first such position on
    ties; the lengths, which are all the statistics use, do not depend on it).
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for j, token in enumerate(article):
        positions[token].append(j)
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(summary):
        best = 0
        for j in positions.get(summary[i], ()):
            length = 1
            while (i + length < len(summary) and j + length < len(article)
                   and summary[i + length] == article[j + length]):
                length += 1
            best = max(best, length)
        if best:
            found.append((i, best))
        i += max(best, 1)
    return found


def coverage(*, article: Tokens, summary: Tokens) -> float | None:
    """Share of summary tokens inside some fragment; None for an empty summary."""
    if not summary:
        return None
    return sum(length for _, length in fragments(article=article, summary=summary)) / len(summary)


def density(*, article: Tokens, summary: Tokens) -> float | None:
    """Mean squared fragment length per summary token (the average length of the
    fragment each summary token belongs to); None for an empty summary."""
    if not summary:
        return None
    return sum(length ** 2 for _, length in fragments(article=article, summary=summary)) / \
        len(summary)


def compression(*, article: Tokens, summary: Tokens) -> float | None:
    """Article tokens per summary token; None for an empty summary."""
    if not summary:
        return None
    return len(article) / len(summary)


def novel_ngram_ratio(*, article: Tokens, summary: Tokens, n: int) -> float | None:
    """Share of the summary's n-grams (counted with repetition) that occur nowhere in
    the article; None when the summary has fewer than n tokens."""
    grams = Counter(tuple(summary[i:i + n]) for i in range(len(summary) - n + 1))
    total = sum(grams.values())
    if not total:
        return None
    seen = {tuple(article[i:i + n]) for i in range(len(article) - n + 1)}
    return sum(count for gram, count in grams.items() if gram not in seen) / total
