"""Several references per item, from the file to the score (DESIGN §4.2, §6).

Datasets carry ``references`` beside (or instead of) ``summary``; every reader takes them
(JSON Lines, CSV, Parquet, ``hf:`` and the registry, with a column mapping), and ROUGE,
chrF and bullet coverage score against all of them: the best reference (``--multiref
max``, rouge-score's ``score_multi``) or the mean over them (``--multiref mean``). The
reference implementation decides: rouge-score 0.1.2 given our tokenizer.

The multi-reference files are built here from real BBC pairs: each item's references are
its human standfirst and sentences of its own article (as several annotators' extracts
would be), five per item like EASC's.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rouge_score import rouge_scorer
from typer.testing import CliRunner

from benchmark import Scorer
from benchmark.cli.app import app
from benchmark.data import load_examples
from benchmark.errors import InvalidRecordError
from benchmark.metrics.rouge import ROUGE_TYPES
from benchmark.runs.run import Run, list_runs
from benchmark.text import TextProfile, split_sentences

PROFILE = TextProfile()
N_ITEMS = 25
SINGLE_SIGNATURE = ("rouge:v1|defs:rouge-score-0.1.2|norm:ar.v1|tok:ar.v1|stem:none|"
                    "clitics:no|split:ar.v2|multiref:max-f|ver:0.1.0")


def bench(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


class OurTokenizer:
    """rouge-score's tokenizer hook, given our tokens (its own deletes Arabic)."""

    def tokenize(self, text):
        return PROFILE.tokenize(text)


def rouge_score_multi(references: list[str], prediction: str) -> dict:
    """rouge-score's own score_multi (Lsum sentences as lines, its convention)."""
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=OurTokenizer())
    return scorer.score_multi(["\n".join(split_sentences(r)) for r in references],
                              "\n".join(split_sentences(prediction)))


def rouge_score_each(references: list[str], prediction: str) -> list[dict]:
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=OurTokenizer())
    return [scorer.score("\n".join(split_sentences(r)), "\n".join(split_sentences(prediction)))
            for r in references]


@pytest.fixture(scope="module")
def bbc_multi(shared_dir) -> list[dict]:
    """25 BBC items with five references each: the standfirst, article sentences 1, 4
    and 6, and the last sentence (EASC has five human extracts per article)."""
    rows = []
    with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            sentences = split_sentences(record["article"])
            if len(sentences) < 8:
                continue
            rows.append({"id": record["id"], "date": record["date"],
                         "article": record["article"], "url": record["url"],
                         "references": [record["summary"], sentences[1], sentences[4],
                                        sentences[6], sentences[-1]]})
            if len(rows) == N_ITEMS:
                break
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def run_folder(out: Path) -> Run:
    (path,) = list_runs(out)
    return Run.open(path)


# -- scoring: bench run equals Scorer equals rouge-score's score_multi ---------------------

def test_bench_run_on_references_equals_scorer_and_rouge_score_multi(tmp_path, bbc_multi):
    data = write_jsonl(tmp_path / "easc_like.jsonl", bbc_multi)
    out = tmp_path / "results"
    result = bench("run", "--model", "lead-3", "--dataset", data, "--output-dir", out)
    assert result.exit_code == 0, result.output
    run = run_folder(out)
    assert run.record.metrics.signatures["rouge"] == SINGLE_SIGNATURE  # max is the default
    predictions = {line["id"]: line["prediction"] for line in run.iter_items()}
    references = [row["references"] for row in bbc_multi]
    report = Scorer(["rouge"]).score(predictions=[predictions[row["id"]] for row in bbc_multi],
                                     references=[[[r] for r in refs] for refs in references])
    for row, ours in zip(bbc_multi, report.items):
        theirs = rouge_score_multi(row["references"], predictions[row["id"]])
        for kind in ROUGE_TYPES:
            score = theirs[kind]
            expected = (score.precision, score.recall, score.fmeasure)
            assert (ours[f"{kind}_p"], ours[f"{kind}_r"], ours[f"{kind}_f"]) == expected
            assert run.values(f"{kind}_f")[row["id"]] == score.fmeasure
    assert run.record.aggregates["rouge1_f"].mean == pytest.approx(report.summary["rouge1_f"])


