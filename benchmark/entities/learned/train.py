"""`train`: the learned tagger from a folder of corpora, seeded and reproducible.

The recipe (`Recipe`): label every text of the corpora with the rules (silver labels;
the annotated evaluation records dropped first, see `silver.HeldOut`), hold out a share
of the records (seeded) to measure agreement, sample sentences with names and a share
without, hide the word and list features of the names in a share of them (so the model
learns the contexts of names, not only their spellings), add the Wojood sample's train
split when given (repeated: it is small, and fully annotated), and fit a linear-chain
CRF (python-crfsuite, L-BFGS with L1 and L2 penalties), whose weights the folder keeps
as text (`crf.export`: tagging needs numpy only). Same inputs and seed, same model
bytes. The card (`model.json`) records the inputs' sha256, what was dropped,
the recipe, the figures measured on the held-out data and the licences.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Sequence

from benchmark.entities.learned.crf import crfsuite, export
from benchmark.entities.learned.features import FEATURES_VERSION, FeatureCache
from benchmark.entities.learned.silver import (Corpora, HeldOut, Sentence, clitic_lexicon,
                                               label_text, read_corpora,
                                               read_wojood_sentences, record_texts)
from benchmark.entities.learned.tagger import (CARD_FILE, MODEL_FILE, VOCABULARY_FILE,
                                               Tagger)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
LICENCE = ("Apache-2.0 (this package). Trained on texts of the ANT corpus v2.1 (Apache "
           "2.0 as stated by its source; Chouigui, Ben Khiroun and Elayeb, AJSE 2021), "
           "MArSum (CC BY 4.0; Gaanoun et al. 2022) and the train split of the Wojood "
           "sample (MIT, SinaLab/ArabicNER; Jarrar, Khalilia and Ghanem, LREC 2022), "
           "as far as the inputs named below hold them. The model stores feature "
           "weights, not texts.")


@dataclass(frozen=True)
class Recipe:
    seed: int = 13
    sentences: int = 40000  # silver sentences sampled for training
    empty_share: float = 0.2  # share of the sentences without names that may be drawn
    mask_share: float = 0.3  # share of sentences whose names show only their shape
    holdout_share: float = 0.03  # records held out (agreement figures, never trained on)
    wojood_repeat: int = 3
    c1: float = 0.3
    c2: float = 0.01
    iterations: int = 100
    min_feature_count: int = 1
    min_word_count: int = 2  # rarer words are unknown to the model (``unk``)


@dataclass
class TrainingData:
    corpora: Corpora
    silver: list[Sentence]  # the sampled silver sentences, in training order
    masks: list[bool]  # per silver sentence: are its names shown by shape only?
    wojood: list[Sentence]  # Wojood's train split (once; the recipe repeats it)
    holdout: list[Sentence]  # silver sentences of the held-out records
    holdout_records: int
    silver_total: int  # silver sentences before sampling
    clitics: Counter  # (first word of a name, proclitic letters) in the trained records


def training_data(corpora_dir: Path, *, held_out: HeldOut, recipe: Recipe,
                  wojood_dir: Path | None = None,
                  progress: Progress | None = None) -> TrainingData:
    """The sentences `train` learns from, every draw seeded by the recipe."""
    import numpy

    from benchmark.entities.rules import RulesBackend

    report = progress or (lambda stage, done, total: None)
    rng = numpy.random.default_rng(recipe.seed)
    corpora = read_corpora(corpora_dir, held_out=held_out)
    holdout = set(rng.permutation(len(corpora.records))[
        :int(round(recipe.holdout_share * len(corpora.records)))].tolist())
    clitics: Counter = Counter()
    silver: list[Sentence] = []
    kept_out: list[Sentence] = []
    rules = RulesBackend()
    for n, record in enumerate(corpora.records):
        target = kept_out if n in holdout else silver
        for text in record_texts(record):
            target += label_text(text, rules.extract(text), None if n in holdout else clitics)
        report("labelling", n + 1, len(corpora.records))
    chosen = _sample(silver, recipe, rng)
    masks = (rng.random(len(chosen)) < recipe.mask_share).tolist()
    return TrainingData(corpora, chosen, masks, _wojood(wojood_dir, "train"), kept_out,
                        len(holdout), len(silver), clitics)


def train(corpora_dir: Path, output_dir: Path, *, held_out: HeldOut,
          recipe: Recipe = Recipe(), wojood_dir: Path | None = None,
          progress: Progress | None = None) -> dict:
    """Train on `corpora_dir` (and Wojood's train split), write ``weights.tsv``,
    ``vocabulary.txt`` and ``model.json`` to `output_dir`, and return the card."""
    report = progress or (lambda stage, done, total: None)
    data = training_data(corpora_dir, held_out=held_out, recipe=recipe,
                         wojood_dir=wojood_dir, progress=report)
    output_dir.mkdir(parents=True, exist_ok=True)
    weights = output_dir / MODEL_FILE
    vocabulary = _vocabulary(data, recipe.min_word_count)
    (output_dir / VOCABULARY_FILE).write_text("".join(w + "\n" for w in sorted(vocabulary)),
                                              encoding="utf-8")
    _fit(data, recipe, weights, report, vocabulary)
    corpora = data.corpora
    card = {
        "name": "learned", "features": FEATURES_VERSION,
        "model_sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
        "training_data": {
            "identity": _identity(corpora.identity(), wojood_dir),
            "corpora": [asdict(f) for f in corpora.files],
            "records_used": len(corpora.records) - data.holdout_records,
            "records_held_out_for_agreement": data.holdout_records,
            "evaluation_records_dropped": corpora.dropped,
            "evaluation_sets_sha256": list(held_out.sources),
            "silver_sentences": data.silver_total, "sentences_sampled": len(data.silver),
            "wojood_train_sentences": len(data.wojood),
            "vocabulary_words": len(vocabulary)},
        "recipe": asdict(recipe), "licence": LICENCE,
        "clitics": clitic_lexicon(data.clitics),
    }
    _write_card(output_dir, card)
    card["figures"] = _figures(output_dir, data.holdout, _wojood(wojood_dir, "val"))
    _write_card(output_dir, card)
    return card


def _write_card(folder: Path, card: dict) -> None:
    (folder / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=1,
                                               sort_keys=True) + "\n", encoding="utf-8")


def _sample(sentences: list[Sentence], recipe: Recipe, rng) -> list[Sentence]:
    """Sentences with names, and `empty_share` of the others, then `sentences` of them
    drawn without replacement (seeded)."""
    draws = rng.random(len(sentences))
    pool = [s for s, u in zip(sentences, draws)
            if u < recipe.empty_share or any(label != "O" for label in s.labels)]
    order = rng.permutation(len(pool))[:recipe.sentences]
    return [pool[k] for k in order]


def _wojood(folder: Path | None, split: str) -> list[Sentence]:
    return [] if folder is None else read_wojood_sentences(folder / f"{split}.txt")


def _identity(corpora_identity: str, wojood_dir: Path | None) -> str:
    digest = hashlib.sha256(corpora_identity.encode())
    if wojood_dir is not None:
        digest.update(hashlib.sha256((wojood_dir / "train.txt").read_bytes()).digest())
    return digest.hexdigest()


def _vocabulary(data: TrainingData, min_count: int) -> frozenset[str]:
    """The words seen at least `min_count` times in the training sentences."""
    counts = Counter(token.norm for sentence in [*data.silver, *data.wojood]
                     for token in sentence.tokens)
    return frozenset(word for word, count in counts.items() if count >= min_count)


def _fit(data: TrainingData, recipe: Recipe, path: Path, report: Progress,
         vocabulary: frozenset[str]) -> None:
    class Trainer(crfsuite().Trainer):
        def message(self, message):  # quiet: the iterations go to the progress only
            if self.logparser.feed(message) == "iteration":
                report("training", int(self.logparser.last_iteration.get("num", 0)),
                       recipe.iterations)

    trainer = Trainer(verbose=False)
    features = FeatureCache(vocabulary=vocabulary)
    gold = data.wojood * recipe.wojood_repeat
    total = len(data.silver) + len(gold)
    for n, (sentence, mask) in enumerate(zip(data.silver, data.masks)):
        hidden = [label != "O" for label in sentence.labels] if mask else None
        trainer.append(features.sequence(sentence.tokens, hidden), list(sentence.labels))
        report("features", n + 1, total)
    for n, sentence in enumerate(gold, start=len(data.silver) + 1):
        trainer.append(features.sequence(sentence.tokens), list(sentence.labels))
        report("features", n, total)
    trainer.set_params({"c1": recipe.c1, "c2": recipe.c2,
                        "max_iterations": recipe.iterations,
                        "feature.minfreq": recipe.min_feature_count,
                        "feature.possible_transitions": True})
    raw = path.with_name(".training.crfsuite")
    trainer.train(str(raw))
    report("training", recipe.iterations, recipe.iterations)  # also when it converged early
    export(raw, path)
    raw.unlink()


def _figures(folder: Path, holdout: Sequence[Sentence], wojood_val: Sequence[Sentence]
             ) -> dict:
    """Token-span F1 of the tagger alone against the held-out silver labels (agreement
    with the rules) and against Wojood's val split (when given)."""
    tagger = Tagger(folder)
    figures = {"silver_holdout_agreement_f1": _span_f1(tagger, holdout)}
    if wojood_val:
        figures["wojood_val_f1"] = _span_f1(tagger, wojood_val)
    return figures


def _span_f1(tagger: Tagger, sentences: Sequence[Sentence]) -> float | None:
    gold = predicted = correct = 0
    for sentence in sentences:
        expected = _spans(sentence.labels)
        found = _spans(tagger.tag(sentence.tokens))
        gold, predicted = gold + len(expected), predicted + len(found)
        correct += len(expected & found)
    if not gold or not predicted or not correct:
        return None if not gold else 0.0
    precision, recall = correct / predicted, correct / gold
    return round(2 * precision * recall / (precision + recall), 4)


def _spans(labels: Sequence[str]) -> set[tuple[int, int, str]]:
    spans, start = set(), None
    for i, label in enumerate([*labels, "O"]):
        if start is not None and label != "I-" + labels[start][2:]:
            spans.add((start, i, labels[start][2:]))
            start = None
        if label != "O" and start is None:
            start = i
    return spans
