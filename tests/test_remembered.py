"""Lines remembered in the user cache under the state of the files they come from
(`benchmark.entities.remembered`): the gazetteer's babel places, read back without
loading babel, equal to what babel gives, and computed again whenever a file changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmark.entities import gazetteer
from benchmark.entities.remembered import babel_files, remembered_lines


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def counting(lines):
    calls = []

    def compute():
        calls.append(1)
        return list(lines)
    return compute, calls


def test_computed_once_then_read_back_until_a_file_changes(cache, tmp_path):
    source = tmp_path / "source.dat"
    source.write_text("one")
    compute, calls = counting(["AE|الإمارات", "EG|مصر"])
    first = remembered_lines("t", compute, files=[source], salt=b"s")
    again = remembered_lines("t", compute, files=[source], salt=b"s")
    assert first == again == ["AE|الإمارات", "EG|مصر"] and len(calls) == 1
    source.write_text("other")  # size and times change: a new name
    remembered_lines("t", compute, files=[source], salt=b"s")
    assert len(calls) == 2
    remembered_lines("t", compute, files=[source], salt=b"other code")
    assert len(calls) == 3
    assert len(list((cache / "remembered").iterdir())) == 3


def test_missing_file_damaged_entry_and_unwritable_cache_compute(cache, tmp_path):
    source = tmp_path / "source.dat"
    source.write_text("one")
    compute, calls = counting(["x"])
    assert remembered_lines("t", compute, files=[tmp_path / "gone"], salt=b"") == ["x"]
    assert remembered_lines("t", compute, files=None, salt=b"") == ["x"]
    assert len(calls) == 2 and not cache.exists()  # nothing remembered for those
    remembered_lines("t", compute, files=[source], salt=b"")
    entry, = (cache / "remembered").iterdir()
    for damage in (b"[1, 2]", b"{not json", b"\xff\xfe"):
        entry.write_bytes(damage)
        assert remembered_lines("t", compute, files=[source], salt=b"") == ["x"]
    assert json.loads(entry.read_text()) == ["x"]  # rewritten whole
    os.environ["BENCH_CACHE_DIR"] = str(source)  # a file where the folder would go
    assert remembered_lines("t", compute, files=[source], salt=b"") == ["x"]


def test_babel_places_equal_babel_and_read_back_without_babel(cache):
    pytest.importorskip("babel")
    assert all(path.is_file() for path in babel_files(["ar"]))
    computed = gazetteer._babel_territory_lines()
    assert gazetteer._babel_places() == computed  # computed and written
    code = ("import sys; from benchmark.entities import gazetteer; "
            "import json; print(json.dumps([gazetteer._babel_places(), "
            "'babel' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "BENCH_CACHE_DIR": str(cache)})
    lines, loaded_babel = json.loads(done.stdout)
    assert lines == computed and not loaded_babel
    assert len(computed) > 200 and "EG|مصر" in computed


def test_babel_files_none_without_babel(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert babel_files(["ar"]) is None
