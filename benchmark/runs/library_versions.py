"""Installed libraries' versions, for the run record's environment (DESIGN §9).

``importlib.metadata.version(name)`` parses a distribution's whole metadata file with
the email parser, long description included (24-44 KB for torch, transformers, openai
and datasets): about 3 ms of every run for six versions. `installed_version` reads the
same file's header block only, and leaves any file whose headers it does not read as
plainly as the email parser would (a folded, repeated or missing ``Version``, a line
that is no header, a carriage return) to ``importlib.metadata`` itself, so the version
is always the one it gives.
"""

from __future__ import annotations

import re
from importlib import metadata

# A header line as the email parser reads one: a name of printable ASCII but ':', a colon.
_HEADER = re.compile(r"([\x21-\x39\x3b-\x7e]+):(.*)")


def installed_version(name: str) -> str | None:
    """``importlib.metadata.version(name)``, None when `name` is not installed."""
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    text = (distribution.read_text("METADATA") or distribution.read_text("PKG-INFO")
            or distribution.read_text(""))
    version = _plain_version(text or "")
    return version if version is not None else distribution.version


def _plain_version(text: str) -> str | None:
    """The ``Version`` header of metadata `text` when its header block is plain (one
    ``Name: value`` a line up to the first empty line, one ``Version``); else None."""
    if "\r" in text or text.startswith("From "):
        return None
    found = None
    for line in text.split("\n"):
        if not line:
            break  # the end of the headers
        header = _HEADER.fullmatch(line)
        if header is None:
            return None  # a folded header or no header at all: the email parser's case
        if header[1].lower() == "version":
            if found is not None:
                return None
            found = header[2].lstrip(" \t")
    return found