def test_five_references_score_higher_than_the_summary_alone(tmp_path, bbc_multi):
    """The issue's EASC example: scored through `summary` alone, lead-3 looked worse than
    it is (44.13 against 64.09 over five references); the best of five is never below
    the first, and here well above it."""
    multi = write_jsonl(tmp_path / "multi.jsonl", bbc_multi)
    single = write_jsonl(tmp_path / "single.jsonl",
                         [{**row, "references": row["references"][:1]} for row in bbc_multi])
    means = {}
    for path in (multi, single):
        out = tmp_path / path.stem
        assert bench("run", "--model", "lead-3", "--dataset", path,
                     "--output-dir", out).exit_code == 0
        run = run_folder(out)
        means[path.stem] = run.record.aggregates["rouge1_f"].mean
        per_item = run.values("rouge1_f")
        if path is multi:
            best = per_item
        else:
            assert all(best[item] >= value for item, value in per_item.items())
    assert means["multi"] > means["single"] + 0.05


def test_multiref_mean_is_the_mean_over_references_of_rouge_score(tmp_path, bbc_multi):
    data = write_jsonl(tmp_path / "easc_like.jsonl", bbc_multi)
    out = tmp_path / "results"
    result = bench("run", "--model", "lead-3", "--dataset", data, "--output-dir", out,
                   "--multiref", "mean", "--metrics", "rouge,chrf,bullets")
    assert result.exit_code == 0, result.output
    run = run_folder(out)
    signatures = run.record.metrics.signatures
    assert "multiref:mean" in signatures["rouge"] and "multiref:mean" in signatures["chrf"]
    assert "multiref:mean" in signatures["bullets"]
    for row in bbc_multi[:10]:
        prediction = run.line(row["id"])["prediction"]
        each = rouge_score_each(row["references"], prediction)
        for kind in ROUGE_TYPES:
            for part, field in (("p", "precision"), ("r", "recall"), ("f", "fmeasure")):
                expected = sum(getattr(s[kind], field) for s in each) / len(each)
                assert run.values(f"{kind}_{part}")[row["id"]] == pytest.approx(expected,
                                                                                 abs=1e-15)
    scorer = Scorer(["rouge", "chrf", "bullets"], multiref="mean")
    predictions = [run.line(row["id"])["prediction"] for row in bbc_multi]
    report = scorer.score(predictions=predictions,
                          references=[[[r] for r in row["references"]] for row in bbc_multi])
    for key in ("rouge2_f", "chrf", "bullet_recall"):
        assert run.record.aggregates[key].mean == pytest.approx(report.summary[key])


def test_chrf_max_is_sacrebleus_best_reference_and_mean_averages_them():
    from sacrebleu.metrics import CHRF

    prediction = "زار الرئيس القاهرة اليوم وبحث المحادثات"
    references = ["زار الرئيس القاهرة", "بحث الوزير المحادثات في دمشق", "لا شيء مشترك هنا"]
    chrf = CHRF(word_order=2)
    normalized = [" ".join(PROFILE.normalize(r).split()) for r in references]
    hypothesis = " ".join(PROFILE.normalize(prediction).split())
    each = [chrf.sentence_score(hypothesis, [r]).score / 100 for r in normalized]
    best = chrf.sentence_score(hypothesis, normalized).score / 100
    assert best == max(each)
    as_lists = [[[r] for r in references]]
    assert Scorer(["chrf"]).score(predictions=[prediction], references=as_lists
                                  ).items[0]["chrf"] == pytest.approx(best, abs=1e-12)
    assert Scorer(["chrf"], multiref="mean").score(
        predictions=[prediction], references=as_lists).items[0]["chrf"] == pytest.approx(
        sum(each) / 3, abs=1e-12)


