"""NER backends and datasets resolve through the one `Registry`: ``--ner py:module:attr``
end to end through ``bench run`` (before, only a test could reach the registry's
resolver, and ``--ner py:...`` was an unknown backend), and ``py:`` datasets."""

from __future__ import annotations

import json
import textwrap

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import load_examples
from benchmark.entities.registry import create_backend, get_backend
from benchmark.errors import ConfigError, UnknownNameError

runner = CliRunner()

BACKEND = textwrap.dedent('''
    from benchmark.entities.model import Entity, entity_key
    from benchmark.signature import Signature

    class Homes:
        """Every "البيت" is a place: something the rules never call a LOC."""
        name = "homes"

        def signature(self):
            return Signature.of(ner="homes.v1")

        def extract(self, text, known=None):
            start = text.find("البيت")
            if start < 0:
                return []
            return [Entity("LOC", "البيت", start, start + 5, entity_key("البيت"))]
''')


@pytest.fixture
def homes(tmp_path, monkeypatch):
    (tmp_path / "homes_ner.py").write_text(BACKEND, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "py:homes_ner:Homes"
    get_backend.cache_clear()


def write_data(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"id": "a", "article": "ذهب سامر إلى البيت. ثم عاد إلى العمل.",
                                "summary": "ذهب سامر إلى البيت"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return data


def test_bench_run_with_a_py_ner_backend(tmp_path, homes):
    result = runner.invoke(app, ["run", "--model", "lead-1", "--dataset", str(write_data(tmp_path)),
                                 "--metrics", "entities", "--ner", homes,
                                 "--output-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    [run] = list((tmp_path / "r").glob("*/run.json"))
    record = json.loads(run.read_text(encoding="utf-8"))
    signature = record["metrics"]["signatures"]["entities"]
    assert signature.startswith("entities:v3|ner:homes.v1|src:")  # its source is signed
    [item] = [json.loads(line) for line in (run.parent / "items.jsonl").open(encoding="utf-8")]
    # The reference's one entity is the backend's LOC, and lead-1 keeps it.
    assert item["entity_counts"] == {"reference": 1, "found": 1, "prediction": 1,
                                     "supported": 1}
    assert item["entity_recall_LOC"] == 1.0


def test_the_rules_find_nothing_there(tmp_path):
    """The contrast: with the default backend the same item has no reference entity, so
    the run above can only have used the py: backend."""
    result = runner.invoke(app, ["run", "--model", "lead-1", "--dataset", str(write_data(tmp_path)),
                                 "--metrics", "entities", "--output-dir", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    [run] = list((tmp_path / "r").glob("*/items.jsonl"))
    [item] = [json.loads(line) for line in run.open(encoding="utf-8")]
    assert item["entity_counts"]["reference"] == 0


def test_editing_a_py_backend_changes_its_signature(tmp_path, homes):
    from benchmark.metrics.registry import metric_class
    from benchmark.text import get_profile

    def analysis():
        get_backend.cache_clear()
        metric = metric_class("entities").create(get_profile("ar"), {"ner": homes})
        return metric.analysis_signature().get("src")

    before = analysis()
    import importlib
    import sys

    (tmp_path / "homes_ner.py").write_text(BACKEND + "\n# edited\n", encoding="utf-8")
    importlib.reload(sys.modules["homes_ner"])
    assert analysis() != before  # stored analyses of the old code are not reused


@pytest.mark.parametrize("name, error, message", [
    ("py:no_such_module_xyz:X", ConfigError, "cannot import 'no_such_module_xyz'"),
    ("py:benchmark.text:normalize_arabic", ConfigError, "does not resolve to a class"),
    ("py:benchmark.text:TextProfile", ConfigError, "has no extract"),
    ("rulez", UnknownNameError, "did you mean rules"),
    ("", ConfigError, "needs a name"),
])
def test_bad_backend_names(name, error, message):
    with pytest.raises(error, match=message):
        create_backend(name)


def test_a_bad_ner_name_on_the_command_line_is_one_line(tmp_path):
    result = runner.invoke(app, ["run", "--model", "lead-1", "--metrics", "entities",
                                 "--ner", "py:no_such_module_xyz:X",
                                 "--output-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "cannot import 'no_such_module_xyz'" in result.output
    assert "Traceback" not in result.output


def test_bench_list_ner_shows_every_form():
    result = runner.invoke(app, ["list", "ner"])
    assert result.exit_code == 0
    for name in ("rules", "hf:<model id or path>", "py:module:attr"):
        assert name in result.output


# -- datasets through the same resolver -----------------------------------------------

DATASET = textwrap.dedent('''
    def two():
        return [{"id": "x1", "article": "زار الوزير القاهرة. ثم عاد.", "summary": "زار القاهرة"},
                {"id": "x2", "article": "افتتح المعرض أمس. وحضره كثيرون.",
                 "summary": "افتتح المعرض"}]
''')


def test_a_py_dataset_is_a_function_returning_records(tmp_path, monkeypatch):
    (tmp_path / "my_rows.py").write_text(DATASET, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded = load_examples("py:my_rows:two")
    assert loaded.name == "two" and [e.id for e in loaded.examples] == ["x1", "x2"]
    assert loaded.examples[0].summary == "زار القاهرة"


def test_an_unknown_dataset_name_gets_suggestions():
    with pytest.raises(UnknownNameError, match="did you mean ant-cnn"):
        load_examples("ant-cnnn")
