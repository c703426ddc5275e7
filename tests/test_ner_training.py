"""``bench ner train`` on a small corpus the test writes: seeded and deterministic (same
model bytes twice), evaluation records dropped whole and counted in the card, and the
trained folder usable as ``--ner learned:DIR``."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.ner import app
from benchmark.entities.learned.silver import (HeldOut, default_clitics, label_text,
                                               read_corpora, read_wojood_sentences)
from benchmark.entities.learned.tagger import CARD_FILE, MODEL_FILE
from benchmark.entities.model import Entity
from benchmark.errors import DataError
from benchmark.paths import BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL

runner = CliRunner()
PEOPLE = ["جون سميث", "ماريا لوبيز", "كارل يوهانسون", "أحمد الخطيب", "بيتر مولر"]
PLACES = ["دمشق", "باريس", "موسكو", "القاهرة", "بغداد"]
ORGS = ["الأمم المتحدة", "حلف الناتو", "البنك الدولي"]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dev_id() -> str:
    rows = [json.loads(line) for line in BUNDLED_GOLD.read_text(encoding="utf-8").splitlines()]
    return next(r["id"] for r in rows if r["corpus"] != "seed")


def write_corpus(folder: Path, records: int = 40) -> list[dict]:
    """Records whose texts name people after titles, listed places and organizations."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(records):
        person, place = PEOPLE[i % len(PEOPLE)], PLACES[(i * 3) % len(PLACES)]
        org = ORGS[i % len(ORGS)]
        article = (f"قال الرئيس {person} إن {place} ستستضيف اجتماعا لـ{org} الأسبوع المقبل.\n"
                   f"وأكد وزير الخارجية {PEOPLE[(i + 2) % len(PEOPLE)]} في {place} أن "
                   f"{org} تدعم الاتفاق رقم {i}.")
        rows.append({"id": f"r{i}", "article": article,
                     "summary": f"الرئيس {person} يزور {place} غدا"})
    rows.append({"id": _dev_id(), "article": "نص من مجموعة التطوير", "summary": "ملخص"})
    (folder / "mini.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return rows


SMALL = ["--sentences", "200", "--iterations", "15", "--seed", "5"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Two trainings of the same corpus and seed, and one of another seed."""
    work = tmp_path_factory.mktemp("train")
    write_corpus(work / "corpora")
    outputs = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        args = ["train", "--corpora", str(work / "corpora"), "-o", str(work / name), *SMALL]
        args[args.index("--seed") + 1] = seed
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs[name] = work / name
        outputs[name + ".log"] = result.output
    return work, outputs


def test_training_reports_progress_and_what_it_did(trained):
    _, out = trained
    log = out["a.log"].splitlines()
    # Without a terminal, each stage ends with a plain line (a bar on a terminal).
    assert "labelling: 40/40" in log and "training: 15/15" in log
    assert any(line.startswith("features: ") for line in log)
    # 40 records, one (3% rounded) held out for the agreement figure: 39 records of 3
    # sentences each (summary, two paragraphs), all of them under the 200 asked for.
    assert log[-2] == ("trained on 117 silver sentences of 39 records and 0 Wojood "
                       "sentences; 1 evaluation records dropped")


def test_training_is_deterministic(trained):
    _, out = trained
    assert (out["a"] / MODEL_FILE).read_bytes() == (out["b"] / MODEL_FILE).read_bytes()
    assert (out["a"] / CARD_FILE).read_bytes() == (out["b"] / CARD_FILE).read_bytes()
    card_a = json.loads((out["a"] / CARD_FILE).read_text(encoding="utf-8"))
    card_c = json.loads((out["c"] / CARD_FILE).read_text(encoding="utf-8"))
    assert card_a["recipe"]["seed"] == 5 and card_c["recipe"]["seed"] == 6
    # The data's identity does not depend on the seed; the draws do.
    assert card_a["training_data"]["identity"] == card_c["training_data"]["identity"]


def test_card_says_what_was_learned_from(trained):
    work, out = trained
    card = json.loads((out["a"] / CARD_FILE).read_text(encoding="utf-8"))
    data = card["training_data"]
    corpus = (work / "corpora" / "mini.jsonl").read_bytes()
    assert data["corpora"] == [{"name": "mini.jsonl",
                                "sha256": hashlib.sha256(corpus).hexdigest(),
                                "records": 41, "used": 40, "dropped": 1}]
    # The record with the development set's id is dropped, and counted.
    assert data["evaluation_records_dropped"] == 1
    # (the development, sealed and validation sets: none is trained on)
    assert data["evaluation_sets_sha256"] == [
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL)]
    assert card["model_sha256"] == hashlib.sha256(
        (out["a"] / MODEL_FILE).read_bytes()).hexdigest()
    assert data["records_used"] + data["records_held_out_for_agreement"] == 40
    assert "MIT" in card["licence"] and "CC BY 4.0" in card["licence"]
    assert 0 < card["figures"]["silver_holdout_agreement_f1"] <= 1


def test_trained_folder_is_a_backend(trained):
    _, out = trained
    result = runner.invoke(app, ["extract", "--backend", f"learned:{out['a']}",
                                 "--format", "json", "قال الرئيس جون سميث إن دمشق آمنة"])
    assert result.exit_code == 0, result.output
    found = {(e["type"], e["text"]) for e in json.loads(result.output)}
    assert {("PERS", "جون سميث"), ("LOC", "دمشق")} <= found


def test_records_of_an_excluded_text_are_dropped_whole(tmp_path):
    rows = write_corpus(tmp_path / "corpora", records=3)
    exclude = tmp_path / "sealed.jsonl"
    # A sealed-set row names a text by its hash: the record holding it goes, whatever
    # its id or file name.
    exclude.write_text(json.dumps({"id": "elsewhere", "sha256": _sha(rows[1]["summary"])})
                       + "\n", encoding="utf-8")
    corpora = read_corpora(tmp_path / "corpora", held_out=HeldOut.from_files(exclude))
    assert [r["id"] for r in corpora.records] == ["r0", "r2", _dev_id()]
    assert corpora.dropped == 1
    paragraph = rows[2]["article"].split("\n")[1]
    exclude.write_text(json.dumps({"id": "x", "sha256": _sha(paragraph)}) + "\n",
                       encoding="utf-8")
    corpora = read_corpora(tmp_path / "corpora", held_out=HeldOut.from_files(exclude))
    assert [r["id"] for r in corpora.records] == ["r0", "r1", _dev_id()]


def test_train_refuses_a_missing_corpus_folder(tmp_path):
    result = runner.invoke(app, ["train", "--corpora", str(tmp_path / "none"), "-o",
                                 str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "--corpora" in result.output and "not a folder" in result.output
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no \\*.jsonl corpus files"):
        read_corpora(tmp_path / "empty", held_out=HeldOut(frozenset(), frozenset(), ()))


# --- silver labels ----------------------------------------------------------------------

def test_label_text_by_hand():
    text = "زار بوتين بالسعودية. ثم الأمم المتحدة"
    entities = [Entity("PERS", "بوتين", 4, 9, "بوتين"),
                Entity("LOC", "السعودية", 11, 19, "السعوديه"),  # after the ب of بالسعودية
                Entity("ORG", "الأمم المتحدة", 24, 37, "الامم المتحده"),
                Entity("NUM", "3", 0, 0, "3")]  # not a name: no tag
    from collections import Counter

    clitics = Counter()
    first, second = label_text(text, entities, clitics)
    assert [t.text for t in first.tokens] == ["زار", "بوتين", "بالسعودية"]
    assert first.labels == ("O", "B-PERS", "B-LOC")
    assert second.labels == ("O", "B-ORG", "I-ORG")  # a new sentence after the full stop
    assert clitics == Counter({("بوتين", 0): 1, ("بالسعوديه", 1): 1, ("الامم", 0): 1})


@pytest.mark.parametrize("norm,letters", [
    ("بالسعوديه", 1),  # ب before the article
    ("وبالسعوديه", 2),  # و ب before the article
    ("للامم", 1),  # the ل of لل (the article's alef dropped)
    ("وللامم", 2),
    ("السعوديه", 0),  # the article itself stays
    ("وليد", 0),  # a word that starts with و: nothing to cut without a lexicon entry
    ("بال", 0),  # too short to be a clitic and an article
])
def test_default_clitics(norm, letters):
    assert default_clitics(norm) == letters


def test_wojood_sentences_take_the_outermost_name(tmp_path):
    sample = tmp_path / "w.txt"
    # OCC is no name here: the ORG and GPE inside it are; NORP is MISC; a token of two
    # letter runs (a hyphen) gives its second run I-.
    sample.write_text("سكرتير B-OCC\nاللجنة I-OCC B-ORG\nالقومية I-OCC I-ORG\n"
                      "في I-OCC\nنابلس I-OCC B-GPE\nالفلسطيني B-NORP\n2018 B-DATE\n"
                      "دير-ياسين B-GPE\n\nقال O\n", encoding="utf-8")
    first, second = read_wojood_sentences(sample)
    assert [t.text for t in first.tokens] == ["سكرتير", "اللجنة", "القومية", "في", "نابلس",
                                              "الفلسطيني", "دير", "ياسين"]
    assert first.labels == ("O", "B-ORG", "I-ORG", "O", "B-LOC", "B-MISC", "B-LOC",
                            "I-LOC")
    assert second.labels == ("O",)
