"""The batch counter of chrF (`benchmark.kernels.chrf_pairs.matches_of_pairs`): each
pair's clipped matches per order must be those the pair gets counted alone in Python
(`chrf._python_matches`), however the batch is cut into chunks and sorted (each pair's
slice or the whole chunk), on generated unit sequences with many repeats (runs of
several copies on either side, counted by the search), empty texts and n-grams over a
text's end; and golden rows counted by hand."""

from __future__ import annotations

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.kernels import chrf_pairs
from benchmark.kernels.chrf import ChrF, _python_matches
from benchmark.kernels.chrf_pairs import matches_of_pairs

UNITS = st.lists(st.integers(1, 4), max_size=25)  # four units: n-grams repeat often


def _laid_out(pairs: list[tuple[list[int], list[int]]], base: int):
    """The codes and lengths `matches_of_pairs` takes: units 1..base-3, separators
    base-2 (hypothesis) and base-1 (reference)."""
    codes: list[int] = []
    lengths: list[int] = []
    for hyp, ref in pairs:
        codes += [*hyp, base - 2, *ref, base - 1]
        lengths += len(hyp), len(ref)
    return numpy.array(codes, dtype=numpy.int64), lengths


def _alone(hyp: list[int], ref: list[int], order: int) -> list[int]:
    return _python_matches([chr(0x61 + u) for u in hyp], [chr(0x61 + u) for u in ref],
                           order, "")


@pytest.mark.parametrize("chunk", [1, 40, chrf_pairs.CHUNK])
@pytest.mark.parametrize("sort_each_pair", [True, False])
@settings(max_examples=120, deadline=None)
@given(pairs=st.lists(st.tuples(UNITS, UNITS), min_size=1, max_size=8),
       order=st.integers(1, 6))
def test_each_pair_as_counted_alone(chunk, sort_each_pair, pairs, order):
    base = 4 + 3  # units 1..4, two separators, and 0 which no unit is
    codes, lengths = _laid_out(pairs, base)
    got = matches_of_pairs(numpy, codes, lengths, base, order, sort_each_pair=sort_each_pair,
                           chunk=chunk)
    assert got.tolist() == [_alone(hyp, ref, order) for hyp, ref in pairs]


@pytest.mark.parametrize("why, hyp, ref, expected", [
    ("three copies against two: 2; 'aa' twice against once: 1", "aaa", "aa", [2, 1, 0]),
    ("no copy shared", "ab", "cd", [0, 0, 0]),
    ("both end with 'ab': over the end, 'ab'+separator differs by side", "xab", "yab",
     [2, 1, 0]),
    ("an empty hypothesis matches nothing", "", "ab", [0, 0, 0]),
    ("repeats on the reference side only: 'b' once against three times", "ab", "bbb",
     [1, 0, 0]),
])
def test_golden_pairs(why, hyp, ref, expected):
    """Order 3 on characters, a pair alone and between two others in one batch."""
    chrf = ChrF(char_order=3, word_order=0)
    got = chrf.statistics_of_many(["zz", hyp, "ab"], [["ab"], [ref], ["zzab"]])[1]
    assert got[2::3] == expected
    assert got == chrf.statistics(hyp, [ref])
