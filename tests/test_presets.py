"""Every preset in configs/models.yaml resolves and validates its options without loading
weights or calling a server (construction is lazy)."""

from __future__ import annotations

import pytest

from benchmark.errors import ConfigError
from benchmark.paths import PROJECT_ROOT
from benchmark.summarizers.presets import load_presets
from benchmark.summarizers.registry import create_summarizer

CONFIGS = PROJECT_ROOT / "configs"
PRESETS = load_presets(CONFIGS / "models.yaml")
BACKENDS = {"hf": "hf", "openai": "openai"}


@pytest.fixture(autouse=True)
def project_configs(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # belt and braces: nothing may download
    monkeypatch.setenv("OPENAI_API_KEY", "test-key-not-used")


def test_the_presets_cover_the_model_families():
    models = " ".join(preset.model for preset in PRESETS.values())
    for family in ("mT5_multilingual_XLSum", "AraBART", "AraT5", "jais", "ALLaM", "Qwen"):
        assert family in models, family
    assert all(preset.description for preset in PRESETS.values())


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_resolves_and_validates_without_loading(name):
    preset = PRESETS[name]
    summarizer = create_summarizer(name, config_dir=CONFIGS)
    try:
        assert summarizer.preset == name
        prefix = preset.model.split(":", 1)[0]
        assert summarizer.backend == BACKENDS.get(prefix, "builtin")
        dumped = summarizer.options.model_dump()
        assert all(dumped[key] == value for key, value in preset.options.items())
        if summarizer.backend == "hf":
            assert summarizer.model is None  # no weights read
        assert summarizer.signature().get("model") == preset.model
    finally:
        summarizer.close()


def test_command_line_options_override_a_preset():
    summarizer = create_summarizer("mt5-xlsum", {"num_beams": "2"})
    assert (summarizer.options.num_beams, summarizer.options.max_new_tokens) == (2, 84)


def test_endpoint_presets_point_at_their_servers():
    vllm = create_summarizer("qwen2.5-7b-vllm")
    assert (vllm.endpoint.base_url, vllm.endpoint.api_key_env) == \
        ("http://localhost:8000/v1", None)
    hosted = create_summarizer("gpt-4o-mini")
    assert hosted.endpoint.api_key_env == "OPENAI_API_KEY"
    for summarizer in (vllm, hosted):
        summarizer.close()


def test_a_preset_with_a_bad_option_fails_clearly(tmp_path, monkeypatch):
    (tmp_path / "models.yaml").write_text(
        "models:\n  broken:\n    model: hf:org/model\n    options: {beams: 4}\n",
        encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown option 'beams'"):
        create_summarizer("broken", config_dir=tmp_path)
