"""Exact agreement with rouge-score 0.1.2 when it is given our tokens, on real data.

rouge-score's own tokenizer deletes every non-ASCII character; with our tokenizer
injected (its documented `tokenizer=` hook) the two implementations must agree on every
precision, recall and F, bit for bit.
"""

import json
from itertools import islice

import pytest
from rouge_score import rouge_scorer
from rouge_score import tokenizers as rs_tokenizers

from benchmark.errors import TokenizerLossError
from benchmark.metrics.rouge import ROUGE_TYPES, score_texts
from benchmark.text import TextProfile, split_sentences

PROFILE = TextProfile()


class OurTokenizer:
    def tokenize(self, text):
        return PROFILE.tokenize(text)


def reference_scorer():
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=OurTokenizer())


def read_pairs(path, n):
    with path.open(encoding="utf-8") as handle:
        for line in islice(handle, n):
            yield json.loads(line)


def assert_same(reference, prediction, theirs_scorer):
    ours = score_texts(reference=reference, prediction=prediction, profile=PROFILE)
    # rouge-score splits Lsum sentences at newlines only: give it our sentences.
    theirs = theirs_scorer.score("\n".join(split_sentences(reference)),
                                 "\n".join(split_sentences(prediction)))
    for kind in ROUGE_TYPES:
        a, b = ours[kind], theirs[kind]
        assert (a.precision, a.recall, a.fmeasure) == (b.precision, b.recall, b.fmeasure), kind


def test_lead3_on_600_bbc_pairs_matches_rouge_score_exactly(shared_dir):
    scorer = reference_scorer()
    count = 0
    for record in read_pairs(shared_dir / "corpora" / "ant_bbc.jsonl", 600):
        lead3 = "\n".join(split_sentences(record["article"])[:3])
        assert_same(record["summary"], lead3, scorer)
        count += 1
    assert count == 600


def test_multi_sentence_references_match_rouge_score(shared_dir):
    """France 24 summaries have two sentences, and article sentences 2-6 against the
    first five make Lsum's union-LCS and its tie-breaking matter."""
    scorer = reference_scorer()
    for record in read_pairs(shared_dir / "corpora" / "ant_france24_leadsplit.jsonl", 200):
        sentences = split_sentences(record["article"])
        assert_same(record["summary"], "\n".join(sentences[:3]), scorer)
        assert_same("\n".join(sentences[:5]), "\n".join(sentences[1:6]), scorer)


def test_rouge_score_default_tokenizer_scores_identical_arabic_as_zero():
    """The bug this product exists for: rouge-score deletes Arabic letters."""
    text = "ذهب الولد إلى المدرسة"
    plain = rouge_scorer.RougeScorer(["rouge1"])
    assert plain.score(text, text)["rouge1"].fmeasure == 0
    assert score_texts(reference=text, prediction=text, profile=PROFILE)["rouge1"].fmeasure == 1


def test_guard_raises_when_a_tokenizer_drops_arabic():
    """Injecting rouge-score's default tokenizer loses 100% of the letters: an error,
    never a silent 0."""
    profile = TextProfile(tokenizer=rs_tokenizers.DefaultTokenizer())
    with pytest.raises(TokenizerLossError, match="dropped 100%"):
        score_texts(reference="ذهب الولد", prediction="ذهب الولد", profile=profile)


def test_guard_accepts_a_lossless_custom_tokenizer():
    """Latin text keeps its letters under rouge-score's tokenizer: no error, same score."""
    profile = TextProfile(tokenizer=rs_tokenizers.DefaultTokenizer())
    scores = score_texts(reference="the cat sat", prediction="the cat", profile=profile)
    assert scores["rouge1"].recall == pytest.approx(2 / 3)
    assert "tok:custom(DefaultTokenizer)" in profile.signature().format()