def test_bullet_coverage_best_reference_or_mean():
    """Reference 1 has two bullets, one covered (recall 0.5); reference 2 one bullet,
    covered entirely (recall 1.0): max takes 1.0, mean 0.75."""
    prediction = "افتتح الوزير المشروع في دمشق"
    references = [["افتتح الوزير المشروع", "ارتفعت الأسعار كثيرا"], ["الوزير في دمشق"]]
    values = Scorer(["bullets"]).score(predictions=[prediction], references=[references]
                                       ).items[0]
    assert (values["bullet_recall"], values["bullets_covered"]) == (1.0, 1.0)
    mean = Scorer(["bullets"], multiref="mean").score(predictions=[prediction],
                                                      references=[references]).items[0]
    assert (mean["bullet_recall"], mean["bullets_covered"]) == (0.75, 0.75)


def test_single_reference_data_keeps_its_signature_and_numbers(tmp_path, bbc_head):
    """--multiref max is the default; on one reference max and mean are the same
    numbers, and the default signature string is the one of before."""
    data = bbc_head(15)
    out = {}
    for option in ((), ("--multiref", "mean")):
        folder = tmp_path / ("mean" if option else "default")
        assert bench("run", "--model", "lead-3", "--dataset", data, "--output-dir", folder,
                     *option).exit_code == 0
        out[bool(option)] = run_folder(folder)
    default, mean = out[False], out[True]
    assert default.record.metrics.signature == SINGLE_SIGNATURE
    assert default.values("rouge2_f") == mean.values("rouge2_f")


# -- reading: every format --------------------------------------------------------------

ARTICLE = "افتتح الوزير المشروع الجديد في دمشق. وقال إن العمل يبدأ غدا."
REFERENCES = [["الوزير يفتتح المشروع", "العمل يبدأ غدا"], ["افتتاح مشروع في دمشق"],
              ["وزير يفتتح مشروعا"]]
EXPECTED = (("الوزير يفتتح المشروع", "العمل يبدأ غدا"),
            (("افتتاح مشروع في دمشق",), ("وزير يفتتح مشروعا",)))


def _row(**extra) -> dict:
    return {"id": "x1", "article": ARTICLE, "references": REFERENCES, **extra}


def _read_one(path: Path, **options):
    (example,) = load_examples(path, **options).examples
    return example.bullets, example.references


def test_jsonl_lists_of_bullets_or_texts(tmp_path):
    bullets = write_jsonl(tmp_path / "bullets.jsonl", [_row()])
    assert _read_one(bullets) == EXPECTED
    texts = write_jsonl(tmp_path / "texts.jsonl",
                        [_row(references=["\n".join(r) for r in REFERENCES])])
    assert _read_one(texts) == EXPECTED


def test_a_summary_listed_again_among_the_references_is_not_counted_twice(tmp_path):
    """A common layout: ``summary`` is the first annotator's, ``references`` all of them."""
    path = write_jsonl(tmp_path / "both.jsonl", [_row(summary="\n".join(REFERENCES[0]))])
    assert _read_one(path) == EXPECTED
    other = write_jsonl(tmp_path / "other.jsonl", [_row(summary="ملخص آخر")])
    bullets, references = _read_one(other)
    assert bullets == ("ملخص آخر",) and len(references) == 3


def test_csv_reads_a_json_list_column(tmp_path):
    path = tmp_path / "refs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "article", "references"])
        writer.writeheader()
        writer.writerow({"id": "x1", "article": ARTICLE,
                         "references": json.dumps(REFERENCES, ensure_ascii=False)})
    assert _read_one(path) == EXPECTED


def test_parquet_reads_a_nested_list_column(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "refs.parquet"
    pq.write_table(pa.Table.from_pylist([_row()]), path)
    assert _read_one(path) == EXPECTED


def test_save_to_disk_round_trips_the_references(tmp_path):
    from benchmark.data import to_hf_dataset

    examples = load_examples(write_jsonl(tmp_path / "a.jsonl", [_row()])).examples
    to_hf_dataset(examples).save_to_disk(str(tmp_path / "saved"))
    assert load_examples(tmp_path / "saved").examples == examples


def _hub_folder(root: Path, rows: list[dict]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (root / "main").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), root / "main" / "test-00000-of-00001.parquet")
    (root / "README.md").write_text(
        "---\nconfigs:\n- config_name: main\n  data_files:\n  - split: test\n"
        "    path: main/test-*\n---\n", encoding="utf-8")
    return root


