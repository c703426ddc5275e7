"""Arabic-correct ROUGE as a Hugging Face ``evaluate`` module.

Load it by path (no hub access): ``evaluate.load(benchmark.integrations.EVALUATE_MODULE)``.
``evaluate`` copies this file into its module cache and imports it on its own, so it
imports only installed packages (``evaluate``, ``datasets``, ``benchmark``); the package
itself never imports it.

It follows the conventions of evaluate's own ``rouge`` module, so it can replace it:

- ``compute(predictions=[...], references=[...])``: each reference is a string or a
  list of strings, the ALTERNATIVE references of that item (evaluate's convention:
  the item scores against its best reference per ROUGE type, max F);
- ``rouge_types`` (default all four) and ``use_aggregator`` (True: the mean over items;
  False: one value per item), values are F-measures as floats in [0, 1];
- ``profile`` (extra; default ``"ar"``): the text profile of `benchmark`.

Differences from evaluate's ``rouge``: Arabic letters are kept (its tokenizer deletes
every non-ASCII character); ``rougeLsum`` splits sentences with ``ar.v2`` (every line
and every sentence-final mark) instead of needing newlines; ``use_stemmer`` and
``tokenizer`` are not offered (the profile decides). Numbers equal
``benchmark.Scorer(metrics=["rouge"])`` on the same references, where alternative
references are written as a list of lists (``[[ref_a], [ref_b]]``): in `Scorer`, a
flat list of strings is the BULLETS of one reference.
"""

import datasets
import evaluate

from benchmark.metrics.rouge import ROUGE_TYPES
from benchmark.scorer import Scorer

_DESCRIPTION = """ROUGE-1/2/L/Lsum F-measures with rouge-score 0.1.2's definitions on
Arabic-normalized tokens (NFKC, tashkeel and tatweel deleted, alef forms folded ...)."""

_CITATION = """@inproceedings{lin-2004-rouge,
    title = "{ROUGE}: A Package for Automatic Evaluation of Summaries",
    author = "Lin, Chin-Yew",
    booktitle = "Text Summarization Branches Out",
    year = "2004",
    publisher = "Association for Computational Linguistics",
    pages = "74--81",
}"""

_KWARGS_DESCRIPTION = """
Args:
    predictions: list of summaries, one string each.
    references: list of references, one per prediction: a string, or a list of strings
        (alternative references; the best F per type is kept).
    rouge_types: subset of ["rouge1", "rouge2", "rougeL", "rougeLsum"] (default: all).
    use_aggregator: True (default) for the mean over items, False for per-item values.
    profile: text profile, "ar" (default) or "none".
Returns:
    {rouge_type: F-measure} (a float, or a list of floats without the aggregator).
Examples:
    >>> rouge = evaluate.load(EVALUATE_MODULE)
    >>> rouge.compute(predictions=["ذهب الولد"], references=[["ذَهَبَ الوَلَدُ", "x"]])
    {'rouge1': 1.0, 'rouge2': 1.0, 'rougeL': 1.0, 'rougeLsum': 1.0}
"""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class ArsumRouge(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=[
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Sequence(datasets.Value("string", id="sequence")),
                }),
                datasets.Features({
                    "predictions": datasets.Value("string", id="sequence"),
                    "references": datasets.Value("string", id="sequence"),
                }),
            ],
            codebase_urls=[],
            reference_urls=["https://aclanthology.org/W04-1013"],
        )

    def _compute(self, predictions, references, rouge_types=None, use_aggregator=True,
                 profile="ar"):
        rouge_types = list(rouge_types or ROUGE_TYPES)
        unknown = [kind for kind in rouge_types if kind not in ROUGE_TYPES]
        if unknown:
            raise ValueError(f"unknown rouge_types {unknown}; choose from {list(ROUGE_TYPES)}")
        # evaluate's alternatives -> Scorer's several references (each one text).
        alternatives = [[[ref]] if isinstance(ref, str) else [[text] for text in ref]
                        for ref in references]
        report = Scorer(["rouge"], profile).score(predictions=list(predictions),
                                                  references=alternatives)
        if use_aggregator:
            return {kind: report.summary[f"{kind}_f"] for kind in rouge_types}
        return {kind: [item[f"{kind}_f"] for item in report.items] for kind in rouge_types}
