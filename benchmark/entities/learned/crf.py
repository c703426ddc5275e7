"""The trained CRF's weights in a small text file, and a numpy decoder for them.

Training uses python-crfsuite; a model folder ships only the weights it learned
(``weights.tsv``: the labels, the label-to-label transition weights, then per feature
its non-zero weight per label), so tagging needs numpy alone and the file stays small.

Decoding is the same linear-chain CRF as crfsuite's: a token's score for a label is
the sum of the weights of its features for that label; a sequence's score adds the
transition weights; `Decoder.tag` gives the highest-scoring sequence (Viterbi) and the
marginal probability of each chosen label (forward-backward). Every feature of a token
is a feature of one word (its own, or one it lends a neighbour at a given offset) or of
the punctuation around it (`features.FeatureCache`), so a word's contribution is summed
once, kept, and a text's scores are a few array additions; the sentences of a text are
decoded together, step by step along their positions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from benchmark.entities.learned.features import (EDGE_FEATURES, GAP_FEATURES, WINDOW,
                                                 FeatureCache, sentences)
from benchmark.entities.tokens import Token
from benchmark.errors import ConfigError

WEIGHTS_FILE = "weights.tsv"
DECIMALS = 6  # weights are written rounded to this many decimals (4 changed tags)
RESCALE = 8  # forward-backward steps between two rescalings


def export(crfsuite_model: Path, path: Path) -> int:
    """Write the weights of a python-crfsuite model to `path` (features sorted, weights
    rounded, those that round to 0 left out); the feature count."""
    tagger = crfsuite().Tagger()
    tagger.open(str(crfsuite_model))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda label: int(info.labels[label]))
    position = {label: n for n, label in enumerate(labels)}
    lines = ["labels\t" + "\t".join(labels)]
    for source in labels:
        row = [info.transitions.get((source, target), 0.0) for target in labels]
        lines.append(f"T:{source}\t" + "\t".join(_number(w) for w in row))
    by_feature: dict[str, list[tuple[int, float]]] = {}
    for (feature, label), weight in info.state_features.items():
        if abs(weight) >= 0.5 * 10 ** -DECIMALS:
            by_feature.setdefault(feature, []).append((position[label], weight))
    for feature in sorted(by_feature):
        weights = sorted(by_feature[feature])
        lines.append(feature + "\t" + " ".join(f"{n}:{_number(w)}" for n, w in weights))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tagger.close()
    return len(by_feature)


def crfsuite():
    """The python-crfsuite module (training needs it), or a `ConfigError` saying how to
    install it."""
    try:
        import pycrfsuite
    except ImportError:
        raise ConfigError("training the learned NER backend needs python-crfsuite",
                          hint="pip install 'arsum-bench[ner]'") from None
    return pycrfsuite


def _number(weight: float) -> str:
    text = f"{weight:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


class Weights:
    """A ``weights.tsv``, loaded: `labels`, `transitions` (labels x labels, from the row
    label to the column label) and a row of `matrix` per feature (`rows`)."""

    def __init__(self, path: Path):
        import numpy

        lines = path.read_text(encoding="utf-8").splitlines()
        self.labels = lines[0].split("\t")[1:]
        size = len(self.labels)
        self.transitions = numpy.array(
            [[float(w) for w in line.split("\t")[1:]] for line in lines[1:1 + size]])
        features = lines[1 + size:]
        self.rows = {}
        self.matrix = numpy.zeros((len(features) + 1, size))  # the last row: zeros
        for n, line in enumerate(features):
            feature, _, weights = line.partition("\t")
            self.rows[feature] = n
            for item in weights.split(" "):
                label, _, weight = item.partition(":")
                self.matrix[n, int(label)] = float(weight)
        self.none = len(features)
        # the features a neighbour lends, per slot of WINDOW, without their offset
        self.lent_rows: tuple[dict[str, int], ...] = tuple({} for _ in WINDOW)
        slots = {str(offset): slot for slot, offset in enumerate(WINDOW)}
        for feature, row in self.rows.items():
            prefix = feature[:2] if feature[:1] == "-" else feature[:1]
            if prefix in slots:
                self.lent_rows[slots[prefix]][feature[len(prefix):]] = row

    def vector(self, features: Sequence[str]):
        """The summed weights of `features` per label (unknown features weigh 0)."""
        rows = self.rows
        return self.matrix[[rows.get(f, self.none) for f in features]].sum(axis=0)


class Decoder:
    """Viterbi and forward-backward over a text's sentences, with each word's weights
    summed once (`limit` words kept, then the cache starts over)."""

    def __init__(self, weights: Weights, features: FeatureCache, *, limit: int = 1 << 17):
        import numpy

        self.weights = weights
        self.features = features
        self.labels = weights.labels
        self.outside = self.labels.index("O")
        self._limit = limit
        self._ids: dict[str, int] = {}
        size = len(self.labels)
        self._own = numpy.zeros((1024, size))
        self._lent = numpy.zeros((len(WINDOW), 1024, size))
        self._edges = numpy.array([weights.vector([f]) for f in EDGE_FEATURES])
        self._gaps = numpy.array([weights.vector([f]) for f in GAP_FEATURES])

    def _word_ids(self, norms: Sequence[str]):
        import numpy

        ids = self._ids
        new = [w for w in dict.fromkeys(norms) if w not in ids]
        if new:
            if len(ids) + len(new) > self._limit:
                ids.clear()
                new = list(dict.fromkeys(norms))
            needed = len(ids) + len(new)
            if needed > len(self._own):
                grow = max(needed, 2 * len(self._own))
                self._own = numpy.resize(self._own, (grow, len(self.labels)))
                self._lent = numpy.concatenate(
                    [self._lent, numpy.zeros((len(WINDOW), grow - self._lent.shape[1],
                                              len(self.labels)))], axis=1)
            for word in new:
                ids[word] = len(ids)
            self._add(new)
        return numpy.array([ids[w] for w in norms], dtype=numpy.intp)

    def _add(self, words: list[str]) -> None:
        """Sum the weights of new words' features, all in one gather."""
        import numpy

        weights = self.weights
        rows, none, lent_rows = weights.rows, weights.none, weights.lent_rows
        near = [(lent_rows[slot], offset in (-1, 1)) for slot, offset in enumerate(WINDOW)]
        flat: list[int] = []
        offsets: list[int] = []
        for word in words:
            own, close, far = self.features.parts(word)
            offsets.append(len(flat))
            flat += [rows.get(f, none) for f in own]
            flat.append(none)  # never an empty group
            for table, is_near in near:
                offsets.append(len(flat))
                flat += [table.get(f, none) for f in (close if is_near else far)]
                flat.append(none)
        sums = numpy.add.reduceat(self.weights.matrix[flat], offsets, axis=0)
        sums = sums.reshape(len(words), 1 + len(WINDOW), -1)
        first = len(self._ids) - len(words)
        self._own[first:first + len(words)] = sums[:, 0]
        self._lent[:, first:first + len(words)] = sums[:, 1:].transpose(1, 0, 2)

    def scores(self, tokens: Sequence[Token], ranges: Sequence[tuple[int, int]]):
        """Per token, its score for each label (the transitions aside)."""
        import numpy

        n = len(tokens)
        ids = self._word_ids([t.norm for t in tokens])
        emissions = self._own[ids].copy()
        sentence = numpy.empty(n, dtype=numpy.intp)
        starts = numpy.zeros(n, dtype=bool)
        ends = numpy.zeros(n, dtype=bool)
        for k, (start, end) in enumerate(ranges):
            sentence[start:end] = k
            starts[start] = True
            ends[end - 1] = True
        first = numpy.flatnonzero(starts)
        last = numpy.flatnonzero(ends)
        for slot, offset in enumerate(WINDOW):
            lent = self._lent[slot]
            if offset < 0:
                same = sentence[-offset:] == sentence[:offset]
                emissions[-offset:] += numpy.where(same[:, None], lent[ids[:offset]], 0.0)
                edge = first - offset - 1  # the neighbour is the one before the start
                edge = edge[edge <= last]
            else:
                same = sentence[:-offset] == sentence[offset:]
                emissions[:-offset] += numpy.where(same[:, None], lent[ids[offset:]], 0.0)
                edge = last - offset + 1  # the neighbour is the one after the end
                edge = edge[edge >= first]
            emissions[edge] += self._edges[slot]
        flags = self.features.gap_flags(tokens, starts)
        return emissions + flags @ self._gaps

    def tag(self, tokens: Sequence[Token]) -> tuple[list[str], dict[int, float]]:
        """The most likely labels of `tokens` (sentence by sentence), and for each token
        in a name the marginal probability of its label."""
        if not tokens:
            return [], {}
        ranges = sentences(tokens)
        emissions = self.scores(tokens, ranges)
        best = viterbi(emissions, ranges, self.weights.transitions)
        named = _named_sentences(best != self.outside, ranges)
        sure: dict[int, float] = {}
        if named:
            chosen = [ranges[k] for k in named]
            probabilities = marginals(emissions, chosen, self.weights.transitions)
            for (start, end), table in zip(chosen, probabilities):
                for t in range(start, end):
                    if best[t] != self.outside:
                        sure[t] = float(table[t - start, best[t]])
        labels = self.labels
        return [labels[y] for y in best.tolist()], sure