def test_hf_and_registry_entries_map_a_references_column(tmp_path, monkeypatch):
    """A hub dataset and a registry file whose annotators' summaries sit in a column of
    another name (``columns: {references: annotators}``)."""
    renamed = {"id": "x1", "body": ARTICLE, "annotators": REFERENCES}
    hub = _hub_folder(tmp_path / "hubcopy", [renamed])
    file = write_jsonl(tmp_path / "renamed.jsonl", [renamed])
    from benchmark.data.download import file_sha256

    config = tmp_path / "config"
    config.mkdir()
    entry = ("  columns: {article: body, references: annotators}\n  licence: x\n"
             "  citation: x\n  variety: MSA\n  style: several references\n  size: 1\n")
    (config / "datasets.yaml").write_text(
        f"annotated-hub:\n  hub: {hub}:main:test\n{entry}"
        f"annotated-file:\n  path: {file}\n  sha256: '{file_sha256(file)}'\n{entry}",
        encoding="utf-8")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    for name in ("annotated-hub", "annotated-file"):
        assert _read_one(name, config_dir=config) == EXPECTED


def test_a_bad_references_field_names_the_line(tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [_row(), _row(id="x2", references="نص")])
    with pytest.raises(InvalidRecordError, match=r"bad.jsonl:2.*'references' must be a list"):
        load_examples(path)
    empty = write_jsonl(tmp_path / "empty.jsonl", [_row(references=[["  "]])])
    with pytest.raises(InvalidRecordError, match="reference 1 is empty"):
        load_examples(empty)


def test_fields_the_loader_does_not_use_are_named_once(tmp_path, bbc_multi):
    rows = [{**row, "source_corpus": "BBC", "title": "t"} for row in bbc_multi[:5]]
    data = write_jsonl(tmp_path / "extra.jsonl", rows)
    assert load_examples(data).unused_fields == ["source_corpus", "title"]
    result = bench("run", "--model", "lead-1", "--dataset", data,
                   "--output-dir", tmp_path / "out")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if "not used" in line]
    assert warnings == [f"warning: {data}: field(s) not used: source_corpus, title (kept in "
                        "each example's meta; not scored, not part of the identity)"]
    stats = bench("data", "stats", data)
    assert stats.output.count("field(s) not used") == 1
    assert "references per item  5: 5" in stats.output


def test_lead3_baseline_is_what_the_run_predicted(tmp_path, bbc_multi):
    """The predictions compared above are lead-3's: the first three sentences."""
    data = write_jsonl(tmp_path / "m.jsonl", bbc_multi[:3])
    bench("run", "--model", "lead-3", "--dataset", data, "--output-dir", tmp_path / "o")
    run = run_folder(tmp_path / "o")
    for row in bbc_multi[:3]:
        assert run.line(row["id"])["prediction"] == "\n".join(
            split_sentences(row["article"])[:3])


def test_bench_score_takes_multiref_too(tmp_path, bbc_multi):
    data = write_jsonl(tmp_path / "m.jsonl", bbc_multi[:8])
    predictions = write_jsonl(tmp_path / "p.jsonl", [
        {"id": row["id"], "prediction": split_sentences(row["article"])[2]}
        for row in bbc_multi[:8]])
    out = tmp_path / "scored"
    result = bench("score", "--predictions", predictions, "--dataset", data,
                   "--output-dir", out, "--multiref", "mean")
    assert result.exit_code == 0, result.output
    run = run_folder(out)
    assert "multiref:mean" in run.record.metrics.signatures["rouge"]
    report = Scorer(["rouge"], multiref="mean").score(
        predictions=[split_sentences(row["article"])[2] for row in bbc_multi[:8]],
        references=[[[r] for r in row["references"]] for row in bbc_multi[:8]])
    assert [run.values("rouge1_f")[row["id"]] for row in bbc_multi[:8]] == [
        item["rouge1_f"] for item in report.items]
