"""ROUGE kernels on token lists, reproducing rouge-score 0.1.2 exactly.

Given the same tokens, every function here returns the same precision, recall and F as
``rouge_score.rouge_scorer`` (Lin 2004; Google's implementation, version 0.1.2):
clipped n-gram counts with ``max(count, 1)`` denominators, LCS over the whole text, and
for ROUGE-Lsum the union-LCS over reference sentences with the double-count guard of
the original ROUGE-1.5.5. Only the algorithms differ, never the numbers.

Everything is read off one table made once per reference text: each token's positions
in it as the bits of one integer (its *mask*). Looking the prediction's tokens up in it
gives, per predicted token, the mask of its reference occurrences (0 when it has none),
and from that list alone, without n-gram tables:

- ROUGE-1: equal masks are equal tokens, and a mask's bit count is the token's count in
  the reference, so the clipped overlap needs no counting unless a predicted token
  repeats;
- ROUGE-2: ``(mask(a) << 1) & mask(b)`` marks where the bigram ``a b`` ends in the
  reference: again one mask per predicted bigram, clipped the same way;
- ROUGE-L: rapidfuzz's bit-parallel LCS, on the masks themselves (equal masks, equal
  tokens) or, past 60 reference tokens, on their highest bits: rapidfuzz compares
  Python hashes, which are exact only for integers below 2**61 - 1;
- ROUGE-Lsum: a bit-parallel LCS table per reference sentence (its bit range of the
  masks) and candidate sentence, read back with rouge-score's own tie-breaking, the
  union of the chosen indices kept as one integer.

`RougeSide` holds one text (its tokens and sentence ends, and its mask table once it
is used as a reference); `score_sides` scores two of them with all four types. The
functions on plain token lists (`rouge_n`, `rouge_l`, `rouge_lsum`, `lcs_length`,
`lcs_indices`) build what they need on the fly.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import and_, lshift
from typing import Hashable, Iterable, NamedTuple, Sequence

from rapidfuzz.distance import LCSseq

Tokens = Sequence[Hashable]


class Score(NamedTuple):
    """Immutable (precision, recall, F), like rouge-score's ``Score``."""

    precision: float
    recall: float
    fmeasure: float


ZERO = Score(0.0, 0.0, 0.0)


