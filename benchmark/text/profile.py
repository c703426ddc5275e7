"""Text profiles: the normalization, tokenizer and splitter both sides go through.

A profile describes itself in a signature such as
``norm:ar.v1|tok:ar.v1|stem:none|clitics:no`` that every score built on it carries.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from benchmark.errors import ConfigError
from benchmark.registry import import_target
from benchmark.signature import Signature
from benchmark.text.normalize import HAMZA_VERSION, NORMALIZER_VERSION, normalize_arabic
from benchmark.text.sentences import split_lines, split_sentences
from benchmark.text.stem import light_stem, strip_clitics
from benchmark.text.tokenize import TOKENIZER_VERSION, check_token_loss, tokenize_words
from benchmark.text.xlsum import STEMMER_VERSION as XLSUM_STEMMER
from benchmark.text.xlsum import TOKENIZER_VERSION as XLSUM_TOKENIZER
from benchmark.text.xlsum import stem_xlsum, tokenize_xlsum, tokenize_xlsum_line

PROFILE_NAMES = ("ar", "none", "xlsum")


@dataclass(frozen=True)
class TextProfile:
    name: str = "ar"
    fold_hamza: bool = False
    clitics: bool = False
    stem: bool = False
    # A custom tokenizer: any object with ``tokenize(text) -> list[str]`` (the
    # interface rouge-score uses), or ``"module:attr"`` naming one (or a class, made
    # without arguments). It receives the normalized text.
    tokenizer: Any = None

    def __post_init__(self) -> None:
        if isinstance(self.tokenizer, str):
            object.__setattr__(self, "tokenizer", _NamedTokenizer.load(self.tokenizer))
        if self.name not in PROFILE_NAMES:
            raise ConfigError(
                f"unknown text profile {self.name!r}; choose one of {', '.join(PROFILE_NAMES)}")
        if self.name == "none" and (self.fold_hamza or self.clitics or self.stem):
            raise ConfigError("profile 'none' takes no options (hamza, clitics, stem)")
        if self.name == "xlsum" and (self.fold_hamza or self.clitics):
            raise ConfigError("profile 'xlsum' reproduces XL-Sum's scorer: it takes no hamza "
                              "or clitics option (stem: its Snowball stemmer, on by default)")
        if self.name == "xlsum" and self.tokenizer is not None:
            raise ConfigError("profile 'xlsum' has XL-Sum's own tokenizer; use a custom "
                              "tokenizer with profile 'ar' or 'none'")

    def normalize(self, text: str) -> str:
        """The profile's normalization of `text` (``ar``: `normalize_arabic`; the last
        `NORMALIZED_TEXTS` texts are remembered, see `_normalized`)."""
        if self.name in ("none", "xlsum"):
            return text
        return _normalized(text, self.fold_hamza)

    def tokenize(self, text: str) -> list[str]:
        """Normalize and tokenize `text` (what ROUGE and the other metrics count).

        Raises `TokenizerLossError` when the tokenizer drops over 10% of the letters
        and digits (the zero-drop guard of DESIGN §5).
        """
        return self._tokens_of(self.normalize(text))

    def _tokens_of(self, normalized: str) -> list[str]:
        """`tokenize` of text already normalized."""
        if self.tokenizer is not None:
            tokens = list(self.tokenizer.tokenize(normalized))
            check_token_loss(normalized, tokens)
        elif self.name == "none":  # built-in tokenizers keep every letter and digit
            tokens = normalized.split()
        elif self.name == "xlsum":
            tokens = tokenize_xlsum(normalized)
        else:
            tokens = tokenize_words(normalized)
        if self.name == "xlsum":
            check_token_loss(normalized, tokens)
            return stem_xlsum(tokens) if self.stem else tokens
        if self.clitics:
            tokens = [strip_clitics(token) for token in tokens]
        if self.stem:
            tokens = [light_stem(token) for token in tokens]
        return tokens

    def sentences(self, text: str) -> list[str]:
        return split_sentences(text)

    def sentence_tokens(self, text: str, *, split: str = "ar") -> list[list[str]]:
        """The tokens of each sentence of `text` as ROUGE-Lsum reads them: sentences
        split ``ar`` (`split_sentences`) or ``newline`` (`split_lines`). Profile
        ``xlsum`` has XL-Sum's own path: lines, tokenized without OpenNMT's step."""
        if self.name == "xlsum":
            lines = map(tokenize_xlsum_line, split_lines(text))
            return [stem_xlsum(tokens) for tokens in lines] if self.stem else list(lines)
        sentences = split_lines(text) if split == "newline" else self.sentences(text)
        if len(sentences) < 2:
            return [self.tokenize(sentence) for sentence in sentences]
        # One normalization of the sentences joined by newlines instead of one per
        # sentence: a newline has no sentence of its own (both splits cut at it),
        # normalization maps each character on its own and NFKC neither reorders nor
        # composes across it, so the pieces are the sentences' normalized texts.
        pieces = self.normalize("\n".join(sentences)).split("\n")
        if len(pieces) != len(sentences):  # not expected; the sure way
            return [self.tokenize(sentence) for sentence in sentences]
        return [self._tokens_of(piece) for piece in pieces]

    def signature(self) -> Signature:
        """``norm|tok|stem|clitics``: what every score built on this profile carries."""
        if self.name == "xlsum":
            stem = XLSUM_STEMMER if self.stem else "none"
            return Signature.of(norm="none", tok=XLSUM_TOKENIZER, stem=stem, clitics=False)
        norm = "none" if self.name == "none" else NORMALIZER_VERSION
        norm += f"+{HAMZA_VERSION}" if self.fold_hamza else ""
        return Signature.of(norm=norm, tok=self._tokenizer_name(),
                            stem="light.v1" if self.stem else "none", clitics=self.clitics)

    def _tokenizer_name(self) -> str:
        if isinstance(self.tokenizer, _NamedTokenizer):
            return f"custom({self.tokenizer.spec})"
        if self.tokenizer is not None:
            return f"custom({type(self.tokenizer).__qualname__})"
        return "whitespace" if self.name == "none" else TOKENIZER_VERSION


NORMALIZED_TEXTS = 512  # more than a batch's predictions and references


@functools.lru_cache(maxsize=NORMALIZED_TEXTS)
def _normalized(text: str, fold_hamza: bool) -> str:
    """`normalize_arabic`, remembered: metrics that each normalize the same whole text
    (a prediction: chrF's characters and words, the sentence split that ROUGE, length,
    bullets and extractiveness share) one metric after another over a batch make it
    once."""
    return normalize_arabic(text, fold_hamza=fold_hamza)


class _NamedTokenizer:
    """A tokenizer given as ``"module:attr"``; the spec names it in the signature."""

    def __init__(self, spec: str, tokenizer: Any):
        self.spec = spec
        self.tokenizer = tokenizer

    @classmethod
    def load(cls, spec: str) -> "_NamedTokenizer":
        target = import_target(spec)
        if isinstance(target, type):
            target = target()
        if not callable(getattr(target, "tokenize", None)):
            raise ConfigError(f"tokenizer {spec!r} has no tokenize(text) method; give an "
                              "object with one, or a class that makes one")
        return cls(spec, target)

    def tokenize(self, text: str) -> list[str]:
        return self.tokenizer.tokenize(text)


def get_profile(profile: "str | TextProfile" = "ar", **options: bool) -> TextProfile:
    """A profile from its name (``"ar"``, ``"none"``, ``"xlsum"``) and options, or as given.

    ``xlsum`` stems unless ``stem=False`` is given: that is how XL-Sum scored Arabic.
    """
    if isinstance(profile, TextProfile):
        return profile
    if profile == "xlsum":
        options.setdefault("stem", True)
    return TextProfile(name=profile, **options)
