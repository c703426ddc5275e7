"""The sealed entity test set (tests/gold/entities_test.jsonl): its loader's checks, the
overlap matching rule on a hand-computed table, and the set's size and quotas.

Only sizes and counts of the set are asserted here, never the extractor's errors on it:
it is read for reporting only (tests/gold/GUIDELINES.md)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.ner import app
from benchmark.entities.evaluate import (EXACT, OVERLAP, AnnotatedText, evaluate,
                                         evaluate_rules, load_test_set, locate, score_table)
from benchmark.entities.model import Entity
from benchmark.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
TEST_SET = ROOT / "tests" / "gold" / "entities_test.jsonl"
DEV_SET = ROOT / "tests" / "gold" / "entities_gold.jsonl"
CORPORA = ("ant_bbc", "ant_cnn", "ant_france24_leadsplit", "marsum_test")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- loader -----------------------------------------------------------------------------

SUMMARY = "قال ترامب إن الأمم المتحدة فشلت"
ARTICLE = "سطر أول\nزار بوتين للمملكة العربية السعودية"


@pytest.fixture
def mini(tmp_path):
    corpora = tmp_path / "corpora"
    corpora.mkdir()
    record = {"id": "r1", "article": ARTICLE, "summary": SUMMARY}
    (corpora / "mini.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    paragraph = ARTICLE.split("\n")[1]
    start = paragraph.index("لمملكة")  # after لل the span starts at the second ل
    rows = [
        {"corpus": "mini", "id": "r1", "field": "summary", "paragraph": None,
         "sha256": _sha(SUMMARY),
         "entities": [{"start": 4, "end": 9, "type": "PERS", "text": "ترامب"},
                      {"start": 13, "end": 26, "type": "ORG", "text": "الأمم المتحدة"}]},
        {"corpus": "mini", "id": "r1", "field": "article", "paragraph": 1,
         "sha256": _sha(paragraph),
         "entities": [{"start": 4, "end": 9, "type": "PERS", "text": "بوتين"},
                      {"start": start, "end": len(paragraph), "type": "LOC",
                       "text": paragraph[start:], "form": "المملكة العربية السعودية"}]},
    ]
    return corpora, tmp_path / "test.jsonl", rows


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def test_loader_reads_texts_and_forms(mini):
    corpora, path, rows = mini
    _write(path, rows)
    summary, paragraph = load_test_set(path, corpora_dir=corpora)
    assert summary.text == SUMMARY and paragraph.text == "زار بوتين للمملكة العربية السعودية"
    assert summary.entities == (("PERS", "ترامب"), ("ORG", "الأمم المتحدة"))
    assert summary.spans == (("PERS", 4, 9), ("ORG", 13, 26))
    # The exact-key rule compares the guideline form (article restored after لل).
    assert paragraph.entities[1] == ("LOC", "المملكة العربية السعودية")


def test_loader_rejects_a_changed_text_naming_the_line(mini):
    corpora, path, rows = mini
    rows[1]["sha256"] = _sha("another text")
    _write(path, rows)
    with pytest.raises(DataError, match=rf"{path}:2: .*no longer matches its sha256"):
        load_test_set(path, corpora_dir=corpora)


def test_loader_rejects_a_wrong_offset_naming_the_line(mini):
    corpora, path, rows = mini
    rows[0]["entities"][0]["start"] = 3  # " ترامب" is not "ترامب"
    _write(path, rows)
    with pytest.raises(DataError, match=rf"{path}:1: entity 'ترامب' is not the text at 3-9"):
        load_test_set(path, corpora_dir=corpora)


def test_loader_rejects_a_missing_record_and_paragraph(mini):
    corpora, path, rows = mini
    rows[1]["paragraph"] = 5
    _write(path, rows)
    with pytest.raises(DataError, match=rf"{path}:2: 'r1' has no paragraph 5"):
        load_test_set(path, corpora_dir=corpora)
    rows[1]["paragraph"], rows[0]["id"] = 1, "r9"
    _write(path, rows)
    with pytest.raises(DataError, match=rf"{path}:1: test id 'r9'"):
        load_test_set(path, corpora_dir=corpora)


# --- matching rules ---------------------------------------------------------------------

class Fixed:
    """A backend returning, per text, the (type, surface) it is told, at the surface's
    first occurrence."""

    def __init__(self, found: dict[str, list[tuple[str, str]]]):
        self.found = found

    def extract(self, text, known=None):
        out = []
        for entity_type, surface in self.found[text]:
            start = text.index(surface)
            out.append(Entity(entity_type, surface, start, start + len(surface), surface))
        return out


def _item(text: str, gold: list[tuple[str, str]]) -> AnnotatedText:
    spans = []
    for entity_type, surface in gold:
        start = text.index(surface)
        spans.append((entity_type, start, start + len(surface)))
    return AnnotatedText("x", "x", "summary", text, tuple(gold), tuple(spans))


def test_overlap_rule_by_hand():
    one = "قال دونالد ترامب إن الأمم المتحدة في نيويورك منذ 3 أيام"
    two = "التقى كيم جونغ أون"
    texts = [_item(one, [("PERS", "دونالد ترامب"), ("ORG", "الأمم المتحدة"),
                         ("LOC", "نيويورك"), ("NUM", "3")]),
             _item(two, [("PERS", "كيم"), ("PERS", "جونغ أون")])]
    backend = Fixed({one: [("PERS", "ترامب"),          # inside the gold PERS
                           ("ORG", "الأمم"),            # cut short
                           ("LOC", "الأمم المتحدة"),    # right span, wrong type
                           ("NUM", "3")],               # exact
                     two: [("PERS", "كيم جونغ أون")]})  # covers two gold PERS
    counts = evaluate_rules(texts, backend)
    exact, overlap = score_table(counts[EXACT]), score_table(counts[OVERLAP])
    # rule     type  gold pred correct found   why
    table = [
        (exact, "PERS", 3, 2, 0, 0),    # no key equal
        (overlap, "PERS", 3, 2, 2, 3),  # ترامب overlaps دونالد ترامب; كيم جونغ أون both
        (exact, "ORG", 1, 1, 0, 0),     # الأمم != الأمم المتحدة
        (overlap, "ORG", 1, 1, 1, 1),   # shares characters, same type
        (exact, "LOC", 1, 1, 0, 0),
        (overlap, "LOC", 1, 1, 0, 0),   # overlaps the ORG only: type differs; نيويورك missed
        (exact, "NUM", 1, 1, 1, 1),     # equal keys count under both rules
        (overlap, "NUM", 1, 1, 1, 1),
    ]
    for rows, entity_type, gold, predicted, correct, found in table:
        row = rows[entity_type]
        assert (row["gold"], row["predicted"], row["correct"], row["found"]) == (
            gold, predicted, correct, found), entity_type
    group = overlap["PERS+LOC+ORG"]
    assert (group["precision"], group["recall"]) == (3 / 4, 4 / 5)
    assert exact["PERS+LOC+ORG"]["f1"] == 0.0
    assert evaluate(texts, backend, rule=OVERLAP).correct == counts[OVERLAP].correct


def test_development_gold_strings_are_located_as_mentions():
    # The development set stores strings only; overlap finds them in the text.
    assert locate("قرار للأمم المتحدة", "الأمم المتحدة") == [(6, 18)]
    assert locate("زار بسوريا وسورية", "سورية") == [(12, 17)]
    assert locate("زار بسوريا وسورية", "سوريا") == [(5, 10)]  # ة folds to ه, not ا
    assert locate("مصرف مصر", "مصر") == [(5, 8)]  # not inside مصرف
    text = "فاز مانشستر سيتي ثم سيتي"
    backend = Fixed({text: [("ORG", "مانشستر سيتي")]})
    item = AnnotatedText("x", "x", "summary", text,
                         (("ORG", "مانشستر سيتي"), ("ORG", "سيتي")))
    # The سيتي inside مانشستر سيتي is not a mention of the short form: it stays missed.
    assert evaluate([item], backend, rule=OVERLAP).found["ORG"] == 1


# --- the sealed set itself --------------------------------------------------------------

def test_test_set_stores_no_texts():
    rows = [json.loads(line) for line in TEST_SET.read_text(encoding="utf-8").splitlines()]
    assert {tuple(sorted(r)) for r in rows} == {
        ("corpus", "entities", "field", "id", "paragraph", "sha256")}
    keys = {tuple(sorted(e)) for r in rows for e in r["entities"]}
    assert keys <= {("end", "start", "text", "type"), ("end", "form", "start", "text", "type")}


def test_test_set_meets_its_size_and_quotas(shared_dir):
    texts = load_test_set(TEST_SET, corpora_dir=shared_dir / "corpora")
    summaries = [t for t in texts if t.field == "summary"]
    paragraphs = [t for t in texts if t.field == "article"]
    assert len(summaries) >= 120 and len(paragraphs) >= 30
    assert {t.corpus for t in summaries} == {t.corpus for t in paragraphs} == set(CORPORA)
    mentions = Counter(entity_type for t in texts for entity_type, _, _ in t.spans)
    assert mentions["PERCENT"] >= 15 and mentions["MONEY"] >= 15
    dev_ids = {json.loads(line)["id"] for line in DEV_SET.read_text(encoding="utf-8").splitlines()}
    assert not dev_ids & {t.id for t in texts}


def test_test_set_is_what_the_sampling_script_draws(shared_dir):
    spec = importlib.util.spec_from_file_location(
        "sample_test_set", ROOT / "tests" / "gold" / "sample_test_set.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    drawn = [(d["corpus"], d["id"], d["field"], d["paragraph"])
             for d in module.draw(shared_dir / "corpora")]
    rows = [json.loads(line) for line in TEST_SET.read_text(encoding="utf-8").splitlines()]
    assert [(r["corpus"], r["id"], r["field"], r["paragraph"]) for r in rows] == drawn


# --- CLI --------------------------------------------------------------------------------

runner = CliRunner()


@pytest.mark.parametrize("name", ["test", "sealed"])
def test_cli_eval_test_set_shows_both_rules(shared_dir, name):
    result = runner.invoke(app, ["eval", "--gold", name, "--corpora",
                                 str(shared_dir / "corpora"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gold"] == "gold:test" and data["texts"] >= 150
    for rule in ("scores", "scores_overlap"):
        assert set(data[rule]) >= {"PERS", "MONEY", "PERS+LOC+ORG", "DATE+NUM+PERCENT+MONEY"}
    assert data["scores"]["ALL"]["gold"] == data["scores_overlap"]["ALL"]["gold"]


def test_cli_eval_test_set_skips_without_corpora(tmp_path):
    result = runner.invoke(app, ["eval", "--gold", "test", "--corpora",
                                 str(tmp_path / "absent")])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        f"skipped: the sealed test set reads its texts from {tmp_path / 'absent'}, which "
        "is absent (--corpora DIR)"]


def test_cli_eval_table_has_both_rules(shared_dir):
    result = runner.invoke(app, ["eval", "--gold", "summaries", "--corpora",
                                 str(shared_dir / "corpora")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # One table (benchmark/report/tables.py): overlap columns marked ~, explained in a note.
    assert lines[1].split() == ["type", "P", "R", "F1", "P~", "R~", "F1~", "gold", "pred"]
    assert any("exact key" in line and "~" in line and "overlap, same type" in line
               for line in lines[3:])
