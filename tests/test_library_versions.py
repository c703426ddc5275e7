"""Installed libraries' versions for the run record (`benchmark.runs.library_versions`):
the version ``importlib.metadata`` gives, read from the metadata's headers alone."""

from __future__ import annotations

from importlib import metadata

import pytest

from benchmark.runs.library_versions import _plain_version, installed_version
from benchmark.runs.record import KEY_LIBRARIES, Environment


def test_every_installed_distribution_has_the_version_importlib_gives():
    names = sorted({dist.metadata["Name"] for dist in metadata.distributions()
                    if dist.metadata["Name"]})
    assert len(names) > 20  # why: the test extra alone installs more than this
    for name in names:
        assert installed_version(name) == metadata.version(name), name


def test_the_key_libraries_are_read_from_their_headers(monkeypatch):
    """The long metadata files (torch, transformers, ...) are read by the plain path."""
    expected = {name: metadata.version(name) for name in KEY_LIBRARIES
                if installed_version(name) is not None}
    assert "numpy" in expected  # why: a core dependency

    def no_email_parser(self):
        raise AssertionError("parsed the whole metadata")

    monkeypatch.setattr(metadata.PathDistribution, "metadata", property(no_email_parser))
    # why: would raise had it parsed the whole file
    assert {name: installed_version(name) for name in expected} == expected


def test_a_missing_library_has_no_version():
    assert installed_version("no-such-distribution-for-bench") is None
    assert Environment.current().libraries["rouge-score"] == installed_version("rouge-score")


@pytest.mark.parametrize("text, version, why", [
    ("Metadata-Version: 2.1\nName: a\nVersion: 1.2\n\nVersion: 9\n", "1.2",
     "the body after the first empty line is not read"),
    ("Name: a\nversion: 1.2 \n", "1.2 ", "names compare without case; trailing spaces kept"),
    ("Name: a\nVersion:\t3\n", "3", "blanks after the colon dropped, as the parser does"),
    ("Name: a\nVersion: 1\nVersion: 2\n", None, "two versions: the parser's call"),
    ("Name: a\nSummary: x\n  folded\nVersion: 1\n", None, "a folded header: the parser's"),
    ("Name: a\r\nVersion: 1\r\n", None, "carriage returns: the parser's"),
    ("From a\nVersion: 1\n", None, "a Unix From line: the parser's"),
    ("Name: a\nnot a header\nVersion: 1\n", None, "a line that is no header: the parser's"),
    ("Name: a\n", None, "no version: the parser's (it warns and gives None)"),
])
def test_plain_version(text, version, why):
    assert _plain_version(text) == version, why
