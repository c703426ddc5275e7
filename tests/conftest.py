"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The transformers models of the tests are tiny: one thread runs them fastest, and on a
# busy machine several threads spin against each other (a user's setting wins).
os.environ.setdefault("OMP_NUM_THREADS", "1")

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (corpora, seed, NER data); skip when absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent (the corpora live beside the repository)")
    return SHARED_DIR


@pytest.fixture
def bbc_head(shared_dir, tmp_path):
    """`bbc_head(n)`: the first n BBC pairs as a dataset file of their own
    (``bbc<n>.jsonl`` in the test's folder), lines copied as they are."""

    def write(n: int) -> Path:
        path = tmp_path / f"bbc{n}.jsonl"
        with (shared_dir / "corpora" / "ant_bbc.jsonl").open(encoding="utf-8") as source:
            path.write_text("".join(next(source) for _ in range(n)), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory) -> Path:
    """Where the tiny transformers models are kept between sessions (tests/tiny_hf.py)."""
    return tmp_path_factory.getbasetemp().parent / "bench-tiny-models"


@pytest.fixture(scope="session")
def seq2seq_path(tiny_models_dir) -> Path:
    """A tiny random BART with 64 input positions (read only: copy it to change it)."""
    from tiny_hf import build_seq2seq, cached

    return cached(tiny_models_dir, build_seq2seq, positions=64)


@pytest.fixture(scope="session")
def causal_path(tiny_models_dir) -> Path:
    """A tiny random Llama with a chat template, 256 positions (read only)."""
    from tiny_hf import build_causal, cached

    return cached(tiny_models_dir, build_causal, positions=256)


@pytest.fixture
def workers_at_work(monkeypatch):
    """Scoring pools use every worker asked for, start them at once and wait for one to
    be up before the first submission: a test of the worker path then never runs
    in-process alone (see `ScoringPool`: workers start when the work left is worth it,
    and submissions are scored in-process until a worker has started)."""
    from benchmark.runs import scoring_pool

    original = scoring_pool.ScoringPool.__init__

    def waiting(self, *args, **kwargs):
        original(self, *args, **{**kwargs, "items": None})  # workers start at once
        if self._up is not None:
            self._up.result(timeout=120)

    monkeypatch.setattr(scoring_pool.ScoringPool, "__init__", waiting)
    from benchmark.runs.record import WorkerPlan

    monkeypatch.setattr("benchmark.runs.harness.plan_workers",
                        lambda requested, items: WorkerPlan(requested=requested,
                                                            processes=requested,
                                                            reason="as asked (tests)"))
