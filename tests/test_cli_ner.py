"""``bench ner eval|extract`` through Typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from benchmark.cli.ner import app

runner = CliRunner()


def test_eval_summaries_table(shared_dir):
    result = runner.invoke(app, ["eval", "--gold", "summaries",
                                 "--corpora", str(shared_dir / "corpora")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "ner:rules.v4|gaz:2026.12  on gold:summaries (60 texts)"
    row = next(line for line in lines if line.startswith("PERS+LOC+ORG"))
    assert float(row.split()[3]) >= 75.0  # F1, in percent


def test_eval_wojood_json(shared_dir):
    result = runner.invoke(app, ["eval", "--gold", "wojood", "--split", "val", "--format",
                                 "json", "--wojood-dir", str(shared_dir / "ner" / "wojood_sample")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["gold"] == "wojood:val" and data["texts"] > 100
    assert set(data["scores"]) >= {"PERS", "LOC", "ORG", "PERS+LOC+ORG", "ALL"}


def test_eval_unknown_backend_is_one_line():
    result = runner.invoke(app, ["eval", "--backend", "rulez"])
    assert result.exit_code == 2
    assert "error: unknown NER backend 'rulez'; did you mean rules?" in result.output


def test_eval_missing_gold_file(tmp_path):
    result = runner.invoke(app, ["eval", "--gold-file", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'none.jsonl'}: gold file not found" in result.output


def test_extract_text_and_file(tmp_path):
    result = runner.invoke(app, ["extract", "زار بوتين دمشق في 24 ديسمبر 2025"])
    assert result.exit_code == 0, result.output
    # Offsets by hand: زار 0-3, بوتين 4-9, دمشق 10-14, في 15-17, "24 ديسمبر 2025" 18-32.
    assert result.output.splitlines() == [
        "PERS         4-9     بوتين",
        "LOC         10-14    دمشق",
        "DATE        18-32    24 ديسمبر 2025  value=2025-12-24",
    ]
    article = tmp_path / "article.txt"
    article.write_text("قال وزير الدفاع مرهف أبو قصرة", encoding="utf-8")
    summary = tmp_path / "summary.txt"
    summary.write_text("تحدث أبو قصرة", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(summary), "--known", str(article),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [(e["type"], e["text"]) for e in json.loads(result.output)] == [("PERS", "أبو قصرة")]


def test_extract_rejects_binary_file(tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    result = runner.invoke(app, ["extract", str(binary)])
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.output
