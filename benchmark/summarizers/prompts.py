"""Prompt templates for chat models, from the ``prompts/`` folders of the configuration
layers (the package's, then the user's; `benchmark.paths`).

A template is a YAML file with a ``user`` message, an optional ``system`` message and a
``description``, or a plain ``.txt`` file holding the user message alone. The article
goes where ``{article}`` stands (exactly once; no other braces are interpreted, so a
template may contain JSON or other literal braces). Summarizers pick a template by name
(the file name without its extension) or by path through their ``prompt`` option, and
its content hash goes into their signature: editing a template invalidates cached
predictions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from benchmark.errors import ConfigError
from benchmark.paths import config_layers

DEFAULT_PROMPT = "bullets-ar"
PLACEHOLDER = "{article}"
_SUFFIXES = (".yaml", ".yml", ".txt")
_KEYS = {"user", "system", "description"}


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
        messages = [{"role": "system", "content": self.system}] if self.system else []
        messages.append({"role": "user", "content": self.render_user(article)})
        return messages

    def signature(self) -> str:
        blob = f"{self.system or ''}\x00{self.user}".encode()
        return f"{self.name}@{hashlib.sha256(blob).hexdigest()[:8]}"


def prompt_dirs() -> list[Path]:
    """Where named templates are looked up: the package's, then the user's."""
    return [layer.folder / "prompts" for layer in config_layers()]


def prompt_names() -> list[str]:
    names = {path.stem for folder in prompt_dirs() if folder.is_dir()
             for path in folder.iterdir() if path.suffix in _SUFFIXES}
    return sorted(names)


def load_prompt(name_or_path: str = DEFAULT_PROMPT) -> PromptTemplate:
    """The template called `name_or_path` in ``configs/prompts/``, or at that path."""
    path = _find(name_or_path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a prompt template (not UTF-8 text)") from None
    if path.suffix == ".txt":
        return _validated(PromptTemplate(path.stem, text.strip("\n")), path)
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # Only the position: the parser's own message quotes the file's lines, and the
        # path may name a file that is not a template at all (and not the user's to show).
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: not a valid YAML prompt template{where}") from None
    if not isinstance(data, dict) or not isinstance(data.get("user"), str):
        raise ConfigError(f"{path}: a prompt template needs a 'user' message (a string)")
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown keys {sorted(unknown)} (allowed: {sorted(_KEYS)})")
    system = data.get("system")
    if system is not None and not isinstance(system, str):
        raise ConfigError(f"{path}: 'system' must be a string")
    template = PromptTemplate(path.stem, data["user"], system or None,
                              str(data.get("description") or ""))
    return _validated(template, path)


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


def _validated(template: PromptTemplate, path: Path) -> PromptTemplate:
    count = template.user.count(PLACEHOLDER)
    if count != 1:
        raise ConfigError(f"{path}: the user message must contain {PLACEHOLDER} exactly "
                          f"once (found {count} times)")
    return template
