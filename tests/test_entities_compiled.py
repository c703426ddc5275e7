"""The entity rules' large patterns compiled once per machine (benchmark/entities/compiled.py)."""

import os
import pickle

import pytest
import regex

from benchmark.entities import compiled, dates, numbers

TEXT = ("دفع 3.5 مليون دولار في 12 مارس 2020 عند الساعة 10:30، وهو الحادي عشر "
        "بنسبة عشرين في المئة، ثم ٢٠٢١/٠٣/٠٤ والخامسة عشرة")
RULE_PATTERNS = [numbers.PATTERN, numbers.ORDINAL_PATTERN, numbers._NUMERAL,
                 dates.PATTERN, dates.CLOCK_PATTERN]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(compiled, "_loaded", None)
    return tmp_path


def matches(pattern):
    return [(m.span(), m.groupdict()) for m in pattern.finditer(TEXT)]


@pytest.mark.parametrize("index", range(len(RULE_PATTERNS)))
def test_a_pattern_read_back_matches_as_compiled(fresh_cache, monkeypatch, index):
    source = RULE_PATTERNS[index]
    first = compiled.compile_cached(source.pattern, source.flags)
    assert compiled.cache_file().is_file()
    monkeypatch.setattr(compiled, "_loaded", None)  # as a new process

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again instead of read back")

    monkeypatch.setattr(regex, "compile", no_compiling)
    again = compiled.compile_cached(source.pattern, source.flags)
    assert again is not first and again.pattern == source.pattern
    # why: the same matches and groups as the pattern compiled by regex itself
    assert matches(again) == matches(source) == matches(first)
    assert again.groupindex == source.groupindex


def test_another_pattern_text_is_compiled_not_confused(fresh_cache):
    compiled.compile_cached(r"\d+")
    other = compiled.compile_cached(r"[\p{L}]+")
    assert other.findall("ab 12") == ["ab"]  # why: keyed by the exact text
    assert compiled.compile_cached(r"\d+", regex.IGNORECASE).flags & regex.IGNORECASE


def test_a_damaged_file_is_compiled_again_and_replaced(fresh_cache):
    path = compiled.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert compiled.compile_cached(r"\d+").findall("a 12 b 3") == ["12", "3"]
    with open(path, "rb") as handle:
        assert r"\d+" in {text for text, _ in pickle.load(handle)}  # why: rewritten


def test_a_cache_that_cannot_be_written_still_compiles(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # the cache folder's place holds a file: nothing can be written
    monkeypatch.setenv("BENCH_CACHE_DIR", str(blocked))
    monkeypatch.setattr(compiled, "_loaded", None)
    assert compiled.compile_cached(r"\d+").findall("7 8") == ["7", "8"]
    assert compiled.compile_cached(r"\d+").findall("9") == ["9"]  # why: kept in memory


def test_the_file_keeps_at_most_the_patterns_in_use_past_its_bound(fresh_cache, monkeypatch):
    monkeypatch.setattr(compiled, "MAX_KEPT", 3)
    monkeypatch.setattr(compiled, "_used", set())
    for digits in range(1, 4):
        compiled.compile_cached(rf"\d{{{digits}}}")  # three old rules' patterns
    monkeypatch.setattr(compiled, "_loaded", None)  # a new process, with new rules
    monkeypatch.setattr(compiled, "_used", set())
    compiled.compile_cached(r"\d{2}")
    compiled.compile_cached(r"[a-z]+")
    with open(compiled.cache_file(), "rb") as handle:
        kept = {text for text, _ in pickle.load(handle)}
    assert kept == {r"\d{2}", r"[a-z]+"}  # why: four is over the bound; two are in use


def test_the_rule_patterns_are_the_same_text_in_every_process():
    """The cache is keyed by the pattern's text: a text that changed with the hash seed
    (an alternation built from a set) would be compiled again in every process."""
    import subprocess
    import sys

    script = ("import hashlib; from benchmark.entities import numbers, dates; "
              "print([hashlib.sha256(p.pattern.encode()).hexdigest() for p in "
              "(numbers.PATTERN, numbers.ORDINAL_PATTERN, numbers._NUMERAL, dates.PATTERN, "
              "dates.CLOCK_PATTERN)])")
    texts = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2", "3", "4")}
    assert len(texts) == 1


def test_a_process_unpickles_only_the_patterns_it_asks_for(fresh_cache, monkeypatch):
    for digits in range(1, 5):
        compiled.compile_cached(rf"\d{{{digits}}}")
    monkeypatch.setattr(compiled, "_loaded", None)  # as a new process
    unpickled = []
    loads = pickle.loads

    def counted(data, *args, **kwargs):
        unpickled.append(data)
        return loads(data, *args, **kwargs)

    monkeypatch.setattr(pickle, "loads", counted)
    monkeypatch.setattr(regex, "compile", None)  # read back, never compiled
    assert compiled.compile_cached(r"\d{3}").findall("12345") == ["123"]
    assert compiled.compile_cached(r"\d{3}").findall("1234") == ["123"]
    assert len(unpickled) == 1  # why: the three others stay bytes; the second ask is kept


def test_a_damaged_entry_is_compiled_again_and_the_others_kept(fresh_cache, monkeypatch):
    compiled.compile_cached(r"\d+")
    compiled.compile_cached(r"[a-z]+")
    path = compiled.cache_file()
    with open(path, "rb") as handle:
        stored = pickle.load(handle)
    stored[(r"\d+", 0)] = b"not a pickle"
    path.write_bytes(pickle.dumps(stored))
    monkeypatch.setattr(compiled, "_loaded", None)
    assert compiled.compile_cached(r"\d+").findall("a 12 b 3") == ["12", "3"]
    with open(path, "rb") as handle:
        stored = pickle.load(handle)
    # why: the damaged entry is written again, whole; the other one is kept as it was
    assert pickle.loads(stored[(r"\d+", 0)]).pattern == r"\d+"
    assert pickle.loads(stored[("[a-z]+", 0)]).pattern == "[a-z]+"


def test_a_file_of_unpickled_patterns_is_compiled_again(fresh_cache):
    """A file whose entries are patterns, not their bytes (not this layout): each is
    compiled again, and the file rewritten in this layout."""
    path = compiled.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps({(r"\d+", 0): regex.compile(r"[a-z]+")}))
    assert compiled.compile_cached(r"\d+").findall("a 12") == ["12"]
    with open(path, "rb") as handle:
        assert type(pickle.load(handle)[(r"\d+", 0)]) is bytes
