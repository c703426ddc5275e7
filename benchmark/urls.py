"""One rule for the URLs the program stores or prints (DESIGN §9): no credentials.

`redact_url` removes a URL's user information (``user:password@``) and every query or
fragment parameter whose name looks like a credential (``key``, ``api_key``, ``token``,
``access_token``, ``sig``, ``signature``, ``secret``, ``password``, ``auth``, ... in any
case, alone or as a part of a longer name such as ``X-Amz-Signature``). Whatever else
the URL says is kept as written. Every URL that reaches a file, a signature or the
terminal goes through it: summarizer and judge base URLs, replicas, dataset sources.

`url_secrets` lists the values removed, so that a text that may quote the full URL (an
error from a server or an HTTP library) can be scrubbed of them (`scrub`).
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

# Parameter names (lower case, "-" read as "_") that hold credentials, whole or as one
# "_"-separated part of a longer name; and fragments that give one away anywhere inside.
CREDENTIAL_NAMES = frozenset({
    "key", "apikey", "api_key", "token", "access_token", "auth", "authorization", "sig",
    "signature", "secret", "password", "passwd", "pwd", "credential", "credentials",
    "session", "sessionid", "jwt", "bearer"})
CREDENTIAL_PARTS = ("token", "secret", "passw", "apikey", "signature", "credential")
_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>]+")


def is_credential_name(name: str) -> bool:
    """Whether a query parameter called `name` carries a credential."""
    normal = unquote(name).strip().lower().replace("-", "_")
    if normal in CREDENTIAL_NAMES or any(part in normal for part in CREDENTIAL_PARTS):
        return True
    return any(part in CREDENTIAL_NAMES for part in normal.split("_") if part)


def redact_url(url: str) -> str:
    """`url` without user information and without credential-like parameters."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced "[": keep nothing that could be a password
        return re.sub(r"//[^/?#]*@", "//", url)
    netloc = parts.netloc.rpartition("@")[2]
    query = _kept(parts.query)
    fragment = _kept(parts.fragment) if "=" in parts.fragment else parts.fragment
    if (netloc, query, fragment) == (parts.netloc, parts.query, parts.fragment):
        return url
    return urlunsplit(SplitResult(parts.scheme, netloc, parts.path, query, fragment))


DOWNLOAD_SCHEMES = ("http", "https")


def check_download_url(url: str) -> None:
    """Raise `ValueError` unless `url` is an ``http://`` or ``https://`` URL with a host.
    ``file://`` (and ``ftp:``, ``data:`` ...) is refused: a registry source that is a
    local file is a ``path`` source, whose checksum is checked where it lies."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in DOWNLOAD_SCHEMES or not parts.hostname:
        scheme = f"{parts.scheme}:" if parts is not None and parts.scheme else "this URL"
        local = " (a local file is a 'path' source)" if scheme.lower() == "file:" else ""
        raise ValueError(f"a dataset url must be http:// or https://, not {scheme}"
                         f"{local}: {redact_url(url)}")


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials `redact_url` removes from `url` (user name, password, values of
    credential-like parameters), longest first, as written and percent-decoded."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ()
    found: set[str] = set()
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        found.update(piece for piece in userinfo.split(":", 1) if piece)
    for text in (parts.query, parts.fragment):
        for pair in text.split("&"):
            name, equals, value = pair.partition("=")
            if equals and value and is_credential_name(name):
                found.add(value)
    found |= {unquote(secret) for secret in found}
    return tuple(sorted(found, key=len, reverse=True))


def scrub(text: str, secrets: tuple[str, ...] | list[str], *,
          replacement: str = "<redacted>") -> str:
    """`text` with every URL in it redacted and each of `secrets` replaced (a message
    may quote a credential outside of a URL)."""
    text = redact_text(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, replacement)
    return text


def redact_text(text: str) -> str:
    """`text` with each URL found in it passed through `redact_url`."""
    return _URL.sub(lambda match: redact_url(match.group()), text)


def _kept(query: str) -> str:
    """`query` without its credential-like ``name=value`` pairs (the rest as written)."""
    if not query:
        return query
    pairs = [pair for pair in query.split("&")
             if not is_credential_name(pair.partition("=")[0])]
    return "&".join(pairs)