def _named_sentences(named, ranges: Sequence[tuple[int, int]]) -> list[int]:
    """The sentences (by index) that hold a token marked in `named`."""
    import numpy

    starts = numpy.array([start for start, _ in ranges])
    return numpy.unique(numpy.searchsorted(starts, numpy.flatnonzero(named),
                                           side="right") - 1).tolist()


def _padded(emissions, ranges: Sequence[tuple[int, int]]):
    """The sentences longest first, as a (sentences, positions, labels) array."""
    import numpy

    order = sorted(range(len(ranges)), key=lambda k: -(ranges[k][1] - ranges[k][0]))
    lengths = numpy.array([ranges[k][1] - ranges[k][0] for k in order])
    table = numpy.zeros((len(order), int(lengths[0]), emissions.shape[1]))
    for row, k in enumerate(order):
        start, end = ranges[k]
        table[row, :end - start] = emissions[start:end]
    active = (lengths[None, :] > numpy.arange(int(lengths[0]))[:, None]).sum(axis=1).tolist()
    return order, lengths, table, active


def viterbi(emissions, ranges: Sequence[tuple[int, int]], transitions):
    """The highest-scoring label of each token, each sentence decoded on its own
    (ties: the lower label index, as crfsuite)."""
    import numpy

    order, lengths, table, active = _padded(emissions, ranges)
    count, steps, size = table.shape
    delta = numpy.empty_like(table)
    delta[:, 0] = table[:, 0]
    for t in range(1, steps):
        k = active[t]
        delta[:k, t] = (delta[:k, t - 1, :, None] + transitions).max(axis=1) + table[:k, t]
    paths = numpy.zeros((count, steps), dtype=numpy.intp)
    rows = numpy.arange(count)
    current = delta[rows, lengths - 1].argmax(axis=1)
    paths[rows, lengths - 1] = current
    for t in range(steps - 1, 0, -1):
        k = active[t]
        # sentences that reach position t: step back from their label there
        previous = (delta[:k, t - 1] + transitions[:, paths[:k, t]].T).argmax(axis=1)
        paths[:k, t - 1] = previous
    best = numpy.empty(len(emissions), dtype=numpy.intp)
    for row, k in enumerate(order):
        start, end = ranges[k]
        best[start:end] = paths[row, :end - start]
    return best


