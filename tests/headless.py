"""The system's Chromium for the tests that open pages in a real browser."""

from __future__ import annotations

import shutil

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium_or_skip() -> str:
    """The path of Debian's `chromium`, or the test is skipped saying why."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'; .ci/run installs "
                    "it): the page cannot be opened in a browser")
    return path
