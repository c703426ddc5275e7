"""Moved to `benchmark.jsonl` (a ground utility, used below `runs/` too). This name is
the same module object, so code that imports or patches it here still works."""

import sys

from benchmark import jsonl as _jsonl

sys.modules[__name__] = _jsonl
