"""A third-party summarizer: the first `words` words of each article, as one line.

It only uses the public plugin contract: subclass `Summarizer`, declare typed
`Options`, implement `summarize`, and register under the entry-point group
``benchmark.summarizers`` (see pyproject.toml).
"""

from __future__ import annotations

from typing import ClassVar, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.summarizers.base import Options, Prediction, Summarizer


class FirstWordsOptions(Options):
    words: int = Field(5, ge=1)


class FirstWords(Summarizer):
    backend: ClassVar[str] = "plugin"
    Options: ClassVar[type[Options]] = FirstWordsOptions

    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        return [Prediction(" ".join(example.article.split()[:self.options.words]))
                for example in examples]


class NotASummarizer:
    """For the test that `py:` refuses a class that is not a Summarizer."""
