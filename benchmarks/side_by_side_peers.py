"""What `bench_side_by_side.py` measures besides `bench` itself: the floor, the peers'
end-to-end scripts and the kernel rows.

- The floor: a fresh interpreter that imports the package's reader and text profile,
  reads the dataset and tokenizes every article and reference (profile ``ar``). No run
  of `bench` can do less than that.
- A peer's end-to-end ROUGE: a fresh interpreter that imports the peer, reads the
  dataset and the predictions (lead-3, written by `bench` before timing), scores
  ROUGE-1/2/L/Lsum with a regex Arabic tokenizer (casefold, then runs of letters and
  marks or of digits) through the peer's ``tokenizer=`` hook, writes one JSON line per
  item and prints the means: the smallest script a user would write with it.
- Kernel rows: the same tokens (or, for chrF, the same normalized text) given to ours
  and to the peer in this process, numbers checked identical first, CPU time alternating.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Callable

FLOOR = r'''
import sys
from benchmark.data.load import load_examples
from benchmark.text import get_profile
profile = get_profile("ar")
tokens = 0
limit = int(sys.argv[2]) or None
for example in load_examples(sys.argv[1], limit=limit).examples:
    tokens += len(profile.tokenize(example.article)) + len(profile.tokenize(example.summary))
print(tokens)
'''

PEER_ROUGE = r'''
import json, sys
import regex
from {module} import rouge_scorer

class RegexTokenizer:
    pattern = regex.compile(r"[\p{{L}}\p{{M}}]+|\p{{N}}+")

    def tokenize(self, text):
        return self.pattern.findall(text.casefold())

kinds = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
scorer = rouge_scorer.RougeScorer(kinds, tokenizer=RegexTokenizer())
references = {{}}
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        record = json.loads(line)
        references[record["id"]] = record["summary"]
sums, count = dict.fromkeys(kinds, 0.0), 0
with open(sys.argv[2], encoding="utf-8") as lines, open(sys.argv[3], "w", encoding="utf-8") as out:
    for line in lines:
        item = json.loads(line)
        scores = scorer.score(references[item["id"]], item["prediction"])
        out.write(json.dumps({{"id": item["id"], **{{k: list(v) for k, v in scores.items()}}}}) + "\n")
        for kind in kinds:
            sums[kind] += scores[kind].fmeasure
        count += 1
print({{kind: total / count for kind, total in sums.items()}})
'''

PEERS = {"rouge-score": "rouge_score", "rouge-score-rs": "rouge_score_rs"}


def floor_command(dataset: Path, *, limit: int | None) -> list[str]:
    return [sys.executable, "-c", FLOOR, str(dataset), str(limit or 0)]


def peer_command(peer: str, *, dataset: Path, predictions: Path, output: Path) -> list[str]:
    return [sys.executable, "-c", PEER_ROUGE.format(module=PEERS[peer]), str(dataset),
            str(predictions), str(output)]


def installed(peer: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(PEERS[peer]) is not None


def write_predictions(dataset: Path, path: Path, *, limit: int | None) -> None:
    """Lead-3 of each article, as `bench run --model lead-3` makes it."""
    from benchmark.data.load import load_examples
    from benchmark.summarizers.registry import create_summarizer

    examples = load_examples(dataset, limit=limit).examples
    lead3 = create_summarizer("lead-3").summarize(examples)
    path.write_text("".join(json.dumps({"id": ex.id, "prediction": p.text},
                                       ensure_ascii=False) + "\n"
                            for ex, p in zip(examples, lead3)), encoding="utf-8")


# -- kernel rows: in this process ---------------------------------------------------------

KernelRow = tuple[str, Callable[[], object], Callable[[], object], str]


def kernel_rows(dataset: Path, *, limit: int | None) -> list[KernelRow]:
    """(what, ours, theirs, their name): ROUGE kernels against rouge-score-rs's native
    call on the same tokens, and chrF++ against sacrebleu on the same normalized text;
    each row's numbers are checked identical before it is returned."""
    from benchmark.data.load import load_examples
    from benchmark.summarizers.registry import create_summarizer
    from benchmark.text import get_profile

    profile = get_profile("ar")
    examples = load_examples(dataset, limit=limit).examples
    pairs = [(ex.summary, p.text) for ex, p in
             zip(examples, create_summarizer("lead-3").summarize(examples))]
    rows = []
    try:
        if installed("rouge-score-rs"):
            rows.append(_rouge_row(pairs, profile))
        rows.append(_chrf_row(pairs, profile))
    except ImportError as exc:  # a checkout without benchmark.kernels
        print(f"(kernel rows left out: {exc})", file=sys.stderr)
    return rows


def _rouge_row(pairs, profile) -> KernelRow:
    from rouge_score_rs import _rougers

    from benchmark.kernels import RougeSide, score_sides

    kinds = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    tokenized = [([profile.tokenize(s) for s in profile.sentences(r)],
                  [profile.tokenize(s) for s in profile.sentences(p)]) for r, p in pairs]
    inputs = [([t for s in r for t in s], r, [t for s in p for t in s], p) for r, p in tokenized]
    native = _rougers.Scorer(kinds, False).score_documents

    def ours():
        return [score_sides(RougeSide(r), RougeSide(p)) for r, p in tokenized]

    def theirs():
        return [native(*pair) for pair in inputs]

    mine = [[tuple(score) for score in scores] for scores in ours()]
    other = [[tuple(scores[kind]) for kind in kinds] for scores in theirs()]
    if mine != other:
        raise SystemExit("ROUGE kernels: ours and rouge-score-rs's numbers differ")
    return "ROUGE-1/2/L/Lsum kernels, same tokens", ours, theirs, "rouge-score-rs native"


def _chrf_row(pairs, profile) -> KernelRow:
    from sacrebleu.metrics import CHRF

    from benchmark.kernels.chrf import ChrF

    normalized = [(" ".join(profile.normalize(r).split()), " ".join(profile.normalize(p).split()))
                  for r, p in pairs]
    mine, reference = ChrF(), CHRF(word_order=2)

    def ours():
        return [mine.score(mine.statistics(p, [r])) for r, p in normalized]

    def theirs():
        return [reference.sentence_score(p, [r]).score for r, p in normalized]

    if ours() != theirs():
        raise SystemExit("chrF++: ours and sacrebleu's numbers differ")
    return "chrF++ sentence scores, same normalized text", ours, theirs, "sacrebleu"


def time_pair(ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds of one call of each, ours first."""
    times = []
    for call in (ours, theirs):
        began = time.process_time()
        call()
        times.append(time.process_time() - began)
    return times[0], times[1]
