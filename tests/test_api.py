"""The public Python API and the promise that the CLI starts without heavy imports."""

import json
import subprocess
import sys

import pytest

import benchmark


def test_public_names():
    from benchmark import Scorer, load_reference  # noqa: F401 (the documented import)

    assert benchmark.__version__ == "0.1.0"
    with pytest.raises(AttributeError):
        benchmark.no_such_name


def test_load_reference_returns_the_bundled_dataset():
    from benchmark import load_reference

    dataset = load_reference()
    assert type(dataset).__module__.startswith("datasets")
    assert dataset.num_rows == 1 and dataset[0]["id"] == "000_04dacd3f9b1a1c24"
    assert len(dataset[0]["bullets"]) == 3


def test_scorer_on_bundled_reference_identical_summary_scores_one():
    from benchmark import Scorer, load_reference

    row = load_reference()[0]
    report = Scorer(metrics=["rouge"], profile="ar").score(
        predictions=[row["summary"]], references=[row["bullets"]])
    assert all(report.summary[k] == 1.0 for k in ("rouge1_f", "rouge2_f", "rougeL_f",
                                                  "rougeLsum_f"))
    assert all(0 <= v <= 1 for v in report.items[0].values())
    assert "norm:ar.v1" in report.signature


def test_scorer_input_errors():
    from benchmark import Scorer
    from benchmark.errors import ConfigError

    scorer = Scorer()
    with pytest.raises(ConfigError, match="2 predictions but 1 references"):
        scorer.score(predictions=["a", "b"], references=["a"])
    with pytest.raises(ConfigError, match="must be lists"):
        scorer.score(predictions="a", references="a")
    with pytest.raises(ConfigError, match="apply to none of the metrics"):
        Scorer(metrics=["rouge"], ner="rules")


HEAVY = ("torch", "transformers", "datasets", "openai", "matplotlib", "pyarrow", "pandas")


def test_cli_help_imports_nothing_heavy():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom benchmark.cli.app import app\n"
            "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
            "import benchmark\n"
            f"print(__import__('json').dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []
