"""No output carries a raw control or bidi character, whatever the data and the models say.

Defect: bidi overrides (U+202E, U+2066) passed through raw in the terminal, Markdown and
JSON outputs, and ``report.html`` carried a raw ESC and BEL. Here a dataset whose ids,
articles and summaries hold U+202E, U+2066, ESC and BEL (beside Arabic with ZWNJ and RLM,
which must stay as they are) is run by a real OpenAI-compatible server whose answers
hold them too, and by saved predictions under a hostile name. Then every output of
every command is read as bytes: the terminal output of ``bench run``, ``bench score``,
``bench data``, ``bench compare`` in all five formats and its plot, ``bench report``,
``bench diff`` in all three formats, ``bench meta`` in all four, an error that quotes
a malformed line, and every file the runs wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.textshow import UNSAFE
from fake_openai import FakeOpenAIServer

runner = CliRunner()
HOSTILE = "\u202e\u2066\x1b[31m\x07"  # an override, an isolate, an ESC sequence, a bell
RAW = ("\u202e", "\u2066", "\x1b", "\x07")
ZWNJ, RLM = "\u200c", "\u200f"  # Arabic needs them; they must reach outputs unchanged
NAME = f"evil{HOSTILE}name"
SENTENCES = ["افتتح وزير النقل الطريق الجديد في دمشق صباح الأحد",
             "وقال الوزير إن الكلفة بلغت خمسة ملايين دولار",
             "ويربط الطريق العاصمة بمدينة حمص في الشمال",
             "وأعلنت الحكومة خطة لبناء جسر فوق نهر بردى"]


def hostile_reply(user_message: str) -> str:
    return f"{SENTENCES[0]} {HOSTILE} می{ZWNJ}خواهد {RLM}2024"


def write_dataset(path: Path, n: int = 6) -> Path:
    lines = []
    for i in range(n):
        first, second = SENTENCES[i % 4], SENTENCES[(i + 1) % 4]
        lines.append({"id": f"n{i}{HOSTILE}",
                      "article": f"{first} {HOSTILE}. {second} می{ZWNJ}خواهد {RLM}2024.",
                      "summary": f"{first}{HOSTILE}\n{second}"})
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def bench(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def raw_in(text: str) -> list[str]:
    """The unsafe characters of `text` but newline and tab (layout), by name."""
    return sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text) if c not in "\n\t"})


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """{what: text} for every output of every command over the hostile data (the
    terminal's stdout and stderr together), and the JSON printed as ``json <what>``."""
    root = tmp_path_factory.mktemp("hostile")
    data = write_dataset(root / "hostile.jsonl")
    results = root / "results"
    shown: dict[str, str] = {}

    def record(what: str, *args: object, code: int = 0) -> str:
        result = bench(*args)
        assert result.exit_code == code, (what, result.output)
        shown[what] = result.output
        if "json" in what:
            shown[f"stdout {what}"] = result.stdout
        return result.stdout

    with FakeOpenAIServer(reply=hostile_reply) as server:
        record("run openai", "run", "--model", "openai:fake-model", "--base-url", server.url,
               "--api-key-env", "none", "--dataset", data, "--output-dir", results)
    record("run lead-3", "run", "--model", "lead-3", "--dataset", data, "--output-dir",
           results, "--name", NAME)
    predictions = root / "p.jsonl"
    ids = [json.loads(line)["id"] for line in data.read_text(encoding="utf-8").splitlines()]
    predictions.write_text("".join(json.dumps({"id": i, "prediction": f"{HOSTILE} {i}"},
                                              ensure_ascii=False) + "\n" for i in ids),
                           encoding="utf-8")
    record("score", "score", "--predictions", predictions, "--dataset", data, "--name",
           NAME + "2", "--output-dir", results)
    record("data validate", "data", "validate", data)
    for fmt in ("text", "md", "csv", "json", "html"):
        record(f"data stats {fmt}", "data", "stats", data, "--format", fmt)
        record(f"compare {fmt}", "compare", "--results", results, "--format", fmt,
               "--pairs", "--resamples", "1000")
    record("compare plot", "compare", "--results", results, "--plot", root / "means.svg",
           "--resamples", "1000")
    shown["means.svg"] = (root / "means.svg").read_text(encoding="utf-8")
    record("report", "report", "--results", results, "-o", root / "report.html",
           "--resamples", "1000")
    shown["report.html"] = (root / "report.html").read_bytes().decode("utf-8")
    runs = sorted(p for p in results.iterdir() if (p / "run.json").exists())
    for fmt in ("text", "md", "json"):
        record(f"diff {fmt}", "diff", runs[0], runs[1], "--format", fmt)
    ratings = root / "ratings.jsonl"
    labels = [json.loads((run / "run.json").read_text(encoding="utf-8"))["label"]
              for run in runs]
    ratings.write_text("".join(
        json.dumps({"item_id": item, "system": label, "annotator": who, "criterion": "overall",
                    "score": 1 + (len(item) + s + a) % 5}, ensure_ascii=False) + "\n"
        for item in ids for s, label in enumerate(labels) for a, who in enumerate("pq")),
        encoding="utf-8")
    for fmt in ("text", "md", "json", "html"):
        record(f"meta {fmt}", "meta", "--ratings", ratings, *runs, "--format", fmt,
               "--resamples", "1000")
    broken = root / "broken.jsonl"
    first = data.read_text(encoding="utf-8").splitlines()[0]
    broken.write_text(f"{first}\n{{\"id\": \"x{HOSTILE}\", oops\n", encoding="utf-8")
    record("malformed line", "data", "validate", broken, code=2)
    for path in sorted(results.rglob("*")):
        if path.is_file() and path.suffix != ".sqlite":  # the analysis store: binary
            shown[str(path.relative_to(results))] = path.read_bytes().decode("utf-8", "replace")
    return shown


def test_no_output_holds_a_raw_control_or_bidi_character(outputs):
    assert len(outputs) > 30
    found = {what: raw_in(text) for what, text in outputs.items() if raw_in(text)}
    assert found == {}


def test_the_hostile_texts_did_reach_every_output_escaped(outputs):
    """The check above is not empty: the texts are there, as visible escapes."""
    for what in ("run lead-3", "compare text", "compare md", "compare csv", "report.html",
                 "diff text", "diff md", "meta text", "malformed line"):
        assert "\\u202e" in outputs[what], what
    for what in ("diff text", "report.html"):
        assert "\\x1b[31m\\x07" in outputs[what], what


def test_json_outputs_read_back_the_texts_unchanged(outputs):
    """JSON writes the same characters as JSON escapes: the values are the data's."""
    compare = json.loads(outputs["stdout compare json"])
    assert {row["label"] for row in compare["rows"]} >= {NAME, NAME + "2"}
    diff = json.loads(outputs["stdout diff json"])
    assert diff["items"] and all(HOSTILE in item["id"] for item in diff["items"])
    items = [json.loads(line) for what, text in outputs.items() if what.endswith("items.jsonl")
             for line in text.splitlines()]
    assert len(items) == 18 and all(HOSTILE in item["id"] for item in items)
    assert sum(HOSTILE in item["prediction"] for item in items) == 18  # the model's, lead-3's


def test_arabic_with_zwnj_and_rlm_is_shown_as_it_is(outputs):
    for what in ("diff text", "diff md", "report.html", "diff json"):
        text = outputs[what]
        assert f"می{ZWNJ}خواهد" in text and f"{RLM}2024" in text, what


def test_the_annotation_pages_show_hostile_texts_escaped(tmp_path):
    """The human app's templates: summaries, article and bullets of a study are shown
    with their control and bidi characters as escapes, Arabic with ZWNJ as it is."""
    from benchmark.human.sampling import SystemInput
    from human_server import request, running_app
    from test_human_server import make_study, page_url

    texts = {f"item{i}": f"{SENTENCES[0]} {HOSTILE} می{ZWNJ}خواهد {i}" for i in range(4)}
    study = make_study(tmp_path, systems=[SystemInput("a", "/runs/a", texts),
                                          SystemInput("b", "/runs/b", texts)])
    with running_app(study.path, agreement=lambda lines, protocol: []) as base:
        url, _ = page_url(base, study, "ann")
        page = request(url)
    assert page.status == 200
    assert raw_in(page.text) == []  # before: U+0007, U+001B, U+2066, U+202E
    assert "\\u202e\\u2066\\x1b[31m\\x07" in page.text and f"می{ZWNJ}خواهد" in page.text
