"""Which library for the learned NER tagger: python-crfsuite's CRF against a small torch
tagger, on the same training sentences, the same features and the same merge with the
rules, measured on the development set and Wojood's val split (never the sealed test
set), with training time, tagging speed and model size.

The torch tagger: each word is the mean of embeddings of its feature strings (the
CRF's features, hashed into `BUCKETS` rows), a one-layer BiLSTM over the sentence and a
linear layer to the IOB labels, trained with Adam on cross-entropy, decoded greedily
(an ``I-`` after another type read as ``B-``).

    python benchmarks/ner_libraries.py --crf-model DIR [--sentences 40000] [--epochs 2]

`--crf-model` is a folder written by ``bench ner train`` with the same settings (its
card's clitic lexicon is shared by both decoders). Needs torch (the ``hf`` extra).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BUCKETS = 1 << 18
DIM = 64


def _bucket(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(),
                          "little") % BUCKETS


class TorchTagger:
    def __init__(self, labels: list[str], seed: int):
        import torch

        torch.manual_seed(seed)
        self.labels = labels
        self.embed = torch.nn.EmbeddingBag(BUCKETS, DIM, mode="mean", sparse=True)
        self.lstm = torch.nn.LSTM(DIM, DIM, batch_first=True, bidirectional=True)
        self.out = torch.nn.Linear(2 * DIM, len(labels))
        self.modules = torch.nn.ModuleList([self.embed, self.lstm, self.out])
        self._ids: dict[str, int] = {}

    def _words(self, rows: list[list[str]]):
        import torch

        flat, offsets = [], []
        for row in rows:
            offsets.append(len(flat))
            for feature in row:
                index = self._ids.get(feature)
                if index is None:
                    index = self._ids[feature] = _bucket(feature)
                flat.append(index)
        return self.embed(torch.tensor(flat), torch.tensor(offsets))

    def scores(self, rows: list[list[str]]):
        hidden, _ = self.lstm(self._words(rows).unsqueeze(0))
        return self.out(hidden[0])

    def fit(self, data: list[tuple[list[list[str]], list[str]]], epochs: int, seed: int):
        import numpy
        import torch

        index = {label: k for k, label in enumerate(self.labels)}
        dense = [p for m in (self.lstm, self.out) for p in m.parameters()]
        optimizers = [torch.optim.SparseAdam(list(self.embed.parameters()), lr=0.005),
                      torch.optim.Adam(dense, lr=0.005)]
        rng = numpy.random.default_rng(seed)
        for epoch in range(epochs):
            for n, k in enumerate(rng.permutation(len(data))):
                if n % 5000 == 0:
                    print(f"epoch {epoch + 1}: {n}/{len(data)} sentences", file=sys.stderr,
                          flush=True)
                rows, labels = data[k]
                loss = torch.nn.functional.cross_entropy(
                    self.scores(rows), torch.tensor([index[y] for y in labels]))
                for optimizer in optimizers:
                    optimizer.zero_grad()
                loss.backward()
                for optimizer in optimizers:
                    optimizer.step()

    def tag_rows(self, rows: list[list[str]]) -> tuple[list[str], list[float]]:
        """The most likely label of each word and its probability."""
        import torch

        with torch.no_grad():
            probabilities = torch.softmax(self.scores(rows), dim=1)
            best, index = probabilities.max(dim=1)
        return [self.labels[k] for k in index.tolist()], best.tolist()


def main() -> None:
    import torch

    from benchmark.entities.evaluate import (evaluate_rules, load_gold, loose_key,
                                             read_wojood, score_table)
    from benchmark.entities.learned.backend import LearnedBackend
    from benchmark.entities.learned.features import FeatureCache, sentences
    from benchmark.entities.learned.silver import HeldOut
    from benchmark.entities.learned.train import Recipe, training_data
    from benchmark.paths import BUNDLED_DATASET, BUNDLED_GOLD, BUNDLED_TEST

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crf-model", type=Path, required=True)
    parser.add_argument("--sentences", type=int, default=Recipe.sentences)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--corpora", type=Path, default=SHARED / "corpora")
    args = parser.parse_args()
    torch.set_num_threads(1)
    recipe = Recipe(sentences=args.sentences)
    held_out = HeldOut.from_files(BUNDLED_GOLD, BUNDLED_TEST)
    training = training_data(args.corpora, held_out=held_out, recipe=recipe,
                             wojood_dir=SHARED / "ner" / "wojood_sample")
    silver, gold, masks = training.silver, training.wojood, training.masks
    crf = LearnedBackend(args.crf_model)
    neural = LearnedBackend(args.crf_model)
    cache = crf.tagger.features  # the model's vocabulary: the same features as the CRF
    data = [(cache.sequence(s.tokens, [y != "O" for y in s.labels] if m else None),
             list(s.labels)) for s, m in zip(silver, masks)]
    data += [(cache.sequence(s.tokens), list(s.labels)) for s in gold] * recipe.wojood_repeat
    labels = sorted({y for _, ys in data for y in ys})
    print(f"{len(data)} training sentences", file=sys.stderr, flush=True)
    started = time.process_time()
    net = TorchTagger(labels, recipe.seed)
    net.fit(data, args.epochs, recipe.seed)
    torch_train = time.process_time() - started


    def scored_tags(tokens):
        labels, sure = [], {}
        for start, end in sentences(tokens):
            best, probabilities = net.tag_rows(neural.tagger.features.sequence(
                tokens[start:end]))
            labels += best
            sure.update({start + t: p for t, (y, p) in enumerate(zip(best, probabilities))
                         if y != "O"})
        return labels, sure

    neural.tagger.scored_tags = scored_tags
    dev = [t for t in load_gold(BUNDLED_GOLD, corpora_dir=SHARED / "corpora",
                                seed_dir=BUNDLED_DATASET) if t.field == "summary"]
    val = read_wojood(SHARED / "ner" / "wojood_sample" / "val.txt")
    print(f"torch tagger: {torch_train:.0f} s CPU to train ({args.epochs} epochs), "
          f"{sum(p.numel() for p in net.modules.parameters()):,} parameters")
    for name, backend in (("crf", crf), ("torch", neural)):
        line = [name]
        for set_name, texts, key in (("dev", dev, lambda k: k), ("wojood val", val, loose_key)):
            started = time.process_time()
            counts = evaluate_rules(texts, backend, key=key)
            seconds = time.process_time() - started
            exact = score_table(counts["exact"])["PERS+LOC+ORG"]
            overlap = score_table(counts["overlap"])["PERS+LOC+ORG"]
            line.append(f"{set_name} names F1 {100 * exact['f1']:.1f} exact, "
                        f"{100 * overlap['f1']:.1f} overlap ({seconds:.1f} s)")
        print("  " + "; ".join(line))


if __name__ == "__main__":
    main()
