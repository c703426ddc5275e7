"""A progress bar on stderr for long runs (tqdm), quiet when not on a terminal."""

from __future__ import annotations

import sys

from benchmark.cli.common import echo, terminal_safe


class ProgressBar:
    def __init__(self, desc: str):
        self.desc = desc
        self._bar = None

    def start(self, run_dir, total: int, done: int, resumed: bool) -> None:
        from tqdm import tqdm

        if resumed:
            echo(f"resuming {run_dir.path}: {done} of {total} items already done",
                       err=True)
        else:
            echo(f"run folder: {run_dir.path}", err=True)
        self._bar = tqdm(total=total, initial=done, desc=terminal_safe(self.desc), unit="item",
                         file=sys.stderr, disable=not sys.stderr.isatty(), dynamic_ncols=True)

    def update(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def __enter__(self) -> "ProgressBar":
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
