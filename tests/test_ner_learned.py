"""The ``learned`` NER backend with the model shipped in the package: what it finds from
context (golden rows, each saying why), how it merges with the rules, that it loads
lazily, that it resolves through the registry and ``bench run``, that ``bench compare``
refuses to mix its runs with the rules', and that its card's training data excludes
the evaluation sets."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.entities.extract import get_backend
from benchmark.entities.gazetteer import GAZETTEER_VERSION
from benchmark.entities.learned.backend import LearnedBackend, merge, shipped_model
from benchmark.entities.learned.tagger import CARD_FILE, MODEL_FILE
from benchmark.entities.model import Entity
from benchmark.entities.registry import create_backend
from benchmark.entities.rules import RULES_VERSION
from benchmark.errors import ConfigError
from benchmark.metrics.entities import METRIC_VERSION
from benchmark.paths import BUNDLED_GOLD, BUNDLED_TEST

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def learned() -> LearnedBackend:
    return LearnedBackend()


def _names(backend, text: str) -> set[tuple[str, str]]:
    return {(e.type, e.text) for e in backend.extract(text) if e.type in ("PERS", "LOC", "ORG")}


# --- context (the cases of the issue) -----------------------------------------------------

# text, names expected, names not expected, why. The names are not in the rules' lists
# unless the row says so; the rules' result is checked too, to show what context adds.
CONTEXT = [
    ("أكدت مارغريتا فيتسيلو أن الاتفاق لن يتغير", {("PERS", "مارغريتا فيتسيلو")}, set(),
     "أكدت before an unlisted two-word name without a title: a person (the rules find "
     "nothing: no title, no known given name)"),
    ("يعيش اللاجئون في مخيم الزعتري", {("LOC", "مخيم الزعتري")}, set(),
     "في before a camp and its name: a place, head kept like a facility (no rule knows "
     "the head مخيم)"),
    ("أكد لوكاشينكو أن بلاده لن تسمح بذلك", {("PERS", "لوكاشينكو")}, set(),
     "أكد before a single unlisted surname: a person (so do the rules)"),
    ("قال غوارديولا إن الفريق قدم مباراة كبيرة", {("PERS", "غوارديولا")}, set(),
     "قال before a surname: a person"),
    ("أعلنت شركة أوبر عن خسائر جديدة", {("ORG", "أوبر")}, {("ORG", "شركة أوبر")},
     "شركة X: the company is X, the describing head is left out"),
    ("قالت أمازون الأمريكية إنها ستوظف آلاف العمال", {("ORG", "أمازون")},
     {("ORG", "أمازون الأمريكية")},
     "X الأمريكية: the company is X; the nisba after it is no part of its name"),
    ("اعتقلت الشرطة رجلا في مانشستر", {("LOC", "مانشستر")}, set(),
     "في X: a city"),
    ("وقع الانفجار في كابل صباح الأحد", {("LOC", "كابل")}, {("LOC", "ابل")},
     "في X where both read the city: the rules' reading of the word's letters is kept "
     "(the tagger's proclitic lexicon would cut a ك)"),
]


@pytest.mark.parametrize("text,expected,absent,why", CONTEXT, ids=[c[0] for c in CONTEXT])
def test_names_found_from_context(learned, text, expected, absent, why):
    names = _names(learned, text)
    assert expected <= names and not absent & names, why


def test_context_adds_names_the_rules_miss(learned):
    from benchmark.entities.rules import RulesBackend

    for text, expected, _, why in CONTEXT[:2]:
        assert not expected & _names(RulesBackend(), text), why


# --- merging with the rules ----------------------------------------------------------------

def _e(entity_type: str, start: int, end: int) -> Entity:
    return Entity(entity_type, "x" * (end - start), start, end, "x")


@pytest.mark.parametrize("tagged,ruled,expected,why", [
    ([(_e("PERS", 0, 5), 0.6)], [], [("PERS", 0, 5)],
     "a new name at or above NEW_MIN (0.5) is added"),
    ([(_e("PERS", 0, 5), 0.4)], [], [],
     "a new name below NEW_MIN is not"),
    ([(_e("LOC", 0, 9), 0.9)], [_e("LOC", 4, 9)], [("LOC", 0, 9)],
     "a sure name (>= CONFLICT_MIN, 0.8) replaces the rules' span it overlaps"),
    ([(_e("LOC", 0, 9), 0.7)], [_e("LOC", 4, 9)], [("LOC", 4, 9)],
     "an unsure one leaves the rules' reading"),
    ([(_e("ORG", 0, 9), 0.99)], [_e("DATE", 4, 9)], [("DATE", 4, 9)],
     "a name never replaces a number or a date"),
    ([(_e("MISC", 0, 3), 0.99)], [], [],
     "the tagger's MISC is not kept (nisba adjectives come from the rules)"),
    ([(_e("PERS", 10, 15), 0.99)], [_e("ORG", 0, 4), _e("NUM", 20, 22)],
     [("ORG", 0, 4), ("PERS", 10, 15), ("NUM", 20, 22)],
     "entities that overlap nothing are all kept, in order"),
    ([(_e("ORG", 2, 12), 0.95)], [_e("PERS", 0, 4), _e("LOC", 6, 8), _e("ORG", 11, 14)],
     [("ORG", 2, 12)], "one sure name replaces every rules name it overlaps"),
])
def test_merge_by_hand(tagged, ruled, expected, why):
    merged = merge(tagged=tagged, ruled=ruled)
    assert [(e.type, e.start, e.end) for e in merged] == expected, why


# --- loading and the registry --------------------------------------------------------------

def test_the_model_loads_lazily():
    # the weights load on the first text, not for the signature; tagging never imports
    # python-crfsuite (only training needs it)
    code = ("import sys, benchmark, benchmark.entities, benchmark.metrics.entities\n"
            "from benchmark.entities.extract import get_backend\n"
            "backend = get_backend('learned'); signature = backend.signature().format()\n"
            "print(backend._tagger is None, signature)\n"
            "backend.extract('قال ماكرون')\n"
            "print(backend._tagger is None, 'pycrfsuite' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[0] == "True" and out[1].startswith("ner:learned(")
    assert out[2:] == ["False", "False"]
    helped = subprocess.run([sys.executable, "-c", "import sys\n"
                             "from benchmark.cli.app import main\n"
                             "sys.argv = ['bench', '--help']\n"
                             "try:\n    main()\nexcept SystemExit:\n    pass\n"
                             "print('pycrfsuite' in sys.modules)"],
                            capture_output=True, text=True, check=True).stdout
    assert helped.rstrip().endswith("False")


def test_the_registry_resolves_learned_and_a_folder(tmp_path):
    backend = get_backend("learned")
    assert isinstance(backend, LearnedBackend) and backend.folder == shipped_model()
    card = json.loads((shipped_model() / CARD_FILE).read_text(encoding="utf-8"))
    assert backend.signature().format() == (f"ner:learned({card['model_sha256'][:12]})"
                                   f"+{RULES_VERSION}|gaz:{GAZETTEER_VERSION}")
    assert create_backend(f"learned:{shipped_model()}").folder == shipped_model()
    with pytest.raises(ConfigError, match="is not a trained NER model folder"):
        create_backend(f"learned:{tmp_path}").signature()
    listing = runner.invoke(app, ["list", "ner"])
    assert "learned" in listing.output and "learned:<model folder>" in listing.output


def test_cli_extract_with_a_folder_that_is_no_model(tmp_path):
    result = runner.invoke(app, ["ner", "extract", "--backend", f"learned:{tmp_path}",
                                 "قال ماكرون"])
    assert result.exit_code == 2
    assert f"{tmp_path} is not a trained NER model folder" in result.output
    assert "bench ner train" in result.output


def test_shipped_card_matches_its_weights():
    card = json.loads((shipped_model() / CARD_FILE).read_text(encoding="utf-8"))
    weights = (shipped_model() / MODEL_FILE).read_bytes()
    assert card["model_sha256"] == hashlib.sha256(weights).hexdigest()
    # every file of the folder ships in the wheel and in the repository: under 2 MiB each
    assert all(p.stat().st_size < 2 * 1024 * 1024 for p in shipped_model().iterdir())


# --- leakage: the shipped model never saw the evaluation records ----------------------------

def test_shipped_model_was_trained_without_the_evaluation_records(shared_dir):
    card = json.loads((shipped_model() / CARD_FILE).read_text(encoding="utf-8"))
    data = card["training_data"]
    # The annotation files it excluded are the ones shipped now ...
    assert data["evaluation_sets_sha256"] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (BUNDLED_GOLD, BUNDLED_TEST)]
    # ... its inputs are the corpora as they are ...
    corpora = shared_dir / "corpora"
    for entry in data["corpora"]:
        path = corpora / entry["name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    # ... and every record of those sets in them was dropped: count them here, by id or
    # by a text of the sealed set (a copy of an annotated text under another id counts).
    held, hashes = set(), set()
    for path in (BUNDLED_GOLD, BUNDLED_TEST):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            held.add(row["id"])
            hashes.add(row.get("sha256"))

    def annotated(record: dict) -> bool:
        texts = [record["summary"], *record["article"].split("\n")]
        return record["id"] in held or any(
            hashlib.sha256(t.encode("utf-8")).hexdigest() in hashes for t in texts)

    in_corpora = 0
    for entry in data["corpora"]:
        records = [json.loads(line) for line in
                   (corpora / entry["name"]).read_text(encoding="utf-8").splitlines() if line]
        dropped = sum(map(annotated, records))
        assert entry["dropped"] == dropped and entry["used"] == len(records) - dropped
        in_corpora += dropped
    assert data["evaluation_records_dropped"] == in_corpora >= 238


# --- through bench run and compare -----------------------------------------------------------

def _corpus(path: Path) -> Path:
    rows = [{"id": f"a{i}", "article": f"قال ماكرون في باريس إن المشروع {i} سيبدأ. وأضاف أن "
                                       f"العمل يبدأ غدا.",
             "summary": f"ماكرون يعلن المشروع {i} في باريس"} for i in range(3)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_bench_run_with_learned_and_compare_refuses_to_mix_backends(tmp_path):
    corpus = _corpus(tmp_path / "news.jsonl")
    out = tmp_path / "r"
    for name, ner in (("with-rules", "rules"), ("with-learned", "learned")):
        result = runner.invoke(app, ["run", "--model", "lead-1", "--dataset", str(corpus),
                                     "--metrics", "rouge,entities", "--ner", ner,
                                     "--name", name, "--output-dir", str(out)])
        assert result.exit_code == 0, result.output
    signatures = {}
    for folder in out.iterdir():
        if (folder / "run.json").exists():
            record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
            signatures[record["label"]] = record["metrics"]["signatures"]["entities"]
    assert signatures["with-learned"].startswith(f"entities:{METRIC_VERSION}|ner:learned(")
    assert signatures["with-rules"].startswith(
        f"entities:{METRIC_VERSION}|ner:{RULES_VERSION}|")
    refused = runner.invoke(app, ["compare", *sorted(str(p) for p in out.iterdir()
                                                     if (p / "run.json").exists())])
    assert refused.exit_code == 2 and "entities signature of" in refused.output
    assert "ner:" in refused.output


def test_backend_travels_to_worker_processes_without_its_tagger(learned):
    import pickle

    text = "أكدت مارغريتا فيتسيلو في باريس"
    before = learned.extract(text)  # loads the tagger
    copy = pickle.loads(pickle.dumps(learned))
    assert copy._tagger is None and copy.folder == learned.folder
    assert copy.extract(text) == before
