"""``bench ner train``: train the learned NER backend's tagger on a folder of corpora."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, fail, user_errors
from benchmark.paths import BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL


def train_command(
    corpora: Annotated[Path, typer.Option(help="folder of *.jsonl corpora (records with "
                                          "id, article, summary) to label and learn from")],
    output: Annotated[Path, typer.Option("--output", "-o", help="model folder to write")],
    wojood_dir: Annotated[Optional[Path], typer.Option(
        help="folder of the Wojood sample: its train split is added to the training "
             "data, its val split measured (its test split is never read)")] = None,
    seed: Annotated[int, typer.Option(help="seed of every random draw")] = 13,
    sentences: Annotated[int, typer.Option(min=1, help="silver sentences to learn "
                                           "from")] = 40000,
    iterations: Annotated[int, typer.Option(min=1, help="L-BFGS iterations")] = 100,
    exclude: Annotated[Optional[list[Path]], typer.Option(
        help="annotation files (JSONL with id, and sha256 of annotated texts) whose "
             "records are dropped from training; default: the development, sealed "
             "test and validation sets shipped with the package")] = None,
) -> None:
    """Label the corpora's texts with the rules, learn a CRF tagger from them (and from
    Wojood's train split), and write the model and its card (model.json) to -o. Records
    of the evaluation sets are dropped, whole; the card says how many. Use the folder
    with --ner learned:DIR."""
    from benchmark.entities.learned.silver import HeldOut
    from benchmark.entities.learned.train import Recipe, train

    with user_errors():
        if not corpora.is_dir():
            raise fail(f"--corpora {corpora}: not a folder of *.jsonl corpora")
        held_out = HeldOut.from_files(
            *(exclude or [BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL]))
        recipe = Recipe(seed=seed, sentences=sentences, iterations=iterations)
        with StageProgress() as progress:
            card = train(corpora, output, held_out=held_out, recipe=recipe,
                         wojood_dir=wojood_dir, progress=progress)
    data = card["training_data"]
    echo(f"trained on {data['sentences_sampled']} silver sentences of "
         f"{data['records_used']} records and {data['wojood_train_sentences']} Wojood "
         f"sentences; {data['evaluation_records_dropped']} evaluation records dropped")
    figures = ", ".join(f"{k} {v}" for k, v in card["figures"].items())
    echo(f"{figures}; written to {output} (model {card['model_sha256'][:12]})")


class StageProgress:
    """A bar per stage (labelling, features, training) on a terminal; otherwise a line
    every 10 seconds."""

    def __init__(self, interval_s: float = 10.0):
        self._tty = sys.stderr.isatty()
        self._stage = None
        self._bar = None
        self._interval = interval_s
        self._last = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._close()
            self._stage = stage
            if self._tty:
                from tqdm import tqdm

                self._bar = tqdm(total=total, desc=stage, file=sys.stderr,
                                 dynamic_ncols=True)
        if self._bar is not None:
            self._bar.update(done - self._bar.n)
        elif time.monotonic() - self._last >= self._interval or done == total:
            self._last = time.monotonic()
            echo(f"{stage}: {done}/{total}", err=True)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "StageProgress":
        return self

    def __exit__(self, *exc) -> None:
        self._close()
