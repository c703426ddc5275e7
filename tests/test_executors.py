"""Executors: the Ray executor writes the same items.jsonl as the local one, on 200 real
BBC items with ROUGE and entities, on a local Ray instance started here."""

from __future__ import annotations

import json
import re
import socket

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import BenchmarkError, ConfigError
from benchmark.runs.executors import check_executor
from benchmark.runs.harness import RunConfig, run_benchmark
from benchmark.runs.run import Run

ITEMS = 200
TIMING_KEYS = {"latency_s"}  # how long an item took: the only field allowed to differ


@pytest.fixture(scope="module")
def ray_instance():
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install "
                                            "'arsum-bench[ray]')")
    try:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 object_store_memory=100 * 1024 * 1024)
    except Exception as exc:  # a sandbox without the sockets or shared memory Ray needs
        pytest.skip(f"a local Ray instance cannot start here: {type(exc).__name__}: {exc}")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def bbc(shared_dir):
    return shared_dir / "corpora" / "ant_bbc.jsonl"


def items_of(run_dir) -> dict[str, dict]:
    lines = [json.loads(line) for line in
             run_dir.items_file.read_text(encoding="utf-8").splitlines()]
    return {line["id"]: {k: v for k, v in line.items() if k not in TIMING_KEYS}
            for line in lines}


@pytest.fixture(scope="module")
def local_run(bbc, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    config = RunConfig(model="lead-3", dataset=bbc, metrics=("rouge", "entities"),
                       limit=ITEMS, output_dir=out, executor="local")
    return run_benchmark(config)


def test_bench_run_on_ray_writes_the_local_executors_items(ray_instance, bbc, local_run,
                                                           tmp_path):
    out = tmp_path / "ray"
    result = CliRunner().invoke(app, ["run", "--model", "lead-3", "--dataset", str(bbc),
                                      "--metrics", "rouge,entities", "--limit", str(ITEMS),
                                      "--output-dir", str(out), "--executor", "ray"])
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]

    ray_items, local_items = items_of(Run.open(run_dir)), items_of(local_run.run)
    assert len(ray_items) == ITEMS and ray_items == local_items  # every value, exactly
    assert "entity_recall" in ray_items[next(iter(ray_items))]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["aggregates"] == local_run.run.record.model_dump(mode="json")["aggregates"]
    assert (record["timing"]["executor"], local_run.run.record.timing.executor) == \
        ("ray", "local")
    # The shared Ray instance was the one used, and is still up for the next test.
    assert ray_instance.is_initialized()


def test_bench_score_on_ray_matches_the_local_run(ray_instance, bbc, local_run, tmp_path):
    predictions = tmp_path / "lead3.jsonl"
    local_items = items_of(local_run.run)
    predictions.write_text("".join(json.dumps({"id": i, "prediction": line["prediction"]},
                                              ensure_ascii=False) + "\n"
                                   for i, line in local_items.items()), encoding="utf-8")
    out = tmp_path / "scored"
    result = CliRunner().invoke(app, ["score", "--predictions", str(predictions),
                                      "--dataset", str(bbc), "--metrics", "rouge",
                                      "--output-dir", str(out), "--executor", "ray"])
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]

    scored = items_of(Run.open(run_dir))
    rouge_keys = [k for k in local_items[next(iter(local_items))] if k.startswith("rouge")]
    assert len(rouge_keys) == 12  # 1/2/L/Lsum x P/R/F
    assert {i: {k: v[k] for k in rouge_keys} for i, v in scored.items()} == \
        {i: {k: v[k] for k in rouge_keys} for i, v in local_items.items()}


