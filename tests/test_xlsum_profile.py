"""Profile ``xlsum``: XL-Sum's multilingual ROUGE for Arabic, checked against the
``multilingual-rouge`` package (a packaging of XL-Sum's scorer) on real text: all four
types, ROUGE-Lsum's own tokenization included, with and without stemming, offline."""

from __future__ import annotations

import json
import warnings
from importlib import resources

import pytest

from benchmark import Scorer
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
    """(reference, prediction): the BBC summary, and the article's first 400 characters
    (paragraphs on their own lines, so ROUGE-Lsum has several sentences)."""
    pairs = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for _, line in zip(range(N_PAIRS), handle):
            record = json.loads(line)
            pairs.append((record["summary"], record["article"][:400]))
    return pairs


TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


def reference_scorer(**options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return multilingual.RougeScorer(list(TYPES), lang="arabic", **options)


def assert_all_types_equal(pairs, profile, scorer):
    """Every type, P, R and F, bit for bit (`Scorer` under the profile, as --profile does)."""
    ours = Scorer(["rouge"], profile).score(predictions=[p for _, p in pairs],
                                            references=[r for r, _ in pairs])
    for (reference, prediction), values in zip(pairs, ours.items):
        theirs = scorer.score(reference, prediction)
        for kind in TYPES:
            assert (values[f"{kind}_p"], values[f"{kind}_r"], values[f"{kind}_f"]) == tuple(
                theirs[kind]), (kind, prediction[:60])


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


def test_every_type_equals_the_reference_without_stemming(bbc_pairs):
    assert_all_types_equal(bbc_pairs, get_profile("xlsum", stem=False),
                           reference_scorer(use_stemmer=False))


@pytest.mark.parametrize("text, lsum, flat, why", [
    ("قتل الـ71 شخصا", [["قتل", "الـ71", "شخصا"]], ["قتل", "الـ", "71", "شخصا"],
     "Lsum's lines skip OpenNMT's step: letters and digits stay one token there"),
    ("أولى.\nثانية، هنا", [["أولى"], ["ثانية", "هنا"]], ["أولى", "ثانية", "هنا"],
     "lines end Lsum sentences, never punctuation"),
    ("a\n \nb", [["a"], [], ["b"]], ["a", "b"], "a blank line is a sentence without tokens"),
])
def test_lsum_tokenization_golden(text, lsum, flat, why):
    profile = get_profile("xlsum", stem=False)
    assert profile.sentence_tokens(text) == lsum, why
    assert profile.tokenize(text) == flat, why


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network, and no NLTK data anywhere NLTK looks: a download attempt or a lookup
    of NLTK's stopwords corpus fails the test."""
    import socket

    import nltk

    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(nltk, "download", no_network)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path / "empty")])
    xlsum._stemmer.cache_clear()
    yield tmp_path
    xlsum._stemmer.cache_clear()


def test_every_type_equals_the_reference_with_stemming_offline(bbc_pairs, offline, monkeypatch):
    """Ours stems with the shipped stopword list, with no NLTK data installed and no
    network; multilingual-rouge then gets the same file as NLTK's stopwords corpus."""
    import nltk

    profile = get_profile("xlsum")
    ours = Scorer(["rouge"], profile).score(predictions=[p for _, p in bbc_pairs],
                                            references=[r for r, _ in bbc_pairs])
    corpus = offline / "nltk_data" / "corpora" / "stopwords"
    corpus.mkdir(parents=True)
    shipped = resources.files("benchmark.text").joinpath("data", xlsum.STOPWORDS_FILE)
    (corpus / "arabic").write_bytes(shipped.read_bytes())
    monkeypatch.setattr(nltk.data, "path", [str(offline / "nltk_data")])
    scorer = reference_scorer(use_stemmer=True)
    changed = 0
    for (reference, prediction), values in zip(bbc_pairs, ours.items):
        theirs = scorer.score(reference, prediction)
        for kind in TYPES:
            assert (values[f"{kind}_p"], values[f"{kind}_r"], values[f"{kind}_f"]) == tuple(
                theirs[kind]), (kind, prediction[:60])
        unstemmed = score_texts(reference=reference, prediction=prediction,
                                profile=get_profile("xlsum", stem=False))
        changed += unstemmed["rouge1"].fmeasure != values["rouge1_f"]
    assert changed > N_PAIRS // 2, "stemming must change most scores, or it was not applied"


@pytest.mark.parametrize("word, stem, why", [
    ("أربعة", "أربعة", "in NLTK's Arabic stopwords: left as it is"),
    ("الحكومة", "حكوم", "not a stopword: Snowball strips the article and the taa marbuta"),
    ("يناير", "يناير", "month names are in the list too"),
])
def test_shipped_stopwords_leave_their_words_unstemmed(word, stem, why, offline):
    assert xlsum.stem_xlsum([word]) == [stem], why


def test_shipped_stopword_list_is_nltks_file():
    """754 lines, 701 distinct words, as NLTK's corpus reads them (`stopwords.words`)."""
    text = resources.files("benchmark.text").joinpath("data", xlsum.STOPWORDS_FILE).read_text(
        encoding="utf-8")
    assert len(text.splitlines()) == 754 and len(xlsum.arabic_stopwords()) == 701
    assert {"في", "أربعة", "ما أفعله"} <= xlsum.arabic_stopwords()


def test_sentence_split_ar_is_refused_under_xlsum():
    with pytest.raises(ConfigError, match="splits ROUGE-Lsum sentences at newlines"):
        Scorer(["rouge"], "xlsum", sentence_split="ar")
    assert "|split:newline|" in Scorer(["rouge"], "xlsum").signature


def test_profile_defaults_and_signature():
    assert get_profile("xlsum").stem is True, "XL-Sum scored Arabic with stemming"
    assert get_profile("xlsum", stem=False).signature().format() == (
        "norm:none|tok:xlsum.v2|stem:none|clitics:no")
    assert get_profile("xlsum").signature().get("stem") == "snowball-ar+nltk-stopwords"
    assert get_profile("xlsum").signature() != get_profile("ar").signature()
    with pytest.raises(ConfigError, match="no hamza or clitics option"):
        TextProfile(name="xlsum", clitics=True)
