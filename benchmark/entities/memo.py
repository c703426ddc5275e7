"""`WordMemo`: a function's value for each word of a text, remembered across texts."""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar

Value = TypeVar("Value")


class _Remembered(dict):
    """A dict that computes a missing word's value on first lookup: a text's words are
    then looked up by one `map` of `__getitem__`, new words or not."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[str], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> Any:
        value = self[word] = self.compute(word)
        return value


class WordMemo(Generic[Value]):
    """`compute(word)` for the words of many texts: most words recur, so each distinct
    word is computed once. Bounded: past `limit` words it starts a fresh dict (replaced,
    not cleared, so a thread still reading the old one is not disturbed)."""

    def __init__(self, compute: Callable[[str], Value], *, limit: int = 1 << 17):
        self._compute = compute
        self._limit = limit
        self._values: _Remembered = _Remembered(compute)

    def values(self, words: list[str]) -> list[Value]:
        """`compute(word)` for each of `words`, in order."""
        values = self._values
        if len(values) > self._limit:
            values = self._values = _Remembered(self._compute)
        return list(map(values.__getitem__, words))
