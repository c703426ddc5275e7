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

`ArticleIndex` is an article analysed once (its tokens as numbers and where each
occurs), kept in the dataset analysis and read back fast; `extractive_counts` scores a
summary against it in one pass: the greedy fragments and, for the novel n-gram ratios,
whether each summary position starts a run of 1, 2 or 3 tokens found in the article,
with the same numbers as `fragments` and `novel_ngram_ratio` (tested equal).
"""

from __future__ import annotations

import functools
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import Sequence

Tokens = Sequence[str]
NOVEL_ORDERS = (1, 2, 3)


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


_SEPARATOR = "\n"  # frames the distinct tokens of an index (no built-in token holds one)
_FIND_UP_TO = 48  # summary tokens looked up by search in the stored text (see `numbers_of`)


@dataclass(frozen=True)
class ArticleIndex:
    """An article's tokens for `extractive_counts`: each distinct token numbered in order
    of first occurrence, the article as those numbers (`tokens`), and the positions of
    each number, grouped by number in `positions` (those of number k are
    ``positions[starts[k]:starts[k + 1]]``, ascending).

    The distinct tokens are kept as one text, each framed by newlines
    (``"\\na\\nb\\n"``: token k is the one after the k-th newline), or as a tuple when
    one is empty or holds a newline (a custom tokenizer's). A stored index is read back
    as that one string and one block of numbers; `numbers` (token -> number) is built
    only when a long summary asks for it."""

    distinct: str | tuple[str, ...]
    tokens: array  # the article, token by token, as numbers ("H" under 65,536 tokens)
    starts: array  # len(distinct tokens) + 1 offsets into positions (as tokens)
    positions: array  # article positions, grouped by token number (as tokens)

    @classmethod
    def of(cls, article: Tokens) -> "ArticleIndex":
        numbers: dict[str, int] = {}
        code = "H" if len(article) < 2 ** 16 else "I"  # 2 bytes a number where they fit
        tokens = array(code, [numbers.setdefault(token, len(numbers)) for token in article])
        tally = Counter(tokens)
        starts = array(code, [0, *accumulate(tally[k] for k in range(len(numbers)))])
        # A stable sort of the positions by token number: each group stays ascending.
        positions = array(code, sorted(range(len(tokens)), key=tokens.__getitem__))
        framed = _SEPARATOR + _SEPARATOR.join(numbers) + _SEPARATOR
        plain = "" not in numbers and framed.count(_SEPARATOR) == len(numbers) + 1
        index = cls(framed if plain else tuple(numbers), tokens, starts, positions)
        object.__setattr__(index, "numbers", numbers)  # already made: `numbers` keeps it
        return index

    @functools.cached_property
    def numbers(self) -> dict[str, int]:
        """Each distinct token's number."""
        distinct = self.distinct
        if isinstance(distinct, str):
            distinct = distinct[1:-1].split(_SEPARATOR) if len(distinct) > 1 else []
        return dict(zip(distinct, range(len(distinct))))

    def numbers_of(self, summary: Tokens) -> list[int]:
        """Each summary token's number, -1 for a token not in the article. A short
        summary's tokens (up to `_FIND_UP_TO`, about where the two cost the same on BBC
        articles) are searched for in the text of the distinct tokens, a search and a
        count of newlines each in C, rather than making a string and a dict entry for
        every distinct token; a longer summary's through `numbers`."""
        text = self.distinct
        if "numbers" in self.__dict__ or not isinstance(text, str) \
                or len(summary) > _FIND_UP_TO:
            get = self.numbers.get
            return [get(token, -1) for token in summary]
        found = []
        for token in summary:
            at = text.find(f"\n{token}\n") if token and "\n" not in token else -1
            found.append(text.count(_SEPARATOR, 0, at) if at >= 0 else -1)
        return found

    def __len__(self) -> int:
        return len(self.tokens)

    def __reduce__(self):
        """Pickled as the distinct tokens and one block of bytes holding the three
        arrays: reading a stored index back makes one string and one array."""
        block = self.tokens.tobytes() + self.starts.tobytes() + self.positions.tobytes()
        return (_index_from_stored,
                (self.distinct, self.tokens.typecode, len(self.tokens), block))


def _index_from_stored(distinct, code, size, block) -> ArticleIndex:
    values = array(code, block)  # tokens, starts, positions
    return ArticleIndex(distinct, values[:size], values[size:len(values) - size],
                        values[len(values) - size:])


def extractive_counts(*, article: ArticleIndex, summary: Tokens,
                      ) -> tuple[list[tuple[int, int]], list[int]]:
    """``(fragments, novel)``: the greedy longest fragments (as `fragments` finds them)
    and, for n = 1, 2, 3, how many of the summary's n-grams occur nowhere in the
    article (the numerator of `novel_ngram_ratio`).

    An n-gram starting at summary position i occurs in the article exactly when the
    longest run of ``summary[i:]`` found in the article is n tokens or more: one pass
    over the summary finds that run at every position (only up to 3 tokens where the
    greedy walk does not stop, and no search at all 3 or more tokens before the end of
    the fragment the walk last found), without building the article's n-gram sets."""
    cap = NOVEL_ORDERS[-1]
    text, starts, positions = article.tokens, article.starts, article.positions
    wanted = article.numbers_of(summary)
    size, length_of_text = len(wanted), len(text)
    reach = [0] * size  # longest run found at each position, up to `cap`
    found: list[tuple[int, int]] = []
    greedy = 0  # the next position the greedy walk stops at
    for i, number in enumerate(wanted):
        if number < 0:
            if i == greedy:
                greedy += 1
            continue
        if greedy - i >= cap:  # `cap` or more tokens inside the last fragment: its run
            reach[i] = cap     # from here is at least that long (the search would stop there)
            continue
        full = i == greedy
        limit = size - i if full else min(cap, size - i)
        best = 0
        for j in positions[starts[number]:starts[number + 1]]:
            length, most = 1, min(limit, length_of_text - j)
            while length < most and wanted[i + length] == text[j + length]:
                length += 1
            if length > best:
                best = length
                if best == limit:
                    break
        reach[i] = best if best < cap else cap
        if full:
            found.append((i, best))
            greedy = i + best
    # The n-grams starting where the run found is shorter than n (list counts, in C).
    novel = []
    for n in NOVEL_ORDERS:
        starting = reach[:max(size - n + 1, 0)]
        novel.append(sum(starting.count(run) for run in range(n)))
    return found, novel
