"""How many threads numpy's BLAS starts in bench's own processes: one.

numpy's OpenBLAS starts a thread per core when numpy is imported, and after each matrix
product its threads spin a while waiting for the next. bench has little for them: a
run's bootstrap gathers and sums without any matrix product, and `bench compare`'s
products (resamples by items, times items by systems) are small. So on a 2-core machine
the second thread only burns CPU: about 0.09 s of every run, beside the main thread (the
wall time hardly moves; some 4% of a second model's run), and nearly as much as the
comparison itself in a `bench compare` of full BBC runs, whose wall time it does not
shorten (`benchmarks/bench_blas_threads.py` measures both). A machine with more cores
starts more of them.

So bench's own processes (the command, and the scoring workers it starts, which inherit
its environment) ask OpenBLAS for one thread, through the variable it reads when it
loads: before numpy is imported, and only when the variable is not set already (a user
who sets it keeps their choice). A run's numbers do not change. `bench compare`'s
intervals and tests come from matrix products, whose sums are added in an order that
depends on how a product is shared among the threads: their bounds move in the last
digits with the thread count (by up to 4e-7 of a point on full BBC, where they are shown
to 0.01), and with one thread they no longer depend on the machine's number of cores. A
summarizer's model is not concerned (torch does its own threading, with its own BLAS).
Code that imports `benchmark` as a library keeps its BLAS as it was.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "OPENBLAS_NUM_THREADS"


def one_blas_thread() -> None:
    """Ask numpy's OpenBLAS for one thread in this process and its children, unless
    `VARIABLE` is set already or numpy is loaded (its threads started then)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault(VARIABLE, "1")
