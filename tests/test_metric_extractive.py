"""Extractiveness (Grusky et al. 2018): hand-computed fragments and statistics, the case
where the widely copied Newsroom matcher misses the longest fragment, and properties."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark import Scorer
from benchmark.metrics.extractive import extractive_stats
from benchmark.metrics.extractive_kernels import (ArticleIndex, extractive_counts, fragments,
                                                  novel_ngram_ratio)


def newsroom_fragments(*, article, summary):
    """The Newsroom code's greedy matcher (Grusky et al. 2018, Algorithm 1 as published
    and widely copied), kept here only as the contrast: after a match at article
    position j it resumes the article scan after the match, so a longer match starting
    inside the matched span is never tried."""
    found, i = [], 0
    while i < len(summary):
        best, j = 0, 0
        while j < len(article):
            if summary[i] == article[j]:
                i2, j2 = i, j
                while i2 < len(summary) and j2 < len(article) and summary[i2] == article[j2]:
                    i2, j2 = i2 + 1, j2 + 1
                best = max(best, i2 - i)
                j = j2
            else:
                j += 1
        if best:
            found.append((i, best))
        i += max(best, 1)
    return found


FRAGMENTS = [
    # (why, article, summary, expected (summary start, length) fragments)
    ("verbatim copy of a span: one fragment of the whole summary",
     "a b c d e", "b c d", [(0, 3)]),
    ("no shared token: no fragment", "a b c", "x y", []),
    ("two copied spans in swapped order: two fragments", "a b c d", "c d a b",
     [(0, 2), (2, 2)]),
    ("a novel token between copies is skipped", "a b c d", "a b x c d", [(0, 2), (3, 2)]),
    ("the longest run wins over an earlier shorter one", "a b z a b c", "a b c", [(0, 3)]),
    ("the Newsroom case: 'a a' at 0 hides 'a a b' at 1", "a a a b", "a a b", [(0, 3)]),
    ("a repeated summary token may reuse the same article token", "a b", "a b a b",
     [(0, 2), (2, 2)]),
]


@pytest.mark.parametrize("why, article, summary, expected", FRAGMENTS,
                         ids=[row[0] for row in FRAGMENTS])
def test_fragments(why, article, summary, expected):
    assert fragments(article=article.split(), summary=summary.split()) == expected


def test_the_newsroom_matcher_misses_the_longest_fragment_and_ours_does_not():
    article, summary = "a a a b".split(), "a a b".split()
    # Newsroom: matches 'a a' at article 0, jumps to article 2, where 'a' then 'b'
    # mismatch; the fragment 'a a b' at article 1 is never tried.
    assert newsroom_fragments(article=article, summary=summary) == [(0, 2), (2, 1)]
    assert fragments(article=article, summary=summary) == [(0, 3)]
    # Density: Newsroom (4 + 1) / 3 = 5/3; correct 9 / 3 = 3. Coverage 1 in both.
    ours = extractive_stats(article=article, summary=summary)
    assert ours["ext_density"] == 3.0 and ours["ext_coverage"] == 1.0


def test_the_newsroom_matcher_errs_on_real_arabic_text():
    """The same trap in words: a repeated word before the copied phrase."""
    article = "قال قال قال الوزير".split()
    summary = "قال قال الوزير".split()
    assert newsroom_fragments(article=article, summary=summary) == [(0, 2), (2, 1)]
    assert fragments(article=article, summary=summary) == [(0, 3)]


STATS = [
    # (why, article, summary, expected values)
    ("verbatim copy of 3 of 6 article tokens: coverage 1, density 9/3 = 3, "
     "compression 6/3 = 2, nothing novel",
     "a b c d e f", "b c d",
     {"ext_coverage": 1.0, "ext_density": 3.0, "ext_compression": 2.0,
      "novel_1": 0.0, "novel_2": 0.0, "novel_3": 0.0}),
    ("fragments 2 and 2 out of 5 tokens: coverage 4/5, density (4+4)/5; novel "
     "unigrams 1/5 (x); bigrams b x, x c of 4 are novel; trigrams all 3 contain x",
     "a b c d", "a b x c d",
     {"ext_coverage": 0.8, "ext_density": 1.6, "ext_compression": 0.8,
      "novel_1": 0.2, "novel_2": 0.5, "novel_3": 1.0}),
    ("word-by-word reordering: 3 fragments of 1, density 1; every bigram novel",
     "a b c", "c b a",
     {"ext_coverage": 1.0, "ext_density": 1.0, "ext_compression": 1.0,
      "novel_1": 0.0, "novel_2": 1.0, "novel_3": 1.0}),
    ("novel n-grams count repeats: x x x y, only y in the article: 3/4 novel unigrams",
     "y", "x x x y",
     {"ext_coverage": 0.25, "ext_density": 0.25, "ext_compression": 0.25,
      "novel_1": 0.75, "novel_2": 1.0, "novel_3": 1.0}),
    ("a two-token summary has no trigram: novel_3 undefined",
     "a b", "a b",
     {"ext_coverage": 1.0, "ext_density": 2.0, "ext_compression": 1.0,
      "novel_1": 0.0, "novel_2": 0.0, "novel_3": None}),
    ("an empty summary: everything undefined",
     "a b", "",
     {"ext_coverage": None, "ext_density": None, "ext_compression": None,
      "novel_1": None, "novel_2": None, "novel_3": None}),
]


@pytest.mark.parametrize("why, article, summary, expected", STATS,
                         ids=[row[0][:40] for row in STATS])
def test_extractive_stats(why, article, summary, expected):
    got = extractive_stats(article=article.split(), summary=summary.split())
    assert got == pytest.approx(expected)


def test_the_metric_counts_normalized_tokens():
    """Tashkeel, alef forms and punctuation do not break a copied fragment."""
    scorer = Scorer(["extractive"])
    values = scorer.score_item(prediction="أعلنَ الرئيسُ «الخطة».",
                               reference="-", source="اليوم اعلن الرئيس الخطة الجديدة")
    assert values["ext_coverage"] == 1.0 and values["ext_density"] == 3.0
    assert values["ext_compression"] == pytest.approx(5 / 3)
    assert scorer.direction("ext_density") == "neither"
    assert scorer.scale("ext_density") == 1.0 and scorer.scale("novel_1") == 100.0


tokens = st.lists(st.sampled_from("abcd"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(article=tokens, summary=tokens)
def test_properties(article, summary):
    found = fragments(article=article, summary=summary)
    # Fragments are disjoint, in order, and really occur in the article.
    position = 0
    for start, length in found:
        assert start >= position and length >= 1
        piece = summary[start:start + length]
        assert any(article[j:j + length] == piece for j in range(len(article)))
        position = start + length
    # Never shorter than the Newsroom matcher's fragment at the same position.
    for (start, length), (start2, length2) in zip(found, newsroom_fragments(
            article=article, summary=summary)):
        if start != start2:
            break
        assert length >= length2
    values = extractive_stats(article=article, summary=summary)
    if summary:
        assert 0.0 <= values["ext_coverage"] <= 1.0
        assert values["ext_coverage"] <= values["ext_density"] <= len(summary)
        assert values["novel_1"] == pytest.approx(1 - values["ext_coverage"])


@settings(max_examples=100, deadline=None)
@given(summary=st.lists(st.sampled_from("abcd"), min_size=1, max_size=10))
def test_a_summary_copied_from_the_article_is_fully_extractive(summary):
    values = extractive_stats(article=["z", *summary, "z"], summary=summary)
    assert values["ext_coverage"] == 1.0
    assert values["ext_density"] == len(summary)
    assert all(values[f"novel_{n}"] in (0.0, None) for n in (1, 2, 3))


# -- the article index (the dataset analysis) against the direct kernels -------------------

def direct_stats(*, article, summary):
    """The six values from `fragments` and `novel_ngram_ratio`, the kernels the index
    pass replaced in the metric: the reference it must equal."""
    values = dict.fromkeys(("ext_coverage", "ext_density", "ext_compression"))
    if summary:
        lengths = [length for _, length in fragments(article=article, summary=summary)]
        values["ext_coverage"] = sum(lengths) / len(summary)
        values["ext_density"] = sum(length ** 2 for length in lengths) / len(summary)
        values["ext_compression"] = len(article) / len(summary)
    for n in (1, 2, 3):
        values[f"novel_{n}"] = novel_ngram_ratio(article=article, summary=summary, n=n)
    return values


@settings(max_examples=500, deadline=None)
@given(article=st.lists(st.sampled_from("abc"), max_size=15),
       summary=st.lists(st.sampled_from("abcd"), max_size=12))
def test_the_index_pass_equals_the_direct_kernels(article, summary):
    index = ArticleIndex.of(article)
    found, _ = extractive_counts(article=index, summary=summary)
    assert found == fragments(article=article, summary=summary)
    assert extractive_stats(article=article, summary=summary) == \
        direct_stats(article=article, summary=summary)  # why: ==, not approx
    stored = pickle.loads(pickle.dumps(index))
    assert stored == index
    # Read back, the index finds the summary's tokens by search, not through a dict.
    assert extractive_counts(article=stored, summary=summary) == \
        extractive_counts(article=index, summary=summary)
    assert "numbers" not in stored.__dict__ or not isinstance(stored.distinct, str)


def test_the_index_pass_equals_the_direct_kernels_on_bbc(bbc_head):
    """Lead-1 and lead-3 of real articles, and a summary of every other article token:
    the same six values to the bit."""
    from benchmark.data import load_examples
    from benchmark.text import get_profile

    profile = get_profile("ar")
    for example in load_examples(bbc_head(150)).examples:
        article = profile.tokenize(example.article)
        for summary in (profile.tokenize(example.summary), article[:40], article[::2][:60]):
            assert extractive_stats(article=article, summary=summary) == \
                direct_stats(article=article, summary=summary)


@pytest.mark.parametrize("why, tokens", [
    ("plain tokens: stored as one line per distinct token", ["a", "b", "a"]),
    ("a token holding the line separator: stored as a list", ["a\nb", "c", "a\nb"]),
    ("an empty article", []),
    ("an empty token (a custom tokenizer may give one)", ["", "a", ""]),
    ("more than 65,535 tokens: four-byte numbers", ["a", "b"] * 40_000),
])
def test_an_article_index_pickles_to_an_equal_one(why, tokens):
    index = ArticleIndex.of(tokens)
    again = pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == index and list(again.numbers) == list(dict.fromkeys(tokens))
    assert again.tokens.typecode == again.starts.typecode == again.positions.typecode


@pytest.mark.parametrize("why, article, summary, numbers", [
    ("found by search: first-occurrence numbers; c and d absent",
     ["a", "b", "a", "c"], ["c", "a", "d", "b"], [2, 0, -1, 1]),
    ("a summary token holding a newline spans no two article tokens",
     ["a", "b"], ["a\nb", "b"], [-1, 1]),
    ("an empty summary token matches nothing between two separators",
     ["a", "b"], ["", "a"], [-1, 0]),
    ("an article token holding a newline: kept as a tuple, looked up in a dict",
     ["a\nb", "c"], ["c", "a\nb", "a"], [1, 0, -1]),
    ("an empty article token (a custom tokenizer may give one)",
     ["", "a"], ["a", ""], [1, 0]),
    ("an empty article", [], ["a"], [-1]),
])
def test_a_stored_index_numbers_the_summary_tokens(why, article, summary, numbers):
    stored = pickle.loads(pickle.dumps(ArticleIndex.of(article)))
    assert stored.numbers_of(summary) == numbers
    assert stored.numbers_of(summary * 30) == numbers * 30  # past _FIND_UP_TO: the dict


def test_a_stored_index_scores_long_and_short_summaries_alike_on_bbc(bbc_head):
    """Read back from the store, an index finds a short summary's tokens by search and a
    long one's through a dict: both give the six values of the fresh index, on lead-1
    to lead-10 of real articles (both sides of `_FIND_UP_TO`)."""
    from benchmark.data import load_examples
    from benchmark.metrics.extractive import stats_from_index
    from benchmark.metrics.extractive_kernels import _FIND_UP_TO
    from benchmark.text import get_profile, split_sentences

    profile, lengths = get_profile("ar"), set()
    for example in load_examples(bbc_head(100)).examples:
        index = ArticleIndex.of(profile.tokenize(example.article))
        for lead in (1, 3, 10):
            summary = profile.tokenize(" ".join(split_sentences(example.article)[:lead]))
            stored = pickle.loads(pickle.dumps(index))
            assert stats_from_index(stored, summary) == stats_from_index(index, summary)
            lengths.add(len(summary) > _FIND_UP_TO)
    assert lengths == {False, True}


@pytest.mark.parametrize("why, text", [
    ("a bullet glyph between two words, no space", "قال•الوزير إن"),
    ("a sentence end, then a mark after the space", "انتهى. \u0301ثم بدأ"),
    ("a format mark after the full stop", "انتهى.\u200f ثم"),
    ("closing quote and format marks, then a new line", "«قال.»\u200e\nثم"),
    ("an abbreviation dot is no end", "د. محمد قال. ثم"),
    ("digits next to a cut", "عام 2020. 15 شخصا"),
])
def test_the_prediction_tokens_are_those_of_its_sentences(why, text):
    """With profile ar, extractiveness reads the prediction's tokens from its sentence
    split (which length and bullets remember): the same tokens as the whole text's."""
    from benchmark.metrics.extractive import ExtractiveMetric
    from benchmark.text import get_profile

    for profile in (get_profile("ar"), get_profile("ar", clitics=True, stem=True),
                    get_profile("ar", fold_hamza=True)):
        assert ExtractiveMetric(profile)._prediction_tokens(text) == profile.tokenize(text)


