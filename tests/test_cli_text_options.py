"""The text profile's options on ``bench run`` and ``bench score``: each one chosen from
the command line reaches the scorer and its signature."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app

runner = CliRunner()


class SplitTokenizer:
    """A custom tokenizer for ``--tokenizer test_cli_text_options:SplitTokenizer``."""

    def tokenize(self, text):
        return text.split()


def bench(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two items whose reference spells مسئول with hamza on yaa."""
    rows = [{"id": f"a{i}", "article": f"قال المسؤول إن المشروع {i} بدأ. وأضاف أنه ينتهي غدا.",
             "summary": f"المسئول يعلن بدء المشروع {i}"} for i in range(2)]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def predictions(tmp_path) -> Path:
    """Predictions spelling مسؤول with hamza on waw: a different token unless folded."""
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"a{i}", "prediction": f"المسؤول يعلن بدء "
                                          f"المشروع {i}"}, ensure_ascii=False)
                              for i in range(2)) + "\n", encoding="utf-8")
    return path


def run_record(out: Path) -> dict:
    (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
    return json.loads((run_dir / "run.json").read_text())


@pytest.mark.parametrize("command", ["run", "score"])
@pytest.mark.parametrize("flags,expected", [
    ([], "norm:ar.v1|tok:ar.v1|stem:none|clitics:no"),
    (["--fold-hamza"], "norm:ar.v1+hamza.v2|tok:ar.v1|stem:none|clitics:no"),
    (["--clitics"], "norm:ar.v1|tok:ar.v1|stem:none|clitics:yes"),
    (["--stem"], "norm:ar.v1|tok:ar.v1|stem:light.v1|clitics:no"),
    (["--fold-hamza", "--clitics", "--stem"],
     "norm:ar.v1+hamza.v2|tok:ar.v1|stem:light.v1|clitics:yes"),
    (["--profile", "none"], "norm:none|tok:whitespace|stem:none|clitics:no"),
    (["--profile", "xlsum", "--no-stem"], "norm:none|tok:xlsum.v2|stem:none|clitics:no"),
    (["--tokenizer", "test_cli_text_options:SplitTokenizer"],
     "norm:ar.v1|tok:custom(test_cli_text_options:SplitTokenizer)|stem:none|clitics:no"),
])
def test_every_text_option_reaches_the_signature(tmp_path, corpus, predictions, command,
                                                  flags, expected):
    out = tmp_path / "results"
    if command == "run":
        args = ["run", "--model", "lead-1", "--dataset", corpus, "--output-dir", out, *flags]
    else:
        args = ["score", "--predictions", predictions, "--dataset", corpus,
                "--output-dir", out, *flags]
    result = bench(*args)
    assert result.exit_code == 0, result.output
    record = run_record(out)
    split = "newline" if "xlsum" in flags else "ar.v2"  # xlsum: Lsum by lines, as XL-Sum
    assert f"|{expected}|split:{split}|" in record["metrics"]["signatures"]["rouge"]


def test_fold_hamza_makes_the_two_spellings_match(tmp_path, corpus, predictions):
    scores = {}
    for flags in ([], ["--fold-hamza"]):
        out = tmp_path / ("folded" if flags else "plain")
        result = bench("score", "--predictions", predictions, "--dataset", corpus,
                       "--output-dir", out, *flags)
        assert result.exit_code == 0, result.output
        (run_dir,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        items = [json.loads(line) for line in (run_dir / "items.jsonl").read_text().splitlines()]
        scores[bool(flags)] = [item["rouge1_f"] for item in items]
    assert scores[True] == [1.0, 1.0]  # المسءول on both sides: identical tokens
    assert scores[False] == [pytest.approx(0.8)] * 2  # 4 of 5 tokens match


@pytest.mark.parametrize("flags,message", [
    (["--profile", "none", "--stem"], "profile 'none' takes no options"),
    (["--profile", "xlsum", "--fold-hamza"], "profile 'xlsum' reproduces XL-Sum's scorer"),
    (["--profile", "xlsum", "--tokenizer", "test_cli_text_options:SplitTokenizer"],
     "profile 'xlsum' has XL-Sum's own tokenizer"),
    (["--tokenizer", "no_such_module:Tok"], "cannot import 'no_such_module'"),
    (["--tokenizer", "benchmark.text:normalize_arabic"], "has no tokenize(text) method"),
])
@pytest.mark.parametrize("command", ["run", "score"])
def test_bad_text_options_are_one_line_errors(tmp_path, corpus, predictions, command,
                                              flags, message):
    if command == "run":
        args = ["run", "--model", "lead-1", "--dataset", corpus, "--output-dir", tmp_path]
    else:
        args = ["score", "--predictions", predictions, "--dataset", corpus,
                "--output-dir", tmp_path]
    result = bench(*args, *flags)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output


def test_a_tokenizer_that_deletes_arabic_is_an_error_not_a_zero(tmp_path, corpus, predictions):
    result = bench("score", "--predictions", predictions, "--dataset", corpus,
                   "--output-dir", tmp_path, "--tokenizer",
                   "rouge_score.tokenizers:DefaultTokenizer")
    assert result.exit_code == 2, result.output
    assert "the tokenizer dropped 95% of the letters" in result.output  # all but "0"


def test_xlsum_keeps_its_default_stemming_unless_no_stem():
    from benchmark.cli.common import text_profile

    default = dict(fold_hamza=False, clitics=False, tokenizer=None)
    assert text_profile("xlsum", stem=None, **default).stem is True
    assert text_profile("xlsum", stem=False, **default).stem is False
    assert text_profile("ar", stem=None, **default).stem is False
    assert text_profile("ar", stem=True, **default).stem is True
