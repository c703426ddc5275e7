"""ROUGE kernels on token lists, reproducing rouge-score 0.1.2 exactly.

Given the same tokens, every function here returns the same precision, recall and F as
``rouge_score.rouge_scorer`` (Lin 2004; Google's implementation, version 0.1.2):
clipped n-gram counts with ``max(count, 1)`` denominators, sentence-level LCS, and for
ROUGE-Lsum the union-LCS over reference sentences with the double-count guard of the
original ROUGE-1.5.5. Only the algorithms differ, never the numbers: tokens become
integer ids, LCS lengths come from rapidfuzz's bit-parallel C implementation, and the
LCS *indices* that ROUGE-Lsum needs come from a bit-parallel table read back with
rouge-score's own tie-breaking.

`RougeSide` holds one text analysed once (ids, n-gram counts, per-sentence bit masks);
`score_sides` scores two of them with all four types. The functions on plain token
lists (`rouge_n`, `rouge_l`, `rouge_lsum`) build sides on the fly.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, compress, count, repeat
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


# -- token ids ----------------------------------------------------------------------

class _Vocabulary(dict):
    """Token -> small integer, assigned on first sight (process-wide)."""

    def __missing__(self, token: Hashable) -> int:
        self[token] = index = len(self)
        return index


_VOCABULARY = _Vocabulary()


def token_ids(tokens: Iterable[Hashable]) -> list[int]:
    """The ids of `tokens`; equal tokens get equal ids within one process."""
    return list(map(_VOCABULARY.__getitem__, tokens))


# -- n-grams ------------------------------------------------------------------------

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


def rouge_n(*, reference: Tokens, prediction: Tokens, n: int) -> Score:
    return score_ngram_counts(reference=ngram_counts(reference, n),
                              prediction=ngram_counts(prediction, n))


# -- LCS ----------------------------------------------------------------------------

def lcs_length(a: Tokens, b: Tokens) -> int:
    """Length of the longest common subsequence of two token sequences (rapidfuzz's
    bit-parallel LCS, which compares elements by hash and equality)."""
    if not a or not b:
        return 0
    return LCSseq.similarity(a, b)


def rouge_l(*, reference: Tokens, prediction: Tokens) -> Score:
    if not reference or not prediction:
        return ZERO
    lcs = lcs_length(token_ids(reference), token_ids(prediction))
    precision = lcs / len(prediction)
    recall = lcs / len(reference)
    return Score(precision, recall, fmeasure(precision, recall))


def _position_masks(sequence: Sequence[int]) -> dict[int, int]:
    """Token -> bit mask of its positions in `sequence`."""
    masks: dict[int, int] = {}
    for position, token in enumerate(sequence):
        masks[token] = masks.get(token, 0) | (1 << position)
    return masks


def _lcs_indices(reference: Sequence[int], candidate: Sequence[int],
                 masks: dict[int, int]) -> list[int]:
    """Indices into `reference` of rouge-score's LCS with `candidate` (see
    `lcs_indices`); `masks` are `reference`'s position masks."""
    full = (1 << len(reference)) - 1
    # Only candidate tokens that occur in the reference change the table. After each
    # of them, column j of rouge-score's table (rows: reference prefixes, columns:
    # candidate prefixes) as a bit vector over the reference positions (Hyyrö 2004):
    # bit i-1 is 0 exactly where table[i][j] = table[i-1][j] + 1.
    shared = []  # (position, token, its mask, the column after it)
    column = full
    found = list(map(masks.get, candidate))  # None where the reference lacks the token
    for position, token, match in compress(zip(count(), candidate, found), found):
        low = column & match
        column = ((column + low) | (column - low)) & full
        shared.append((position, token, match, column))
    # rouge-score's read-out from (i, j): take a match if the tokens are equal; else
    # move left iff table[i][j-1] > table[i-1][j], which on a mismatch is
    # table[i-1][j] < table[i][j] (a 0 bit in column j); else move up. Moves up are
    # taken at once (to the highest row below i that stops them), and a run of
    # columns whose token the reference lacks is crossed at once: they repeat the
    # column to their left and match nothing, so only their 0 bits stop the moves up.
    indices: list[int] = []
    i, at = len(reference), len(candidate)
    for position, token, match, column in reversed(shared):
        if position + 1 == at:
            stops = (match | ~column) & ((1 << i) - 1)
        else:
            stops = ~column & ((1 << i) - 1)
        if not stops:
            break
        i = stops.bit_length()
        if reference[i - 1] == token:
            i -= 1
            indices.append(i)
        at = position
    indices.reverse()
    return indices


