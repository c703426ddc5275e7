"""Token lists packed into one string (`benchmark.kernels.packed`) for the pickles of
the dataset analysis store: what is read back is equal to what was packed, of the same
types, or the value is not packed (and pickles as it is)."""

from __future__ import annotations

import json
import pickle

import pytest

from benchmark.kernels.packed import pack, unpack
from benchmark.kernels.rouge import RougeSide, _unpacked_side, score_sides
from benchmark.text.profile import get_profile


def same_shape(a, b) -> bool:
    """Equal, and of the same types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(same_shape, a, b))
    return a == b


# (sequences, packed?) each row saying why
CASES = [
    ([["a", "b"], ["c"]], True),  # lists of lists
    ((("a", "b"), ("c",)), True),  # tuples of tuples come back as tuples
    ([("a", "b"), ("c",)], True),  # a list of tuples
    ([["", "x"], [""], ["", ""]], True),  # empty tokens beside others
    ([[], ["a"], []], True),  # empty sentences keep their place
    ([], True),  # no sentence
    ([[]], True),  # one empty sentence
    ([[""]], False),  # one empty token would read back as no token
    ([["a\nb"]], False),  # a token holding the separator
    ([["a"], ("b",)], False),  # mixed sequence types
    ([[1, 2]], False),  # not strings
    ([[type("S", (str,), {})("a")]], False),  # a str subclass would come back a str
    ("ab", False),  # not a sequence of sequences
]


@pytest.mark.parametrize(("sequences", "packed"), CASES)
def test_pack_gives_back_equal_values_of_the_same_types_or_refuses(sequences, packed):
    found = pack(sequences)
    assert (found is not None) == packed
    if packed:
        assert same_shape(unpack(*found), sequences)


# (a local str subclass cannot be pickled at all; a string is no list of sentences)
@pytest.mark.parametrize(("sequences", "packed"), CASES[:-2])
def test_rouge_side_pickles_to_an_equal_side_packed_or_not(sequences, packed):
    for side in (RougeSide(sequences), RougeSide(sequences, tokens=["a", "b", "a"]),
                 RougeSide([["a"]], tokens=("x", "y"))):
        copy = pickle.loads(pickle.dumps(side, protocol=pickle.HIGHEST_PROTOCOL))
        assert copy == side and same_shape(copy._made_of(), side._made_of())
        assert (copy.size, copy.ends) == (side.size, side.ends)
        made = side._made_of()
        packs = all(pack(part) is not None for part in (made[0], *([t] for t in made[1:])))
        assert (side.__reduce__()[0] is _unpacked_side) == packs
        assert packs or not packed or len(made) == 1


def test_real_references_pickle_packed_and_score_the_same(shared_dir):
    """BBC references as the ROUGE metric prepares them: every one packs, and scores a
    prediction the same after a round trip as before."""
    profile = get_profile("ar")
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as lines:
        pairs = [json.loads(line) for _, line in zip(range(300), lines)]
    for pair in pairs:
        reference = RougeSide(profile.sentence_tokens(pair["summary"]))
        prediction = RougeSide(profile.sentence_tokens(pair["article"][:400]))
        assert reference.__reduce__()[0] is _unpacked_side
        copy = pickle.loads(pickle.dumps(reference, protocol=pickle.HIGHEST_PROTOCOL))
        assert same_shape(copy._made_of(), reference._made_of())
        assert score_sides(copy, prediction) == score_sides(reference, prediction)