def fmeasure(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0 (same float operations as rouge-score)."""
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def _score(hits: int, *, reference_total: int, prediction_total: int) -> Score:
    """rouge-score's P/R/F from a hit count and the two totals (denominators >= 1)."""
    precision = hits / max(prediction_total, 1)
    recall = hits / max(reference_total, 1)
    return Score(precision, recall, fmeasure(precision, recall))


# -- n-gram count tables (for any n; the four ROUGE types do not need them) -------------

def ngram_counts(tokens: Tokens, n: int) -> Counter:
    """Counts of the n-grams of `tokens`, each a tuple of n tokens."""
    return Counter(zip(*(tokens[k:] for k in range(n))))


def overlap(reference: dict, prediction: dict) -> int:
    """Clipped overlap of two count tables: the sum over shared keys of the smaller count."""
    if len(reference) > len(prediction):
        reference, prediction = prediction, reference
    return sum(map(min, reference.values(), map(prediction.get, reference, repeat(0))))


def score_ngram_counts(*, reference: Counter, prediction: Counter) -> Score:
    """Clipped n-gram overlap. Denominators are at least 1, as in rouge-score, so an
    empty side gives 0 rather than a division error."""
    return _score(overlap(reference, prediction), reference_total=sum(reference.values()),
                  prediction_total=sum(prediction.values()))


# -- the reference table ------------------------------------------------------------

_BITS = [1 << position for position in range(256)]
# Past this many reference tokens a mask can reach 2**61 - 1, where Python's int hash
# (what rapidfuzz compares) wraps: 2**61 hashes like 1. The LCS then runs on each mask's
# highest bit instead, as unique to its token as the mask.
_MASKS_HASH_EXACTLY = 60


def _position_masks(tokens: Tokens) -> dict[Hashable, int]:
    """Token -> bit mask of its positions in `tokens`."""
    if len(tokens) <= len(_BITS):
        masks = dict(zip(tokens, _BITS))  # right when no token repeats
        if len(masks) == len(tokens):
            return masks
    masks = {}
    get = masks.get
    for position, token in enumerate(tokens):
        masks[token] = get(token, 0) | (1 << position)
    return masks


class _Reference(NamedTuple):
    """A reference text as the kernels read it."""

    masks: dict[Hashable, int]  # token -> its positions (bits)
    codes: list[int]            # per position, an integer naming its token (for rapidfuzz)
    sentences: list[int]        # per non-empty sentence, its positions (bits)


def _reference(tokens: Tokens, ends: Iterable[int]) -> _Reference:
    masks = _position_masks(tokens)
    codes = list(map(masks.__getitem__, tokens))
    if len(tokens) > _MASKS_HASH_EXACTLY:
        codes = list(map(int.bit_length, codes))
    sentences = []
    start = 0
    for end in ends:
        sentences.append((1 << end) - (1 << start))
        start = end
    return _Reference(masks, codes, sentences)


def _lookup(masks: dict[Hashable, int], tokens: Tokens) -> list[int]:
    """Per token of `tokens`, the mask of its positions in the reference (0: none)."""
    return list(map(masks.get, tokens, repeat(0)))


def _clipped_hits(matches: list[int]) -> int:
    """Clipped overlap from one reference mask per predicted n-gram found there: equal
    masks are equal n-grams, and a mask's bit count is the n-gram's reference count."""
    hits = len(matches)
    counts = Counter(matches)
    if len(counts) < hits:  # a predicted n-gram repeats: clip it
        for mask, times in counts.items():
            if times > 1 and times > mask.bit_count():
                hits -= times - mask.bit_count()
    return hits


def _bigram_matches(found: list[int]) -> list[int]:
    """Per predicted bigram found in the reference, the positions where it ends there."""
    return list(filter(None, map(and_, map(lshift, found, repeat(1)), islice(found, 1, None))))


def _lcs_length(reference: _Reference, found: list[int]) -> int:
    if len(reference.codes) > _MASKS_HASH_EXACTLY:
        found = list(map(int.bit_length, found))
    return LCSseq.similarity(reference.codes, found)


# -- union-LCS for ROUGE-Lsum ---------------------------------------------------------

def _lcs_bits(positions: Sequence[int], matches: Sequence[int], *, rows: int,
              end: int) -> int:
    """The reference positions (bits) of rouge-score's LCS of one reference sentence
    (bit range `rows`) with one candidate sentence (ending at position `end`), given
    the candidate's tokens that occur in the reference: their positions and masks."""
    # After each of them, column j of rouge-score's table (rows: reference prefixes,
    # columns: candidate prefixes) as a bit vector over the sentence's positions
    # (Hyyrö 2004): a bit is 0 exactly where table[i][j] = table[i-1][j] + 1. Columns
    # of tokens absent from the sentence repeat the one to their left; bits of the mask
    # outside `rows` never reach the column.
    columns = []
    append = columns.append
    column = rows
    for match in matches:
        low = column & match
        column = ((column + low) | (column - low)) & rows
        append(column)
    # rouge-score's read-out from (i, j): take a match if the tokens are equal; else
    # move left iff table[i][j-1] > table[i-1][j], which on a mismatch is
    # table[i-1][j] < table[i][j] (a 0 bit in column j); else move up. Moves up are
    # taken at once (to the highest row below i that stops them), and a run of
    # columns whose token the reference lacks is crossed at once: they repeat the
    # column to their left and match nothing, so only their 0 bits stop the moves up.
    # `above` holds the rows still below i.
    taken = 0
    above = rows
    at = end
    for position, match, column in zip(reversed(positions), reversed(matches),
                                       reversed(columns)):
        if position + 1 == at:
            stops = (match | ~column) & above
        else:
            stops = ~column & above
        if not stops:
            break
        row = 1 << (stops.bit_length() - 1)
        if match & row:
            taken |= row
            above = (row - 1) & rows
        else:
            above = ((row << 1) - 1) & rows
        at = position
    return taken


def _lsum_hits(reference: _Reference, ends: Sequence[int], found: list[int],
               shared: list[int]) -> int:
    """rouge-score's ``_summary_level_lcs`` hit count. `ends`: where the prediction's
    non-empty sentences end; `found`: `_lookup` of its tokens; `shared`: the non-zero
    ones."""
    positions = list(compress(count(), found))
    union = 0  # reference positions in some sentence's union-LCS
    for rows in reference.sentences:
        first = 0
        for end in ends:
            last = bisect_left(positions, end, first)
            if last > first:
                union |= _lcs_bits(positions[first:last], shared[first:last], rows=rows,
                                   end=end)
            first = last
    hits = union.bit_count()
    # The guard: a token counts at most as often as the prediction has it (it never
    # exceeds the reference's count: union positions are distinct). Within one
    # reference sentence the union never exceeds it either (each of its positions is
    # matched by its own predicted token), so only several sentences can.
    if len(reference.sentences) > 1:
        for mask in set(shared):
            in_union = (union & mask).bit_count()
            if in_union > 1:
                predicted = shared.count(mask)
                if predicted < in_union:
                    hits -= in_union - predicted
    return hits


# -- a text analysed once -----------------------------------------------------------

class RougeSide:
    """One text as ROUGE needs it: its tokens, where its non-empty sentences end, and
    (made on first use as a reference) its mask table.

    Pickles as its token strings, per sentence."""

    __slots__ = ("words", "tokens", "ends", "_reference")

    def __init__(self, sentences: Sequence[Sequence[Hashable]]):
        self.words = sentences
        if len(sentences) == 1:
            self.tokens = sentences[0]
            self.ends = [len(self.tokens)] if self.tokens else []
        else:
            self.tokens = list(chain.from_iterable(sentences))
            lengths = list(map(len, sentences))
            self.ends = list(compress(accumulate(lengths), lengths))
        self._reference: _Reference | None = None

    def __reduce__(self):
        return (RougeSide, (self.words,))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RougeSide)
                and list(map(list, self.words)) == list(map(list, other.words)))

    def as_reference(self) -> _Reference:
        if self._reference is None:
            self._reference = _reference(self.tokens, self.ends)
        return self._reference


