"""A summarizer for harness tests, used as ``py:counting_summarizer:Counting``.

Every call for an example appends its id to a log file (one line, flushed) after an
optional delay, so tests can count how often the "model" saw each input, and kill the
process while it is busy. Items whose article contains `fail_on` fail.
"""

from __future__ import annotations

import time
from typing import ClassVar, Sequence

from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.text import split_sentences


class CountingOptions(Options):
    log: str
    delay: float = 0.0
    batch_size: int = 4
    fail_on: str | None = None


class Counting(Summarizer):
    backend = "test"
    Options: ClassVar[type[Options]] = CountingOptions

    @property
    def batch_size(self) -> int:
        return self.options.batch_size

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        return [prediction for _, prediction in self.stream(examples)]

    def stream(self, examples):
        for index, example in enumerate(examples):
            time.sleep(self.options.delay)
            with open(self.options.log, "a", encoding="utf-8") as log:
                log.write(example.id + "\n")
            if self.options.fail_on and self.options.fail_on in example.article:
                yield index, Prediction("", error="simulated server error 500")
            else:
                yield index, Prediction("\n".join(split_sentences(example.article)[:2]),
                                        usage={"prompt_tokens": 10, "completion_tokens": 2})


from benchmark.data.example import Example  # noqa: E402  (for the annotation above)
