"""Dataset sources: registry URLs are http(s) only, and errors never print arbitrary files.

Defects: a ``file://`` URL was accepted for a registry source (a local file is a
``path`` source, whose checksum is checked where it lies); and a malformed-dataset error
quoted the first line of whatever file it was given: pointed at ``/etc/passwd`` (behind
a name ending in ``.jsonl``), it printed a line of it. Now a line is quoted only once
the file has shown itself to be of the expected format (an earlier JSON object, a seed
header starting with ``date``, a CSV header naming the article). The tests write a
file of that shape themselves.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from benchmark.cli.app import app
from benchmark.data import download
from benchmark.errors import DataError
from benchmark.urls import check_download_url

runner = CliRunner()
PASSWD = ("root:x:0:0:root:/root:/bin/bash\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          "alice:x:1000:1000:Alice Secret-Name,,,:/home/alice:/bin/bash\n")
LEAKS = ("root:x", "/bin/bash", "Secret-Name", "daemon")


def bench(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def entry(**source: str) -> str:
    lines = [f"{key}: {value}" for key, value in source.items()]
    return "local:\n" + "".join(f"  {line}\n" for line in lines + [
        "licence: test", "citation: test", "variety: MSA", "style: bullets", "size: 3"])


@pytest.mark.parametrize("url,accepted,why", [
    ("https://example.org/data.jsonl", True, "https"),
    ("HTTP://example.org/d.csv", True, "the scheme in any case"),
    ("file:///etc/passwd", False, "a local file: a 'path' source"),
    ("file://localhost/etc/passwd", False, "a local file with a host is still local"),
    ("ftp://example.org/d.jsonl", False, "only http and https"),
    ("data:text/plain,hello", False, "inline data is no download"),
    ("/etc/passwd", False, "a path is no URL"),
    ("https:///no-host", False, "no host"),
])
def test_download_url_rule(url, accepted, why):
    if accepted:
        check_download_url(url)
    else:
        with pytest.raises(ValueError, match="must be http:// or https://"):
            check_download_url(url)


def test_a_file_url_in_datasets_yaml_is_one_line_naming_the_path_source(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "datasets.yaml").write_text(entry(url="file:///etc/passwd", sha256='"' + "0" * 64 + '"'))
    result = bench("--config", config, "data", "validate", "local")
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "datasets.yaml" in line and "'local'" in line and "file:" in line
    assert "a local file is a 'path' source" in line
    assert "Traceback" not in result.output


def test_fetch_refuses_a_file_url_from_any_caller(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSWD)
    sha = hashlib.sha256(secret.read_bytes()).hexdigest()
    with pytest.raises(DataError, match="'path' source"):
        download.fetch(name="x", url=secret.as_uri(), sha256=sha)


@pytest.fixture
def passwd_files(tmp_path):
    files = {}
    for suffix in (".jsonl", ".csv", ".txt"):
        files[suffix] = tmp_path / f"passwd{suffix}"
        files[suffix].write_text(PASSWD)
    return files


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".txt"])
@pytest.mark.parametrize("skip", [False, True])
def test_a_file_of_another_kind_is_never_quoted(passwd_files, tmp_path, suffix, skip):
    path = passwd_files[suffix]
    outputs = [bench("data", "validate", path, *(["--skip-invalid"] if skip else [])),
               bench("run", "--model", "lead-3", "--dataset", path, "--output-dir",
                     tmp_path / "r", *(["--skip-invalid"] if skip else []))]
    for result in outputs:
        assert result.exit_code == 2, result.output
        assert path.name in result.output  # the file and line are named ...
        assert not any(leak in result.output for leak in LEAKS), result.output  # ... not shown


def test_a_registry_path_source_of_another_kind_is_never_quoted(passwd_files, tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    path = passwd_files[".jsonl"]
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    (config / "datasets.yaml").write_text(entry(path=str(path), sha256=sha))
    result = bench("--config", config, "data", "validate", "local")
    assert result.exit_code == 2 and "passwd.jsonl:1: not JSON" in result.output
    assert not any(leak in result.output for leak in LEAKS), result.output


def test_a_line_of_a_real_jsonl_file_is_still_quoted(tmp_path):
    """Quoting stays where it helps: the file's first line was a JSON object."""
    path = tmp_path / "d.jsonl"
    good = {"id": "a", "article": "نص الخبر.", "summary": "ملخص"}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + '{"id": "b", oops\n',
                    encoding="utf-8")
    result = bench("data", "validate", path)
    assert result.exit_code == 2
    assert "d.jsonl:2: not JSON" in result.output and "'{\"id\": \"b\", oops'" in result.output


@pytest.mark.parametrize("text,quoted,why", [
    ("date 2024-02-30 - أ: ب\n\nنص.\n", "bad date '2024-02-30'", "a seed header: quoted"),
    ("root:x:0:0:root:/root:/bin/bash\n\nنص.\n", None, "not a seed header: not quoted"),
])
def test_seed_files_quote_only_a_seed_header(tmp_path, text, quoted, why):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    result = bench("data", "validate", path)
    assert result.exit_code == 2
    if quoted:
        assert quoted in result.output
    else:
        assert "no date line" in result.output and "root:x" not in result.output
