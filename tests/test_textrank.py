"""TextRank: golden similarity and PageRank values computed by hand, a hand-made article
whose central sentence is obvious, and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.data.example import Example
from benchmark.summarizers.registry import create_summarizer
from benchmark.summarizers.textrank import TextRank, overlap_similarity, pagerank


@pytest.mark.parametrize(("a", "b", "sizes", "expected", "why"), [
    ({"x", "y", "z"}, {"y", "z", "w", "v"}, (3, 4), 2 / math.log(12),
     "two shared words over log 3 + log 4 = log 12"),
    ({"x"}, {"y"}, (5, 5), 0.0, "no shared word"),
    ({"x"}, {"x"}, (1, 1), 0.0, "two one-word sentences: log 1 + log 1 = 0, defined as 0"),
    ({"x", "y"}, {"x", "y"}, (2, 2), 2 / (2 * math.log(2)), "identical two-word sentences"),
])
def test_overlap_similarity(a, b, sizes, expected, why):
    assert overlap_similarity(a, b, size_a=sizes[0], size_b=sizes[1]) == \
        pytest.approx(expected), why


def test_pagerank_on_a_path_graph_matches_the_hand_solution():
    # S1 - S2 - S3 with equal weights: x = 0.15 + 0.85 * y / 2 and y = 0.15 + 0.85 * 2x,
    # so y = 0.405 / 0.2775 = 54/37 and x = 28.5/37; the scores sum to n = 3.
    scores = pagerank([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    assert scores == pytest.approx([28.5 / 37, 54 / 37, 28.5 / 37], abs=1e-7)
    assert sum(scores) == pytest.approx(3)


def test_an_isolated_sentence_keeps_the_base_score():
    assert pagerank([[0, 1, 0], [1, 0, 0], [0, 0, 0]]) == pytest.approx([1, 1, 0.15])


# Normalized content words shared with sentence 3 (the hub): S1 «أسعار النفط» (2), S2
# «أوبك» (1), S4 «الأسواق» (1). S5 shares nothing («الإنتاج» is not «إنتاج»: the profile
# keeps the article) and S6 is about football. No other pair shares a word.
ARTICLE = (
    "ارتفعت أسعار النفط صباح اليوم.\n"
    "اجتمع وزراء أوبك في فيينا.\n"
    "قررت أوبك خفض إنتاج النفط فارتفعت أسعار الأسواق.\n"
    "تراجعت الأسواق الآسيوية بعد الإعلان.\n"
    "يتوقع المحللون زيادة الإنتاج الأمريكي.\n"
    "أقيمت مباراة كرة القدم مساء أمس."
)


def test_central_sentence_is_chosen():
    summarizer = TextRank("textrank", {"sentences": 1})
    assert summarizer.select(ARTICLE) == ["قررت أوبك خفض إنتاج النفط فارتفعت أسعار الأسواق."]


def test_top_three_come_back_in_article_order_as_lines():
    # Ranking: S3 (the hub), then S1 (two shared words with S3), then S2 and S4, which
    # are symmetric (one word each with S3, same sentence lengths) and tie: article
    # order breaks the tie for S2. S5 and S6 have no edge and keep the base 0.15.
    summarizer = create_summarizer("textrank", {"sentences": 3})
    scores = summarizer.scores(summarizer.profile.sentences(ARTICLE))
    assert scores[1] == pytest.approx(scores[3]) and scores[4:] == pytest.approx([0.15, 0.15])
    [prediction] = summarizer.summarize([Example(id="a", article=ARTICLE, bullets=("-",))])
    assert prediction.text.split("\n") == ARTICLE.split("\n")[:3]  # S1, S2, S3


def test_stopwords_do_not_link_sentences():
    article = "ذهب الوزير في الصباح. وصل القطار في الموعد. نجح الطلاب في الامتحان."
    with_list = TextRank("textrank", {}).scores(TextRank("textrank", {}).profile
                                                .sentences(article))
    assert with_list == pytest.approx([0.15, 0.15, 0.15])  # only «في» in common
    without = TextRank("textrank", {"stopwords": False})
    assert without.scores(without.profile.sentences(article)) == pytest.approx([1, 1, 1])


def test_short_articles_are_returned_whole():
    assert TextRank("textrank", {"sentences": 3}).select("جملة أولى. جملة ثانية.") == \
        ["جملة أولى.", "جملة ثانية."]


words = st.sampled_from(["النفط", "أوبك", "الأسعار", "السوق", "الوزير", "في", "قرر", "اليوم"])
sentences = st.lists(words, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + ".")


@given(st.lists(sentences, min_size=1, max_size=8), st.integers(1, 4))
def test_selection_is_an_ordered_subsequence_of_k_sentences(article_sentences, k):
    summarizer = TextRank("textrank", {"sentences": k})
    article = "\n".join(article_sentences)
    chosen = summarizer.select(article)
    assert len(chosen) == min(k, len(article_sentences))
    it = iter(article_sentences)
    assert all(any(s == c for s in it) for c in chosen)  # subsequence, in order
    assert summarizer.select(article) == chosen  # deterministic
