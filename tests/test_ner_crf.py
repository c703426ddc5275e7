"""The numpy CRF decoder of the learned backend (`benchmark.entities.learned.crf`)
against python-crfsuite's own tagger on real news text, and its Viterbi and
forward-backward against brute force and an independent log-space reference."""

from __future__ import annotations

import itertools
import json

import numpy
import pytest

from benchmark.entities.learned import crf
from benchmark.entities.learned.backend import shipped_model
from benchmark.entities.learned.features import FeatureCache, sentences
from benchmark.entities.learned.silver import label_text
from benchmark.entities.learned.tagger import Tagger
from benchmark.entities.tokens import word_tokens

TEXT = ("قال الرئيس الفرنسي إيمانويل ماكرون في باريس إن الاتحاد الأوروبي سيدعم أوكرانيا. "
        "وأكدت مارغريتا فيتسيلو، المتحدثة باسم شركة سوفت بنك اليابانية، أن الاجتماع "
        "سيعقد في مخيم الزعتري يوم 12 مارس.\nفاز ليفربول على تشيلسي «بهدفين».")


def _texts(shared_dir, first: int, count: int) -> list[str]:
    texts = []
    with (shared_dir / "corpora" / "ant_cnn.jsonl").open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n >= first + count:
                break
            if n >= first:
                record = json.loads(line)
                texts += [record["summary"], record["article"]]
    return texts


@pytest.fixture(scope="module")
def small_model(shared_dir, tmp_path_factory):
    """A CRF python-crfsuite trains on the rules' labels of 60 CNN records (a third of
    the sentences with their names masked, rare words unknown), and its exported weights."""
    import pycrfsuite

    from benchmark.entities.rules import RulesBackend

    rules = RulesBackend()
    labelled = [s for text in _texts(shared_dir, 0, 60)
                for s in label_text(text, rules.extract(text))]
    counts: dict[str, int] = {}
    for sentence in labelled:
        for token in sentence.tokens:
            counts[token.norm] = counts.get(token.norm, 0) + 1
    features = FeatureCache(vocabulary=frozenset(w for w, c in counts.items() if c >= 2))
    trainer = pycrfsuite.Trainer(verbose=False)
    for n, sentence in enumerate(labelled):
        hidden = [label != "O" for label in sentence.labels] if n % 3 == 0 else None
        trainer.append(features.sequence(sentence.tokens, hidden), list(sentence.labels))
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 40,
                        "feature.possible_transitions": True})
    folder = tmp_path_factory.mktemp("crf")
    trainer.train(str(folder / "model.crfsuite"))
    written = crf.export(folder / "model.crfsuite", folder / crf.WEIGHTS_FILE)
    return folder, features.vocabulary, written


def test_numpy_decoder_equals_crfsuite_on_unseen_text(small_model, shared_dir):
    import pycrfsuite

    folder, vocabulary, written = small_model
    reference = pycrfsuite.Tagger()
    reference.open(str(folder / "model.crfsuite"))
    assert written == len({f for f, _ in reference.info().state_features})
    features = FeatureCache(vocabulary=vocabulary)
    decoder = crf.Decoder(crf.Weights(folder / crf.WEIGHTS_FILE), features)
    tokens_seen = names = 0
    for text in _texts(shared_dir, 60, 40):  # records the model was not trained on
        tokens = word_tokens(text)
        labels, sure = decoder.tag(tokens)
        for start, end in sentences(tokens):
            expected = reference.tag(features.sequence(tokens[start:end]))
            assert labels[start:end] == expected, text[:80]
            for t, label in enumerate(expected):
                if label != "O":
                    names += 1
                    assert sure[start + t] == pytest.approx(reference.marginal(label, t),
                                                            abs=1e-4)
        assert set(sure) == {t for t, label in enumerate(labels) if label != "O"}
        tokens_seen += len(tokens)
    assert tokens_seen > 10_000 and names > 300  # not a comparison of empty taggings


