"""``--sentence-split ar|newline`` (``Scorer(sentence_split=...)``): where ROUGE-Lsum's
sentences end. ``ar`` (the default) is split ar.v2; ``newline`` is rouge-score's
convention for text that is already split, one sentence per line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark import Scorer
from benchmark.cli.app import app
from benchmark.errors import ConfigError
from benchmark.metrics.rouge import RougeMetric, RougeOptions
from benchmark.text import get_profile

runner = CliRunner()

# (why, reference, prediction, split, expected Lsum F)
GOLDEN = [
    ("ar: two sentences on one line are two sentences; each finds its match in the other "
     "order, so the union covers all 4 tokens", "ذهب الولد. عاد البنت.", "عاد البنت. ذهب الولد.",
     "ar", 1.0),
    ("newline: one line is one sentence, and the LCS of the swapped halves is 2 of 4",
     "ذهب الولد. عاد البنت.", "عاد البنت. ذهب الولد.", "newline", 0.5),
    ("newline: the same text on two lines is two sentences again",
     "ذهب الولد.\nعاد البنت.", "عاد البنت.\nذهب الولد.", "newline", 1.0),
    ("newline: a line is never split at its punctuation, but ar splits it: ROUGE-L is 2/4 "
     "either way, Lsum differs", "ذهب الولد. عاد البنت.", "عاد البنت. ذهب الولد.", "ar", 1.0),
]


@pytest.mark.parametrize("why, reference, prediction, split, expected", GOLDEN,
                         ids=[f"{row[3]}-{i}" for i, row in enumerate(GOLDEN)])
def test_lsum_golden(why, reference, prediction, split, expected):
    values = Scorer(["rouge"], sentence_split=split).score_item(prediction=prediction,
                                                              reference=reference)
    assert values["rougeLsum_f"] == pytest.approx(expected), why
    assert values["rougeL_f"] == pytest.approx(0.5)  # ROUGE-L ignores sentences


def test_default_keeps_the_signature_and_the_split():
    default, explicit = Scorer(["rouge"]), Scorer(["rouge"], sentence_split="ar")
    assert default.signature == explicit.signature
    assert "|split:ar.v2|" in default.signature
    assert "|split:newline|" in Scorer(["rouge"], sentence_split="newline").signature


def test_the_split_keys_the_stored_analysis():
    """Prepared references are stored under the analysis signature: two splits, two keys."""
    profile = get_profile("ar")
    signatures = {RougeMetric(profile, RougeOptions(sentence_split=split)).analysis_signature()
                  for split in ("ar", "newline")}
    assert len(signatures) == 2


def test_bad_values_are_one_line_errors():
    with pytest.raises(ConfigError, match="sentence_split"):
        Scorer(["rouge"], sentence_split="comma")
    with pytest.raises(ConfigError, match="apply to none of the metrics"):
        Scorer(["chrf"], sentence_split="newline")


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two items whose summary is two sentences on one line."""
    rows = [{"id": f"a{i}", "article": f"عاد البنت {i}. ذهب الولد. وقال إنه سعيد.",
             "summary": f"ذهب الولد. عاد البنت {i}."} for i in range(2)]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def run(tmp_path, *args) -> tuple[dict, list[dict]]:
    out = tmp_path / "results"
    result = runner.invoke(app, [str(a) for a in (*args, "--output-dir", out)])
    assert result.exit_code == 0, result.output
    (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    items = [json.loads(line) for line in (run_dir / "items.jsonl").read_text().splitlines()]
    return json.loads((run_dir / "run.json").read_text()), items


@pytest.mark.parametrize("split", ["ar", "newline"])
def test_bench_run_and_score_take_the_split(tmp_path, corpus, split):
    record, items = run(tmp_path / "run", "run", "--model", "lead-3", "--dataset", corpus,
                        "--sentence-split", split)
    predictions = tmp_path / "mine.jsonl"
    predictions.write_text("".join(json.dumps({"id": item["id"], "prediction": item["prediction"]},
                                              ensure_ascii=False) + "\n" for item in items),
                           encoding="utf-8")
    scored, rescored = run(tmp_path / "score", "score", "--predictions", predictions,
                           "--dataset", corpus, "--sentence-split", split)
    expected = Scorer(["rouge"], sentence_split=split)
    label = "ar.v2" if split == "ar" else "newline"
    for run_record, run_items in ((record, items), (scored, rescored)):
        assert f"|split:{label}|" in run_record["metrics"]["signatures"]["rouge"]
        for item, row in zip(run_items, corpus.read_text(encoding="utf-8").splitlines()):
            want = expected.score_item(prediction=item["prediction"],
                                       reference=json.loads(row)["summary"])
            assert item["rougeLsum_f"] == want["rougeLsum_f"]


def test_bench_run_rejects_a_bad_split_in_one_line(tmp_path, corpus):
    result = runner.invoke(app, ["run", "--model", "lead-1", "--dataset", str(corpus),
                                 "--output-dir", str(tmp_path / "out"), "--sentence-split", "x"])
    assert result.exit_code != 0
    assert "sentence_split" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


FIRST_SENTENCES = [  # (text, count, expected): first_sentences is split_sentences[:count]
    ("أ. ب. ج.", 2, ["أ. ب. ج."]),  # a dot after a one-letter word ends nothing
    ("قال إنه جاء. ثم ذهب.\nسطر ثان.", 2, ["قال إنه جاء.", "ثم ذهب."]),  # within line 1
    ("قال إنه جاء. ثم ذهب.\nسطر ثان.", 3, ["قال إنه جاء.", "ثم ذهب.", "سطر ثان."]),
    ("\n\n  \nأول.\n• ثان", 5, ["أول.", "• ثان"]),  # blank lines skipped; a bullet its own
    ("نص بلا نهاية", 3, ["نص بلا نهاية"]),  # fewer sentences than asked: all of them
]


@pytest.mark.parametrize("text, count, expected", FIRST_SENTENCES)
def test_first_sentences_golden(text, count, expected):
    from benchmark.text.sentences import first_sentences, split_sentences

    assert first_sentences(text, count) == expected == split_sentences(text)[:count]


def test_first_sentences_is_the_head_of_split_sentences_on_every_corpus(shared_dir):
    """lead-k reads only the first lines of an article; on every article of the corpora
    it must give what splitting the whole article gives."""
    from benchmark.text.sentences import first_sentences, split_sentences

    checked = 0
    for corpus in sorted((shared_dir / "corpora").glob("*.jsonl")):
        with corpus.open(encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line).get("article") or ""
                whole = split_sentences(article)
                for count in (1, 3, 5):
                    assert first_sentences(article, count) == whole[:count], corpus.name
                checked += 1
    assert checked > 8000
