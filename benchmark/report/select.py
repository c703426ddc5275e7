"""Which runs a comparison uses, and why the others were left out (DESIGN §10).

Default: the newest complete run per label for each dataset (one comparison per
dataset when none is chosen: `select_groups`). Partial runs (a ``--limit``, a
``bench score`` of some items) never block a comparison: they are left out and named,
unless passed as folders (then compare pairs them on the items they share). Every run
left out is reported with its reason, so nothing disappears silently. A dataset is
chosen by any of its names (a registry name or the file's stem it was read from), its
identity or a sha prefix. `bench compare` and `bench report` share this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from benchmark.errors import BenchmarkError
from benchmark.paths import DEFAULT_RESULTS
from benchmark.runs.record import DatasetInfo
from benchmark.runs.run import Run, list_runs


@dataclass(frozen=True)
class Selection:
    """What the user asked for: run folders, or a results folder and a dataset."""

    run_dirs: tuple[Path, ...] = ()
    results: Path = DEFAULT_RESULTS
    dataset: str | None = None  # name, identity or sha prefix
    exclude: tuple[str, ...] = ()  # labels


@dataclass(frozen=True)
class LeftOut:
    label: str
    run_id: str
    reason: str

    def describe(self) -> str:
        return f"{self.label} ({self.run_id}): {self.reason}"


@dataclass
class Selected:
    runs: list[Run]
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def dataset(self) -> DatasetInfo:
        return self.runs[0].record.dataset


def select_runs(selection: Selection) -> Selected:
    """The runs to compare on one dataset, and every run left out with its reason."""
    if selection.run_dirs:
        return _explicit(selection)
    candidates, left_out = _scan(selection)
    by_dataset = _group_by_dataset(candidates)
    sha = _choose_dataset(by_dataset, selection)
    chosen = _newest_per_label(by_dataset.pop(sha), left_out)
    for runs in by_dataset.values():
        left_out += [LeftOut(run.label, run.run_id,
                             f"on dataset {describe_dataset(run.record.dataset)}")
                     for run in runs]
    return Selected(chosen, left_out)


def select_groups(selection: Selection) -> tuple[list[Selected], list[LeftOut]]:
    """The runs to compare, one group per dataset: the chosen dataset's, or (none
    chosen) every dataset's with runs, the dataset with the most runs first (then the
    newest); and every run left out with its reason."""
    if selection.run_dirs or selection.dataset is not None:
        selected = select_runs(selection)
        return [Selected(selected.runs)], selected.left_out
    candidates, left_out = _scan(selection)
    groups = [Selected(_newest_per_label(runs, left_out))
              for runs in _group_by_dataset(candidates).values()]
    groups.sort(key=lambda group: len(group.runs), reverse=True)  # stable: newest first
    return groups, left_out


def select_all_datasets(selection: Selection) -> tuple[list[Selected], list[LeftOut]]:
    """The newest complete run per label on every dataset with runs (the dataset of the
    newest run first), and every run left out with its reason."""
    if selection.run_dirs:
        explicit = _explicit(selection, check_labels=False)
        candidates, left_out = explicit.runs, explicit.left_out
    else:
        candidates, left_out = _scan(selection)
    groups = [Selected(_newest_per_label(runs, left_out))
              for runs in _group_by_dataset(candidates).values()]
    return groups, left_out


def _explicit(selection: Selection, *, check_labels: bool = True) -> Selected:
    runs, left_out = [], []
    for path in selection.run_dirs:
        run = Run.open(path)
        if not run.record.complete:
            raise BenchmarkError(f"{path}: the run is not finished; rerun its 'bench run' "
                                 "command to complete it")
        if run.label in selection.exclude:
            left_out.append(LeftOut(run.label, run.run_id, "--exclude"))
        else:
            runs.append(run)
    if not runs:
        raise BenchmarkError("every run passed was excluded", hint="drop an {exclude}")
    if check_labels:
        check_labels_unique(runs)
    return Selected(runs, left_out)


def check_labels_unique(runs: Sequence[Run]) -> None:
    """Two rows with the same label cannot be told apart: refuse, saying how to fix it."""
    seen: dict[str, Run] = {}
    for run in runs:
        if run.label in seen:
            other = seen[run.label]
            raise BenchmarkError(
                f"two runs are labelled {run.label!r} ({other.path} and {run.path})",
                hint="pass only one of them, or give one a label of its own to tell them "
                     "apart (rerun it as 'bench run ... {name} LABEL')")
        seen[run.label] = run


def _scan(selection: Selection) -> tuple[list[Run], list[LeftOut]]:
    """Complete, whole-dataset, not excluded runs under the results folder; the rest
    left out with a reason."""
    candidates, left_out = [], []
    for path in list_runs(selection.results):
        try:
            run = Run.open(path)
        except BenchmarkError as exc:
            left_out.append(LeftOut("?", path.name, f"unreadable ({exc})"))
            continue
        record = run.record
        if not record.complete:
            reason = f"unfinished ({record.status}); rerun its command to complete it"
        elif run.label in selection.exclude:
            reason = "--exclude"
        elif record.dataset.partial_reason:
            reason = f"{record.dataset.partial_reason}; pass its folder to include it"
        else:
            candidates.append(run)
            continue
        left_out.append(LeftOut(run.label, run.run_id, reason))
    if not candidates:
        raise BenchmarkError(_nothing_to_compare(selection, left_out))
    return candidates, left_out


def _nothing_to_compare(selection: Selection, left_out: list[LeftOut]) -> str:
    message = (f"no complete run under {selection.results}; run 'bench run --model lead-3' "
               "first, or pass run folders")
    if left_out:
        message += " (left out: " + "; ".join(x.describe() for x in left_out[:5]) + ")"
    return message


def _group_by_dataset(runs: list[Run]) -> dict[str, list[Run]]:
    """Runs by dataset sha, the dataset of the newest run first."""
    groups: dict[str, list[Run]] = {}
    for run in sorted(runs, key=_age, reverse=True):
        groups.setdefault(run.record.dataset.sha256, []).append(run)
    return groups


def _age(run: Run) -> tuple[str, str]:
    return (run.record.finished or run.record.created, run.run_id)


def _choose_dataset(by_dataset: dict[str, list[Run]], selection: Selection) -> str:
    wanted = selection.dataset
    if wanted is None:
        if len(by_dataset) == 1:
            return next(iter(by_dataset))
        raise BenchmarkError(f"runs under {selection.results} are on {len(by_dataset)} "
                             f"datasets: {_describe_datasets(by_dataset)}",
                             hint="choose one with {dataset} NAME (or its identity)")
    matches = [sha for sha, runs in by_dataset.items()
               if _dataset_matches(runs[0].record.dataset, wanted)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise BenchmarkError(f"dataset {wanted!r}: no complete run under "
                             f"{selection.results} used it; datasets with runs: "
                             f"{_describe_datasets(by_dataset)}")
    raise BenchmarkError(f"dataset {wanted!r} names {len(matches)} datasets: "
                         f"{_describe_datasets({sha: by_dataset[sha] for sha in matches})}; "
                         "give the identity instead")


def _describe_datasets(by_dataset: dict[str, list[Run]]) -> str:
    return ", ".join(describe_dataset(runs[0].record.dataset) + f" ({len(runs)} run(s))"
                     for runs in by_dataset.values())


def describe_dataset(dataset: DatasetInfo) -> str:
    """Its identity, and a word when it was computed by the older scheme."""
    return dataset.identity + (" (identity of an older bench: file name and metadata "
                               "included)" if dataset.scheme == 1 else "")


def _dataset_matches(dataset: DatasetInfo, wanted: str) -> bool:
    """By name (any of its names), identity (``name@sha256:hex``: the content's hash
    decides, whatever the name) or a sha prefix of at least 6 hex digits."""
    name, at, identity_sha = wanted.partition("@sha256:")
    prefix = identity_sha if at else wanted.removeprefix("sha256:")
    if at and not prefix:
        return False
    return (wanted in dataset.names
            or (len(prefix) >= 6 and dataset.sha256.startswith(prefix.lower())))


def _newest_per_label(runs: list[Run], left_out: list[LeftOut]) -> list[Run]:
    """`runs` is newest first; keep the first of each label, note the older ones."""
    newest: dict[str, Run] = {}
    for run in runs:
        if run.label in newest:
            left_out.append(LeftOut(run.label, run.run_id,
                                    f"older than {newest[run.label].run_id} (same label)"))
        else:
            newest[run.label] = run
    return sorted(newest.values(), key=_age)
