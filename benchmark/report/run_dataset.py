"""The reference examples a run scored, read back from the path its run.json records.

The run record keeps the dataset's path, limit and SHA-256, not its text, so the report
and the diff reread the data and check the hash: an article shown next to a prediction
is the one that prediction was made from, or the command says so and how to fix it.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.data.load import LoadedData, load_examples
from benchmark.errors import DataError
from benchmark.runs.record import DatasetInfo


def load_run_dataset(dataset: DatasetInfo, path: str | Path | None = None) -> LoadedData:
    """The examples of a run's ``dataset``, from ``path`` or else the recorded path.

    Raises `DataError` when the data cannot be read or no longer has the run's hash.
    """
    source = path if path is not None else dataset.path
    try:
        loaded = load_examples(source, skip_invalid=bool(dataset.skipped_invalid),
                               limit=dataset.limit)
    except DataError as exc:
        raise DataError(f"cannot read the dataset of the run ({exc})",
                        hint="pass the data it scored with {dataset_path}") from None
    if loaded.sha != dataset.sha256:
        raise DataError(f"{source}: holds {loaded.identity}, but the run scored "
                        f"{dataset.identity}", hint="pass the data it scored with {dataset_path}")
    return loaded
