"""Scoring kernels on token lists and normalized strings: the ground floor of the metrics.

Pure functions (no text processing, no I/O, nothing else from `benchmark`), so that
both the metrics and the summarizers that score as they choose (the oracle) use one
implementation:

- `benchmark.kernels.rouge`: ROUGE-1/2/L/Lsum exactly as rouge-score 0.1.2 computes
  them, given tokens (`RougeSide`, `score_sides`, `rouge_n`, `rouge_l`, `rouge_lsum`);
- `benchmark.kernels.ngrams`: `Score`, `fmeasure` and clipped n-gram overlap on count
  tables (`ngram_counts`, `score_ngram_counts`);
- `benchmark.kernels.lcs`: LCS length and rouge-score's choice of LCS, on bit masks;
- `benchmark.kernels.chrf`: chrF/chrF++ statistics and scores exactly as sacrebleu
  computes them, given normalized strings.
"""

from benchmark.kernels.lcs import lcs_indices, lcs_length
from benchmark.kernels.ngrams import ZERO, Score, fmeasure, ngram_counts, overlap, score_ngram_counts
from benchmark.kernels.rouge import RougeSide, rouge_l, rouge_lsum, rouge_n, score_sides

__all__ = ["ZERO", "RougeSide", "Score", "fmeasure", "lcs_indices", "lcs_length", "ngram_counts",
           "overlap", "rouge_l", "rouge_lsum", "rouge_n", "score_ngram_counts", "score_sides"]
