"""Reference data (DESIGN §4): `Example` records, readers, the Dataset and its identity.

    from benchmark.data import load_examples, load_reference, dataset_identity

Importing this package is light: `datasets` and `pyarrow` load only when a Dataset is
built or a Parquet/save_to_disk input is read.
"""

from benchmark.data.example import RECORD_FIELDS, Example
from benchmark.data.identity import dataset_identity, dataset_sha, format_identity
from benchmark.data.invalid import InvalidRecordError
from benchmark.data.load import LoadedData, load_examples, load_reference, open_examples

# Imported when first asked for (a run uses neither): name -> module under benchmark.data
_LAZY = {"to_hf_dataset": "hf_dataset", "dataset_stats": "stats"}

__all__ = ["RECORD_FIELDS", "Example", "InvalidRecordError", "LoadedData", "dataset_identity",
           "dataset_sha", "dataset_stats", "format_identity", "load_examples", "load_reference",
           "open_examples", "to_hf_dataset"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"benchmark.data.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
