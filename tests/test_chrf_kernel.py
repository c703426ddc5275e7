"""The chrF kernel against sacrebleu's ``CHRF``: statistics (per order: hypothesis,
reference and match counts), the reference picked among several, and the score, all bit
for bit, on generated strings with every option, on hand-computed cases, and on every
BBC pair. Each check runs both ways of counting character n-grams: numpy (``numpy_from=0``:
every pair) and Python (``numpy_from=None``)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from benchmark.kernels import chrf as chrf_module
from benchmark.kernels.chrf import ChrF, split_punctuation

WAYS = {"numpy": 0, "python": None}

# Few characters, spaces and punctuation: repeated n-grams on both sides, and words that
# sacrebleu's punctuation split cuts. The no-break space and the information separator
# are whitespace to str.split (and to sacrebleu); 中 is above the code points the numpy
# path renumbers with a table, so it takes the sort.
TEXT = st.text(alphabet=st.sampled_from(list("abب ا.,(") + ["\xa0", "\x1f", "中"]),
               max_size=40)
OPTIONS = st.fixed_dictionaries({
    "char_order": st.integers(1, 6), "word_order": st.integers(0, 2), "beta": st.integers(1, 3),
    "eps_smoothing": st.booleans(), "whitespace": st.booleans(), "lowercase": st.booleans()})


def sacrebleu_statistics(hypothesis: str, references: list[str], **options) -> list[int]:
    [stats] = CHRF(**options)._extract_corpus_statistics([hypothesis], [[r] for r in references])
    return list(stats)


@pytest.mark.parametrize("numpy_from", WAYS.values(), ids=WAYS.keys())
@settings(max_examples=300, deadline=None)
@given(hypothesis=TEXT, references=st.lists(TEXT, min_size=1, max_size=3), options=OPTIONS)
def test_equals_sacrebleu(numpy_from, hypothesis, references, options):
    ours, theirs = ChrF(**options, numpy_from=numpy_from), CHRF(**options)
    expected = sacrebleu_statistics(hypothesis, references, **options)
    got = ours.statistics(hypothesis, references)
    assert got == expected
    assert ours.score(got) == theirs._compute_score_from_stats(expected).score


GOLDEN = [
    # (why, hypothesis, reference, options, expected [hyp, ref, match] per order)
    ("no character in common: every order 0 matches (Python stops after unigrams), and "
     "the totals are still the lengths: 3-n+1 and 2-n+1 n-grams",
     "abc", "xy", {"char_order": 3, "word_order": 0},
     [3, 2, 0, 2, 1, 0, 0, 0, 0]),
    ("a match at unigrams, none at bigrams, so none at trigrams: ab against ba shares a, "
     "b, but not the bigram",
     "ab", "ba", {"char_order": 3, "word_order": 0},
     [2, 2, 2, 1, 1, 0, 0, 0, 0]),
    ("repeats clipped: aaaa has a x4, aa x3, aaa x2; aa has a x2, aa x1 and no trigram, "
     "so trigrams count no hypothesis n-grams either (sacrebleu's rule)",
     "aaaa", "aa", {"char_order": 3, "word_order": 0},
     [4, 2, 2, 3, 1, 1, 0, 0, 0]),
    ("repeats on both sides: abab (a, b x2; ab x2, ba x1) against aabb (a, b x2; aa, ab, "
     "bb x1): unigrams min(2,2)+min(2,2) = 4, bigrams min(2,1) = 1",
     "abab", "aabb", {"char_order": 2, "word_order": 0},
     [4, 4, 4, 3, 3, 1]),
    ("the same n-gram on both sides in different numbers: x y x against x x y: words x x2 "
     "and y once on both; bigrams 'x y', 'y x' against 'x x', 'x y': one shared",
     "x y x", "x x y", {"char_order": 1, "word_order": 2},
     [3, 3, 3, 3, 3, 3, 2, 2, 1]),
    ("an empty hypothesis: no n-grams, no matches; the reference's are still counted",
     "", "ab", {"char_order": 2, "word_order": 1},
     [0, 2, 0, 0, 1, 0, 0, 1, 0]),
    ("an empty reference: sacrebleu counts no hypothesis n-grams at all",
     "ab", "", {"char_order": 2, "word_order": 1},
     [0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("whitespace kept: 'a b' has the 3 characters a, space, b and bigrams 'a ', ' b'",
     "a b", "a b", {"char_order": 2, "word_order": 0, "whitespace": True},
     [3, 3, 3, 2, 2, 2]),
    ("a word split off its punctuation: 'b.' gives b and '.', so 'a b.' has 3 words and "
     "shares a and b with 'a b' (and the bigram 'a b')",
     "a b.", "a b", {"char_order": 1, "word_order": 2},
     [3, 2, 2, 3, 2, 2, 2, 1, 1]),
]


@pytest.mark.parametrize("numpy_from", WAYS.values(), ids=WAYS.keys())
@pytest.mark.parametrize("why, hypothesis, reference, options, expected", GOLDEN,
                         ids=[row[0][:40] for row in GOLDEN])
def test_golden_statistics(numpy_from, why, hypothesis, reference, options, expected):
    assert sacrebleu_statistics(hypothesis, [reference], **options) == expected
    assert ChrF(**options, numpy_from=numpy_from).statistics(hypothesis, [reference]) == expected


@pytest.fixture
def python_counts(monkeypatch):
    """Records every order the pure-Python count is asked for ("" for characters)."""
    calls: list[str] = []
    count = chrf_module._python_matches

    def spy(hyp, ref, order, glue):
        calls.append(glue)
        return count(hyp, ref, order, glue)

    monkeypatch.setattr(chrf_module, "_python_matches", spy)
    return calls


def _alphabet_texts(size: int) -> tuple[str, str]:
    """Two texts using `size` distinct characters (CJK, above the renumbering table)
    between them, with repeats and shared 6-grams."""
    chars = "".join(chr(0x4E00 + i) for i in range(size))
    return chars + chars[:50] + chars[7:20], chars[::2] + chars[:100] + chars[3:40]


@pytest.mark.parametrize("size, counted_in_python", [
    (1447, False),  # base 1448: 1448**6 = 9.217e18, the largest that fits in 63 bits
    (1448, True),   # base 1449: 1449**6 = 9.24e18 does not fit: Python counts
])
def test_the_largest_alphabet_numpy_counts(python_counts, size, counted_in_python):
    hypothesis, reference = _alphabet_texts(size)
    assert len(set(hypothesis + reference)) == size
    expected = sacrebleu_statistics(hypothesis, [reference], word_order=0)
    assert ChrF(word_order=0, numpy_from=0).statistics(hypothesis, [reference]) == expected
    assert (python_counts == [""]) is counted_in_python


def test_short_pairs_are_counted_in_python(python_counts):
    """Below `numpy_from` characters between the two texts, numpy's fixed cost is more
    than the count, so Python counts (same numbers)."""
    chrf = ChrF(word_order=0)
    assert chrf.statistics("a" * 20, ["a" * 27]) == sacrebleu_statistics("a" * 20, ["a" * 27],
                                                                         word_order=0)
    assert python_counts == [""]
    chrf.statistics("a" * 20, ["a" * 28])
    assert python_counts == [""]  # 48 characters: numpy


def test_a_prepared_reference_scores_like_its_text():
    chrf = ChrF()
    reference = "ذهب الولد إلى المدرسة"
    prepared = chrf.analyse(reference)
    for hypothesis in ("ذهب الولد", "المدرسة بعيدة", ""):
        assert chrf.statistics(hypothesis, [prepared]) == chrf.statistics(hypothesis, [reference])


def test_punctuation_split_golden():
    """sacrebleu's rule, bug included (issue #124): one mark off the end, else the start."""
    assert split_punctuation("(hi) a, .b ok") == ["(hi", ")", "a", ",", ".", "b", "ok"]


def test_every_bbc_pair_equals_sacrebleu(shared_dir):
    """Real text: lead-3 of every BBC article against its summary, normalized as the
    chrf metric does; statistics and scores identical on every pair, both ways."""
    from benchmark.text import get_profile, split_sentences

    profile = get_profile("ar")
    pairs = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            lead = "\n".join(split_sentences(record["article"])[:3])
            pairs.append(tuple(" ".join(profile.normalize(text).split())
                               for text in (lead, record["summary"])))
    sacrebleu = CHRF(word_order=2)
    expected = sacrebleu._extract_corpus_statistics([h for h, _ in pairs], [[r for _, r in pairs]])
    for numpy_from, count in ((48, len(pairs)), (None, 600)):
        ours = ChrF(numpy_from=numpy_from)
        for (hypothesis, reference), stats in zip(pairs[:count], expected):
            got = ours.statistics(hypothesis, [reference])
            assert got == list(stats), (numpy_from, hypothesis[:40])
            assert ours.score(got) == sacrebleu.sentence_score(hypothesis, [reference]).score
