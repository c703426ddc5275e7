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
    total = changed_refs = changed_leads = 0
    deltas: list[tuple[float, str, str]] = []  # (change in points, id, which side changed)
    for path in sorted(args.corpora.glob("*.jsonl")):
        for example in load_examples(path).examples:
            total += 1
            ref_differs = split_v1(example.summary) != split_sentences(example.summary)
            lead_old, lead_new = lead3(example.article, split_v1), lead3(example.article,
                                                                         split_sentences)
            lead_differs = split_v1(lead_old) != split_sentences(lead_new)
            changed_refs += ref_differs
            changed_leads += lead_differs
            if ref_differs or lead_differs:
                delta = (lsum(example.summary, lead_new, new)
                         - lsum(example.summary, lead_old, old))
                side = "reference" if not lead_differs else (
                    "lead-3" if not ref_differs else "both")
                deltas.append((delta, example.id, side))
    print(f"items: {total}")
    print(f"reference summaries that split differently: {changed_refs}")
    print(f"lead-3 summaries that differ (sentences chosen or split): {changed_leads}")
    for side in ("reference", "lead-3", "both"):
        some = [d for d in deltas if d[2] == side]
        if some:
            worst = max(some, key=lambda d: abs(d[0]))
            label = "both changed" if side == "both" else f"{side} changed only"
            print(f"  {label}: {len(some)} items, lead-3 ROUGE-Lsum F moves by "
                  f"up to {worst[0]:+.2f} points (id {worst[1]}); mean "
                  f"{sum(d[0] for d in some) / len(some):+.3f}")
    print(f"corpus mean lead-3 ROUGE-Lsum F change: {sum(d[0] for d in deltas) / total:+.4f} "
          "points")


if __name__ == "__main__":
    main()