def score_sides(reference: RougeSide, prediction: RougeSide) -> tuple[Score, Score, Score, Score]:
    """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of `prediction` against `reference`."""
    m, n = len(reference.tokens), len(prediction.tokens)
    if not m or not n:
        return ZERO, ZERO, ZERO, ZERO
    table = reference.as_reference()
    found = _lookup(table.masks, prediction.tokens)
    shared = list(filter(None, found))
    rouge1 = _score(_clipped_hits(shared), reference_total=m, prediction_total=n)
    rouge2 = _score(_clipped_hits(_bigram_matches(found)), reference_total=m - 1,
                    prediction_total=n - 1)
    lcs = _lcs_length(table, found)
    rouge_l = _score(lcs, reference_total=m, prediction_total=n)
    if len(table.sentences) == 1 and len(prediction.ends) == 1:
        lsum = rouge_l  # one LCS: the guard never applies
    else:
        lsum = _score(_lsum_hits(table, prediction.ends, found, shared),
                      reference_total=m, prediction_total=n)
    return rouge1, rouge2, rouge_l, lsum


# -- the same on plain token lists ----------------------------------------------------

def rouge_n(*, reference: Tokens, prediction: Tokens, n: int) -> Score:
    if n > 2:
        return score_ngram_counts(reference=ngram_counts(reference, n),
                                  prediction=ngram_counts(prediction, n))
    found = _lookup(_position_masks(reference), prediction)
    if n == 1:
        return _score(_clipped_hits(list(filter(None, found))),
                      reference_total=len(reference), prediction_total=len(prediction))
    return _score(_clipped_hits(_bigram_matches(found)), reference_total=len(reference) - 1,
                  prediction_total=len(prediction) - 1)


def lcs_length(a: Tokens, b: Tokens) -> int:
    """Length of the longest common subsequence of two token sequences."""
    if not a or not b:
        return 0
    table = _reference(a, ())
    return _lcs_length(table, _lookup(table.masks, b))


def rouge_l(*, reference: Tokens, prediction: Tokens) -> Score:
    if not reference or not prediction:
        return ZERO
    return _score(lcs_length(reference, prediction), reference_total=len(reference),
                  prediction_total=len(prediction))


def lcs_indices(reference: Tokens, candidate: Tokens) -> list[int]:
    """Indices into `reference` of one LCS with `candidate`.

    The read-out order is rouge-score's (take a match when the tokens are equal, else
    move along the candidate only when that keeps a strictly longer LCS), so ties pick
    the same indices: ROUGE-Lsum depends on which LCS is chosen. The table itself is
    bit-parallel: one integer operation per candidate token.
    """
    if not reference or not candidate:
        return []
    found = _lookup(_position_masks(reference), candidate)
    bits = _lcs_bits(list(compress(count(), found)), list(filter(None, found)),
                     rows=(1 << len(reference)) - 1, end=len(candidate))
    return [index for index in range(len(reference)) if bits >> index & 1]


def rouge_lsum(*, reference: Sequence[Tokens], prediction: Sequence[Tokens]) -> Score:
    """Summary-level LCS over sentences (token lists): the union-LCS of each reference
    sentence with all prediction sentences, and ROUGE-1.5.5's guard against counting a
    token more often than it occurs on either side (rouge-score's
    ``_summary_level_lcs``)."""
    ref, pred = RougeSide(reference), RougeSide(prediction)
    if not ref.tokens or not pred.tokens:
        return ZERO
    table = ref.as_reference()
    found = _lookup(table.masks, pred.tokens)
    hits = _lsum_hits(table, pred.ends, found, list(filter(None, found)))
    return _score(hits, reference_total=len(ref.tokens), prediction_total=len(pred.tokens))
