"""A summarizer for harness tests, used as ``py:counting_summarizer:Counting``.

Every call for an example appends its id to a log file (one line, flushed) after an
optional delay, so tests can count how often the "model" saw each input. Items whose
article contains `fail_on` fail. With `hold_after=k` and `release=PATH`, the process
stops before its (k+1)-th item (every earlier prediction has been handed over and
cached by then), creates ``PATH.waiting`` and waits until PATH exists: a test can kill
it at a known point instead of racing a timer.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar, Sequence

from benchmark.data.example import Example
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.text import split_sentences


class CountingOptions(Options):
    log: str
    delay: float = 0.0
    batch_size: int = 4
    fail_on: str | None = None
    hold_after: int | None = None
    release: str | None = None


class Counting(Summarizer):
    backend = "test"
    Options: ClassVar[type[Options]] = CountingOptions

    @property
    def batch_size(self) -> int:
        return self.options.batch_size

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        return [prediction for _, prediction in self.stream(examples)]

    calls = 0  # items started in this process

    def stream(self, examples):
        for index, example in enumerate(examples):
            if self.options.hold_after is not None and self.calls == self.options.hold_after:
                self._hold()
            self.calls += 1
            time.sleep(self.options.delay)
            with open(self.options.log, "a", encoding="utf-8") as log:
                log.write(example.id + "\n")
            if self.options.fail_on and self.options.fail_on in example.article:
                yield index, Prediction("", error="simulated server error 500")
            else:
                yield index, Prediction("\n".join(split_sentences(example.article)[:2]),
                                        usage={"prompt_tokens": 10, "completion_tokens": 2})


    def _hold(self) -> None:
        release = Path(self.options.release)
        Path(f"{release}.waiting").touch()
        while not release.exists():
            time.sleep(0.01)

