"""chrF and chrF++ (Popović 2015, 2017), exactly as sacrebleu 2.x computes them.

Given the same strings and options, `ChrF` returns sacrebleu's ``CHRF`` statistics and
scores bit for bit: character n-grams of the text without whitespace (or with it, with
``whitespace``), word n-grams after sacrebleu's punctuation split, per order the
hypothesis, reference and clipped match counts, and the F-beta over the orders with
sacrebleu's effective-order averaging (or, with ``eps_smoothing``, the smoothed
average of chrF++.py, Moses and NLTK). Only the counting differs:

- n-gram totals are lengths (a text of L units has L-n+1 n-grams of order n);
- character n-grams' clipped matches are counted per pair of texts in numpy, every
  order at once: each character gets a small number among those the two texts use
  (1..K-1), an n-gram is the number whose digits are its characters in base K (so
  n-grams of different orders never share a number), and after one sort of each side,
  the k-th copy of an n-gram on one side is matched when the other side has more than
  k copies;
- one pair at a time (`ChrF.statistics`), word n-grams (a few dozen a text), pairs
  of short texts and pairs whose numbers would not fit in 63 bits (an alphabet or an
  order too large) are counted in Python on n-gram strings, each order made from the
  one before, stopping at the first order without a match (a longer n-gram contains a
  shorter one). ``numpy_from`` sets where
  numpy starts; the tests check both ways against sacrebleu.

A text is analysed once (`ChrF.analyse`: its characters and its words) and can be
scored against any number of others. `ChrF.statistics_of_many` scores a batch of
hypotheses (a run's batch of items): the characters of all its pairs are numbered in
one pass, and the character n-grams of all its pairs, then their word n-grams, are
counted together (`benchmark.kernels.chrf_pairs`: each n-gram's number tagged with its
pair and side, one sort per pair, then linear passes over the batch), every pair in
numpy unless ``numpy_from`` is None.
"""

from __future__ import annotations

from collections import _count_elements  # Counter's own counting loop, without Counter
from collections import defaultdict
from dataclasses import dataclass
from itertools import count, islice, repeat
from operator import add
from typing import Any, NamedTuple, Sequence

from benchmark.kernels.chrf_pairs import matches_of_pairs

