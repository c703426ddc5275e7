"""Datasets by name: ``hf:`` sources (a hub-style folder built here, no network), the
dataset registry, URL sources served by a local HTTP server, and ``bench list datasets``."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import load_examples
from benchmark.data.hub import HubSource, map_columns
from benchmark.data.registry import BUILTIN_FILE, load_registry
from benchmark.errors import ConfigError, DataError

N_ROWS = 41
ZEROS = "0" * 64  # quoted in YAML, or it reads as the integer 0


def bench(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture(scope="module")
def xlsum_rows(shared_dir) -> list[dict]:
    """XL-Sum's layout (id, url, title, summary, text) filled with real CNN Arabic pairs."""
    rows = []
    with (shared_dir / "corpora" / "ant_cnn.jsonl").open(encoding="utf-8") as handle:
        for number, line in zip(range(N_ROWS), handle):
            record = json.loads(line)
            rows.append({"id": record["id"], "url": record["url"], "title": f"t{number}",
                         "summary": record["summary"], "text": record["article"]})
    return rows


@pytest.fixture(scope="module")
def hub_folder(tmp_path_factory, xlsum_rows) -> Path:
    """A folder laid out like a hub repository: parquet shards and the card's configs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = tmp_path_factory.mktemp("hub") / "myxlsum"
    (root / "arabic").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(xlsum_rows[:30]),
                   root / "arabic" / "test-00000-of-00002.parquet")
    pq.write_table(pa.Table.from_pylist(xlsum_rows[30:]),
                   root / "arabic" / "test-00001-of-00002.parquet")
    (root / "README.md").write_text(
        "---\nconfigs:\n- config_name: arabic\n  data_files:\n  - split: test\n"
        "    path: arabic/test-*\n---\n# a hub-style copy for tests\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def same_rows_jsonl(tmp_path_factory, xlsum_rows) -> Path:
    """The same rows as JSONL, named as the hub source's dataset name."""
    path = tmp_path_factory.mktemp("jsonl") / "myxlsum_arabic_test.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in xlsum_rows),
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- hf: sources

@pytest.mark.parametrize("spec, repo, config, split, name, why", [
    ("hf:csebuetnlp/xlsum:arabic:test", "csebuetnlp/xlsum", "arabic", "test",
     "xlsum_arabic_test", "all three parts"),
    ("hf:csebuetnlp/xlsum:arabic", "csebuetnlp/xlsum", "arabic", "test",
     "xlsum_arabic_test", "the split defaults to test"),
    ("hf:org/plain", "org/plain", None, "test", "plain_test", "no config"),
    ("hf:./copies/my set:cfg:validation", "./copies/my set", "cfg", "validation",
     "my_set_cfg_validation", "a local folder; odd characters in the name become _"),
])
def test_hub_specs_parse(spec, repo, config, split, name, why):
    source = HubSource.parse(spec)
    assert (source.repo, source.config, source.split, source.name) == (repo, config, split,
                                                                        name), why


@pytest.mark.parametrize("spec", ["hf:", "hf::arabic", "hf:a:b:c:d", "hf:a::test"])
def test_malformed_hub_specs_name_the_expected_form(spec):
    with pytest.raises(DataError, match=r"expected hf:ID\[:CONFIG\]\[:SPLIT\]"):
        HubSource.parse(spec)


def test_hub_folder_gives_the_same_examples_and_identity_as_jsonl(hub_folder, same_rows_jsonl):
    from_hub = load_examples(f"hf:{hub_folder}:arabic:test")
    from_file = load_examples(same_rows_jsonl)
    assert len(from_hub.examples) == N_ROWS
    assert from_hub.examples == from_file.examples
    assert from_hub.identity == from_file.identity


def test_limit_streams_the_first_rows_only(hub_folder, same_rows_jsonl):
    from_hub = load_examples(f"hf:{hub_folder}:arabic:test", limit=5)
    assert from_hub.examples == load_examples(same_rows_jsonl, limit=5).examples


def test_data_stats_on_the_hub_folder_equal_the_jsonl(hub_folder, same_rows_jsonl):
    stats = []
    for source in (f"hf:{hub_folder}:arabic:test", str(same_rows_jsonl)):
        result = bench("data", "stats", source, "--format", "json")
        assert result.exit_code == 0, result.output
        numbers = json.loads(result.stdout)
        numbers.pop("path")
        stats.append(numbers)
    assert stats[0] == stats[1]
    assert stats[0]["identity"].startswith("myxlsum_arabic_test@sha256:")


