"""The dataset-analysis cache: analyse each dataset's articles and references once
(DESIGN §11).

What a metric computes from an item's references and article alone (tokens and
sentences for ROUGE, entities for entity coverage: its `Metric.prepare`) is the same for
every model, so it is stored on disk and reused by every later `bench run` and
`bench score` on the dataset: a second model's run analyses only its predictions.

Layout, next to the prediction cache::

    <cache>/analysis/<dataset digest>/<metric>-<signature digest>.pkl

The dataset digest is over the dataset's name and resolved path; inside a file each
entry is keyed by the example id and a digest of its article and summary, so an edited
example is analysed again and a subset (``--limit``) shares the file with the whole.
The signature digest covers the metric's `analysis_signature` (text profile, NER
backend, versions) and a fingerprint of the source files of the text, entity and metric
packages, so a changed rule invalidates the file even before its version is bumped.

Files are pickles of ``{item key: analysis}``, written whole to a temporary file and
renamed into place under a lock, merging what another process stored meanwhile; an
unreadable file counts as empty.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from benchmark.data.example import Example

ANALYSIS_FOLDER = "analysis"
_PACKAGE = Path(__file__).resolve().parents[1]
_FINGERPRINTED = ("text", "entities", "metrics")

Analyses = dict[str, dict[str, Any]]  # item key -> metric name -> analysis


def item_key(example_id: str, *, article: str | None, reference: str) -> str:
    """The key of one item's analysis: its id and a digest of its texts."""
    digest = hashlib.sha256()
    for text in (article or "", reference):
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return f"{example_id}:{digest.hexdigest()[:16]}"


def example_key(example: Example) -> str:
    return item_key(example.id, article=example.article, reference=example.summary)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the files the analyses are computed by."""
    digest = hashlib.sha256()
    for folder in _FINGERPRINTED:
        for path in sorted((_PACKAGE / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".txt", ".json", ".tsv", ".csv"):
                digest.update(str(path.relative_to(_PACKAGE)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class AnalysisStore:
    """Where the analyses of one dataset for some metrics live; small and picklable,
    so that scoring workers can load the analyses themselves."""

    files: tuple[tuple[str, Path], ...]  # (metric name, file)

    @classmethod
    def for_dataset(cls, cache_dir: Path, *, dataset_name: str, dataset_path: str,
                    signatures: Mapping[str, str]) -> "AnalysisStore":
        """The store of a dataset for the metrics with the given analysis signatures."""
        place = f"{dataset_name}\0{Path(dataset_path).resolve()}"
        folder = (cache_dir / ANALYSIS_FOLDER
                  / f"{dataset_name}-{hashlib.sha256(place.encode()).hexdigest()[:12]}")
        files = []
        for name, signature in sorted(signatures.items()):
            blob = f"{signature}|code:{code_fingerprint()}"
            files.append((name, folder / f"{name}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}.pkl"))
        return cls(tuple(files))

    @property
    def metrics(self) -> list[str]:
        return [name for name, _ in self.files]

    def load(self) -> Analyses:
        """Everything stored, item key -> metric name -> analysis."""
        analyses: Analyses = {}
        for name, path in self.files:
            for key, value in _read(path).items():
                analyses.setdefault(key, {})[name] = value
        return analyses

    def save(self, new: Analyses) -> None:
        """Add `new` analyses to the files (merging with what is there now)."""
        for name, path in self.files:
            entries = {key: values[name] for key, values in new.items() if name in values}
            if entries:
                _merge_into(path, entries)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            entries = pickle.load(handle)
    except FileNotFoundError:
        return {}
    except Exception:  # torn, damaged or from an incompatible version: analyse again
        return {}
    return entries if isinstance(entries, dict) else {}


def _merge_into(path: Path, entries: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time; readers never wait
        merged = _read(path)
        merged.update(entries)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(merged, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)
