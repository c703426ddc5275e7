"""`benchmark.config`: one model per file kind (``extra="forbid"``), one rule for names
across the layers (package -> user config folder -> the folder named), the folder
passed as an argument, and one-line errors naming the file and the key.

Defects reproduced: a ``$BENCH_CONFIG`` naming a missing folder or a file, and a
``models.yaml`` whose top-level key was ``model:`` instead of ``models:``, were silently
ignored (the presets were simply not there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.config import (config_dir_in_effect, config_layers, load_datasets,
                              load_endpoints, load_models, load_prompt, prompt_names)
from benchmark.errors import ConfigError
from benchmark.paths import PACKAGE_CONFIG


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    for variable in ("BENCH_CONFIG", "BENCH_CONFIG_DIR"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def bench(*args: str):
    return CliRunner().invoke(app, list(args))


# -- the folder ---------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["--config", "$BENCH_CONFIG", "$BENCH_CONFIG_DIR"])
@pytest.mark.parametrize("what, problem", [("missing", "no such folder"),
                                           ("file", "not a folder")])
def test_a_config_folder_that_is_not_a_folder_is_one_line(tmp_path, monkeypatch, how, what,
                                                          problem):
    target = tmp_path / "conf"
    if what == "file":
        target.write_text("models: {}\n", encoding="utf-8")
    if how == "--config":
        result = bench("--config", str(target), "list", "summarizers")
    else:
        monkeypatch.setenv(how[1:], str(target))
        result = bench("list", "summarizers")
    assert result.exit_code == 2
    assert f"error: {how} {target}: {problem}" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_the_library_refuses_a_missing_folder_too(tmp_path):
    with pytest.raises(ConfigError, match=f"configuration folder {tmp_path / 'no'}: no such"):
        load_models(tmp_path / "no")


def test_the_folder_is_in_effect_only_during_the_command(tmp_path):
    write(tmp_path / "c", "models.yaml", "models:\n  two:\n    model: lead-3\n")
    result = bench("--config", str(tmp_path / "c"), "list", "summarizers")
    assert result.exit_code == 0 and "two" in result.output
    assert config_dir_in_effect() is None


def test_three_layers_in_order(tmp_path):
    user = tmp_path / "xdg" / "bench"
    named = tmp_path / "named"
    write(user, "models.yaml", "models:\n  mine:\n    model: lead-3\n")
    write(named, "models.yaml", "models:\n  ours:\n    model: mine\n")
    layers = config_layers(named)
    assert [layer.folder for layer in layers] == [PACKAGE_CONFIG, user, named]
    presets = load_models(named)
    assert presets["mine"].file == user / "models.yaml"
    assert presets["ours"].file == named / "models.yaml"
    assert presets["mt5-xlsum"].from_package


# -- the one rule for names ---------------------------------------------------------------

@pytest.mark.parametrize("second, conflict, why", [
    ("mine:\n    model: lead-1\n", True, "another model: another meaning"),
    ("mine:\n    model: lead-3\n    options: {sentences: 2}\n", True, "other options"),
    ("mine:\n    model: lead-3\n", False, "the same definition twice is no conflict"),
    ("mine:\n    model: lead-3\n    description: said otherwise\n", False,
     "a description changes no meaning"),
])
def test_a_later_layer_may_not_give_a_name_another_meaning(tmp_path, second, conflict, why):
    user = tmp_path / "xdg" / "bench"
    named = tmp_path / "named"
    first = write(user, "models.yaml", "models:\n  mine:\n    model: lead-3\n")
    later = write(named, "models.yaml", "models:\n  " + second)
    if not conflict:
        assert load_models(named)["mine"].file == first, why
        return
    with pytest.raises(ConfigError) as caught:
        load_models(named)
    assert str(caught.value) == (f"{later}: preset 'mine' would replace the preset of that "
                                 f"name in {first}"), why


@pytest.mark.parametrize("kind, file, text, load", [
    ("dataset", "datasets.yaml", "xlsum-ar:\n  hub: evil/copy\n  licence: x\n  citation: x\n"
     "  variety: x\n  style: x\n  size: 1\n", load_datasets),
    ("endpoint", "endpoints.yaml", "endpoints:\n  openai: {base_url: 'http://evil/v1', "
     "api_key_env: OPENAI_API_KEY}\n", load_endpoints),
])
def test_the_same_rule_for_every_kind(tmp_path, kind, file, text, load):
    mine = write(tmp_path / "named", file, text)
    with pytest.raises(ConfigError, match=f"{kind} '[a-z-]+' would replace the {kind} of "
                                          f"that name in {PACKAGE_CONFIG / file}") as caught:
        load(tmp_path / "named")
    assert str(caught.value).startswith(str(mine))


def test_the_same_rule_for_prompts(tmp_path):
    write(tmp_path / "named", "prompts/bullets-ar.txt", "اكتب {article}")
    with pytest.raises(ConfigError, match="prompt 'bullets-ar' would replace the prompt"):
        load_prompt("bullets-ar", tmp_path / "named")
    write(tmp_path / "named", "prompts/mine.txt", "لخص: {article}\n")
    assert load_prompt("mine", tmp_path / "named").spec.user == "لخص: {article}"
    assert "mine" in prompt_names(tmp_path / "named")


# -- unknown keys and fields --------------------------------------------------------------

@pytest.mark.parametrize("file, text, message", [
    ("models.yaml", "model:\n  mine:\n    model: lead-3\n",
     "unknown top-level key 'model' (expected: models)"),
    ("models.yaml", "models:\n  mine:\n    model: lead-3\n    colour: red\n",
     "preset 'mine': colour: Extra inputs are not permitted"),
    ("models.yaml", "models:\n  mine:\n    options: {}\n", "preset 'mine': model: Field required"),
    ("models.yaml", "models: [lead-3]\n", "models: Input should be a valid dictionary"),
    ("models.yaml", "- models\n", "expected a mapping at the top level, not list"),
    ("endpoints.yaml", "endpoint:\n  x: {base_url: 'http://h/v1', api_key_env: none}\n",
     "unknown top-level key 'endpoint' (expected: default, endpoints)"),
    ("endpoints.yaml", "endpoints:\n  x: {base_url: 'http://h/v1', api_key_env: none, "
     "timeout: 3}\n", "endpoint 'x': timeout: Extra inputs are not permitted"),
    ("endpoints.yaml", "endpoints:\n  x: {base_url: 'http://h/v1'}\n",
     "endpoint 'x': api_key_env: Field required"),
    ("endpoints.yaml", "endpoints:\n  x: {base_url: 'http://h/v1', base_urls: ['http://g/v1'],"
     " api_key_env: none}\n",
     "endpoint 'x': give base_url, or base_urls listing replicas of one server (not both)"),
    ("endpoints.yaml", "endpoints:\n  x: {base_urls: ['http://h/v1', 'http://h/v1/'], "
     "api_key_env: none}\n",
     "endpoint 'x': base URL http://h/v1 is listed twice; list each replica once"),
    ("endpoints.yaml", "default: nowhere\n", "default endpoint 'nowhere' is not defined "
     "(defined: openai, local-vllm, vllm-replicas, local-tgi, ollama, llama-cpp)"),
    ("prompts/p.yaml", "user: '{article}'\nsytem: typo\n",
     "unknown top-level key 'sytem' (expected: user, system, description)"),
    ("prompts/p.yaml", "user: 'no placeholder'\n",
     "user: the user message must contain {article} exactly once (found 0 times)"),
    ("models.yaml", "models: {a: [\n", "not valid YAML at line 2, column 1"),
])
def test_a_bad_file_is_one_line_naming_the_file_and_the_key(tmp_path, file, text, message):
    path = write(tmp_path / "named", file, text)
    load = {"models.yaml": load_models, "endpoints.yaml": load_endpoints}.get(file)
    with pytest.raises(ConfigError) as caught:
        if load is None:
            load_prompt("p", tmp_path / "named")
        else:
            load(tmp_path / "named")
    assert str(caught.value) == f"{path}: {message}"


def test_a_wrong_top_level_key_is_an_error_on_the_command_line(tmp_path):
    """Before: `model:` was read as no presets at all, and `--model mine` said only that
    mine is unknown."""
    path = write(tmp_path / "named", "models.yaml", "model:\n  mine:\n    model: lead-3\n")
    result = bench("--config", str(tmp_path / "named"), "run", "--model", "mine",
                   "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert f"error: {path}: unknown top-level key 'model' (expected: models)" in result.output


# -- endpoints and prompts for their users --------------------------------------------------

def test_endpoints_merge_and_the_last_default_wins(tmp_path):
    write(tmp_path / "named", "endpoints.yaml",
          "default: mine\nendpoints:\n  mine: {base_urls: ['http://a:1/v1/', 'http://b:1/v1'],"
          " api_key_env: none, models: [m]}\n")
    endpoints = load_endpoints(tmp_path / "named")
    assert endpoints.default == "mine"
    assert endpoints.default_file == tmp_path / "named" / "endpoints.yaml"
    mine = endpoints.endpoints["mine"]
    assert mine.spec.urls == ("http://a:1/v1", "http://b:1/v1") and mine.spec.models == ["m"]
    assert "openai" in endpoints.endpoints and endpoints.endpoints["openai"].from_package
    assert load_endpoints().default == "openai"


def test_prompts_by_name_or_path(tmp_path):
    packaged = load_prompt("bullets-ar")
    assert packaged.spec.system and packaged.spec.user.count("{article}") == 1
    assert packaged.file == PACKAGE_CONFIG / "prompts" / "bullets-ar.yaml"
    path = write(tmp_path, "short.yaml", "user: 'لخص {article}'\ndescription: short\n")
    assert load_prompt(str(path)).spec.description == "short"
    with pytest.raises(ConfigError, match="unknown prompt 'nope'; available: bullets-ar"):
        load_prompt("nope")
