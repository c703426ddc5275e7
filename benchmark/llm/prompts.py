"""Prompt templates for chat models, from the ``prompts/`` folders of the configuration
layers (the package's, then the user's; `benchmark.paths`).

A template is a YAML file with a ``user`` message, an optional ``system`` message and a
``description`` (any other key is an error naming it and the file; the files are read
by `benchmark.config`), or a plain ``.txt`` file holding the user message alone. The article goes where ``{article}`` stands
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

from benchmark.config import load_prompt as load_prompt_file
from benchmark.config import prompt_names as layered_prompt_names
from benchmark.errors import ConfigError
from benchmark.llm.delimiters import enclose, nonce_for

DEFAULT_PROMPT = "bullets-ar"
PLACEHOLDER = "{article}"


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


def prompt_names() -> list[str]:
    """The names of the templates of the configuration layers."""
    return layered_prompt_names()


def load_prompt(name_or_path: str = DEFAULT_PROMPT, *,
                placeholders: tuple[str, ...] = ("article",)) -> PromptTemplate:
    """The template called `name_or_path` in the layers' ``prompts/`` folders, or at
    that path (read by `benchmark.config`, which checks its keys and ``{article}``);
    each of `placeholders` must occur exactly once in its user message."""
    defined = load_prompt_file(name_or_path)
    spec = defined.spec
    for name in placeholders:
        count = spec.user.count("{" + name + "}")
        if count != 1:
            raise ConfigError(f"{defined.file}: the user message must contain {{{name}}} "
                              f"exactly once (found {count} times)")
    return PromptTemplate(defined.name, spec.user, spec.system or None, spec.description)
