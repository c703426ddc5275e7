"""The one JSONL module: torn tails (a kill or a full disk mid-write), damaged lines,
and a run that dies of ENOSPC resuming with nothing lost."""

import errno
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import BenchmarkError, DataError
from benchmark import jsonl
from benchmark.runs.cache import PredictionCache
from benchmark.runs.harness import run_benchmark
from benchmark.runs.run import Run
from benchmark.summarizers.base import Prediction
from test_harness import calls, config, item_ids, write_corpus

IDS = [f"n{i:03d}" for i in range(10)]


def lines_of(path: Path) -> list[dict]:
    return [line.record for line in jsonl.iter_lines(path)]


def cut_inside_last_character(path: Path) -> None:
    """Drop the last line's newline, its closing characters and one byte of the last
    Arabic letter: what a full disk leaves when it stops a write mid-character."""
    data = path.read_bytes().rstrip(b"\n")
    last_arabic = max(data.rfind(bytes([b])) for b in (0xd8, 0xd9))
    path.write_bytes(data[:last_arabic + 1])


@pytest.mark.parametrize("text, expected, why", [
    (b'{"id": "a"}\n{"id": "b"}\n', ["a", "b"], "clean file"),
    (b'{"id": "a"}\n{"id": "b"', ["a"], "torn tail: no newline, incomplete JSON"),
    (b'{"id": "a"}\n{"id": "b"}', ["a", "b"], "complete last line without its newline"),
    (b'{"id": "a"}\n{"id": "\xd8', ["a"], "torn inside a two-byte letter"),
    (b'\xef\xbb\xbf{"id": "a"}\n\n  \n{"id": "b"}\n', ["a", "b"], "BOM and blank lines"),
])
def test_reader_table(tmp_path, text, expected, why):
    path = tmp_path / "f.jsonl"
    path.write_bytes(text)
    assert [r["id"] for r in lines_of(path)] == expected, why


@pytest.mark.parametrize("text, message, why", [
    (b'{"id": "a"}\n{"id": "\xd8"}\n{"id": "c"}\n', "f.jsonl:2: not UTF-8 (byte 8)",
     "a damaged middle line is named, not skipped"),
    (b'{"id": "a"}\n{"id": \n', "f.jsonl:2: not JSON", "a complete line that is not JSON"),
    (b'{"id": "a"}\n[1, 2]\n', "f.jsonl:2: expected a JSON object, found an array",
     "JSON, but not an object"),
    (b'{"id": "a"}\n{"idx": "b"}\n', "f.jsonl:2: no 'id' in this line", "required key missing"),
])
def test_damaged_lines_are_named(tmp_path, text, message, why):
    path = tmp_path / "f.jsonl"
    path.write_bytes(text)
    with pytest.raises(DataError) as caught:
        list(jsonl.iter_lines(path, required=("id",), shown="f.jsonl"))
    assert str(caught.value).startswith(message), why


@pytest.mark.parametrize("text, after, why", [
    (b'{"id": "a"}\n{"id": "b', b'{"id": "a"}\n{"id": "c"}\n', "torn tail cut off"),
    (b'{"id": "a"}\n{"id": "b"}', b'{"id": "a"}\n{"id": "b"}\n{"id": "c"}\n',
     "a complete last line gets its newline"),
    (b"", b'{"id": "c"}\n', "empty file"),
])
def test_appender_repairs_the_tail_before_appending(tmp_path, text, after, why):
    path = tmp_path / "f.jsonl"
    path.write_bytes(text)
    with jsonl.JsonlAppender(path) as writer:
        writer.append([{"id": "c"}])
    assert path.read_bytes() == after, why


