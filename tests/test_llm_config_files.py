"""endpoints.yaml and prompt templates are read against models that forbid unknown keys:
a misspelled key is one error naming the key and the file."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import ConfigError
from benchmark.llm.endpoints import load_endpoints
from benchmark.llm.prompts import load_prompt

GOOD = "x: {base_url: 'http://h/v1', api_key_env: none}"


@pytest.mark.parametrize("text, message, why", [
    (f"endpoint:\n  {GOOD}\n",
     "endpoints.yaml: unknown keys ['endpoint'] (allowed: ['default', 'endpoints'])",
     "a misspelled top-level key was ignored, leaving no endpoint"),
    (f"endpoints:\n  {GOOD}\ndefualt: x\n", "unknown keys ['defualt']", "the default"),
    ("endpoints:\n  x: {base_url: 'http://h/v1', api_key_env: none, model: [m]}\n",
     "endpoints.yaml: endpoint 'x': unknown keys ['model'] (allowed: ['api_key_env', "
     "'base_url', 'base_urls', 'description', 'models'])", "an endpoint's key"),
    ("endpoints:\n  x: {base_url: 'http://h/v1', api_key_env: none, models: m}\n",
     "endpoint 'x': models: Input should be a valid list", "a value of the wrong type"),
    ("endpoints:\n  x: {base_url: 'http://h/v1'}\n", "endpoint 'x' needs api_key_env",
     "a required key"),
    ("endpoints: [a, b]\n", "endpoints: Input should be a valid dictionary", "a list"),
    ("- a\n", "an endpoints file must be a mapping", "not a mapping at all"),
    ("endpoints:\n  x: [unclosed\n", "not valid YAML at line 3", "the position, not the text"),
])
def test_endpoint_file_mistakes(tmp_path, text, message, why):
    path = tmp_path / "endpoints.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_endpoints(path)
    assert str(caught.value).startswith(str(path)), why


@pytest.mark.parametrize("text, message", [
    ("user: '{article}'\ndescripton: x\n", "unknown keys ['descripton'] (allowed: "
     "['description', 'system', 'user'])"),
    ("user: '{article}'\nsystem: [a]\n", "system: Input should be a valid string"),
    ("system: s\n", "a prompt template needs a 'user' message"),
])
def test_prompt_file_mistakes(tmp_path, text, message):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {message}")):
        load_prompt(str(path))


def test_a_judge_template_needs_each_of_its_placeholders(tmp_path):
    path = tmp_path / "rubric.yaml"
    path.write_text("user: 'A {article} S {summary}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"must contain \{reference\} exactly once"):
        load_prompt(str(path), placeholders=("article", "reference", "summary"))


def test_bench_run_names_the_user_file_and_key(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    (config / "endpoints.yaml").write_text(
        "endpoints:\n  mine: {base_url: 'http://h/v1', api_key_env: none, modles: [m]}\n",
        encoding="utf-8")
    monkeypatch.setenv("BENCH_CONFIG", str(config))
    result = CliRunner().invoke(app, ["run", "--model", "openai:m", "--output-dir",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line == (f"error: {config / 'endpoints.yaml'}: endpoint 'mine': unknown keys "
                    "['modles'] (allowed: ['api_key_env', 'base_url', 'base_urls', "
                    "'description', 'models'])")
