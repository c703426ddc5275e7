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
    table = json.loads(runner.invoke(app, ["compare", "--results", str(out),
                                           "--format", "json"]).output)
    models = {m["model"]: m["metrics"] for m in table["models"]}
    assert set(models) == {"lead-3", "lead-1", "oracle"}
    assert all(m["rouge2_f"]["n"] == 1000 for m in models.values())
    # The oracle reads the reference: it must beat lead-3 (by a wide, significant margin).
    assert models["oracle"]["rouge2_f"]["mean"] > models["lead-3"]["rouge2_f"]["mean"] + 0.1
    assert models["oracle"]["rouge2_f"]["best"]
    assert models["lead-3"]["rouge2_f"]["significant"]
    # Real Arabic overlap is far from 0 (what an ASCII-only tokenizer would report).
    assert models["lead-1"]["rouge1_f"]["mean"] > 0.4
