"""How the ``bench`` command's own process ends: at once, its heap left to the system.

A normal Python exit tears the heap down object by object: every module is cleared,
and the gazetteer's frozen objects are given back to the collector for a last full
collection (`benchmark.entities.gazetteer`). After a run that is CPU spent freeing
memory the system takes back anyway: 0.1 s after a rouge-only run, about 0.2 s after a
second model's, 0.3-0.4 s after a first model's with entities
(`benchmarks/bench_exit.py` measures it). So the command's process (the console
script, ``python -m benchmark.cli``) ends as multiprocessing's children do: the
`atexit` handlers run (the log handlers flush, coverage saves its data, child processes
are joined), the standard streams are flushed, and `os._exit` ends it.

A normal exit is kept wherever what it does besides matters: when a thread that
Python would wait for is still alive, when a profiler or a tracer is attached
(`python -m cProfile` writes its file after the command returns), in Python's
development mode (it reports unclosed files at the end), when the exit status is not a
number (Python prints it), and when flushing a standard stream fails (Python reports
that as it always does). What is not kept: finalizers of objects still alive at the
end, e.g. a file that a plugin opened and never closed loses what it had not written
yet, as when the process is killed. Close what you open (a ``with`` block).

A program that runs the command inside itself (`benchmark.cli.app.main`) ends as it
always did.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def end_process(status: object) -> NoReturn:
    """End this process with `status` (a `SystemExit` code) without tearing its heap
    down, or raise ``SystemExit(status)`` where a normal exit is needed (above)."""
    if exits_normally(status):
        raise SystemExit(status)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe, a closed stream: Python says so
        raise SystemExit(status) from None
    os._exit(int(status or 0))  # type: ignore[call-overload]


def exits_normally(status: object) -> bool:
    """Does ending with `status` need Python's normal exit?"""
    if status is not None and not isinstance(status, int):
        return True
    if sys.getprofile() is not None or sys.gettrace() is not None or sys.flags.dev_mode:
        return True
    if not hasattr(atexit, "_run_exitfuncs"):
        return True
    main = threading.main_thread()
    return any(thread is not main and not thread.daemon and thread.is_alive()
               for thread in threading.enumerate())
