"""Time variants of small prediction-side steps that were tried and dropped (kept so the
numbers can be rerun): each against the code in use, on BBC texts.

    python benchmarks/bench_prediction_variants.py [--rounds 9]

- chrF's word split (`kernels.chrf._split_words`) against finding the words with a
  punctuation mark at an edge in C (the words' last and first characters joined into
  two strings, searched with a pattern) and splitting only those;
- the extractive index's token numbers (`ArticleIndex.numbers_of`: a search and a count
  of newlines per summary token) against counting the newlines once, between the found
  places in order;
- normalization's diacritics step with the standard library's ``re`` instead of
  ``regex`` (same character ranges); its three deletions (format marks, diacritics,
  tatweel) as one ``regex`` class; and the fold's twenty digit replacements tried only
  when a search finds an Arabic-Indic or Persian digit.

Every variant is first checked equal to the code in use on every text. CPU seconds
(``time.process_time``), the contenders interleaved in each round, medians; per text
(or per item) in microseconds. Texts: lead-1 and lead-3 of each BBC article and its
summary, normalized and split as chrF reads them; the extractive rows score lead-1
against the article's stored index (pickled and read back, as a run does).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import statistics
import time
from operator import itemgetter
from pathlib import Path

from benchmark.kernels.chrf import _PUNCTUATION, _split_words
from benchmark.metrics.extractive_kernels import ArticleIndex
from benchmark.text import get_profile, split_sentences
from benchmark.text import normalize as normalize_module

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant_bbc.jsonl"
_EDGE = re.compile("[" + re.escape("".join(sorted(_PUNCTUATION))) + "]")
_LAST, _FIRST = itemgetter(-1), itemgetter(0)


def split_at_edges(parts: list[str]) -> list[str]:
    """`_split_words`, the words to split found in C."""
    edges = [m.start() for m in _EDGE.finditer("".join(map(_LAST, parts)))]
    firsts = [m.start() for m in _EDGE.finditer("".join(map(_FIRST, parts)))]
    if firsts:
        edges = sorted(set(edges).union(firsts))
    elif not edges:
        return list(parts)
    words: list[str] = []
    done = 0
    for i in edges:
        word = parts[i]
        if len(word) > 1:
            words += parts[done:i]
            words += ((word[:-1], word[-1]) if word[-1] in _PUNCTUATION
                      else (word[0], word[1:]))
            done = i + 1
    words += parts[done:]
    return words


def numbers_counted_once(index: ArticleIndex, summary: list[str]) -> list[int]:
    """`numbers_of` (short summaries), the newlines counted once between found places."""
    text = index.distinct
    places = [text.find(f"\n{token}\n") for token in summary]
    number_at = {-1: -1}
    number = previous = 0
    for place in sorted(set(places)):
        if place >= 0:
            number += text.count("\n", previous, place)
            previous = place
            number_at[place] = number
    return list(map(number_at.__getitem__, places))


_DIACRITICS_RE = re.compile(normalize_module._DIACRITICS.pattern)
_DELETED = normalize_module.regex.compile(
    r"[\p{Cf}\u064b-\u065f\u0670\u06d6-\u06ed\u0640]+")
_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_DIGIT_PAIRS = tuple(pair for pair in normalize_module._FOLD_PAIRS if _DIGIT.match(pair[0]))
_LETTER_PAIRS = tuple(pair for pair in normalize_module._FOLD_PAIRS
                      if pair not in _DIGIT_PAIRS)


def three_deletions(text: str) -> str:
    """Format marks, diacritics and tatweel deleted in one pass."""
    return _DELETED.sub("", text)


def fold_digits_if_any(text: str) -> str:
    """`_fold`, the digit replacements only where a digit to fold is found."""
    for source, target in _LETTER_PAIRS:
        if source in text:
            text = text.replace(source, target)
    if _DIGIT.search(text):
        for source, target in _DIGIT_PAIRS:
            if source in text:
                text = text.replace(source, target)
    return text


def three_steps(text: str) -> str:
    """The three deletions as `normalize_arabic` makes them, one after another."""
    text = normalize_module._FORMAT_MARKS.sub("", text)
    return normalize_module._DIACRITICS.sub("", text).replace(normalize_module._TATWEEL, "")


def timed(cases: dict, rounds: int, count: int) -> None:
    times: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for round_ in range(rounds):
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            start = time.process_time()
            cases[name]()
            times[name].append(time.process_time() - start)
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values) * 1e6 / count:.2f} µs |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    profile = get_profile("ar")
    raw, words, indexes, leads = [], [], [], []
    with CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sentences = split_sentences(record["article"])
            texts = ["\n".join(sentences[:1]), "\n".join(sentences[:3]), record["summary"]]
            raw += texts
            words += [profile.normalize(text).split() for text in texts]
            indexes.append(pickle.dumps(ArticleIndex.of(profile.tokenize(record["article"]))))
            leads.append(profile.tokenize(texts[0]))
    indexes = [pickle.loads(blob) for blob in indexes]
    assert all(split_at_edges(parts) == _split_words(parts) for parts in words)
    assert all(numbers_counted_once(index, lead) == index.numbers_of(lead)
               for index, lead in zip(indexes, leads))
    diacritics = normalize_module._DIACRITICS
    assert all(_DIACRITICS_RE.sub("", text) == diacritics.sub("", text) for text in raw)
    assert all(three_deletions(text) == three_steps(text) for text in raw)
    assert all(fold_digits_if_any(text) == normalize_module._fold(text) for text in raw)
    print(f"| chrF word split, per text ({len(words)} texts) | CPU |\n|---|---|")
    timed({"_split_words (in use)": lambda: [_split_words(p) for p in words],
           "edges found in C": lambda: [split_at_edges(p) for p in words]},
          args.rounds, len(words))
    print(f"\n| extractive token numbers, per item ({len(leads)} lead-1) | CPU |\n|---|---|")
    timed({"numbers_of (in use)": lambda: [i.numbers_of(s) for i, s in zip(indexes, leads)],
           "newlines counted once": lambda: [numbers_counted_once(i, s)
                                             for i, s in zip(indexes, leads)]},
          args.rounds, len(leads))
    print(f"\n| normalization's diacritics step, per text ({len(raw)} texts) | CPU |\n|---|---|")
    timed({"regex (in use)": lambda: [diacritics.sub("", t) for t in raw],
           "re": lambda: [_DIACRITICS_RE.sub("", t) for t in raw]}, args.rounds, len(raw))
    print(f"\n| normalization's deletions and fold, per text ({len(raw)} texts) | CPU |\n|---|---|")
    timed({"three deletions one after another (in use)": lambda: [three_steps(t) for t in raw],
           "three deletions as one class": lambda: [three_deletions(t) for t in raw],
           "fold (in use)": lambda: [normalize_module._fold(t) for t in raw],
           "fold, digits only when found": lambda: [fold_digits_if_any(t) for t in raw]},
          args.rounds, len(raw))


if __name__ == "__main__":
    main()
