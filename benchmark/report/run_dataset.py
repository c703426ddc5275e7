"""The reference examples a run scored, read back from where its run.json says.

The run record keeps the dataset's identity and where it was read from (relative to the
run folder, absolute, and as given), not its text, so the report and the diff reread the
data and check the hash: an article shown next to a prediction is the one that
prediction was made from, or the command says so and how to fix it. Relative to the
run folder first, so a results folder moved together with its data still works, and
from any current folder.
"""

from __future__ import annotations

from pathlib import Path

from benchmark.data.identity import IDENTITY_SCHEME, dataset_sha, format_identity
from benchmark.data.load import LoadedData, load_examples
from benchmark.errors import DataError
from benchmark.runs.run import Run

HINT = "pass the data it scored with {dataset_path}"


def load_run_dataset(run: Run, path: str | Path | None = None) -> LoadedData:
    """The examples of `run`'s dataset, from ``path`` or else the places its record
    names (`DatasetInfo.data_locations`), the first that can be read.

    Raises `DataError` when none can be read or the data no longer has the run's hash.
    """
    dataset = run.record.dataset
    places = [str(path)] if path is not None else dataset.data_locations(run.path)
    if not places:
        raise DataError("the run does not record where its dataset was read from", hint=HINT)
    failures = []
    for place in places:
        try:
            loaded = _load(place, dataset)
        except DataError as exc:
            failures.append(str(exc))
            continue
        sha = loaded.sha if dataset.scheme == IDENTITY_SCHEME else dataset_sha(
            loaded.examples, scheme=dataset.scheme)
        if sha != dataset.sha256:
            raise DataError(f"{place}: holds {format_identity(loaded.name, sha)}, but the run "
                            f"scored {dataset.identity}", hint=HINT)
        return loaded
    raise DataError(f"cannot read the dataset of the run ({'; '.join(failures)})", hint=HINT)


def _load(place: str, dataset) -> LoadedData:
    # Scheme 1 hashed only the examples a --limit run read; scheme 2 the whole dataset.
    limit = dataset.limit if dataset.scheme == 1 else None
    return load_examples(place, skip_invalid=bool(dataset.skipped_invalid), limit=limit)
