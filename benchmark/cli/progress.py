"""Progress on stderr for long runs: a tqdm bar on a terminal, and otherwise (a log file,
CI, ``nohup``) one plain line every few seconds, so a long run is never silent."""

from __future__ import annotations

import sys
import time
from typing import Callable

from benchmark.cli.common import echo
from benchmark.textshow import escape

LINE_INTERVAL_S = 10.0


class ProgressBar:
    def __init__(self, desc: str, *, interval_s: float = LINE_INTERVAL_S,
                 clock: Callable[[], float] = time.monotonic, tty: bool | None = None):
        self.desc = desc
        self._bar = None
        self._interval = interval_s
        self._clock = clock
        self._tty = sys.stderr.isatty() if tty is None else tty
        self._total = self._done = self._started_at = 0
        self._began = self._last_line = 0.0

    def start(self, run_dir, total: int, done: int, resumed: bool) -> None:
        if resumed:
            echo(f"resuming {run_dir.path}: {done} of {total} items already done", err=True)
        else:
            echo(f"run folder: {run_dir.path}", err=True)
        self._total, self._done, self._started_at = total, done, done
        self._began = self._last_line = self._clock()
        if self._tty:
            from tqdm import tqdm

            self._bar = tqdm(total=total, initial=done, desc=escape(self.desc),
                             unit="item", file=sys.stderr, dynamic_ncols=True)

    def update(self, n: int) -> None:
        self._done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = self._clock()
        if now - self._last_line >= self._interval and self._done < self._total:
            self._line(now)

    def _line(self, now: float) -> None:
        """``lead-3: 120/3797 items (3.2%), 12.3 items/s`` (the rate of this invocation)."""
        share = self._done / self._total if self._total else 1.0
        elapsed = now - self._began
        rate = (self._done - self._started_at) / elapsed if elapsed > 0 else 0.0
        echo(f"{self.desc}: {self._done}/{self._total} items ({100 * share:.1f}%), "
             f"{rate:.1f} items/s", err=True)
        self._last_line = now

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
