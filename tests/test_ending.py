"""The ``bench`` command's process ends at once (`benchmark.cli.ending`): `atexit`
handlers run and the standard streams are flushed, but objects still alive are not
finalized; a normal exit wherever what it does besides matters. Each case runs in a
process of its own, with `os._exit` watched: it says "at once" when it ends the
process."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROLOGUE = """
import atexit, os, sys, threading, time
from benchmark.cli.ending import end_process

def watched_exit(status, exit=os._exit):
    sys.stderr.write("at once\\n")
    sys.stderr.flush()
    exit(status)

os._exit = watched_exit
"""


def ending(body: str, *arguments: str, flags: tuple[str, ...] = ()
           ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *flags, "-c", PROLOGUE + body, *arguments],
                          capture_output=True, text=True, timeout=60)


def test_atexit_handlers_run_and_buffered_output_is_flushed(tmp_path):
    done = ending("atexit.register(lambda: open(sys.argv[1], 'w').write('atexit ran'))\n"
                  "sys.stdout.write('buffered, no newline')\n"
                  "end_process(3)\n", str(tmp_path / "mark"))
    assert done.returncode == 3
    assert done.stdout == "buffered, no newline"  # a pipe: block-buffered until the end
    assert (tmp_path / "mark").read_text() == "atexit ran"
    assert done.stderr == "at once\n"


def test_a_file_left_open_loses_what_it_had_not_written(tmp_path):
    """What docs/configuration.md tells plugin authors: close what you open."""
    done = ending("handle = open(sys.argv[1], 'w')\nhandle.write('never flushed')\n"
                  "end_process(0)\n", str(tmp_path / "left-open"))
    assert (done.returncode, done.stderr) == (0, "at once\n")
    assert (tmp_path / "left-open").read_text() == ""


def test_status_none_is_success_and_a_daemon_thread_is_not_waited_for():
    done = ending("threading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
                  "end_process(None)\n")
    assert (done.returncode, done.stderr) == (0, "at once\n")


@pytest.mark.parametrize("body, flags, status", [
    # A message as the status: Python prints it and exits with 1.
    ("end_process('a message for the user')\n", (), 1),
    # A profiler attached (python -m cProfile writes its file after the command returns).
    ("sys.setprofile(lambda *args: None)\nend_process(0)\n", (), 0),
    # A tracer attached (a debugger, a coverage tool).
    ("sys.settrace(lambda *args: None)\nend_process(4)\n", (), 4),
    # Development mode reports unclosed files at the end.
    ("end_process(0)\n", ("-X", "dev"), 0),
], ids=["message", "profiler", "tracer", "dev-mode"])
def test_a_normal_exit_where_it_matters(body, flags, status):
    done = ending(body, flags=flags)
    assert done.returncode == status
    assert "at once" not in done.stderr
    if status == 1:  # printed by Python alone (no traceback of a failed ending)
        assert done.stderr == "a message for the user\n"


def test_a_live_thread_is_waited_for(tmp_path):
    done = ending("def late():\n"
                  "    time.sleep(0.3)\n"
                  "    open(sys.argv[1], 'w').write('the thread finished')\n"
                  "threading.Thread(target=late).start()\n"
                  "end_process(0)\n", str(tmp_path / "mark"))
    assert done.returncode == 0
    assert (tmp_path / "mark").read_text() == "the thread finished"
    assert "at once" not in done.stderr


def test_a_stream_that_cannot_be_flushed_is_left_to_python():
    done = ending("class Broken:\n"
                  "    def write(self, text): return len(text)\n"
                  "    def flush(self): raise BrokenPipeError(32, 'Broken pipe')\n"
                  "sys.stdout = Broken()\n"
                  "end_process(0)\n")
    # Python's own exit met the same stream and reported it, as it always does (an error
    # out of `end_process` would have begun with a traceback instead).
    assert "at once" not in done.stderr and "BrokenPipeError" in done.stderr
    assert done.stderr.startswith("Exception ignored in") and done.returncode == 120


def test_python_m_benchmark_cli_ends_at_once_and_main_as_usual():
    as_script = ending("import runpy\nsys.argv = ['bench', '--version']\n"
                       "runpy.run_module('benchmark.cli', run_name='__main__')\n")
    assert (as_script.returncode, as_script.stdout) == (0, "bench 0.1.0\n")
    assert as_script.stderr == "at once\n"
    in_code = ending("from benchmark.cli.app import main\nsys.argv = ['bench', '--version']\n"
                     "try:\n    main()\nexcept SystemExit as exit:\n"
                     "    print('main raised', exit.code)\n")
    assert in_code.stdout == "bench 0.1.0\nmain raised 0\n"
    assert "at once" not in in_code.stderr


def test_the_console_script_is_the_command_that_ends_at_once():
    with open(ROOT / "pyproject.toml", "rb") as handle:
        scripts = tomllib.load(handle)["project"]["scripts"]
    assert scripts == {"bench": "benchmark.cli.app:command"}


def test_a_usage_error_keeps_its_status_and_message(tmp_path):
    done = subprocess.run([sys.executable, "-m", "benchmark.cli", "run", "--no-such-option"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert "--no-such-option" in done.stderr
