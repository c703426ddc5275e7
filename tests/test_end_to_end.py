"""End to end on real data: three models over BBC articles, then ``bench compare``."""

import json

from typer.testing import CliRunner

from benchmark.cli.app import app

runner = CliRunner()


def test_bbc_lead_and_oracle_compare(shared_dir, tmp_path):
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    out = tmp_path / "results"
    for model in ("lead-3", "lead-1", "oracle"):
        result = runner.invoke(app, ["run", "--model", model, "--dataset", str(corpus),
                                     "--limit", "1000", "--output-dir", str(out)])
        assert result.exit_code == 0, result.output
    # --limit runs are partial: plain compare leaves them out and says so ...
    plain = runner.invoke(app, ["compare", "--results", str(out)])
    assert plain.exit_code == 2 and "partial: --limit 1000" in plain.output
    # ... and compares them when they are named.
    folders = [str(path) for path in sorted(out.iterdir()) if path.is_dir()
               and not path.name.startswith(".")]
    table = json.loads(runner.invoke(app, ["compare", *folders, "--format", "json"]).output)
    rows = {r["label"]: r for r in table["rows"]}
    assert [r["label"] for r in table["rows"]][-1] == "oracle"
    assert set(rows) == {"lead-3", "lead-1", "oracle"}
    assert all(r["metrics"]["rouge2_f"]["n"] == 1000 for r in rows.values())
    rouge2 = {label: r["metrics"]["rouge2_f"]["mean"] for label, r in rows.items()}
    # The oracle reads the reference: far above lead-3 (x100 scale), yet never ranked.
    assert rouge2["oracle"] > rouge2["lead-3"] + 10 and rows["oracle"]["group"] == ""
    # lead-1 and lead-3 are tested against each other, not against the oracle.
    (pair,) = [p for p in table["pairs"] if p["metric"] == "rouge2_f"]
    assert {pair["a"], pair["b"]} == {"lead-1", "lead-3"} and pair["significant"]
    assert rows["lead-1"]["metrics"]["rouge2_f"]["group"] != rows["lead-3"]["metrics"]["rouge2_f"]["group"]
    # Real Arabic overlap is far from 0 (what an ASCII-only tokenizer would report).
    assert rows["lead-1"]["metrics"]["rouge1_f"]["mean"] > 40