def test_the_prediction_tokens_are_those_of_its_sentences_on_every_corpus(shared_dir):
    """Every article and summary of the corpora: tokens of the whole text and of its
    sentences in order are the same (what `_prediction_tokens` relies on)."""
    from benchmark.data import load_examples
    from benchmark.metrics.extractive import ExtractiveMetric
    from benchmark.text import get_profile

    metric, count = ExtractiveMetric(get_profile("ar")), 0
    for path in sorted((shared_dir / "corpora").glob("*.jsonl")):
        for example in load_examples(path).examples:
            for text in (example.article, example.summary):
                assert metric._prediction_tokens(text) == metric.profile.tokenize(text), \
                    (path.name, example.id)
                count += 1
    assert count > 17_000


def test_the_metric_scores_from_its_prepared_index():
    scorer = Scorer(["extractive"])
    source, prediction = "اليوم اعلن الرئيس الخطة الجديدة", "أعلنَ الرئيسُ «الخطة»."
    prepared = scorer.prepare(reference="-", source=source)
    assert isinstance(prepared["extractive"], ArticleIndex)
    assert scorer.score_item(prediction=prediction, reference="-", source=source,
                             prepared=prepared) == \
        scorer.score_item(prediction=prediction, reference="-", source=source)


def test_an_article_of_more_than_65535_tokens_keeps_four_byte_numbers():
    """Positions past 65,535 do not fit in two bytes: such an index uses four."""
    article = ["x"] * 70_000 + ["a", "b"]
    index = ArticleIndex.of(article)
    assert index.tokens.typecode == "I" and ArticleIndex.of(["a"]).tokens.typecode == "H"
    assert extractive_counts(article=index, summary=["a", "b"]) == ([(0, 2)], [0, 0, 0])
    assert pickle.loads(pickle.dumps(index)) == index


def test_a_run_near_a_fragments_end_is_still_searched():
    """Summary a b c d e against article a b c d x c d e: the walk's fragment is a b c d
    (at 0). From b, 3 tokens lie inside it (b c d: the run is 3 without a search); from
    c only 2 do, but c d e occurs later in the article, so no trigram of the summary is
    novel; from d the longest is d e (2)."""
    article, summary = list("abcdxcde"), list("abcde")
    found, novel = extractive_counts(article=ArticleIndex.of(article), summary=summary)
    assert found == [(0, 4), (4, 1)]
    assert novel == [0, 0, 0]
    assert extractive_stats(article=article, summary=summary) == \
        direct_stats(article=article, summary=summary)
    # Without the later e: e, d e and c d e are novel, and no fragment holds e.
    assert extractive_counts(article=ArticleIndex.of(list("abcdxcd")), summary=summary) \
        == ([(0, 4)], [1, 1, 1])
