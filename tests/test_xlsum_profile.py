"""Profile ``xlsum``: XL-Sum's multilingual ROUGE for Arabic, checked against the
``multilingual-rouge`` package (a packaging of XL-Sum's scorer) on real text."""

from __future__ import annotations

import json
import warnings

import pytest

from benchmark.errors import ConfigError
from benchmark.metrics.rouge import score_texts
from benchmark.text import TextProfile, get_profile
from benchmark.text import xlsum

multilingual = pytest.importorskip("multilingual_rouge.rouge_scorer",
                                   reason="multilingual-rouge is in the test extra")
from multilingual_rouge import tokenization_wrapper  # noqa: E402

N_PAIRS = 300


@pytest.fixture(scope="module")
def bbc_pairs(shared_dir) -> list[tuple[str, str]]:
    """(reference, prediction): the BBC summary and the article's first 400 characters."""
    pairs = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for _, line in zip(range(N_PAIRS), handle):
            record = json.loads(line)
            pairs.append((record["summary"], record["article"][:400]))
    return pairs


def reference_scorer(**options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return multilingual.RougeScorer(["rouge1", "rouge2", "rougeL"], lang="arabic", **options)


@pytest.mark.parametrize("text, tokens, why", [
    ("أعلنت الحكومة، اليوم", ["أعلنت", "الحكومة", "اليوم"], "Arabic comma dropped"),
    ("12مارس 2024", ["12", "مارس", "2024"], "OpenNMT's aggressive mode splits digits from letters"),
    ("US$ 5+3=8", ["us", "5", "3", "8"], "lowercase; ASCII symbols are punctuation here"),
    ("مُحَمَّد", ["مُحَمَّد"], "no normalization: tashkeel stays"),
    ("\u200fنص\u200e", ["نص"], "bidi marks are control characters: dropped"),
])
def test_tokenization_golden(text, tokens, why):
    assert xlsum.tokenize_xlsum(text) == tokens, why


def test_tokens_equal_the_reference_on_real_text(bbc_pairs):
    scorer = reference_scorer(use_stemmer=False)
    for reference, prediction in bbc_pairs:
        for text in (reference, prediction):
            assert xlsum.tokenize_xlsum(text) == tokenization_wrapper.tokenize(
                text, None, scorer._tokenizer)


def test_rouge_equals_the_reference_without_stemming(bbc_pairs):
    scorer = reference_scorer(use_stemmer=False)
    profile = TextProfile(name="xlsum", stem=False)
    for reference, prediction in bbc_pairs:
        ours = score_texts(reference=reference, prediction=prediction, profile=profile)
        theirs = scorer.score(reference, prediction)
        for kind in ("rouge1", "rouge2", "rougeL"):
            assert ours[kind].fmeasure == theirs[kind].fmeasure, (kind, reference)
            assert ours[kind].precision == theirs[kind].precision


def test_rouge_equals_the_reference_with_the_snowball_stemmer(bbc_pairs, monkeypatch):
    """Both sides with NLTK's Snowball Arabic stemmer (stopwords not loaded: the NLTK corpus
    cannot be downloaded here), applied to tokens longer than 3 characters."""
    from nltk.stem.snowball import ArabicStemmer

    stemmer = ArabicStemmer(ignore_stopwords=False)
    monkeypatch.setattr(xlsum, "_stemmer", lambda: stemmer)
    scorer = reference_scorer(use_stemmer=True, callable_stemmer=stemmer.stem)
    profile = TextProfile(name="xlsum", stem=True)
    changed = 0
    for reference, prediction in bbc_pairs:
        ours = score_texts(reference=reference, prediction=prediction, profile=profile)
        theirs = scorer.score(reference, prediction)
        for kind in ("rouge1", "rouge2", "rougeL"):
            assert ours[kind].fmeasure == theirs[kind].fmeasure, (kind, reference)
        unstemmed = score_texts(reference=reference, prediction=prediction,
                                profile=TextProfile(name="xlsum", stem=False))
        changed += unstemmed["rouge1"].fmeasure != ours["rouge1"].fmeasure
    assert changed > N_PAIRS // 2, "stemming must change most scores, or it was not applied"


def test_missing_stopwords_corpus_is_a_clear_error(monkeypatch):
    def no_corpus(*args, **kwargs):
        raise ValueError("<ArabicStemmer> has no list of stopwords")

    import nltk.stem.snowball

    monkeypatch.setattr(nltk.stem.snowball, "SnowballStemmer", no_corpus)
    xlsum._stemmer.cache_clear()
    try:
        with pytest.raises(ConfigError, match="python -m nltk.downloader stopwords"):
            TextProfile(name="xlsum", stem=True).tokenize("الحكومة اليوم")
    finally:
        xlsum._stemmer.cache_clear()


def test_profile_defaults_and_signature():
    assert get_profile("xlsum").stem is True, "XL-Sum scored Arabic with stemming"
    assert get_profile("xlsum", stem=False).signature().format() == (
        "norm:none|tok:xlsum.v1|stem:none|clitics:no")
    assert get_profile("xlsum").signature().get("stem") == "snowball-ar+nltk-stopwords"
    assert get_profile("xlsum").signature() != get_profile("ar").signature()
    with pytest.raises(ConfigError, match="no hamza or clitics option"):
        TextProfile(name="xlsum", clitics=True)
