"""The first read of a JSON Lines dataset is remembered while the file, the reading
options and the reading code are unchanged, and read again as soon as one changes."""

from __future__ import annotations

import json
import os
import time

import pytest

from benchmark.data import load_examples, open_examples
from benchmark.data import load as load_module
from benchmark.data import scan_cache
from benchmark.data.scan_cache import seal
from benchmark.data.streamed import Scan, StreamedData
from benchmark.errors import DataError


def write_corpus(path, n, *, settled=True):
    rows = [{"id": f"n{i:03d}", "article": f"نص المقال رقم {i}. جملة ثانية.",
             "summary": f"ملخص رقم {i}"} for i in range(n)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    if settled:
        settle(path)
    return path


def settle(path, seconds=60):
    """Set the file's modification time `seconds` back: a file written long ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def scans(tmp_path, monkeypatch):
    """Every first read `open_examples` really does, counted; the cache in tmp_path."""
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    counted = []
    original = load_module.scan_examples

    def counting(located, **options):
        counted.append(1)
        return original(located, **options)

    monkeypatch.setattr(load_module, "scan_examples", counting)
    return counted


def scan_entries(tmp_path):
    """The remembered scans (beside them: remembered file hashes, ``sha256-*``)."""
    return [entry for entry in (tmp_path / "cache" / scan_cache.FOLDER).iterdir()
            if not entry.name.startswith("sha256-")]


def same(a, b):
    return (a.ids, a.scan.lines, a.sha, a.wordless_ids) == (b.ids, b.scan.lines, b.sha,
                                                             b.wordless_ids)


def test_an_unchanged_file_is_read_once(tmp_path, scans):
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    first = open_examples(corpus)
    again = open_examples(corpus)
    assert len(scans) == 1  # why: the second open reuses the remembered scan
    assert same(first, again)
    assert again.identity == load_examples(corpus).identity
    assert [ex.id for ex in again.iter_examples()] == first.ids  # the second read checks


@pytest.mark.parametrize("change", [
    "a text edited (same size)", "touched (times only)", "replaced (new inode, same times)",
    "another limit", "another article limit", "skip_invalid", "the reading code"])
def test_any_change_reads_the_file_again(tmp_path, scans, monkeypatch, change):
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    options = {}
    first = open_examples(corpus)
    if change == "a text edited (same size)":
        text = corpus.read_text(encoding="utf-8").replace("رقم 3.", "رقم 7.")
        info = corpus.stat()
        corpus.write_text(text, encoding="utf-8")
        os.utime(corpus, ns=(info.st_atime_ns, info.st_mtime_ns))  # the old times back
    elif change == "touched (times only)":
        settle(corpus, 30)
    elif change == "replaced (new inode, same times)":
        info = corpus.stat()
        copy = tmp_path / "copy.jsonl"
        copy.write_bytes(corpus.read_bytes())
        os.utime(copy, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.replace(copy, corpus)
    elif change == "another limit":
        options = {"limit": 3}
    elif change == "another article limit":
        options = {"max_article_chars": 10_000}
    elif change == "skip_invalid":
        options = {"skip_invalid": True}
    else:
        monkeypatch.setattr(scan_cache, "code_digest", lambda: "edited")
    again = open_examples(corpus, **options)
    assert len(scans) == 2  # why: the remembered scan no longer describes this read
    if change == "a text edited (same size)":
        assert again.sha != first.sha and again.sha == load_examples(corpus).sha


def test_a_freshly_written_file_is_not_remembered(tmp_path, scans):
    """Written less than SETTLE_S ago, the file could change again within its
    timestamps' resolution without them moving: it is read every time until settled."""
    corpus = write_corpus(tmp_path / "c.jsonl", 4, settled=False)
    open_examples(corpus), open_examples(corpus)
    assert len(scans) == 2
    settle(corpus)
    open_examples(corpus), open_examples(corpus)
    assert len(scans) == 3


def test_a_read_that_skipped_records_is_not_remembered(tmp_path, scans):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(write_corpus(tmp_path / "ok.jsonl", 3).read_text(encoding="utf-8")
                      + "[1, 2]\n", encoding="utf-8")
    settle(corpus)
    for _ in range(2):
        data = open_examples(corpus, skip_invalid=True)
        assert len(data.skipped) == 1  # why: the skipped record is reported each time
    assert len(scans) == 2


def test_a_damaged_cache_file_is_read_past_and_replaced(tmp_path, scans):
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    open_examples(corpus)
    (entry,) = scan_entries(tmp_path)
    entry.write_text("{not json", encoding="utf-8")
    open_examples(corpus)
    open_examples(corpus)
    assert len(scans) == 2 and json.loads(entry.read_text(encoding="utf-8"))["scan"]


def test_a_remembered_identity_that_is_wrong_stops_the_run(tmp_path, scans):
    """The second read hashes what it yields: a remembered scan that does not describe
    the file (here, tampered with) is an error, never a mislabelled run."""
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    open_examples(corpus)
    (entry,) = scan_entries(tmp_path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["scan"]["check"] = "0" * 64
    stored["seal"] = seal(Scan(**stored["scan"]))
    entry.write_text(json.dumps(stored), encoding="utf-8")
    data = open_examples(corpus)
    assert len(scans) == 1 and data.scan.check == "0" * 64
    with pytest.raises(DataError, match="changed since the run first read it"):
        list(data.iter_examples())


@pytest.mark.parametrize("field", ["sha", "check", "head_sha"])
def test_a_remembered_identity_changed_apart_from_its_digest_is_not_reused(tmp_path, scans,
                                                                          field):
    """The second read compares the digest (`Scan.check`), not the sha: an entry whose
    sha no longer goes with its digest (damaged, edited) is read again instead."""
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    first = open_examples(corpus)
    (entry,) = scan_entries(tmp_path)
    stored = json.loads(entry.read_text(encoding="utf-8"))
    stored["scan"][field] = "0" * 64
    entry.write_text(json.dumps(stored), encoding="utf-8")
    data = open_examples(corpus)
    assert len(scans) == 2 and data.sha == first.sha and data.scan.check == first.scan.check
    assert [e.id for e in data.iter_examples()] == ["n000", "n001", "n002"]


def test_an_unwritable_cache_only_means_reading(tmp_path, scans, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("BENCH_CACHE_DIR", str(blocker))
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    assert open_examples(corpus).size == open_examples(corpus).size == 3
    assert len(scans) == 2


def test_a_subset_of_every_example_is_the_data_itself(tmp_path, scans, monkeypatch):
    """`bench score` of predictions for every example: no read for the subset's sha."""
    corpus = write_corpus(tmp_path / "c.jsonl", 4)
    data = open_examples(corpus)
    reads = []
    original = StreamedData.iter_examples
    monkeypatch.setattr(StreamedData, "iter_examples",
                        lambda self: reads.append(1) or original(self))
    assert data.subset(set(data.ids)) is data and reads == []
    part = data.subset({"n001", "n002"})
    assert part.ids == ["n001", "n002"] and len(reads) == 1  # why: one read for its sha
    assert part.sha == load_examples(corpus).subset({"n001", "n002"}).sha


def test_a_partial_run_and_a_whole_one_keep_their_own_entries(tmp_path, scans):
    """A run on the first N examples records the whole dataset with the sha of its head
    (`open_run_data`): its remembered read and a whole run's live side by side."""
    from benchmark.data.load import open_run_data

    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    (full, head), (again, _) = open_run_data(corpus, limit=3), open_run_data(corpus)
    assert len(scans) == 2 and head.size == 3 and again.sha == full.sha
    (_, head_again), _ = open_run_data(corpus, limit=3), open_run_data(corpus)
    assert len(scans) == 2 and head_again.sha == head.sha and head_again.ids == head.ids


def test_a_files_sha256_is_remembered_while_the_file_is_unchanged(tmp_path, monkeypatch):
    """What `registry_name_of` asks of a dataset file (does it hold a registry entry's
    bytes?) is hashed once while the file stays as it was."""
    import hashlib

    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    corpus = write_corpus(tmp_path / "c.jsonl", 3)
    hashed = []
    original = hashlib.sha256

    def counting(*args):
        digest = original(*args)
        hashed.append(1)
        return digest

    expected = original(corpus.read_bytes()).hexdigest()
    monkeypatch.setattr(scan_cache.hashlib, "sha256", counting)
    assert scan_cache.file_sha256(corpus) == scan_cache.file_sha256(corpus) == expected
    reads = len(hashed)
    corpus.write_text(corpus.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    settle(corpus)
    assert scan_cache.file_sha256(corpus) == original(corpus.read_bytes()).hexdigest()
    assert len(hashed) > reads  # why: the file changed, hashed again
