"""Articles per second of the ``hf:`` backend on CPU with the tiny test models.

Builds the tiny random-weight BART and Llama of tests/tiny_hf.py in a temporary folder
(nothing is downloaded; the tokenizers are trained on the benchmark's own articles with
an 8k vocabulary, so token counts are realistic) and summarizes real articles from
../shared/corpora (synthetic ones when absent) at several batch sizes. The numbers
measure the backend's overhead (tokenization, padding, truncation, the generate loop),
not model quality.

    python benchmarks/bench_hf_tiny.py --articles 64 --max-new-tokens 32
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from tiny_hf import build_causal, build_seq2seq  # noqa: E402

from benchmark.data.example import Example  # noqa: E402
from benchmark.summarizers.hf import HFSummarizer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "ant_cnn.jsonl"


def load_articles(n: int) -> tuple[list[Example], str]:
    if CORPUS.is_file():
        examples = []
        with CORPUS.open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                examples.append(Example(id=record["id"], article=record["article"],
                                        bullets=(record["summary"],)))
                if len(examples) == n:
                    break
        return examples, str(CORPUS.relative_to(ROOT.parent))
    text = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الاقتصاد وخفض التضخم. " * 20
    return [Example(id=str(i), article=text, bullets=("-",)) for i in range(n)], "synthetic"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--batch-sizes", default="1,8,32")
    args = parser.parse_args()
    import torch

    examples, source = load_articles(args.articles)
    print(f"{len(examples)} articles from {source}, max_new_tokens={args.max_new_tokens}, "
          f"torch threads={torch.get_num_threads()}")
    lines = [example.article for example in examples]
    with tempfile.TemporaryDirectory() as tmp:
        models = {"seq2seq (BART 1+1 layers, 512 positions)":
                  build_seq2seq(Path(tmp) / "bart", positions=512, lines=lines,
                                vocab_size=8000),
                  "causal (Llama 1 layer, chat template, 1024 positions)":
                  build_causal(Path(tmp) / "llama", positions=1024, lines=lines,
                               vocab_size=8000)}
        for label, path in models.items():
            for batch_size in [int(b) for b in args.batch_sizes.split(",")]:
                summarizer = HFSummarizer(f"hf:{path}", {
                    "batch_size": batch_size, "max_new_tokens": args.max_new_tokens,
                    "device": "cpu", "min_new_tokens": args.max_new_tokens})
                summarizer.load()
                summarizer.summarize(examples[:2])  # warm-up
                started = time.perf_counter()
                predictions = summarizer.summarize(examples)
                elapsed = time.perf_counter() - started
                truncated = sum(p.truncated for p in predictions)
                print(f"{label}: batch {batch_size:>3}: {len(examples) / elapsed:7.1f} "
                      f"articles/s ({elapsed:.2f} s, {truncated} truncated)")


if __name__ == "__main__":
    main()
