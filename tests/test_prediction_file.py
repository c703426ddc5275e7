"""Saved predictions for `bench score` are indexed, not held: each text is read from
the file when its item is scored, with the same signature as a dict of them."""

import hashlib
import json

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import DataError
from benchmark import jsonl
from benchmark.runs.predictions import PredictionFile, predictions_digest

PREDICTIONS = {"b2": "نصّ \"مقتبس\" \\ وسطر\nثانٍ", "a1": "English, too: 1,2", "c3": "",
               "٣": "🙂 \u0000 tab\t"}


def write(path, predictions, *, bom=False, crlf=False):
    end = "\r\n" if crlf else "\n"
    text = "".join(json.dumps({"id": k, "prediction": v}, ensure_ascii=False) + end
                   for k, v in predictions.items())
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def test_the_digest_is_the_digest_of_the_sorted_json_of_the_dict():
    expected = hashlib.sha256(json.dumps(PREDICTIONS, sort_keys=True, ensure_ascii=False)
                              .encode()).hexdigest()[:12]
    assert predictions_digest(PREDICTIONS) == expected  # why: the signature runs had before
    assert predictions_digest({"x": "1"}) != predictions_digest({"x": "2"})


@pytest.mark.parametrize("bom,crlf", [(False, False), (True, False), (False, True)])
def test_a_file_reads_back_as_the_dict_it_was_written_from(tmp_path, bom, crlf):
    path = write(tmp_path / "p.jsonl", PREDICTIONS, bom=bom, crlf=crlf)
    with PredictionFile.read(path) as texts:
        assert dict(texts) == PREDICTIONS and len(texts) == 4 and "a1" in texts
        assert list(texts) == list(PREDICTIONS)  # why: the file's order
        assert predictions_digest(texts) == predictions_digest(PREDICTIONS)
        assert texts["٣"] == PREDICTIONS["٣"]  # why: read again, by its offset


def test_a_file_changed_after_it_was_read_is_an_error(tmp_path):
    path = write(tmp_path / "p.jsonl", PREDICTIONS)
    texts = PredictionFile.read(path)
    write(path, {"zz": "short", **PREDICTIONS})  # every offset moves
    with pytest.raises(DataError, match="the file changed since it was first read"):
        texts["a1"]
    texts.close()


def test_bench_score_reads_each_prediction_when_it_is_scored(tmp_path, bbc_head,
                                                              monkeypatch):
    corpus = bbc_head(12)
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    saved = {r["id"]: r["article"][:150] for r in rows[::2]}
    path = write(tmp_path / "mine.jsonl", saved)
    reads = []
    original = jsonl.read_at

    def counting(handle, offset):
        reads.append(offset)
        return original(handle, offset)

    monkeypatch.setattr(jsonl, "read_at", counting)
    result = CliRunner().invoke(app, ["score", "--predictions", str(path), "--dataset",
                                      str(corpus), "--metrics", "rouge",
                                      "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    # why: each text read once for the signature and once when its item is scored
    assert sorted(reads) == sorted(2 * [o for o, _ in jsonl.iter_lines_at(path)])
    [run] = [p for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")]
    lines = [json.loads(x) for x in (run / "items.jsonl").read_text(encoding="utf-8")
             .splitlines()]
    assert {x["id"]: x["prediction"] for x in lines} == saved
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert predictions_digest(saved) in record["model"]["signature"]