def test_failed_write_leaves_whole_lines_only(tmp_path, monkeypatch):
    path = tmp_path / "f.jsonl"
    writer = jsonl.JsonlAppender(path)
    writer.append([{"id": "a"}])
    real_write = os.write

    def half_then_full(fd, data):
        if len(data) > 4:
            return real_write(fd, bytes(data[:4]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonl, "write", half_then_full)
    with pytest.raises(OSError) as caught:
        writer.append([{"id": "b"}, {"id": "c"}])
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(path)
    assert path.read_bytes() == b'{"id": "a"}\n'
    monkeypatch.setattr(jsonl, "write", real_write)
    writer.append([{"id": "d"}])
    writer.close()
    assert [r["id"] for r in lines_of(path)] == ["a", "d"]


def test_cache_torn_inside_a_letter_is_repaired_not_glued(tmp_path):
    """Defect: a cache cut inside a multi-byte character crashed every later run of the
    model, and the next entry was glued onto the torn line (one prediction lost)."""
    cache = PredictionCache(tmp_path, "model:x")
    for i in range(3):
        cache.put(f"a{i}", f"مقال {i}", Prediction(f"ملخص عربي {i}"))
    cache.close()
    cut_inside_last_character(cache.path)
    reopened = PredictionCache(tmp_path, "model:x")
    assert len(reopened) == 2 and reopened.get("a2", "مقال 2") is None
    reopened.put("a2", "مقال 2", Prediction("ملخص عربي 2"))
    reopened.put("a3", "مقال 3", Prediction("ملخص عربي 3"))
    reopened.close()
    again = PredictionCache(tmp_path, "model:x")
    assert len(again) == 4 and again.get("a2", "مقال 2").text == "ملخص عربي 2"


def test_cache_line_without_id_is_a_one_line_error(tmp_path):
    cache = PredictionCache(tmp_path, "model:x")
    cache.put("a", "مقال", Prediction("ملخص"))
    cache.close()
    cache.path.write_text('{"article_sha": "0", "text": "x"}\n' * 2, encoding="utf-8")
    with pytest.raises(DataError, match=r"\.jsonl:1: no 'id' in this line") as caught:
        PredictionCache(tmp_path, "model:x")
    assert "delete it" in caught.value.hint


def test_items_torn_inside_a_letter_resumes_and_compares(tmp_path):
    """Defect: a full disk left items.jsonl ending in half an Arabic letter; the rerun
    and `bench compare` died with UnicodeDecodeError."""
    corpus = write_corpus(tmp_path / "c.jsonl", 4)
    log = tmp_path / "log"
    outcome = run_benchmark(config(tmp_path, corpus, log))
    run = outcome.run
    run.record.status = "running"
    run.save()
    cut_inside_last_character(run.items_file)
    assert item_ids_tolerant(run.path) == IDS[:3]
    resumed = run_benchmark(config(tmp_path, corpus, log))
    assert resumed.resumed and item_ids(run.path) == IDS[:4]
    assert calls(log) == Counter({i: 1 for i in IDS[:4]})  # n003 came from the cache
    assert resumed.run.record.items.cached == 1
    result = CliRunner().invoke(app, ["compare", "--results", str(tmp_path / "results")])
    assert result.exit_code == 0, result.output


def item_ids_tolerant(run_dir: Path) -> list[str]:
    return [line["id"] for line in Run.open(run_dir).iter_items()]


@pytest.mark.parametrize("fail_at", [7, 10], ids=["in-a-cache-write", "in-an-items-write"])
def test_disk_full_mid_run_then_rerun_loses_nothing(tmp_path, monkeypatch, fail_at):
    """ENOSPC injected into the one write call: with 4-item batches the writes go cache,
    cache, cache, cache, items, ... so write 7 is the 2nd cache entry of batch 2 (n005) and write
    10 the items of batch 2. The failing write is cut back, the run stops with the
    error, and the rerun resumes: every prediction stored before the failure is reused
    (only the one whose write failed is requested again) and every item is scored once."""
    corpus = write_corpus(tmp_path / "c.jsonl", 10)
    log = tmp_path / "log"
    real_write = os.write
    count = {"writes": 0}

    def disk_fills(fd, data):
        count["writes"] += 1
        if count["writes"] == fail_at:
            real_write(fd, bytes(data[:len(data) // 2]))  # a partial write, then full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(jsonl, "write", disk_fills)
    with pytest.raises(OSError) as caught:
        run_benchmark(config(tmp_path, corpus, log))
    assert caught.value.errno == errno.ENOSPC
    monkeypatch.setattr(jsonl, "write", real_write)
    (run_dir,) = (tmp_path / "results").glob("*-Counting-*")
    record = json.loads((run_dir / "run.json").read_text())
    assert record["status"] == "failed"  # stopped by the error, which it names; resumable
    assert "No space left on device" in record["failed"]["error"]
    first = calls(log)
    rerun = run_benchmark(config(tmp_path, corpus, log))
    assert rerun.resumed and rerun.run.path == run_dir
    assert sorted(item_ids(run_dir)) == IDS
    again = calls(log) - first
    lost = {"in-a-cache-write": {"n005"}, "in-an-items-write": set()}
    expected_lost = lost["in-a-cache-write" if fail_at == 7 else "in-an-items-write"]
    assert set(again) == set(IDS) - set(first) | expected_lost
    assert rerun.run.record.status == "complete" and rerun.run.record.aggregates["rouge1_f"].n == 10


def test_disk_full_is_a_one_line_cli_error(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c.jsonl", 3)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jsonl, "write", full)
    result = CliRunner().invoke(app, ["run", "--model", "lead-3", "--dataset", str(corpus),
                                      "--output-dir", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "items.jsonl: No space left on device" in result.output


def test_gold_and_predictions_files_go_through_the_same_reader(tmp_path):
    from benchmark.cli.score import read_predictions
    from benchmark.entities.evaluate import _read_jsonl

    preds = tmp_path / "p.jsonl"
    preds.write_bytes('{"id": "a", "prediction": "نص"}\n{"id": "b", "predic'.encode())
    assert read_predictions(preds) == {"a": "نص"}
    gold = tmp_path / "g.jsonl"
    gold.write_bytes(b'{"id": "a", "corpus": "c", "field": "article", "entities": []}\n[]\n')
    with pytest.raises(BenchmarkError, match="g.jsonl:2: expected a JSON object"):
        _read_jsonl(gold)


@pytest.fixture
def small_disk(tmp_path):
    """A 192 KiB tmpfs (root only; skipped where mounting is not allowed)."""
    import shutil
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        # A file the test left open keeps the mount busy: detach it lazily then, so no
        # tmpfs outlives the test.
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_real_full_disk_then_more_space_resumes_with_nothing_lost(tmp_path, small_disk):
    """The disk fills in the middle of a run (real ENOSPC from a small tmpfs): one-line
    error, exit 2; after the disk grows, the same command finishes the run, asking the
    model once per item except at most the one whose cache line could not be written."""
    import subprocess

    n = 40
    corpus = tmp_path / "c.jsonl"
    sentence = "جملة طويلة عن الاقتصاد والسياسة في المنطقة " * 60  # ~2.6 KB in UTF-8
    corpus.write_text("".join(json.dumps({"id": f"n{i:03d}", "article": f"{sentence} {i}. "
                                          f"{sentence} ثانية {i}. ثالثة.",
                                          "summary": "الاقتصاد"}, ensure_ascii=False) + "\n"
                              for i in range(n)), encoding="utf-8")
    log = tmp_path / "log"
    args = ["run", "--model", "py:counting_summarizer:Counting", "-o", f"log={log}",
            "--dataset", str(corpus), "--output-dir", str(small_disk / "results")]
    full = CliRunner().invoke(app, args)
    assert full.exit_code == 2, full.output
    assert "No space left on device" in full.output and "Traceback" not in full.output
    first = calls(log)
    assert 0 < sum(first.values()) < n
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "resuming" in again.output
    (run_dir,) = (small_disk / "results").glob("*-Counting-*")
    assert sorted(item_ids(run_dir)) == [f"n{i:03d}" for i in range(n)]
    total = calls(log)
    assert set(total) == {f"n{i:03d}" for i in range(n)}
    assert sum(total.values()) - n <= 1  # at most the prediction whose write failed