def lcs_indices(reference: Tokens, candidate: Tokens) -> list[int]:
    """Indices into `reference` of one LCS with `candidate`.

    The read-out order is rouge-score's (take a match when the tokens are equal, else
    move along the candidate only when that keeps a strictly longer LCS), so ties pick
    the same indices: ROUGE-Lsum depends on which LCS is chosen. The table itself is
    bit-parallel: one integer operation per candidate token.
    """
    if not reference or not candidate:
        return []
    ref, cand = token_ids(reference), token_ids(candidate)
    return _lcs_indices(ref, cand, _position_masks(ref))


# -- a text analysed once -----------------------------------------------------------

class RougeSide:
    """One text as ROUGE needs it: token ids per sentence and overall, unigram and
    bigram counts, and (made on first use as a reference) per sentence the positions
    of each token as bit masks.

    Pickles as its token strings (ids are only meaningful inside one process)."""

    __slots__ = ("words", "sentences", "tokens", "unigrams", "bigrams", "masks")

    def __init__(self, sentences: Sequence[Sequence[str]]):
        self.words = sentences
        self.tokens = tokens = token_ids(chain.from_iterable(sentences))
        if len(sentences) == 1:
            self.sentences = [tokens]
        else:
            self.sentences = []
            start = 0
            for sentence in sentences:
                self.sentences.append(tokens[start:start + len(sentence)])
                start += len(sentence)
        self.unigrams = Counter(tokens)
        self.bigrams = Counter(zip(tokens, tokens[1:]))
        self.masks: list[dict[int, int]] | None = None

    def __reduce__(self):
        return (RougeSide, (self.words,))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, RougeSide)
                and list(map(list, self.words)) == list(map(list, other.words)))

    def sentence_masks(self) -> list[dict[int, int]]:
        if self.masks is None:
            self.masks = [_position_masks(sentence) for sentence in self.sentences]
        return self.masks


def score_sides(reference: RougeSide, prediction: RougeSide) -> tuple[Score, Score, Score, Score]:
    """ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum of `prediction` against `reference`."""
    ref_tokens, pred_tokens = reference.tokens, prediction.tokens
    rouge1 = _score(overlap(reference.unigrams, prediction.unigrams),
                    reference_total=len(ref_tokens), prediction_total=len(pred_tokens))
    rouge2 = _score(overlap(reference.bigrams, prediction.bigrams),
                    reference_total=len(ref_tokens) - 1, prediction_total=len(pred_tokens) - 1)
    if ref_tokens and pred_tokens:
        lcs = LCSseq.similarity(ref_tokens, pred_tokens)
        precision, recall = lcs / len(pred_tokens), lcs / len(ref_tokens)
        rouge_l_score = Score(precision, recall, fmeasure(precision, recall))
    else:
        rouge_l_score = ZERO
    return rouge1, rouge2, rouge_l_score, _lsum(reference, prediction)


def _lsum(reference: RougeSide, prediction: RougeSide) -> Score:
    """Summary-level LCS over sentences: the union-LCS of each reference sentence with
    all prediction sentences, and ROUGE-1.5.5's guard against counting a token more
    often than it occurs on either side (rouge-score's ``_summary_level_lcs``)."""
    m, n = len(reference.tokens), len(prediction.tokens)
    if not m or not n:
        return ZERO
    candidates = prediction.sentences
    in_reference, in_prediction = reference.unigrams, prediction.unigrams
    used: dict[int, int] = {}  # token -> hits so far (both sides' counts go down by them)
    hits = 0
    for sentence, masks in zip(reference.sentences, reference.sentence_masks()):
        union: set[int] = set()
        for candidate in candidates:
            if not masks.keys().isdisjoint(candidate):  # no shared token: empty LCS
                union.update(_lcs_indices(sentence, candidate, masks))
        # The guard's outcome does not depend on the order the union is visited in.
        for index in union:
            token = sentence[index]
            count = used.get(token, 0)
            if count < in_prediction[token] and count < in_reference[token]:
                hits += 1
                used[token] = count + 1
    precision, recall = hits / n, hits / m
    return Score(precision, recall, fmeasure(precision, recall))


def rouge_lsum(*, reference: Sequence[Tokens], prediction: Sequence[Tokens]) -> Score:
    """Summary-level LCS over sentences (token lists); see `_lsum`."""
    if not reference or not prediction:
        return ZERO
    return _lsum(RougeSide(reference), RougeSide(prediction))
