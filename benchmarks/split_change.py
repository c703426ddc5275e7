"""What the sentence split ``ar.v2`` changes against ``ar.v1``, on the real corpora.

    python benchmarks/split_change.py [--corpora ../shared/corpora]

For every reference summary of ``../shared/corpora/*.jsonl`` (read through the project's
loader, bullets as lines): does it split differently? On those items, lead-3's
ROUGE-Lsum F (in points) is computed twice, with both sides and lead-3 itself under
``ar.v1``, then under ``ar.v2``; prints the count, the largest change and where, and the
same for lead-3 summaries that change (an article's first three sentences). ``ar.v1`` is
reproduced below so the comparison runs in one process.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import regex

from benchmark.data import load_examples
from benchmark.metrics.rouge import score_texts
from benchmark.text import TextProfile, split_sentences

ROOT = Path(__file__).resolve().parents[1]
# Split ar.v1, as it was: after . ! ? ؟ ۔ … plus any closing quote, bracket or format
# mark when whitespace follows; at every newline.
_V1_BOUNDARY = regex.compile(r"(?<=[.!?؟۔…]+[\"'»”’)\]\p{Cf}]*)[^\S\n]+")


def split_v1(text: str) -> list[str]:
    return [part.strip() for line in text.split("\n") for part in _V1_BOUNDARY.split(line)
            if part.strip()]


class ProfileV1(TextProfile):
    """Profile ``ar`` with the ``ar.v1`` splitter."""

    def sentences(self, text: str) -> list[str]:
        return split_v1(text)


def lead3(article: str, split) -> str:
    return "\n".join(split(article)[:3])


def lsum(reference: str, prediction: str, profile: TextProfile) -> float:
    return 100 * score_texts(reference=reference, prediction=prediction,
                             profile=profile)["rougeLsum"].fmeasure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args()
    old, new = ProfileV1(), TextProfile()
    total = 0
    by_reference: list[tuple[float, float, str]] = []  # (lead-3 fixed, lead-3 v2, id)
    by_lead: list[tuple[float, str]] = []  # items whose lead-3 changed: (change, id)
    for path in sorted(args.corpora.glob("*.jsonl")):
        for example in load_examples(path).examples:
            total += 1
            reference = example.summary
            lead_old = lead3(example.article, split_v1)
            lead_new = lead3(example.article, split_sentences)
            before = lsum(reference, lead_old, old)
            if split_v1(reference) != split_sentences(reference):
                by_reference.append((lsum(reference, lead_old, new) - before,
                                     lsum(reference, lead_new, new) - before, example.id))
            if split_v1(lead_old) != split_sentences(lead_new):
                by_lead.append((lsum(reference, lead_new, new) - before, example.id))
    print(f"items: {total}")
    print(f"reference summaries that split differently: {len(by_reference)}")
    if by_reference:
        fixed = max(by_reference, key=lambda d: abs(d[0]))
        both = max(by_reference, key=lambda d: abs(d[1]))
        print(f"  lead-3 ROUGE-Lsum F on them, lead-3 as before: largest change "
              f"{fixed[0]:+.2f} points (id {fixed[2]})")
        print(f"  with lead-3 also split by ar.v2: largest change {both[1]:+.2f} points "
              f"(id {both[2]})")
    print(f"lead-3 summaries that change (article split): {len(by_lead)}")
    if by_lead:
        worst = max(by_lead, key=lambda d: abs(d[0]))
        print(f"  lead-3 ROUGE-Lsum F on them: largest change {worst[0]:+.2f} points "
              f"(id {worst[1]}), mean {sum(d[0] for d in by_lead) / len(by_lead):+.3f}")
    changed = {i: d for d, i in by_lead} | {i: d for _, d, i in by_reference}
    print(f"corpus mean lead-3 ROUGE-Lsum F change: {sum(changed.values()) / total:+.4f} "
          "points")


if __name__ == "__main__":
    main()