def marginals(emissions, ranges: Sequence[tuple[int, int]], transitions) -> list:
    """Per sentence, the (positions, labels) marginal probabilities: forward-backward
    in probabilities (each token's scores shifted by their maximum first, which its
    marginals ignore; the transitions scaled to at most 1), rescaled to sum 1 every
    `RESCALE` steps so nothing under- or overflows."""
    import numpy

    order, lengths, table, active = _padded(emissions, ranges)
    count, steps, size = table.shape
    weights = numpy.exp(table - table.max(axis=2, keepdims=True))
    moves = numpy.exp(transitions - transitions.max())
    alpha = numpy.empty_like(weights)
    alpha[:, 0] = weights[:, 0]
    for t in range(1, steps):
        k = active[t]
        alpha[:k, t] = (alpha[:k, t - 1] @ moves) * weights[:k, t]
        if t % RESCALE == 0:
            alpha[:k, t] /= alpha[:k, t].sum(axis=1, keepdims=True)
    beta = numpy.ones_like(weights)
    backward = moves.T
    for t in range(steps - 2, -1, -1):
        k = active[t + 1]
        beta[:k, t] = (weights[:k, t + 1] * beta[:k, t + 1]) @ backward
        if t % RESCALE == 0:
            beta[:k, t] /= beta[:k, t].sum(axis=1, keepdims=True)
    found = []
    for row in _rows_by_sentence(order):
        product = alpha[row, :lengths[row]] * beta[row, :lengths[row]]
        found.append(product / product.sum(axis=1, keepdims=True))
    return found


def _rows_by_sentence(order: list[int]) -> list[int]:
    rows = [0] * len(order)
    for row, k in enumerate(order):
        rows[k] = row
    return rows
