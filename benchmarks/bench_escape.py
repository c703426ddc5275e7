"""What escaping costs where it runs most: one JSON line per item (``items.jsonl``, the
prediction cache), written through `benchmark.jsonl.encode`.

    python benchmarks/bench_escape.py [--corpus ../shared/corpora/ant_bbc.jsonl] [--rounds 9]

Each line is an item line as a run writes it (the article as the prediction, the
reference, a few numbers), from the real corpus. CPU time (``time.process_time``) of
encoding every line, the plain ``json.dumps(ensure_ascii=False)`` of before against
`encode` (the same plus the JSON escapes of control and bidi characters), rounds
interleaved, medians and their ratio. Also counts how many records of the corpus hold a
character that is escaped (their bytes change; their values do not).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from benchmark.jsonl import encode
from benchmark.textshow import UNSAFE

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant_bbc.jsonl"


def item_lines(corpus: Path) -> list[dict]:
    lines = []
    for number, raw in enumerate(corpus.read_text(encoding="utf-8").splitlines()):
        record = json.loads(raw)
        lines.append({"id": str(record.get("id", number)), "prediction": record["article"],
                      "reference": "\n".join(record.get("summary_bullets") or []),
                      "latency_s": 0.123, "cached": False, "rouge1_f": 0.4567})
    return lines


def plain(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def cpu_seconds(function, lines: list[dict]) -> float:
    began = time.process_time()
    for line in lines:
        function(line)
    return time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    lines = item_lines(args.corpus)
    assert all(json.loads(encode(line)) == line for line in lines)  # values unchanged
    before, after = [], []
    for _ in range(args.rounds):
        before.append(cpu_seconds(plain, lines))
        after.append(cpu_seconds(encode, lines))
    megabytes = sum(len(plain(line)) for line in lines) / 1e6
    changed = sum(plain(line) != encode(line) for line in lines)
    holding = sum(bool(UNSAFE.search(json.dumps(line, ensure_ascii=False))) for line in lines)
    b, a = statistics.median(before), statistics.median(after)
    print(f"{len(lines)} item lines, {megabytes:.1f} MB, {args.rounds} rounds (CPU s, median)")
    print(f"json.dumps: {b:.3f} s   encode: {a:.3f} s   ratio {a / b:.2f}")
    print(f"lines whose bytes change: {changed} (records holding an escaped character: "
          f"{holding})")


if __name__ == "__main__":
    main()
