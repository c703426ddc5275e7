"""The entity rules' large regular expressions, compiled once per machine.

`regex` compiles a pattern in Python (parsing every character set of the rules' word
alternations), about 0.15 s of CPU for the number and date patterns: a cost every
process that extracts entities paid, even a run whose articles' and summaries'
entities come from the analysis store. A compiled `regex` pattern pickles as the
compiler's output (its pattern text, flags and instruction code), and unpickling hands
that code straight to the C engine without parsing again (about 2 ms). So the compiled
patterns are kept in the user cache (``$BENCH_CACHE_DIR``, ``patterns/``), one file per
`regex` and Python version, each entry under its exact pattern text and flags: a
changed rule is a new key, compiled again. A file that cannot be read is ignored and a
cache that cannot be written is not used; the patterns are the same either way.

Each entry is kept pickled on its own (the file maps each key to its pickle's bytes) and
unpickled when a process first asks for it: a file also holds the patterns of earlier
rules (up to `MAX_KEPT`) and of the rules a process does not use, and unpickling every
large pattern a file held cost each run up to 30 ms where only a few were asked for.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import regex

from benchmark.data.cache_folder import cache_root
from benchmark.remembered import replace_pickled

Key = tuple[str, int]  # (pattern text, flags)
_loaded: dict[Key, bytes] | None = None  # this process's view of the file: pickled entries
_patterns: dict[Key, regex.Pattern] = {}  # the entries unpickled or compiled in this process
_used: set[Key] = set()  # the keys asked for in this process
MAX_KEPT = 32  # past this many patterns (rules edited often), keep only those in use


def compile_cached(pattern: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(pattern, flags)``, read back from the user cache when compiled
    before on this machine (by this `regex` and Python version)."""
    global _loaded
    if _loaded is None:
        _loaded = _read(cache_file())
        _patterns.clear()  # a new view of the file (a test's new process)
    key = (pattern, flags)
    _used.add(key)
    compiled = _patterns.get(key)
    if compiled is None:
        compiled = _unpickled(_loaded.get(key))
    if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
        _patterns[key] = compiled
        return compiled
    compiled = _patterns[key] = regex.compile(pattern, flags)
    _loaded[key] = pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL)
    if len(_loaded) > MAX_KEPT:
        _loaded = {kept: _loaded[kept] for kept in _loaded if kept in _used}
    _write(cache_file(), _loaded)
    return compiled


def cache_file() -> Path:
    version = f"regex{regex.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
    return cache_root() / "patterns" / f"entity-patterns-{version}.pickles"


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               IndexError, KeyError, TypeError, ValueError)


def _read(path: Path) -> dict[Key, bytes]:
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except _UNREADABLE:  # missing, damaged or from elsewhere: compile again
        return {}
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items() if type(value) is bytes}


def _unpickled(data: bytes | None) -> regex.Pattern | None:
    """The pattern pickled in `data`; None when absent or unreadable (compiled again)."""
    if data is None:
        return None
    try:
        found = pickle.loads(data)
    except _UNREADABLE:
        return None
    return found if isinstance(found, regex.Pattern) else None


def _write(path: Path, patterns: dict[Key, bytes]) -> None:
    try:
        replace_pickled(path, patterns)
    except OSError:
        pass  # a read-only or full cache: compiled in each process, as without one