_PUNCTUATION = frozenset('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_EPS = 1e-16
_CODE_LIMIT = 2 ** 63 - 1  # n-gram numbers stay below it; it is also the sort sentinel
_DENSE_TABLE_LIMIT = 4096  # code points below it are renumbered with a table, not a sort


class ChrFText(NamedTuple):
    """One text as chrF sees it: its characters (without whitespace unless kept) and
    its words after sacrebleu's punctuation split (empty for chrF without words)."""

    chars: str
    words: list[str]


@dataclass(frozen=True)
class ChrF:
    """sacrebleu's ``CHRF(char_order, word_order, beta, lowercase, whitespace,
    eps_smoothing)``."""

    char_order: int = 6
    word_order: int = 2
    beta: int = 2
    lowercase: bool = False
    whitespace: bool = False
    eps_smoothing: bool = False
    # Character n-grams are counted in numpy for pairs of texts with at least this many
    # characters between them (0: every pair, None: none), in Python below it (where
    # numpy's fixed cost is more than the count); the same numbers either way. In a
    # batch (`statistics_of_many`), every pair is counted in numpy unless it is None.
    numpy_from: int | None = 48

    def analyse(self, text: str) -> ChrFText:
        """The characters and words of a text (hypothesis or reference)."""
        if self.lowercase:
            text = text.lower()
        chars = text if self.whitespace else "".join(text.split())
        return ChrFText(chars, split_punctuation(text) if self.word_order else [])

    def analyse_split(self, parts: list[str]) -> ChrFText:
        """`analyse` of ``" ".join(parts)``, where `parts` is a text's ``split()``
        (no part empty or holding whitespace): the text is not split again."""
        if self.lowercase or self.whitespace:
            return self.analyse(" ".join(parts))
        return ChrFText("".join(parts), _split_words(parts) if self.word_order else [])

    def statistics(self, hypothesis: str | ChrFText,
                   references: Sequence[str | ChrFText]) -> list[int]:
        """sacrebleu's segment statistics: ``[hyp, ref, match]`` per order, for the
        reference with the best F (the first of equals)."""
        hyp = hypothesis if isinstance(hypothesis, ChrFText) else self.analyse(hypothesis)
        best: list[int] = []
        best_f = -1.0
        for reference in references:
            ref = reference if isinstance(reference, ChrFText) else self.analyse(reference)
            stats = self._pair_statistics(hyp, ref)
            f_score = self.score(stats)
            if f_score > best_f:
                best_f, best = f_score, stats
        return best

    def statistics_of_many(self, hypotheses: Sequence[str | ChrFText],
                           references: Sequence[Sequence[str | ChrFText]]) -> list[list[int]]:
        """`statistics` of each hypothesis against its references, the same numbers:
        the characters of all the pairs numbered at once and the word n-grams of all
        the pairs counted together (see `_statistics_of_pairs`)."""
        hyps = [h if isinstance(h, ChrFText) else self.analyse(h) for h in hypotheses]
        refs = [[r if isinstance(r, ChrFText) else self.analyse(r) for r in each]
                for each in references]
        pairs = [(hyp, ref) for hyp, each in zip(hyps, refs) for ref in each]
        counted = iter(self._statistics_of_pairs(pairs))
        best_of_each: list[list[int]] = []
        for each in refs:
            best: list[int] = []
            best_f = -1.0
            for stats in islice(counted, len(each)):
                if len(each) == 1:  # the only one: no F to compare
                    best = stats
                    break
                f_score = self.score(stats)
                if f_score > best_f:
                    best_f, best = f_score, stats
            best_of_each.append(best)
        return best_of_each

    def _statistics_of_pairs(self, pairs: list[tuple[ChrFText, ChrFText]]) -> list[list[int]]:
        """`_pair_statistics` of each pair: the n-grams of all the pairs counted
        together in numpy (`chrf_pairs.matches_of_pairs`), characters and words apart,
        instead of a dozen numpy calls and a Python count per pair."""
        if self.numpy_from is None or len(pairs) < 2:
            return [self._pair_statistics(hyp, ref) for hyp, ref in pairs]
        import numpy

        chars = _char_matches_of_pairs(numpy, pairs, self.char_order)
        if chars is None:  # too many distinct characters: each pair numbers its own
            chars = [self._char_matches(hyp.chars, ref.chars) for hyp, ref in pairs]
        stats = _totals_of_pairs(numpy, [len(hyp.chars) for hyp, _ in pairs],
                                 [len(ref.chars) for _, ref in pairs], chars)
        if self.word_order:
            words = _totals_of_pairs(numpy, [len(hyp.words) for hyp, _ in pairs],
                                     [len(ref.words) for _, ref in pairs],
                                     _word_matches_of_pairs(numpy, pairs, self.word_order))
            stats = numpy.concatenate([stats, words], axis=1)
        return stats.tolist()

    def _pair_statistics(self, hyp: ChrFText, ref: ChrFText) -> list[int]:
        stats: list[int] = []
        _add_totals(stats, len(hyp.chars), len(ref.chars),
                    self._char_matches(hyp.chars, ref.chars))
        if self.word_order:
            _add_totals(stats, len(hyp.words), len(ref.words),
                        _python_matches(hyp.words, ref.words, self.word_order, " "))
        return stats

    def _char_matches(self, hyp: str, ref: str) -> list[int]:
        """Clipped matches of character orders 1..char_order."""
        order = self.char_order
        if not hyp or not ref:
            return [0] * order
        if self.numpy_from is not None and len(hyp) + len(ref) >= self.numpy_from:
            import numpy

            codes, base = _char_codes(numpy, hyp, ref)
            if base ** order <= _CODE_LIMIT:
                return _numpy_matches(numpy, codes, len(hyp), base, order)
        return _python_matches(hyp, ref, order, "")

    def score(self, statistics: Sequence[int]) -> float:
        """chrF in [0, 100] from statistics (one segment's, or summed over a corpus)."""
        factor = self.beta ** 2
        total = precision_sum = recall_sum = 0.0
        effective_order = 0
        for i in range(0, len(statistics), 3):
            n_hyp, n_ref, n_match = statistics[i:i + 3]
            precision = n_match / n_hyp if n_hyp > 0 else _EPS
            recall = n_match / n_ref if n_ref > 0 else _EPS
            denominator = factor * precision + recall
            total += ((1 + factor) * precision * recall / denominator) if denominator > 0 else _EPS
            if n_hyp > 0 and n_ref > 0:
                precision_sum += precision
                recall_sum += recall
                effective_order += 1
        if self.eps_smoothing:
            return 100 * total / (len(statistics) // 3)
        if effective_order == 0:
            precision_sum = recall_sum = 0.0
        else:
            precision_sum /= effective_order
            recall_sum /= effective_order
        if precision_sum + recall_sum:
            value = (1 + factor) * precision_sum * recall_sum
            value /= (factor * precision_sum) + recall_sum
            return 100 * value
        return 0.0


def split_punctuation(text: str) -> list[str]:
    """sacrebleu's chrF++ word split: whitespace, then one ASCII punctuation mark off
    the end of a word, or else off its start (so ``(hi)`` gives ``(hi`` and ``)``)."""
    return _split_words(text.split())


def _split_words(parts: list[str]) -> list[str]:
    words: list[str] = []
    for word in parts:
        if len(word) == 1:
            words.append(word)
        elif word[-1] in _PUNCTUATION:
            words += word[:-1], word[-1]
        elif word[0] in _PUNCTUATION:
            words += word[0], word[1:]
        else:
            words.append(word)
    return words


def _add_totals(stats: list[int], hyp_units: int, ref_units: int, matches: list[int]) -> None:
    """``[hyp, ref, match]`` per order; as sacrebleu, no hypothesis n-grams are counted
    for an order where the reference has none."""
    for n, match in enumerate(matches):
        ref_total = max(ref_units - n, 0)
        stats += (max(hyp_units - n, 0) if ref_total else 0), ref_total, match


def _totals_of_pairs(np: Any, hyp_units: list[int], ref_units: list[int], matches: Any
                     ) -> Any:
    """`_add_totals` of many pairs at once: a P x 3·order array of ``[hyp, ref, match]``
    per order, given each pair's units and its P x order clipped matches."""
    matches = np.asarray(matches, dtype=np.int64)
    below = np.arange(matches.shape[1])
    ref = np.maximum(np.array(ref_units)[:, None] - below, 0)
    hyp = np.maximum(np.array(hyp_units)[:, None] - below, 0)
    hyp[ref == 0] = 0
    return np.stack([hyp, ref, matches], axis=2).reshape(len(matches), -1)


def _char_codes(np: Any, hyp: str, ref: str) -> tuple[Any, int]:
    """The two texts' characters as one array of numbers 1..K-1 (K-1 distinct
    characters between them), and K."""
    points = np.frombuffer((hyp + ref).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if int(points.max()) < _DENSE_TABLE_LIMIT:
        numbering = np.cumsum(np.bincount(points) > 0)  # code point -> 1, 2, ... as seen
        return numbering[points], int(numbering[-1]) + 1
    distinct, codes = np.unique(points, return_inverse=True)
    return codes.astype(np.int64) + 1, len(distinct) + 1


def _numpy_matches(np: Any, codes: Any, split: int, base: int, order: int) -> list[int]:
    """Clipped matches of orders 1..`order`: `codes` are the hypothesis's units (the
    first `split`) then the reference's, each in 1..base-1, and base**order fits in 63
    bits. The n-gram at i is sum(codes[i+j] * base**(n-1-j)), in [base**(n-1), base**n):
    no two orders share a number."""
    grams = _grams_of_orders(np, codes, base, order)
    return _sorted_matches(np, [g[:max(split - n, 0)] for n, g in enumerate(grams)],
                           [g[split:] for g in grams], _order_bounds(np, base, order))


def _grams_of_orders(np: Any, codes: Any, base: int, order: int) -> list[Any]:
    """The n-gram numbers at each position of `codes`, n = 1..`order` (the one of order
    n at i in the (n-1)-th array, at i)."""
    step = np.int64(base)  # a numpy scalar: a Python int would be converted at each use
    grams = [codes]
    for n in range(1, order):
        following = grams[-1][:-1] * step
        following += codes[n:]
        grams.append(following)
    return grams


def _order_bounds(np: Any, base: int, order: int) -> Any:
    """Where the n-gram numbers of each order end: base**n, n = 1..`order`."""
    return np.array([base ** n for n in range(1, order + 1)], dtype=np.int64)


def _sorted_matches(np: Any, hyp_parts: list[Any], ref_parts: list[Any], bounds: Any
                    ) -> list[int]:
    """Clipped matches of each order, given each side's n-gram numbers (in any order,
    in several arrays) and where each order's numbers end."""
    upto = _matched(np, hyp_parts, ref_parts).searchsorted(bounds).tolist()
    return [upto[0]] + [high - low for low, high in zip(upto, upto[1:])]


def _matched(np: Any, hyp_parts: list[Any], ref_parts: list[Any]) -> Any:
    """The matched n-gram numbers, sorted: each n-gram as often as the smaller of its
    two counts. The k-th copy (from 0) of an n-gram on the shorter side is matched
    when the other side has more than k copies."""
    hyp_size, ref_size = sum(map(len, hyp_parts)), sum(map(len, ref_parts))
    short, long = (ref_parts, hyp_parts) if ref_size <= hyp_size else (hyp_parts, ref_parts)
    needles = np.concatenate(short)
    haystack = np.concatenate([*long, np.array([_CODE_LIMIT], dtype=np.int64)])  # the
    needles.sort()  # sentinel sorts last and equals no n-gram
    haystack.sort()
    # (the arrays' own methods: np.searchsorted adds a Python call each time)
    copy = np.arange(len(needles))
    copy -= needles.searchsorted(needles)  # k: earlier copies of the same n-gram
    copy += haystack.searchsorted(needles)  # where the other side's k-th copy would be
    return needles[haystack.take(copy, mode="clip") == needles]


def _python_matches(hyp: Sequence[str], ref: Sequence[str], order: int, glue: str) -> list[int]:
    """Clipped matches of orders 1..`order` counted on n-gram strings. An order without
    a match ends the count: every longer n-gram contains a shorter one."""
    hyp_grams, ref_grams = list(hyp), list(ref)
    hyp_next, ref_next = hyp_grams, ref_grams  # the unit that extends an n-gram
    if glue and order > 1:
        hyp_next, ref_next = [glue + unit for unit in hyp], [glue + unit for unit in ref]
    matches: list[int] = []
    for n in range(1, order + 1):
        if n > 1:  # each (n-1)-gram but the last, extended by the next unit
            hyp_grams = list(map(add, hyp_grams, islice(hyp_next, n - 1, None)))
            ref_grams = list(map(add, ref_grams, islice(ref_next, n - 1, None)))
        matches.append(_clipped(hyp_grams, ref_grams))
        if not matches[-1]:
            return matches + [0] * (order - n)
    return matches


def _clipped(hyp: list[str], ref: list[str]) -> int:
    """Over the n-grams both have, the smaller count. Where every reference n-gram
    occurs once, that is the number of distinct hypothesis n-grams the reference has."""
    ref_counts: dict[str, int] = {}
    _count_elements(ref_counts, ref)
    if len(ref_counts) == len(ref):
        return len(ref_counts.keys() & hyp)
    hyp_counts: dict[str, int] = {}
    _count_elements(hyp_counts, hyp)
    if len(hyp_counts) > len(ref_counts):
        hyp_counts, ref_counts = ref_counts, hyp_counts
    return sum(map(min, hyp_counts.values(), map(ref_counts.get, hyp_counts, repeat(0))))


def _char_matches_of_pairs(np: Any, pairs: list[tuple[ChrFText, ChrFText]],
                           order: int) -> Any:
    """Clipped character matches of orders 1..`order` of each pair (P x `order`), every
    pair counted together (None where the numbers would not fit in 63 bits): characters numbered
    1..K-1 among those of the whole batch, K and K+1 the two sides' separators."""
    lengths = [len(text.chars) for pair in pairs for text in pair]
    text = "".join([text.chars for pair in pairs for text in pair])
    if not text:
        return [[0] * order for _ in pairs]
    codes, base = _char_codes(np, text, "")
    if 3 * len(pairs) * (base + 2) ** order > _CODE_LIMIT:
        return None
    separated = np.insert(codes, np.cumsum(lengths), [base, base + 1] * len(pairs))
    return matches_of_pairs(np, separated, lengths, base + 2, order)


def _word_matches_of_pairs(np: Any, pairs: list[tuple[ChrFText, ChrFText]],
                           order: int) -> Any:
    """Clipped word matches of orders 1..`order` of each pair: words numbered from 3 in
    the order they come (1 and 2 the two sides' separators)."""
    numbers: dict[Any, int] = defaultdict(count(3).__next__)
    number = numbers.__getitem__
    codes: list[int] = []
    lengths: list[int] = []
    for pair in pairs:
        for side, separator in ((0, 1), (1, 2)):
            words = pair[side].words
            codes += map(number, words)
            codes.append(separator)
            lengths.append(len(words))
    base = len(numbers) + 3
    if 3 * len(pairs) * base ** order > _CODE_LIMIT:  # a vocabulary of billions
        return [_python_matches(hyp.words, ref.words, order, " ") for hyp, ref in pairs]
    return matches_of_pairs(np, np.array(codes, dtype=np.int64), lengths, base, order,
                            sort_each_pair=False)
