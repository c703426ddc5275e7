"""Tiny real runs for the report and diff tests: a three-item corpus and `bench run`."""

import json
from pathlib import Path

from typer.testing import CliRunner

from benchmark.cli.app import app

runner = CliRunner()

S = ["افتتح وزير النقل الطريق الجديد في دمشق صباح الأحد",
     "وقال الوزير إن الكلفة بلغت خمسة ملايين دولار",
     "ويربط الطريق العاصمة بمدينة حمص في الشمال",
     "وأعلنت الحكومة خطة لبناء جسر فوق نهر بردى",
     "وسيبدأ العمل في الجسر مطلع العام المقبل"]

# Items and why they rank as they do for A = lead-1 against B = lead-3 (rouge2_f):
#   three: the reference is all three sentences; lead-3 copies it (B = 100), lead-1 has one
#          third of it (A far below): the largest |A - B|.
#   two:   the reference is both sentences; lead-3 copies it (B = 100), lead-1 has half: second.
#   one:   a one-sentence article; both copy the reference (A = B = 100): difference 0, last.
ITEMS = [
    {"id": "one", "article": S[0] + ".", "bullets": [S[0]]},
    {"id": "two", "article": f"{S[3]}. {S[4]}.", "bullets": [S[3], S[4]]},
    {"id": "three", "article": f"{S[0]}. {S[1]}. {S[2]}.", "bullets": S[:3]},
]


def write_corpus(path: Path, items=ITEMS) -> Path:
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items),
                    encoding="utf-8")
    return path


def make_run(out: Path, corpus: Path, model: str, *extra) -> Path:
    before = set(out.iterdir()) if out.exists() else set()
    args = ["run", "--model", model, "--dataset", corpus, "--output-dir", out, *extra]
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    (run_dir,) = {p for p in out.iterdir() if not p.name.startswith(".")} - before
    return run_dir
