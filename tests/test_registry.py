"""One name resolver for summarizers, metrics and NER backends: presets (with cycle
detection), registered names, prefixes, ``py:``; typed metric options; ``all``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from benchmark import Scorer
from benchmark.cli.app import app
from benchmark.entities.registry import create_backend
from benchmark.errors import ConfigError, UnknownNameError
from benchmark.metrics.registry import METRICS, expand_metric_names
from benchmark.registry import Alias, Prefix, Registry
from benchmark.summarizers.registry import create_summarizer

runner = CliRunner()


def _registry(presets: dict[str, tuple[str, dict]]) -> Registry:
    registry = Registry("thing", prefixes={"hf": Prefix("builtins:dict", "a model")},
                        presets=lambda config_dir: {
                            name: Alias(name, target, options, "test.yaml")
                            for name, (target, options) in presets.items()})
    registry.register("plain", "builtins:list")
    return registry


def test_resolution_order_and_preset_options():
    registry = _registry({"outer": ("inner", {"a": 1, "b": 1}), "inner": ("hf:x", {"b": 2})})
    resolved = registry.resolve("outer")
    assert (resolved.name, resolved.target, resolved.argument) == ("hf:x", dict, "x")
    assert resolved.options == {"a": 1, "b": 1}  # the outer preset wins
    assert resolved.presets == ("outer", "inner")
    assert registry.resolve("plain").target is list
    assert registry.resolve("py:builtins:set").target is set


@pytest.mark.parametrize("presets, message", [
    ({"self": ("self", {})}, "preset 'self' (test.yaml) leads back to itself: self -> self"),
    ({"a": ("b", {}), "b": ("a", {})}, "leads back to itself: a -> b -> a"),
])
def test_preset_cycles_are_a_clear_error(presets, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _registry(presets).resolve(next(iter(presets)))


def test_unknown_names_get_suggestions_including_prefixes():
    with pytest.raises(UnknownNameError) as error:
        _registry({}).resolve("plan")
    assert "did you mean plain" in str(error.value) and "hf:<model>" in str(error.value)
    with pytest.raises(ConfigError, match="names nothing after 'hf:'"):
        _registry({}).resolve("hf:")


def test_bench_run_with_a_preset_naming_itself_exits_2(tmp_path, monkeypatch):
    """Before: RecursionError with a traceback."""
    (tmp_path / "models.yaml").write_text("models:\n  loop:\n    model: loop\n",
                                          encoding="utf-8")
    monkeypatch.setenv("BENCH_CONFIG_DIR", str(tmp_path))  # what the CLI reads
    with pytest.raises(ConfigError, match="leads back to itself: loop -> loop"):
        create_summarizer("loop", config_dir=tmp_path)
    result = runner.invoke(app, ["run", "--model", "loop", "--output-dir",
                                 str(tmp_path / "r")])
    assert result.exit_code == 2
    assert f"preset 'loop' ({tmp_path / 'models.yaml'}) leads back to itself" in result.output
    assert "Traceback" not in result.output


def test_ner_backends_resolve_through_the_same_path():
    assert create_backend("rules").signature().format().startswith("ner:rules")
    hf = create_backend("hf:./some-local-model")  # lazy: no weights read here
    assert hf.model == "./some-local-model"
    with pytest.raises(UnknownNameError, match="did you mean rules"):
        create_backend("rule")


def test_all_is_every_metric_without_a_server():
    names = expand_metric_names(["all"])
    assert names[0] == "rouge"
    assert set(names) == {n for n in METRICS.names() if not METRICS.get(n).needs_server}
    assert {"rouge", "entities", "extractive", "length", "chrf", "bullets"} <= set(names)
    assert expand_metric_names(["rouge", "all", "chrf"]).count("chrf") == 1


def test_metric_options_are_typed():
    with pytest.raises(ConfigError, match="metric bullets: option 'threshold'"):
        Scorer(["bullets"], metric_options={"bullets": {"threshold": "high"}})
    with pytest.raises(ConfigError, match="not among rouge"):
        Scorer(["rouge"], metric_options={"bullets": {"threshold": 0.6}})
    with pytest.raises(ConfigError, match="apply to none of the metrics"):
        Scorer(["rouge"], threshold=0.6)
    # A string from the command line is converted by the option's type.
    scorer = Scorer(["bullets"], metric_options={"bullets": {"threshold": "0.75"}})
    assert scorer.metrics[0].options.threshold == 0.75


def test_bench_run_metrics_all(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "article": "زار الوزير القاهرة أمس. وبحث التعاون.",
                                "summary": "زار الوزير القاهرة"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["run", "--model", "lead-1", "--dataset", str(data),
                                 "--metrics", "all", "--output-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    [run] = [p for p in (tmp_path / "r").iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert record["metrics"]["names"] == expand_metric_names(["all"])
    [item] = [json.loads(line) for line in (run / "items.jsonl").read_text().splitlines()]
    # lead-1 is the reference plus one word: every metric has its value.
    assert item["ext_coverage"] == 1.0 and item["len_tokens"] == 4
    assert item["bullet_recall"] == 1.0 and item["rouge1_r"] == 1.0
    assert 0 < item["chrf"] < 1
    assert record["metrics"]["scales"]["len_tokens"] == 1.0
    assert "len_tokens" in result.output and "chrf_corpus" in result.output


def test_bad_metric_option_flag_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["run", "--model", "lead-1", "--metrics", "bullets",
                                 "--metric-option", "threshold=0.6",
                                 "--output-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "expected METRIC.KEY=VALUE" in result.output


def test_a_plugin_reusing_a_registered_name_is_an_error(monkeypatch):
    import benchmark.registry

    class EntryPoint:
        name, value, dist = "plain", "builtins:dict", None

    monkeypatch.setattr(benchmark.registry, "installed_entry_points",
                        lambda group: [EntryPoint()] if group == "benchmark.things" else [])
    registry = Registry("thing", group="benchmark.things")
    registry.register("plain", "builtins:list")  # built-ins register before any lookup
    with pytest.raises(ConfigError, match="plugin 'unknown' registers thing 'plain', "
                                          "which already exists"):
        registry.names()


def test_installed_entry_points_are_scanned_once_for_every_registry(monkeypatch):
    """Each scan reads every installed package's metadata: one serves all groups."""
    import importlib.metadata

    import benchmark.registry

    real = importlib.metadata.entry_points
    scans = []

    def counting(**params):
        scans.append(params)
        return real(**params)

    monkeypatch.setattr(importlib.metadata, "entry_points", counting)
    monkeypatch.setattr(benchmark.registry, "_ENTRY_POINTS", [])
    groups = ["console_scripts", "benchmark.metrics", "benchmark.summarizers"]
    found = [benchmark.registry.installed_entry_points(group) for group in groups]
    assert scans == [{}]  # why: one scan of everything, no scan per group
    # why: the same entry points as a scan of each group
    assert found == [list(real(group=group)) for group in groups]
    assert any(ep.name == "bench" for ep in found[0])
