"""Prompt templates for chat models, from the ``prompts/`` folders of the configuration
layers (the package's, then the user's; `benchmark.paths`).

A template is a YAML file with a ``user`` message, an optional ``system`` message and a
``description`` (any other key is an error naming it and the file), or a plain ``.txt``
file holding the user message alone. The article goes where ``{article}`` stands
(exactly once; no other braces are interpreted, so a template may contain JSON or other
literal braces). Summarizers pick a template by name (the file name without its
extension) or by path through their ``prompt`` option, and its content hash goes into
their signature: editing a template invalidates cached predictions.

Templates that show a model texts to judge fill their placeholders with `render_data`:
each text is escaped and enclosed in tags the text cannot contain (see
`benchmark.llm.delimiters`), so a summary cannot end its own section or start another.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict

from benchmark.errors import ConfigError
from benchmark.llm.delimiters import enclose, nonce_for
from benchmark.llm.files import read_yaml, validated
from benchmark.paths import config_layers

DEFAULT_PROMPT = "bullets-ar"
PLACEHOLDER = "{article}"
_SUFFIXES = (".yaml", ".yml", ".txt")


class PromptFile(BaseModel):
    """A YAML template; unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")

    user: str
    system: Optional[str] = None
    description: Optional[str] = None


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    user: str
    system: str | None = None
    description: str = ""

    def render_user(self, article: str) -> str:
        return self.user.replace(PLACEHOLDER, article)

    def messages(self, article: str) -> list[dict[str, str]]:
        """The chat messages for `article` (system first when the template has one)."""
        return self._messages(self.render_user(article))

    def render_data(self, fields: dict[str, str]) -> list[dict[str, str]]:
        """The chat messages with each ``{name}`` placeholder replaced, in one pass, by
        its text escaped and enclosed in tags (`benchmark.llm.delimiters`)."""
        nonce = nonce_for(fields)
        enclosed = {name: enclose(name, text, nonce=nonce) for name, text in fields.items()}
        return self._messages(render(self.user, enclosed))

    def _messages(self, user: str) -> list[dict[str, str]]:
        messages = [{"role": "system", "content": self.system}] if self.system else []
        messages.append({"role": "user", "content": user})
        return messages

    def signature(self, *, scheme: str | None = None) -> str:
        """``name@hash`` of the template's text; `scheme` (how `render_data` fills it) is
        hashed with it, so a change of delimiters changes the hash of every template."""
        blob = f"{self.system or ''}\x00{self.user}" + (f"\x00{scheme}" if scheme else "")
        return f"{self.name}@{hashlib.sha256(blob.encode()).hexdigest()[:8]}"


def render(template_text: str, fields: dict[str, str]) -> str:
    """``template_text`` with each ``{name}`` of `fields` replaced in one pass, so a text
    that itself contains ``{summary}`` is never substituted again."""
    import re

    if not fields:
        return template_text
    pattern = re.compile("|".join(re.escape("{" + name + "}") for name in fields))
    return pattern.sub(lambda match: fields[match.group()[1:-1]], template_text)


def prompt_dirs() -> list[Path]:
    """Where named templates are looked up: the package's, then the user's."""
    return [layer.folder / "prompts" for layer in config_layers()]


def prompt_names() -> list[str]:
    names = {path.stem for folder in prompt_dirs() if folder.is_dir()
             for path in folder.iterdir() if path.suffix in _SUFFIXES}
    return sorted(names)


def load_prompt(name_or_path: str = DEFAULT_PROMPT, *,
                placeholders: tuple[str, ...] = ("article",)) -> PromptTemplate:
    """The template called `name_or_path` in ``configs/prompts/``, or at that path; each
    of `placeholders` must occur exactly once in its user message."""
    path = _find(name_or_path)
    template = read_prompt_file(path)
    for name in placeholders:
        count = template.user.count("{" + name + "}")
        if count != 1:
            raise ConfigError(f"{path}: the user message must contain {{{name}}} exactly "
                              f"once (found {count} times)")
    return template


def read_prompt_file(path: Path) -> PromptTemplate:
    """A template file (``.txt``: the user message; YAML: `PromptFile`). Errors never
    quote the file: it may be any file a path option named."""
    if path.suffix == ".txt":
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: not a prompt template (not UTF-8 text)") from None
        return PromptTemplate(path.stem, text.strip("\n"))
    data = read_yaml(path, what="a prompt template")
    if not isinstance(data, dict) or not isinstance(data.get("user"), str):
        raise ConfigError(f"{path}: a prompt template needs a 'user' message (a string)")
    parsed = validated(PromptFile, data, path=path, what="a prompt template")
    return PromptTemplate(path.stem, parsed.user, parsed.system or None,
                          str(parsed.description or ""))


def _find(name_or_path: str) -> Path:
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix in _SUFFIXES or "/" in name_or_path:
        if candidate.is_file():
            return candidate
        raise ConfigError(f"prompt file {name_or_path!r} does not exist")
    found = [folder / f"{name_or_path}{suffix}" for folder in prompt_dirs()
             for suffix in _SUFFIXES if (folder / f"{name_or_path}{suffix}").is_file()]
    if found:
        differing = [path for path in found[1:] if path.read_bytes() != found[0].read_bytes()]
        if differing:
            raise ConfigError(f"{differing[0]}: prompt {name_or_path!r} would replace the "
                              f"template of that name in {found[0]}",
                              hint="give your template another name")
        return found[0]
    available = ", ".join(prompt_names()) or "none"
    raise ConfigError(f"unknown prompt {name_or_path!r}; available: {available} "
                      "(or give the path of a .yaml/.txt template)")
