"""What pyproject.toml cannot say: an opt-in compiled build of the entity rules and the
ROUGE kernels.

``BENCH_COMPILE=1 pip install --no-build-isolation .`` (with setuptools and mypy
installed, and a C compiler) compiles the modules listed under ``[tool.bench.compile]``
in pyproject.toml with mypyc: the same code, a quarter less CPU for the entity work
and a third less for the ROUGE kernels (``benchmarks/bench_compiled.py``;
``tests/test_compiled_build.py`` checks the compiled wheel's entities and scores against
the plain modules'). By default nothing is compiled and bench installs as pure Python.
An editable install is never compiled: a compiled module beside its source would shadow
every later edit of it.
"""

import os
import sys
import tomllib

from setuptools import setup


def compiled_modules() -> list:
    if os.environ.get("BENCH_COMPILE") != "1":
        return []
    if any("editable" in argument for argument in sys.argv):
        print("BENCH_COMPILE=1 is ignored by an editable install (a compiled module would "
              "shadow edits of its source): installing pure Python", file=sys.stderr)
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.exit("BENCH_COMPILE=1 needs mypy where the package is built: pip install mypy "
                 "setuptools, then BENCH_COMPILE=1 pip install --no-build-isolation .")

    with open("pyproject.toml", "rb") as handle:
        modules = tomllib.load(handle)["tool"]["bench"]["compile"]["modules"]
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *modules],
                    opt_level="3")


setup(ext_modules=compiled_modules())