def test_word_sums_equal_each_tokens_feature_list():
    """The decoder sums each word's features once (`FeatureCache.parts`); the total per
    token equals the weights of the list `FeatureCache.sequence` gives crfsuite, edges
    of sentences, punctuation, quotes and digits included."""
    tagger = Tagger(shipped_model())
    decoder = tagger._decoder()
    tokens = word_tokens(TEXT)
    ranges = sentences(tokens)
    assert len(ranges) == 3
    scores = decoder.scores(tokens, ranges)
    for start, end in ranges:
        rows = tagger.features.sequence(tokens[start:end])
        expected = numpy.array([tagger.weights.vector(row) for row in rows])
        numpy.testing.assert_allclose(scores[start:end], expected, atol=1e-9)


@pytest.mark.parametrize("weight, text, why", [
    (0.25, "0.25", "trailing zeros dropped"),
    (-1.0, "-1", "a whole number without a point"),
    (3e-7, "0", "under half the last decimal: zero, never -0 or 0.0"),
    (-3e-7, "0", "the same below zero"),
    (0.1234567, "0.123457", "rounded to DECIMALS (6)"),
])
def test_weights_are_written_short(weight, text, why):
    assert crf._number(weight) == text, why


def _brute_force(emissions, transitions):
    """Best sequence and per-position marginals by enumerating every sequence."""
    steps, size = emissions.shape
    scores = {}
    for path in itertools.product(range(size), repeat=steps):
        score = sum(emissions[t, y] for t, y in enumerate(path))
        score += sum(transitions[a, b] for a, b in zip(path, path[1:]))
        scores[path] = score
    best = max(scores, key=scores.get)
    total = numpy.logaddexp.reduce(list(scores.values()))
    table = numpy.zeros((steps, size))
    for path, score in scores.items():
        for t, y in enumerate(path):
            table[t, y] += numpy.exp(score - total)
    return list(best), table


def test_viterbi_and_marginals_equal_brute_force_on_sentences_of_several_lengths():
    rng = numpy.random.default_rng(7)
    lengths = [3, 1, 6, 4, 2]
    emissions = rng.normal(0, 2, size=(sum(lengths), 3))
    transitions = rng.normal(0, 2, size=(3, 3))
    bounds = numpy.cumsum([0] + lengths)
    ranges = list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))
    best = crf.viterbi(emissions, ranges, transitions)
    tables = crf.marginals(emissions, ranges, transitions)
    for (start, end), table in zip(ranges, tables):
        path, expected = _brute_force(emissions[start:end], transitions)
        assert best[start:end].tolist() == path
        numpy.testing.assert_allclose(table, expected, atol=1e-9)


def _log_marginals(emissions, transitions):
    """Forward-backward in log space, position by position (a reference)."""
    steps, _ = emissions.shape
    alpha = [emissions[0]]
    for t in range(1, steps):
        alpha.append(numpy.logaddexp.reduce(alpha[-1][:, None] + transitions, axis=0)
                     + emissions[t])
    beta = [numpy.zeros(emissions.shape[1])]
    for t in range(steps - 1, 0, -1):
        beta.insert(0, numpy.logaddexp.reduce(transitions + (emissions[t] + beta[0])[None, :],
                                              axis=1))
    table = numpy.array(alpha) + numpy.array(beta)
    return numpy.exp(table - numpy.logaddexp.reduce(table, axis=1, keepdims=True))


def test_marginals_of_long_sentences_with_large_scores_neither_underflow_nor_overflow():
    rng = numpy.random.default_rng(11)
    emissions = rng.normal(0, 40, size=(120, 9))  # exp(40 * 120) overflows a float
    transitions = rng.normal(0, 15, size=(9, 9))
    (table,) = crf.marginals(emissions, [(0, 120)], transitions)
    assert numpy.isfinite(table).all()
    numpy.testing.assert_allclose(table, _log_marginals(emissions, transitions), atol=1e-7)
