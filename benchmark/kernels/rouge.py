"""ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum on token lists, as rouge-score 0.1.2 scores them.

Given the same tokens, every function here returns the same precision, recall and F as
``rouge_score.rouge_scorer`` (Lin 2004; Google's implementation, version 0.1.2):
clipped n-gram counts with ``max(count, 1)`` denominators, LCS over the whole text, and
for ROUGE-Lsum the union-LCS over reference sentences with the double-count guard of
the original ROUGE-1.5.5. Only the algorithms differ, never the numbers.

Everything is read off one table made once per reference text: each token's positions
in it as the bits of one integer (its *mask*, `lcs.position_masks`). Looking the
prediction's tokens up in it gives, per predicted token, the mask of its reference
occurrences (0 when it has none), and from that list alone, without n-gram tables:

- ROUGE-1: equal masks are equal tokens, and a mask's bit count is the token's count in
  the reference, so the clipped overlap needs no counting unless a predicted token
  repeats;
- ROUGE-2: ``(mask(a) << 1) & mask(b)`` marks where the bigram ``a b`` ends in the
  reference: again one mask per predicted bigram, clipped the same way;
- ROUGE-L: the bit-parallel LCS (`lcs.lcs_length_of_masks`) of the masks (equal masks, equal
  tokens);
- ROUGE-Lsum: per reference sentence (its bit range of the masks) and candidate sentence,
  the positions of rouge-score's own LCS (`lcs.lcs_bits`), their union kept as one
  integer.

`RougeSide` holds one text (its tokens and sentence ends, and its mask table once it
is used as a reference); `score_sides` scores two of them with all four types. The
functions on plain token lists (`rouge_n`, `rouge_l`, `rouge_lsum`) build what they
need on the fly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import _count_elements  # type: ignore[attr-defined]  # Counter's loop, alone
from functools import reduce
from itertools import chain, compress, count, islice, repeat
from operator import and_, lshift, or_, sub
from typing import Hashable, Sequence

from benchmark.kernels.lcs import (MASKS_HASH_EXACTLY, lcs_columns, lcs_length,
                                   lcs_length_of_masks, lcs_read_out, position_masks,
                                   reference_table, sentence_lcs_length)
from benchmark.kernels.ngrams import (ZERO, Score, ngram_counts, score_four, score_hits,
                                      score_ngram_counts)
from benchmark.kernels.packed import Packed, pack, unpack

Tokens = Sequence[Hashable]
_ZEROS = (ZERO, ZERO, ZERO, ZERO)


class RougeSide:
    """One text as ROUGE needs it: its tokens by sentence, their count, where its
    non-empty sentences end, and (made on first use as a reference) its mask table.

    `tokens`, when given, are what ROUGE-1/2/L count, and `sentences` only what
    ROUGE-Lsum reads (XL-Sum's scorer tokenizes the two differently); by default the
    tokens are the sentences' tokens in order. Pickles as what it was made from.
    """

    __slots__ = ("sentences", "size", "ends", "lsum", "_masks", "_codes", "_rows", "_repeated")

    def __init__(self, sentences: Sequence[Sequence[Hashable]], tokens: Tokens | None = None):
        self.lsum: RougeSide | None = None
        if tokens is not None:
            self.lsum = RougeSide(sentences)
            sentences = [tokens]
        self.sentences = sentences
        if len(sentences) == 1:
            self.size = len(sentences[0])
            self.ends = [self.size] if self.size else []
        else:  # (a plain loop: faster here than accumulate and compress)
            self.ends = ends = []
            size = 0
            for sentence in sentences:
                if sentence:
                    size += len(sentence)
                    ends.append(size)
            self.size = size
        self._masks: dict[Hashable, int] | None = None

    @property
    def tokens(self) -> Sequence[Hashable]:
        """All tokens in order (what ROUGE-1/2/L count)."""
        if len(self.sentences) == 1:
            return self.sentences[0]
        return list(chain.from_iterable(self.sentences))

    def _made_of(self) -> tuple:
        """The arguments it was made with."""
        if self.lsum is not None:
            return (self.lsum.sentences, self.sentences[0])
        return (self.sentences,)

    def __reduce__(self):
        """As what it was made from, its token lists packed into one string each
        (`packed`: the dataset analysis store reads thousands back, and a pickle reads
        a token list string by string); as they are when they cannot be packed."""
        made = self._made_of()
        packs = (pack(made[0]), *(pack([tokens]) for tokens in made[1:]))
        if None in packs:
            return (RougeSide, made)
        return (_unpacked_side, packs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RougeSide) and self._made_of() == other._made_of()

    def masks(self) -> dict[Hashable, int]:
        """Token -> the bits of its positions; made once, with the LCS codes and the
        bit range of each non-empty sentence."""
        if self._masks is None:
            sentences = self.sentences
            masks, self._codes = reference_table(sentences[0] if len(sentences) == 1 else
                                                 list(chain.from_iterable(sentences)))
            # the masks of tokens that occur more than once
            self._repeated = ([] if len(masks) == self.size else
                              [mask for mask in masks.values() if mask & (mask - 1)])
            ends = self.ends
            if len(ends) == 1:
                self._rows = [(1 << ends[0]) - 1]
            else:
                self._rows = list(map(sub, map(lshift, repeat(1), ends),
                                      map(lshift, repeat(1), [0, *ends[:-1]])))
            self._masks = masks
        return self._masks

    def lookup(self, reference: "RougeSide") -> list[int]:
        """Per token of this text, the mask of its positions in `reference` (0: none),
        and one 0 after the last (so that every token has a successor)."""
        get = (reference._masks or reference.masks()).get
        if len(self.sentences) == 1:
            found = [get(token, 0) for token in self.sentences[0]]
        else:  # token by token, without making the list of all tokens first
            found = [get(token, 0) for sentence in self.sentences for token in sentence]
        found.append(0)
        return found


def _unpacked_side(sentences: Packed, tokens: Packed | None = None) -> RougeSide:
    """The `RougeSide` a pickle of packed token lists holds."""
    if tokens is None:
        return RougeSide(unpack(*sentences))
    return RougeSide(unpack(*sentences), tokens=unpack(*tokens)[0])


def score_sides(reference: RougeSide, prediction: RougeSide) -> tuple[Score, Score, Score, Score]:
    """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of `prediction` against `reference`."""
    if reference.lsum is not None or prediction.lsum is not None:
        rouge1, rouge2, rouge_l, _ = _score(reference, prediction)
        return rouge1, rouge2, rouge_l, _lsum(reference.lsum or reference,
                                              prediction.lsum or prediction)
    return _score(reference, prediction)


def _score(reference: RougeSide, prediction: RougeSide) -> tuple[Score, Score, Score, Score]:
    """`score_sides`, with ROUGE-Lsum on the sides' own sentences."""
    m, n = reference.size, prediction.size
    if not m or not n:
        return _ZEROS
    found = prediction.lookup(reference)
    shared = list(filter(None, found))
    if not shared:
        return _ZEROS
    after = list(compress(count(1), found))  # the position after each of them
    # The bigram of each shared token and its successor, where it ends in the reference
    # (a comprehension: faster here than a chain of map() over operator functions)
    bigrams = [ends_at for mask, successor in zip(shared, after)
               if (ends_at := (mask << 1) & found[successor])]
    if not reference._repeated:  # every count in the reference is 1: clipping deduplicates
        hits1, hits2 = len(set(shared)), len(set(bigrams))
    else:
        hits1 = _clipped_tokens(shared, reference._repeated)
        hits2 = len(set(bigrams))
        if hits2 < len(bigrams):  # a predicted bigram repeats: clip it
            hits2 = _clipped(bigrams)
    lcs = lcs_length_of_masks(reference._codes, shared)
    if len(prediction.ends) == 1 and len(reference._rows) == 1:
        union = lcs  # one LCS: the union is its positions and the guard never applies
    else:
        union = _union_hits(reference, prediction.ends, after, shared)
    return score_four(hits1, hits2, lcs, union, m, n)


def _lsum(reference: RougeSide, prediction: RougeSide) -> Score:
    """ROUGE-Lsum alone."""
    m, n = reference.size, prediction.size
    if not m or not n:
        return ZERO
    found = prediction.lookup(reference)
    shared = list(filter(None, found))
    if not shared:
        return ZERO
    after = list(compress(count(1), found))
    return score_hits(_union_hits(reference, prediction.ends, after, shared), m, n)


def _clipped(matches: list[int]) -> int:
    """Clipped overlap from one reference mask per predicted n-gram found there: equal
    masks are equal n-grams, and a mask's bit count is the n-gram's reference count."""
    hits = len(matches)
    if hits < 2:
        return hits
    counts: dict[int, int] = {}
    _count_elements(counts, matches)
    if len(counts) < hits:  # a predicted n-gram repeats: clip it
        for mask, times in counts.items():
            if times > 1:
                have = mask.bit_count()
                if times > have:
                    hits -= times - have
    return hits


def _clipped_tokens(shared: list[int], repeated: list[int]) -> int:
    """`_clipped(shared)` for ROUGE-1, from the reference's `repeated` token masks: a
    token the reference has once counts once however often predicted."""
    hits = len(set(shared))
    for mask in repeated:
        times = shared.count(mask)
        if times > 1:
            have = mask.bit_count()
            hits += (times if times < have else have) - 1
    return hits


def _union_hits(reference: RougeSide, ends: Sequence[int], after: list[int],
                shared: list[int]) -> int:
    """rouge-score's ``_summary_level_lcs`` hit count. `ends`: where the prediction's
    non-empty sentences end; `shared`: the masks of its tokens found in the reference;
    `after`: the position after each."""
    sentence_rows = reference._rows
    highest_bits = reference.size > MASKS_HASH_EXACTLY
    if len(sentence_rows) == 1:
        return _sentence_union(sentence_rows[0], reference._codes, ends, after, shared, 0,
                               highest_bits, False).bit_count()
    union = 0  # reference positions in some sentence's union-LCS
    start = 0
    for rows, end in zip(sentence_rows, reference.ends):
        union = _sentence_union(rows, reference._codes[start:end], ends, after, shared, union,
                                highest_bits, True)
        start = end
    hits = union.bit_count()
    # The guard: a token counts at most as often as the prediction has it (it never
    # exceeds the reference's count: union positions are distinct). Within one
    # reference sentence the union never exceeds it either (each of its positions is
    # matched by its own predicted token), so only several sentences can, and only
    # with a token the reference repeats.
    for mask in reference._repeated:
        in_union = (union & mask).bit_count()
        if in_union > 1:
            predicted = shared.count(mask)
            if predicted < in_union:
                hits -= in_union - predicted
    return hits


def _sentence_union(rows: int, codes: list[int], ends: Sequence[int], after: list[int],
                    shared: list[int], union: int, highest_bits: bool,
                    other_sentences: bool) -> int:
    """`union` with the positions of the LCS of one reference sentence (bit range
    `rows`, LCS codes `codes`) with each candidate sentence. A candidate sentence whose
    tokens can add no position to the union adds nothing, and one whose LCS is as long
    as its tokens have positions in the reference sentence adds all of them: only the
    others need rouge-score's read-out, and only until it has passed the positions it
    could add. `highest_bits`: see `sentence_lcs_length`. With `other_sentences`, the
    masks lose their bits outside `rows` first, and tokens left with none are dropped:
    like tokens absent from the reference, they change no column and match nothing."""
    first = 0
    for end in ends:
        last = bisect_right(after, end, first)
        if last > first:
            matches = shared[first:last]
            possible = reduce(or_, matches) & rows
            if possible & ~union:
                size = possible.bit_count()  # the LCS can be no longer, nor than `matches`
                if size == 1 or (len(matches) >= size and sentence_lcs_length(
                        codes, matches, rows, highest_bits) == size):
                    union |= possible
                else:
                    ends_after = after[first:last]
                    if other_sentences:
                        matches = list(map(and_, matches, repeat(rows)))
                        ends_after = list(compress(ends_after, matches))
                        matches = list(filter(None, matches))
                    union |= lcs_read_out(ends_after, matches, lcs_columns(matches, rows), rows,
                                          end, possible & ~union)
        first = last
    return union


# -- the same on plain token lists ----------------------------------------------------

def rouge_n(*, reference: Tokens, prediction: Tokens, n: int) -> Score:
    """ROUGE-N: clipped n-gram overlap (rouge-score's ``_score_ngrams``)."""
    if n > 2:
        return score_ngram_counts(reference=ngram_counts(reference, n),
                                  prediction=ngram_counts(prediction, n))
    found = list(map(position_masks(reference).get, prediction, repeat(0)))
    if n == 1:
        return score_hits(_clipped(list(filter(None, found))), len(reference), len(prediction))
    bigrams = list(filter(None, map(and_, map(lshift, found, repeat(1)), islice(found, 1, None))))
    return score_hits(_clipped(bigrams), len(reference) - 1, len(prediction) - 1)


def rouge_l(*, reference: Tokens, prediction: Tokens) -> Score:
    """ROUGE-L: LCS over the whole texts (rouge-score's ``_score_lcs``)."""
    if not reference or not prediction:
        return ZERO
    return score_hits(lcs_length(reference, prediction), len(reference), len(prediction))


def rouge_lsum(*, reference: Sequence[Tokens], prediction: Sequence[Tokens]) -> Score:
    """Summary-level LCS over sentences (token lists): the union-LCS of each reference
    sentence with all prediction sentences, and ROUGE-1.5.5's guard against counting a
    token more often than it occurs on either side (rouge-score's
    ``_summary_level_lcs``)."""
    return _lsum(RougeSide(reference), RougeSide(prediction))
