"""The boundary with Hugging Face `datasets`: examples to a `Dataset`, and back from disk.

The Dataset's columns are `RECORD_FIELDS` (``id, date, article, bullets, summary,
references, source, meta``). ``meta`` is stored as a JSON object string: an Arrow struct column would
give every row the union of all rows' meta keys (the missing ones as None), so meta would
not survive the round trip. `Example.from_record(ds[i])` decodes it.

`datasets` is imported inside the functions: it takes a second or more to import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from benchmark.data.example import RECORD_FIELDS, Example
from benchmark.data.tabular import Parsed, rows_to_examples
from benchmark.errors import DataError

if TYPE_CHECKING:
    import datasets

SAVED_MARKERS = ("dataset_info.json", "state.json", "dataset_dict.json")


def to_hf_dataset(examples: Iterable[Example]) -> "datasets.Dataset":
    """A `datasets.Dataset` with one row per example (``meta`` as a JSON string)."""
    import datasets

    features = datasets.Features({
        "id": datasets.Value("string"),
        "date": datasets.Value("string"),
        "article": datasets.Value("string"),
        "bullets": datasets.Sequence(datasets.Value("string")),
        "summary": datasets.Value("string"),
        "references": datasets.Sequence(datasets.Sequence(datasets.Value("string"))),
        "source": datasets.Value("string"),
        "meta": datasets.Value("string"),
    })
    columns: dict[str, list] = {name: [] for name in RECORD_FIELDS}
    for example in examples:
        record = example.to_record()
        record["meta"] = json.dumps(record["meta"], sort_keys=True, ensure_ascii=False)
        for name in RECORD_FIELDS:
            columns[name].append(record[name])
    return datasets.Dataset.from_dict(columns, features=features)


def is_saved_dataset(folder: Path) -> bool:
    """Whether ``folder`` was written by ``Dataset.save_to_disk`` (or a DatasetDict's)."""
    return any((folder / marker).is_file() for marker in SAVED_MARKERS)


def read_saved_dataset(folder: Path, *, shown: str) -> Iterator[Parsed]:
    """Rows of a ``save_to_disk`` folder, through the same row rules as JSONL."""
    import datasets

    try:
        loaded = datasets.load_from_disk(str(folder))
    except Exception as exc:  # datasets raises several types for a damaged folder
        raise DataError(f"not a readable save_to_disk folder ({exc})", path=shown) from None
    if isinstance(loaded, datasets.DatasetDict):
        splits = sorted(loaded)
        if len(splits) != 1:
            raise DataError(f"a DatasetDict with splits {', '.join(splits)}: pass one "
                            f"split's folder, e.g. {Path(shown) / splits[0]}", path=shown)
        loaded = loaded[splits[0]]
    name = folder.resolve().name
    yield from rows_to_examples(iter(loaded), stem=name, source=name, shown=shown)
