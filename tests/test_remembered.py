"""Values remembered in the user cache under the state of the files they come from
(`benchmark.remembered`): the configuration's YAML and the gazetteer's babel places,
read back without importing PyYAML or babel, equal to what they give, and computed
again whenever a file or the code changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from benchmark import remembered as remembered_module
from benchmark.config.layers import _parse_yaml, read_yaml
from benchmark.entities import gazetteer
from benchmark.errors import ConfigError
from benchmark.paths import PACKAGE_CONFIG
from benchmark.remembered import package_files, remembered


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def settled(path, seconds=60):
    """Make `path` look modified `seconds` ago (past the settling time)."""
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value
    return compute, calls


def test_computed_once_then_read_back_until_a_file_or_the_salt_changes(cache, tmp_path):
    source = settled(_written(tmp_path / "source.dat"))
    compute, calls = counting({"models": {"a": [1, 2.5, None, "مصر"]}})
    first = remembered("t", compute, files=[source], salt=b"s")
    again = remembered("t", compute, files=[source], salt=b"s")
    assert first == again == {"models": {"a": [1, 2.5, None, "مصر"]}} and len(calls) == 1
    source.write_text("two")  # same size, new times: computed again
    settled(source, 30)
    remembered("t", compute, files=[source], salt=b"s")
    remembered("t", compute, files=[source], salt=b"s")
    assert len(calls) == 2
    remembered("t", compute, files=[source], salt=b"other code")
    assert len(calls) == 3
    # one file per kind, files and salt: a changed file replaces its entry
    assert len(list((cache / "remembered").iterdir())) == 2


def test_a_file_modified_just_now_is_not_remembered(cache, tmp_path):
    source = tmp_path / "source.dat"
    source.write_text("fresh")
    compute, calls = counting("value")
    for _ in range(2):
        assert remembered("t", compute, files=[source], salt=b"") == "value"
    assert len(calls) == 2 and not (cache / "remembered").exists()


def test_missing_file_damaged_entry_and_unwritable_cache_compute(cache, tmp_path):
    source = settled(_written(tmp_path / "source.dat"))
    compute, calls = counting(["x"])
    assert remembered("t", compute, files=[tmp_path / "gone"], salt=b"") == ["x"]
    assert remembered("t", compute, files=None, salt=b"") == ["x"]
    assert len(calls) == 2 and not cache.exists()  # nothing remembered for those
    remembered("t", compute, files=[source], salt=b"")
    entry, = (cache / "remembered").iterdir()
    for damage in (b"", b"not a pickle", b"\x80\x05K\x01."):  # the last: the int 1
        entry.write_bytes(damage)
        assert remembered("t", compute, files=[source], salt=b"") == ["x"]
    assert remembered("t", compute, files=[source], salt=b"") == ["x"]
    assert len(calls) == 6  # each damaged entry computed and written whole again
    os.environ["BENCH_CACHE_DIR"] = str(source)  # a file where the folder would go
    assert remembered("t", compute, files=[source], salt=b"") == ["x"]


def _written(path, text="one"):
    path.write_text(text)
    return path


def test_package_yaml_read_back_equal_to_parsing_user_yaml_never_stored(cache, tmp_path,
                                                                        monkeypatch):
    monkeypatch.setattr(remembered_module, "SETTLE_S", 0.0)  # a module edited just now
    for name in ("models.yaml", "datasets.yaml", "endpoints.yaml"):
        path = PACKAGE_CONFIG / name
        assert read_yaml(path) == _parse_yaml(path)  # computed and remembered
        assert read_yaml(path) == _parse_yaml(path)  # read back
    assert len(list((cache / "remembered").iterdir())) == 3
    # A user's file may hold secrets (a URL with a key): parsed each time, never stored.
    mine = settled(_written(tmp_path / "models.yaml", "models:\n  a: {model: lead-3}\n"))
    assert read_yaml(mine) == {"models": {"a": {"model": "lead-3"}}}
    mine.write_text("models:\n  b: {model: lead-1}\n")
    settled(mine, 30)
    assert read_yaml(mine) == {"models": {"b": {"model": "lead-1"}}}
    assert len(list((cache / "remembered").iterdir())) == 3
    bad = settled(_written(tmp_path / "bad.yaml", "a: [1,\n"))
    for _ in range(2):
        with pytest.raises(ConfigError, match="not valid YAML at line"):
            read_yaml(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        read_yaml(tmp_path / "missing.yaml")


def test_babel_places_and_yaml_read_back_without_importing_them(cache, monkeypatch):
    pytest.importorskip("babel")
    monkeypatch.setattr(remembered_module, "SETTLE_S", 0.0)  # a module edited just now
    assert all(path.is_file() for path in package_files(
        "babel", "global.dat", "locale-data/root.dat", "locale-data/ar.dat"))
    computed = gazetteer._babel_territory_lines()
    assert gazetteer._babel_places() == computed  # computed and written
    models = PACKAGE_CONFIG / "models.yaml"
    read_yaml(models)
    code = ("import sys, json; from benchmark.entities import gazetteer; "
            "from benchmark.config.layers import read_yaml; from pathlib import Path; "
            f"models = read_yaml(Path({str(models)!r})); "
            "print(json.dumps([gazetteer._babel_places(), models, "
            "'babel' in sys.modules, 'yaml' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "BENCH_CACHE_DIR": str(cache)})
    lines, models_back, loaded_babel, loaded_yaml = json.loads(done.stdout)
    assert lines == computed and not loaded_babel
    assert models_back == _parse_yaml(models) and not loaded_yaml
    assert len(computed) > 200 and "EG|مصر" in computed


def test_package_files_none_when_not_installed():
    assert package_files("no_such_package_here") is None
    assert package_files("json")[0].name == "__init__.py"  # a package of files
    assert remembered_module.SETTLE_S > 0


def test_replace_pickled_replaces_whole_and_leaves_nothing_behind_on_failure(tmp_path):
    """The one atomic write shared by this cache and the compiled-pattern cache: the file
    holds the new value, and a value that cannot be pickled leaves the old file and no
    temporary one."""
    import pickle

    path = tmp_path / "deep" / "value.pickle"
    remembered_module.replace_pickled(path, {"a": 1})
    remembered_module.replace_pickled(path, {"a": 2})
    assert pickle.loads(path.read_bytes()) == {"a": 2}
    with pytest.raises((pickle.PicklingError, TypeError, AttributeError)):
        remembered_module.replace_pickled(path, {"a": lambda: 3})
    assert pickle.loads(path.read_bytes()) == {"a": 2}
    assert sorted(p.name for p in path.parent.iterdir()) == ["value.pickle"]