def test_bench_run_on_a_hub_folder_end_to_end(hub_folder, same_rows_jsonl, tmp_path):
    result = bench("run", "--model", "lead-3", "--dataset", f"hf:{hub_folder}:arabic:test",
                   "--output-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    run = json.loads(next(tmp_path.glob("*/run.json")).read_text(encoding="utf-8"))
    assert run["dataset"]["size"] == N_ROWS
    assert run["dataset"]["sha256"] == load_examples(same_rows_jsonl).sha


def test_a_missing_config_is_one_line_naming_the_layout(hub_folder):
    result = bench("data", "validate", f"hf:{hub_folder}:nope:test")
    assert result.exit_code == 2
    assert "configs:" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("row, expected, why", [
    ({"document": "A", "highlights": "b1\nb2", "id": "x"},
     {"article": "A", "summary": "b1\nb2", "id": "x"}, "CNN/DailyMail names; highlights by line"),
    ({"text": "A", "target": "s", "url": "http://u"},
     {"text": "A", "summary": "s", "url": "http://u", "id": "http://u"}, "no id: the url is"),
    ({"article": "A", "summary": "s", "highlights": "h"},
     {"article": "A", "summary": "s", "highlights": "h"}, "a summary column wins"),
])
def test_default_column_mapping(row, expected, why):
    assert map_columns(row, {}) == expected, why


def test_highlights_become_bullets():
    from benchmark.data.tabular import Location, example_from_row

    row = map_columns({"document": "نص", "highlights": "نقطة أولى\nنقطة ثانية"}, {})
    example = example_from_row(row, stem="s", default_source=None, where=Location("x", 1))
    assert example.bullets == ("نقطة أولى", "نقطة ثانية")


def test_an_explicit_mapping_renames_and_a_wrong_one_is_an_error():
    assert map_columns({"body": "A", "headline": "h"},
                       {"article": "body", "summary": "headline"}) == {"article": "A",
                                                                        "summary": "h"}
    with pytest.raises(DataError, match="names 'lede' for summary"):
        map_columns({"body": "A"}, {"summary": "lede"})


# ---------------------------------------------------------------------------- the registry

def test_every_builtin_entry_is_complete():
    registry = load_registry()
    assert {"xlsum-ar", "ant-bbc", "marsum"} <= set(registry)
    for name, named in registry.items():
        entry = named.entry
        assert entry.licence.strip() and entry.citation.strip(), name
        assert entry.variety.strip() and entry.style.strip() and entry.size > 0, name
        assert named.origin == str(BUILTIN_FILE)


def test_path_entries_match_their_files(shared_dir, monkeypatch):
    """The checksums in configs/datasets.yaml are those of the files in ../shared."""
    monkeypatch.chdir(Path(__file__).parents[1])  # the entries are relative to the repository
    for name, named in load_registry().items():
        if named.entry.path:
            loaded = load_examples(name)
            assert len(loaded.examples) == named.entry.size, name


def test_list_datasets_shows_source_size_and_licence():
    result = bench("list", "datasets")
    assert result.exit_code == 0, result.output
    line = next(row for row in result.stdout.splitlines() if row.startswith("xlsum-ar "))
    assert "hub csebuetnlp/xlsum:arabic:test" in line and "4,689 examples" in line
    assert "licence: CC BY-NC-SA 4.0" in line


def user_config(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "userconf"
    folder.mkdir(exist_ok=True)
    (folder / "datasets.yaml").write_text(body, encoding="utf-8")
    return folder


ENTRY = """
  licence: CC0
  citation: test data
  variety: MSA
  style: one sentence
  size: {size}
"""


def test_a_user_entry_adds_a_name(tmp_path, monkeypatch, same_rows_jsonl):
    sha = hashlib.sha256(same_rows_jsonl.read_bytes()).hexdigest()
    folder = user_config(tmp_path, f"mine:\n  path: {same_rows_jsonl}\n  sha256: {sha}"
                         + ENTRY.format(size=N_ROWS))
    loaded = load_examples("mine", config_dir=folder)
    assert loaded.name == "mine" and len(loaded.examples) == N_ROWS
    monkeypatch.setenv("BENCH_CONFIG", str(folder))  # what the CLI reads
    assert "mine " in bench("list", "datasets").stdout


def test_a_user_entry_may_not_shadow_a_builtin(tmp_path, monkeypatch):
    folder = user_config(tmp_path, "xlsum-ar:\n  hub: evil/copy" + ENTRY.format(size=1))
    with pytest.raises(ConfigError, match=r"datasets.yaml: dataset 'xlsum-ar' would replace "
                                          r"the dataset of that name in .*datasets.yaml"):
        load_registry(folder)


@pytest.mark.parametrize("body, message", [
    ("x:\n  hub: a/b\n  size: 3\n", "licence: Field required"),
    ("x:\n  url: http://h/f.jsonl" + ENTRY.format(size=1), "needs its sha256"),
    ("x:\n  hub: a/b\n  path: f" + ENTRY.format(size=1), "exactly one of hub, url, path"),
    ("x:\n  hub: a/b\n  colour: red" + ENTRY.format(size=1), "colour: Extra inputs"),
])
def test_bad_user_entries_are_one_line_errors(tmp_path, monkeypatch, body, message):
    monkeypatch.setenv("BENCH_CONFIG", str(user_config(tmp_path, body)))
    result = bench("list", "datasets")
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_path_entry_with_a_wrong_checksum_is_refused(tmp_path, monkeypatch, same_rows_jsonl):
    folder = user_config(tmp_path, f"mine:\n  path: {same_rows_jsonl}\n  sha256: '{ZEROS}'"
                         + ENTRY.format(size=N_ROWS))
    with pytest.raises(DataError, match="checksum mismatch"):
        load_examples("mine", config_dir=folder)


# ---------------------------------------------------------------------------- URL sources

class FileServer:
    """Serves one payload at /data.jsonl on 127.0.0.1, honouring Range requests; can cut
    the first response short to play an interrupted download."""

    def __init__(self, payload: bytes):
        self.payload = payload
        self.requests: list[str | None] = []
        self.cut_first_at: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append(self.headers.get("Range"))
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                body = server.payload[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_first_at is not None:
                    body, server.cut_first_at = body[:server.cut_first_at], None
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/data.jsonl"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(same_rows_jsonl, tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    server = FileServer(same_rows_jsonl.read_bytes())
    yield server
    server.close()


def url_entry(tmp_path, monkeypatch, url: str, sha: str) -> Path:
    folder = user_config(tmp_path, f"remote:\n  url: {url}\n  sha256: {sha}"
                         + ENTRY.format(size=N_ROWS))
    monkeypatch.setenv("BENCH_CONFIG", str(folder))  # for the CLI
    return folder


def test_first_use_downloads_verifies_and_caches(served, tmp_path, monkeypatch, same_rows_jsonl):
    folder = url_entry(tmp_path, monkeypatch, served.url,
                       hashlib.sha256(served.payload).hexdigest())
    first = load_examples("remote", config_dir=folder)
    second = load_examples("remote", config_dir=folder)
    assert first.examples == second.examples == load_examples(same_rows_jsonl).examples
    assert served.requests == [None], "the second use reads the cache"
    assert list((tmp_path / "cache").rglob("*.part")) == []


def test_a_checksum_mismatch_deletes_the_download(served, tmp_path, monkeypatch):
    url_entry(tmp_path, monkeypatch, served.url, "f" * 64)
    result = bench("data", "validate", "remote")
    assert result.exit_code == 2
    assert "checksum mismatch (expected sha256 ffff" in result.output
    # (remembered/ holds the configuration's parsed YAML: benchmark.remembered)
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file()
            and "remembered" not in p.relative_to(tmp_path / "cache").parts] == []


def test_an_interrupted_download_resumes_where_it_stopped(served, tmp_path, monkeypatch):
    folder = url_entry(tmp_path, monkeypatch, served.url,
                       hashlib.sha256(served.payload).hexdigest())
    served.cut_first_at = 1000
    with pytest.raises(DataError, match="connection closed after 1000 of"):
        load_examples("remote", config_dir=folder)
    assert len(load_examples("remote", config_dir=folder).examples) == N_ROWS
    assert served.requests == [None, "bytes=1000-"]


def test_no_network_says_what_to_fetch_and_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_CACHE_DIR", str(tmp_path / "cache"))
    url_entry(tmp_path, monkeypatch, "http://127.0.0.1:9/gone/data.jsonl", "a" * 64)
    result = bench("data", "validate", "remote")
    assert result.exit_code == 2
    expected = tmp_path / "cache" / "datasets" / "remote" / ("a" * 12) / "data.jsonl"
    assert "to work offline, fetch that file elsewhere and put it at" in result.output
    assert str(expected) in result.output.replace("\n", "")