def test_ray_tasks_reuse_and_fill_the_dataset_analysis(ray_instance, bbc, tmp_path):
    """The driver sends each shard the stored analyses of its items and stores what the
    tasks computed: a first Ray run fills the store, a second one scores with it."""
    from dataclasses import replace

    from benchmark.runs.analysis import AnalysisStore
    from benchmark.scorer import Scorer

    out = tmp_path / "ray"
    arguments = ["--dataset", str(bbc), "--metrics", "rouge,entities", "--limit", "40",
                 "--output-dir", str(out), "--executor", "ray"]
    result = CliRunner().invoke(app, ["run", "--model", "lead-3", *arguments])
    assert result.exit_code == 0, result.output
    # The registry names this file ant-bbc (its name in the analysis cache too).
    store = AnalysisStore.for_dataset(out / ".cache", dataset_name="ant-bbc",
                                      dataset_path=str(bbc),
                                      signatures=Scorer(["rouge", "entities"])
                                      .analysis_signatures())
    stored = store.load()
    assert len(stored) == 40 and all(set(v) == {"rouge", "entities"} for v in stored.values())
    # Rewrite the stored analyses as if no summary named an entity: a run reading them
    # finds entity recall undefined for every item.
    store.save({key: {"entities": replace(v["entities"], references=((),))}
                for key, v in stored.items()})
    result = CliRunner().invoke(app, ["run", "--model", "lead-1", *arguments])
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and "lead-1" in p.name]

    scored = items_of(Run.open(run_dir))
    assert [v["entity_recall"] for v in scored.values()] == [None] * 40


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(("kind", "address", "message"), [
    ("spark", None, "unknown executor 'spark'; choose one of local, ray"),
    ("local", "ray://h:10001", "a Ray address was given with the local executor"),
    # Ray itself would retry these for minutes:
    ("ray", "headnode", "Ray address 'headnode': expected HOST:PORT, ray://HOST:PORT"),
    ("ray", "127.0.0.1:{port}", "could not reach Ray at 127.0.0.1:{port}: Connection "
     "refused; is the cluster's head node up"),
])
def test_executor_mistakes_are_one_line_errors(kind, address, message, tmp_path):
    if kind == "ray":
        pytest.importorskip("ray")
    port = closed_port()
    address = address and address.format(port=port)
    message = message.format(port=port)
    with pytest.raises(BenchmarkError, match=re.escape(message)):
        check_executor(kind, ray_address=address)
    command = ["run", "--model", "lead-3", "--output-dir", str(tmp_path), "--executor", kind]
    if address:
        command += ["--ray-address", address]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2 and message in result.output
    assert not list(tmp_path.iterdir())  # refused before any run folder was made


def test_the_ray_executor_without_ray_says_how_to_install_it(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "ray" else real(name, *a))
    with pytest.raises(ConfigError, match=re.escape("the ray executor needs the ray "
                                                    "package; pip install "
                                                    "'arsum-bench[ray]'")):
        check_executor("ray")


def test_ray_keeps_two_batches_in_flight_with_the_same_items(ray_instance, bbc, local_run,
                                                             tmp_path, monkeypatch):
    """Small batches (the summarizer's, 64 items: four of them): the driver sends the
    next batch before it collects the one before, and the items still equal the local
    executor's, in order."""
    from benchmark.runs import executors

    monkeypatch.setattr(executors, "MAX_BATCH", 16)
    sent, collected = [], []
    original_init, original_result = executors.RayScored.__init__, executors.RayScored.result

    def init(self, executor, items):
        sent.append(len(collected))  # batches collected when this one was sent
        original_init(self, executor, items)

    def result(self):
        collected.append(1)
        return original_result(self)

    monkeypatch.setattr(executors.RayScored, "__init__", init)
    monkeypatch.setattr(executors.RayScored, "result", result)
    outcome = run_benchmark(RunConfig(model="lead-3", dataset=bbc,
                                      metrics=("rouge", "entities"), limit=ITEMS,
                                      output_dir=tmp_path / "ray", executor="ray"))
    # why: batch i is sent once i - 1 are collected: two in flight at a time
    assert len(sent) >= 3 and sent == [max(0, i - 1) for i in range(len(sent))]
    assert items_of(outcome.run) == items_of(local_run.run)
    assert list(items_of(outcome.run)) == list(items_of(local_run.run))  # same order
