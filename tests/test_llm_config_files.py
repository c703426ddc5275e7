"""The llm layer reads endpoints.yaml and prompt templates through `benchmark.config`
(one model per file kind, unknown keys forbidden; the file kinds themselves are tested
in tests/test_config_files.py): what reaches the user is one line naming the key and
the file, and a judge template must hold each of its placeholders once."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.errors import ConfigError
from benchmark.llm.endpoints import load_endpoints
from benchmark.llm.prompts import load_prompt


@pytest.mark.parametrize("text, message, why", [
    ("endpoint:\n  x: {base_url: 'http://h/v1', api_key_env: none}\n",
     "unknown top-level key 'endpoint' (expected: default, endpoints)",
     "a misspelled top-level key was ignored, leaving no endpoint"),
    ("endpoints:\n  x: {base_url: 'http://h/v1', api_key_env: none, model: [m]}\n",
     "endpoint 'x': model: Extra inputs are not permitted", "an endpoint's key"),
    ("endpoints:\n  x: {base_urls: ['http://u:pw-1@h/v1', 'http://u:pw-1@h/v1/'], "
     "api_key_env: none}\n", "endpoint 'x': base URL http://h/v1 is listed twice",
     "shown redacted"),
])
def test_an_endpoints_file_given_by_path(tmp_path, text, message, why):
    path = tmp_path / "endpoints.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"{path}: {message}")) as caught:
        load_endpoints(path)
    assert "pw-1" not in str(caught.value), why


def test_a_judge_template_needs_each_of_its_placeholders(tmp_path):
    path = tmp_path / "rubric.yaml"
    path.write_text("user: 'A {article} S {summary}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rubric.yaml: the user message must contain "
                       r"\{reference\} exactly once \(found 0 times\)"):
        load_prompt(str(path), placeholders=("article", "reference", "summary"))


@pytest.mark.parametrize("where", ["flag", "environment"])
def test_bench_run_names_the_user_file_and_key(tmp_path, monkeypatch, where):
    config = tmp_path / "config"
    config.mkdir()
    (config / "endpoints.yaml").write_text(
        "endpoints:\n  mine: {base_url: 'http://h/v1', api_key_env: none, modles: [m]}\n",
        encoding="utf-8")
    flag = ["--config", str(config)] if where == "flag" else []
    if where == "environment":
        monkeypatch.setenv("BENCH_CONFIG", str(config))
    result = CliRunner().invoke(app, [*flag, "run", "--model", "openai:m", "--output-dir",
                                      str(tmp_path / "out")])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line == (f"error: {config / 'endpoints.yaml'}: endpoint 'mine': modles: Extra "
                    "inputs are not permitted")
