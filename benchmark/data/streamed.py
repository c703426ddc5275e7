"""A dataset read from its file batch by batch instead of held in memory.

`load.open_examples` reads a JSON Lines file once, checking every record as
`load_examples` does, and keeps only what needs the whole dataset: the ids, the line of
each example, the sha and the ids of summaries without a word (`Scan`). Each
`StreamedData.iter_examples` reads the file again and yields the same examples, one at a
time, so a run over a million articles holds a batch of texts, not all of them.

A file changed between the two reads is an error (the ids or the sha would no longer
describe what was scored): the examples are checked against the ids and lines found by
the first read, and a digest of the examples yielded is compared at the end: not the
identity's canonical JSON (half the cost of a rouge-only run's reading) but `check_bytes`,
the same fields as UTF-8, kept beside the sha by the first read (`Scan.check`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from benchmark.data.example import Example
from benchmark.data.identity import format_identity, hashed_line
from benchmark.data.tabular import Location, Parsed
from benchmark.errors import DataError

CHANGED = "the file changed since the run first read it"


@dataclass
class Scan:
    """What one read of a dataset keeps: small facts per example, no texts."""

    ids: list[str] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)  # the record's line in the file
    sha: str = ""  # `dataset_sha` of the examples
    wordless_ids: list[str] = field(default_factory=list)
    unused_fields: list[str] = field(default_factory=list)  # input fields not used
    head: int | None = None  # `head_sha` is the sha of this many first examples
    head_sha: str = ""
    # SHA-256 of the examples' `check_bytes` (all of them, the first `head`): what a
    # second read compares; empty (a scan remembered without it): the sha is compared.
    check: str = ""
    head_check: str = ""


def check_bytes(example: Example) -> bytes:
    """The fields the identity covers (`Example.content`), as UTF-8 without JSON: the
    bytes a second read hashes to find the examples of the first, at under half of
    `hashed_line`'s cost. Equal examples give equal bytes, different ones different
    bytes: the counts of bullets and of each reference's bullets come first, then each
    text after its length (a date of None as ``-``). Each text is joined once, not
    copied behind its length first (an article is most of the bytes)."""
    bullets, references, date = example.bullets, example.references, example.date
    shape = str(len(bullets)) if not references else \
        " ".join([str(len(bullets)), *[str(len(reference)) for reference in references]])
    parts = [shape, "|", "-" if date is None else f"{len(date)}:{date}"]
    for text in (example.id, example.article, *bullets):
        parts += (f"{len(text)}:", text)
    for reference in references:
        for text in reference:
            parts += (f"{len(text)}:", text)
    parts.append("\n")
    return "".join(parts).encode("utf-8", "surrogatepass")


def scan_examples(located: Iterable[tuple[int | None, Example]], *,
                  head: int | None = None) -> Scan:
    """Ids, lines, sha and wordless summaries of ``(line, example)`` pairs; with
    ``head``, also the sha of the first ``head`` examples (for a run on them)."""
    from benchmark.text.tokenize import count_letters_digits

    scan = Scan(head=head)
    digest, check = hashlib.sha256(), hashlib.sha256()
    unused: dict[str, None] = {}
    for line, example in located:
        if len(scan.ids) == head:
            scan.head_sha, scan.head_check = digest.hexdigest(), check.hexdigest()
        scan.ids.append(example.id)
        scan.lines.append(line)
        digest.update(hashed_line(example))
        check.update(check_bytes(example))
        unused.update(dict.fromkeys(example.unused_fields))
        if count_letters_digits(example.summary) == 0:
            scan.wordless_ids.append(example.id)
    scan.sha, scan.check = digest.hexdigest(), check.hexdigest()
    if head is not None and len(scan.ids) <= head:
        scan.head, scan.head_sha, scan.head_check = len(scan.ids), scan.sha, scan.check
    scan.unused_fields = list(unused)
    return scan


@dataclass
class StreamedData:
    """The same questions as `LoadedData` (name, path, skipped, ids, size, sha, identity,
    wordless_ids, iter_examples, subset), answered without holding the examples."""

    name: str
    path: str
    scan: Scan
    reread: Callable[[], Iterator[Parsed]]
    skipped: list[DataError] = field(default_factory=list)
    aliases: tuple[str, ...] = ()  # other names of the same dataset (a file's stem)
    file: str | None = None  # the file read, absolute

    @property
    def ids(self) -> list[str]:
        return self.scan.ids

    @property
    def size(self) -> int:
        return len(self.scan.ids)

    @property
    def sha(self) -> str:
        return self.scan.sha

    @property
    def identity(self) -> str:
        return format_identity(self.name, self.sha)

    @property
    def wordless_ids(self) -> list[str]:
        return self.scan.wordless_ids

    @property
    def unused_fields(self) -> list[str]:
        return self.scan.unused_fields

    def head(self, n: int) -> "StreamedData":
        """The first ``n`` examples (no further read when the scan kept their sha)."""
        if n >= self.size:
            return self
        if self.scan.head != n:
            return self.subset(set(self.ids[:n]))
        first = set(self.ids[:n])
        scan = Scan(ids=self.ids[:n], lines=self.scan.lines[:n], sha=self.scan.head_sha,
                    check=self.scan.head_check, wordless_ids=[i for i in self.wordless_ids if i in first],
                    unused_fields=self.unused_fields)
        return StreamedData(name=self.name, path=self.path, scan=scan, reread=self.reread,
                            skipped=self.skipped, aliases=self.aliases, file=self.file)

    def iter_examples(self) -> Iterator[Example]:
        """The examples, in order, read from the file again."""
        wanted = iter(zip(self.scan.lines, self.scan.ids))
        line, wanted_id = next(wanted)
        digest = hashlib.sha256()
        hashed, expected = (check_bytes, self.scan.check) if self.scan.check else \
            (hashed_line, self.sha)
        shown = self.path
        for where, item in self.reread():
            shown = where.path
            if where.line != line:
                continue
            if not isinstance(item, Example) or item.id != wanted_id:
                raise _changed(f"expected the example {wanted_id!r} here", where)
            digest.update(hashed(item))
            yield item
            line, wanted_id = next(wanted, (None, None))
            if wanted_id is None:
                break
        if wanted_id is not None:
            raise _changed(f"the example {wanted_id!r} is gone", Location(shown, line))
        if digest.hexdigest() != expected:
            raise _changed("the examples read again differ from those read first",
                           Location(shown))

    def subset(self, keep: Collection[str]) -> "StreamedData":
        """The examples whose id is in ``keep``, in order (one more read, for the sha;
        none when every example is kept)."""
        if all(id_ in keep for id_ in self.scan.ids):
            return self
        located = ((line, example) for line, example in zip(self.scan.lines,
                                                             self.iter_examples())
                   if example.id in keep)
        scan = scan_examples(located)
        return StreamedData(name=self.name, path=self.path, scan=scan, reread=self.reread,
                            skipped=self.skipped, aliases=self.aliases, file=self.file)


def _changed(what: str, where: Location) -> DataError:
    return DataError(f"{CHANGED}: {what}", path=where.path, line=where.line,
                     hint="rerun once it no longer changes")
