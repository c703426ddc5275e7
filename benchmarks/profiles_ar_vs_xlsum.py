"""ROUGE of the same lead-3 predictions under profile ``ar`` and profile ``xlsum``.

    python benchmarks/profiles_ar_vs_xlsum.py [--dataset ant-bbc]

Prints ROUGE-1/2/L/Lsum F (x100, mean over items) for: ``ar`` (ours, recommended),
``xlsum`` without stemming (XL-Sum's tokenization alone) and ``xlsum`` (XL-Sum's scorer as
published, with NLTK's Snowball Arabic stemmer and NLTK's Arabic stopwords, which ship
with the package).
"""

from __future__ import annotations

import argparse

from benchmark import Scorer
from benchmark.data import load_examples
from benchmark.errors import ConfigError
from benchmark.summarizers.registry import create_summarizer
from benchmark.text import TextProfile

KEYS = ("rouge1_f", "rouge2_f", "rougeL_f", "rougeLsum_f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="ant-bbc")
    args = parser.parse_args()
    data = load_examples(args.dataset)
    predictions = [p.text for p in create_summarizer("lead-3").summarize(data.examples)]
    references = [list(example.bullets) for example in data.examples]
    print(f"lead-3 on {data.identity} ({len(predictions)} items), F x100")
    print(f"{'profile':<28}" + "".join(f"{key:>12}" for key in KEYS))
    for label, profile in (("ar", TextProfile(name="ar")),
                           ("xlsum, no stemming", TextProfile(name="xlsum", stem=False)),
                           ("xlsum (as published)", TextProfile(name="xlsum", stem=True))):
        try:
            report = Scorer(["rouge"], profile).score(predictions=predictions,
                                                      references=references)
        except ConfigError as exc:
            print(f"{label:<28}skipped: {exc}")
            continue
        print(f"{label:<28}" + "".join(f"{100 * report.summary[key]:>12.2f}" for key in KEYS))


if __name__ == "__main__":
    main()
