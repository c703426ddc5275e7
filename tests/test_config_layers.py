"""Configuration layers and package data.

Defect: a ``configs/`` folder in the working directory silently replaced the built-in
names: with a hostile ``configs/models.yaml``, ``bench run --model lead-3`` sent
``OPENAI_API_KEY`` to a server that file named. Now the package's files come first, a
user folder (``--config``, ``$BENCH_CONFIG``, the user config folder) adds names, and a
name given a second meaning is an error naming both files.
"""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import ConfigError, UnknownNameError
from benchmark.paths import (BUNDLED_DATASET, BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL,
                             PACKAGE_CONFIG, PROJECT_ROOT)
from benchmark.summarizers.registry import create_summarizer

pytest.importorskip("openai")

from fake_openai import FakeOpenAIServer  # noqa: E402  (tests/ is on sys.path)


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No user configuration from the machine running the tests."""
    for variable in ("BENCH_CONFIG", "BENCH_CONFIG_DIR"):
        monkeypatch.setenv(variable, "")  # recorded, so --config's setting is undone
        monkeypatch.delenv(variable)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-victim-key")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("top, packaged", [
    (PROJECT_ROOT / "configs", PACKAGE_CONFIG),
    (PROJECT_ROOT / "datasets", BUNDLED_DATASET),
])
def test_top_level_copies_match_the_package_data(top, packaged):
    assert tree(top) == tree(packaged)
    mismatch = [name for name in tree(top) if not filecmp.cmp(top / name, packaged / name,
                                                              shallow=False)]
    assert mismatch == [], f"edit both copies: {mismatch}"


@pytest.mark.parametrize("packaged", [BUNDLED_GOLD, BUNDLED_TEST, BUNDLED_VAL])
def test_the_gold_annotations_in_tests_match_the_packaged_ones(packaged):
    assert filecmp.cmp(PROJECT_ROOT / "tests" / "gold" / packaged.name, packaged, shallow=False)


def hostile_configs(cwd: Path, url: str) -> Path:
    return write(cwd / "configs", "models.yaml",
                 f"models:\n  lead-3:\n    model: openai:gpt-4o\n    options: {{base_url: "
                 f"'{url}', api_key_env: OPENAI_API_KEY}}\n")


def test_a_configs_folder_in_the_working_directory_is_not_read(tmp_path, monkeypatch):
    with FakeOpenAIServer() as server:
        hostile_configs(tmp_path, server.url)
        monkeypatch.chdir(tmp_path)
        result = CliRunner().invoke(app, ["run", "--model", "lead-3", "--output-dir",
                                          str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        assert server.requests == []  # the key went nowhere
    [run] = [p for p in (tmp_path / "out").iterdir() if (p / "run.json").exists()]
    assert json.loads((run / "run.json").read_text())["model"]["backend"] == "builtin"


def test_naming_that_folder_cannot_shadow_a_built_in(tmp_path, monkeypatch):
    models = hostile_configs(tmp_path, "http://127.0.0.1:9/v1")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["--config", "configs", "run", "--model", "lead-3"])
    assert result.exit_code == 2
    assert (f"error: {models.resolve()}: preset 'lead-3' would shadow the summarizer "
            "'lead-3' (built-in); give your preset another name") in result.output


def test_user_presets_add_names_from_each_source(tmp_path):
    spec = "models:\n  lead-2:\n    model: lead-3\n    options: {sentences: 2}\n"
    for how in ("config_dir", "user-dir"):
        folder = tmp_path / ("mine" if how == "config_dir" else "xdg/bench")
        write(folder, "models.yaml", spec.replace("lead-2", f"lead-2-{how}"))
        config_dir = folder if how == "config_dir" else None
        summarizer = create_summarizer(f"lead-2-{how}", config_dir=config_dir)
        assert summarizer.preset == f"lead-2-{how}" and summarizer.options.sentences == 2
        assert create_summarizer("mt5-xlsum").preset == "mt5-xlsum"  # the package's stay
    # Both folders at once: the user config folder, then the named one.
    assert create_summarizer("lead-2-user-dir", config_dir=tmp_path / "mine").preset


def test_the_environment_is_read_by_the_cli_only(tmp_path, monkeypatch):
    folder = tmp_path / "mine"
    write(folder, "models.yaml", "models:\n  lead-2:\n    model: lead-3\n")
    monkeypatch.setenv("BENCH_CONFIG", str(folder))
    with pytest.raises(UnknownNameError):
        create_summarizer("lead-2")  # the library takes the folder as an argument
    result = CliRunner().invoke(app, ["list", "summarizers"])
    assert result.exit_code == 0 and "lead-2" in result.output


def test_redefining_a_package_name_is_an_error_naming_both(tmp_path):
    folder = tmp_path / "mine"
    user = write(folder, "models.yaml", "models:\n  mt5-xlsum:\n    model: openai:x\n")
    with pytest.raises(ConfigError, match="preset 'mt5-xlsum' would replace") as caught:
        create_summarizer("mt5-xlsum", config_dir=folder)
    assert str(user) in str(caught.value)
    assert str(PACKAGE_CONFIG / "models.yaml") in str(caught.value)
    user.unlink()
    write(folder, "endpoints.yaml", "endpoints:\n  local-vllm: {base_url: 'http://evil/v1', "
          "api_key_env: OPENAI_API_KEY}\n")
    with pytest.raises(ConfigError, match="endpoint 'local-vllm' would replace"):
        create_summarizer("openai:x", {"endpoint": "local-vllm"}, config_dir=folder)
    (folder / "endpoints.yaml").unlink()
    write(folder / "prompts", "bullets-ar.txt", "اكتب {article}")
    with pytest.raises(ConfigError, match="prompt 'bullets-ar' would replace"):
        create_summarizer("openai:x", {"api_key_env": "none", "base_url": "http://h/v1"},
                          config_dir=folder)


def test_an_identical_copy_of_the_package_files_is_no_conflict():
    configs = PROJECT_ROOT / "configs"
    assert create_summarizer("textrank-2", config_dir=configs).preset == "textrank-2"


def test_config_option_must_name_a_folder(tmp_path):
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "none"), "list", "summarizers"])
    assert result.exit_code == 2 and "--config" in result.output and "no such folder" in result.output


def test_ner_eval_defaults_to_the_gold_shipped_in_the_package():
    result = CliRunner().invoke(app, ["ner", "eval"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].endswith("on gold:seed (2 texts)")
    needs = CliRunner().invoke(app, ["ner", "eval", "--gold", "summaries"])
    assert needs.exit_code == 2 and "--corpora DIR" in needs.output
