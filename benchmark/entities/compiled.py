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
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import regex

from benchmark.data.cache_folder import cache_root
from benchmark.remembered import replace_pickled

_loaded: dict[tuple[str, int], regex.Pattern] | None = None  # this process's view
_used: set[tuple[str, int]] = set()  # the keys asked for in this process
MAX_KEPT = 32  # past this many patterns (rules edited often), keep only those in use


def compile_cached(pattern: str, flags: int = 0) -> regex.Pattern:
    """``regex.compile(pattern, flags)``, read back from the user cache when compiled
    before on this machine (by this `regex` and Python version)."""
    global _loaded
    if _loaded is None:
        _loaded = _read(cache_file())
    key = (pattern, flags)
    _used.add(key)
    compiled = _loaded.get(key)
    if isinstance(compiled, regex.Pattern) and compiled.pattern == pattern:
        return compiled
    compiled = _loaded[key] = regex.compile(pattern, flags)
    if len(_loaded) > MAX_KEPT:
        _loaded = {kept: _loaded[kept] for kept in _loaded if kept in _used}
    _write(cache_file(), _loaded)
    return compiled


def cache_file() -> Path:
    version = f"regex{regex.__version__}-py{sys.version_info[0]}.{sys.version_info[1]}"
    return cache_root() / "patterns" / f"entity-patterns-{version}.pickle"


_UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
               IndexError, KeyError, TypeError, ValueError)


def _read(path: Path) -> dict[tuple[str, int], regex.Pattern]:
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
    except _UNREADABLE:  # missing, damaged or from elsewhere: compile again
        return {}
    return found if isinstance(found, dict) else {}


def _write(path: Path, patterns: dict[tuple[str, int], regex.Pattern]) -> None:
    try:
        replace_pickled(path, patterns)
    except OSError:
        pass  # a read-only or full cache: compiled in each process, as without one
