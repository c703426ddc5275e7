"""``hf:<model id or local path>``: transformers summarizers (DESIGN §8, §11).

Two kinds of model, told apart by the config (``is_encoder_decoder``) unless the
``kind`` option says otherwise:

- **seq2seq** (mT5, AraBART, AraT5): the article (after an optional ``prefix`` such as
  T5's ``"summarize: "``) is the encoder input;
- **causal** chat models (Jais, ALLaM, Qwen): the Arabic instruction from
  ``configs/prompts/`` goes through the tokenizer's chat template (a plain prompt when
  the tokenizer has none) and only the generated continuation is kept; batches are
  left-padded so that every row continues from its last prompt token.

Generation is batched (``batch_size`` examples per ``generate`` call) and its options
are typed: an unknown option is an error, and so is one that ``generate`` would ignore
(``temperature``/``top_p``/``top_k`` without ``do_sample``, ``length_penalty``/
``early_stopping`` without beams). Options with a value (``num_beams``, ``do_sample``,
``no_repeat_ngram_size``, ``max_new_tokens``) always override the checkpoint's
``generation_config.json``; those left unset (None) keep the checkpoint's.

An article longer than ``max_input_tokens`` (default: the model's position limit, less
``max_new_tokens`` for causal models) is cut to fit and its prediction is flagged
``truncated`` so the run counts it. The model loads on the first `summarize` call (or
`load()`), so building the summarizer, listing presets and validating options never
touch the disk or the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any, ClassVar, Literal, Sequence

from pydantic import Field

from benchmark.data.example import Example
from benchmark.errors import ConfigError, SummarizerError
from benchmark.hub import hf_home, hub_cache, in_cache, offline_reason, quiet_hub
from benchmark.summarizers.base import Options, Prediction, Summarizer
from benchmark.summarizers.cleaning import clean_summary
from benchmark.llm.prompts import DEFAULT_PROMPT, PromptTemplate, load_prompt

_POSITION_ATTRS = ("max_position_embeddings", "n_positions", "max_sequence_length",
                   "seq_length", "n_ctx")
_SANE_TOKENIZER_LIMIT = 1_000_000  # tokenizers without a limit report ~1e30
_FALLBACK_LIMIT = 512  # T5-style relative positions name no limit; T5 was trained on 512
_TRUNCATION_ROUNDS = 4
_OFFLINE_HINT = ("where there is a network, download it (huggingface-cli download {model}) "
                 "and copy {home} here, or pass the model's folder: hf:<folder>")


class HFOptions(Options):
    kind: Literal["auto", "seq2seq", "causal"] = "auto"
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"
    dtype: Literal["auto", "float32", "float16", "bfloat16"] = Field(
        "auto", description="auto: float32 on CPU, the checkpoint's dtype elsewhere")
    batch_size: int = Field(8, ge=1, le=4096)
    max_input_tokens: int | None = Field(
        None, ge=1, description="input limit; default the model's positions")
    max_new_tokens: int = Field(256, ge=1)
    min_new_tokens: int | None = Field(None, ge=0)
    num_beams: int = Field(1, ge=1)
    no_repeat_ngram_size: int = Field(0, ge=0)
    repetition_penalty: float | None = Field(None, gt=0)
    length_penalty: float | None = None
    early_stopping: bool | None = None
    do_sample: bool = False
    temperature: float | None = Field(None, gt=0)
    top_p: float | None = Field(None, gt=0, le=1)
    top_k: int | None = Field(None, ge=0)
    prefix: str = Field("", description="text put before the article (seq2seq)")
    prompt: str = Field(DEFAULT_PROMPT, description="chat prompt template (causal models)")
    clean: bool = Field(True, description="strip <think>, preambles and list markup")
    trust_remote_code: bool = Field(False, description="needed by Jais; runs the repo's code")
    revision: str | None = None


# Options that change speed or placement, not the text (up to float noise).
OPERATIONAL = ("device", "batch_size")
_GENERATION_FIELDS = ("min_new_tokens", "repetition_penalty", "length_penalty",
                      "early_stopping")
_SAMPLING_FIELDS = ("temperature", "top_p", "top_k")  # only mean something when sampling
_BEAM_FIELDS = ("length_penalty", "early_stopping")  # only mean something with beams


class HFSummarizer(Summarizer):
    """A transformers seq2seq or causal chat model, loaded by id or path."""

    backend: ClassVar[str] = "hf"
    Options: ClassVar[type[Options]] = HFOptions

    @property
    def operational(self) -> tuple[str, ...]:  # type: ignore[override]
        """With sampling, the random draws depend on which articles share a batch, so
        the batch size then decides the outputs and must stay in the signature."""
        return ("device",) if self.options.do_sample else OPERATIONAL

    def __init__(self, name: str, options: dict[str, Any] | None = None, *, seed: int = 0):
        super().__init__(name, options, seed=seed)
        missing = [package for package in ("torch", "transformers")
                   if importlib.util.find_spec(package) is None]
        if missing:
            raise SummarizerError(
                f"{name}: {' and '.join(missing)} not installed",
                hint="install torch first (the CPU build, as in the README's set-up; pip "
                     "keeps it), then: pip install 'arsum-bench[hf]'")
        self.model_id = name.split(":", 1)[1] if name.startswith("hf:") else name
        if _looks_like_path(self.model_id) and not Path(self.model_id).expanduser().exists():
            raise ConfigError(f"{name}: no model folder at {self.model_id!r}; give an "
                              "existing path or a Hugging Face model id")
        _check_generation_options(self.options, owner=name)
        self.template: PromptTemplate = load_prompt(self.options.prompt)
        self.model: Any = None
        self.tokenizer: Any = None
        self.kind: str | None = None
        self.device: Any = None
        self.input_limit: int | None = None

    @property
    def batch_size(self) -> int:
        return self.options.batch_size

    def signature_extra(self) -> dict[str, str]:
        return {"prompt": self.template.signature()} if self.options.kind != "seq2seq" else {}

    def close(self) -> None:
        self.model = None
        self.tokenizer = None

    # -- loading -----------------------------------------------------------------------
    def load(self) -> None:
        """Load the tokenizer and weights (once); errors name the model and the fix."""
        if self.model is not None:
            return
        offline = None if Path(self.model_id).expanduser().exists() else offline_reason()
        if offline is not None and not in_cache(self.model_id, "model"):
            raise ConfigError(f"{self.name}: cannot load {self.model_id!r}: {offline}, and "
                              f"it is not in the local cache ({hub_cache()})",
                              hint=_OFFLINE_HINT.format(model=self.model_id, home=hf_home()))
        import transformers  # before quiet_hub: it sets its log level when imported

        with quiet_hub(offline=offline is not None):
            config, tokenizer, model, kind = self._load_parts(transformers, offline)
        model.to(self.device).eval()
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        tokenizer.padding_side = "left" if kind == "causal" else "right"
        self.model, self.tokenizer, self.kind = model, tokenizer, kind
        self.input_limit = self._input_limit(config, tokenizer)

    def _load_parts(self, transformers: Any, offline: str | None) -> tuple[Any, Any, Any, str]:
        """Config, tokenizer and weights; errors name the model and the fix (a local
        folder when the hub cannot be reached)."""
        opts = self.options
        common = {"revision": opts.revision, "trust_remote_code": opts.trust_remote_code}
        fix = (f"; {_OFFLINE_HINT.format(model=self.model_id, home=hf_home())}"
               if offline is not None else "")
        try:
            config = transformers.AutoConfig.from_pretrained(self.model_id, **common)
            tokenizer = transformers.AutoTokenizer.from_pretrained(self.model_id, **common)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self.name}: cannot load {self.model_id!r}: "
                              f"{_first_line(exc)}{fix}") from None
        kind = opts.kind
        if kind == "auto":
            kind = "seq2seq" if getattr(config, "is_encoder_decoder", False) else "causal"
        self.device = _pick_device(opts.device, owner=self.name)
        dtype = _pick_dtype(opts.dtype, self.device)
        loader = (transformers.AutoModelForSeq2SeqLM if kind == "seq2seq"
                  else transformers.AutoModelForCausalLM)
        try:
            model = loader.from_pretrained(self.model_id, dtype=dtype, **common)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{self.name}: cannot load {self.model_id!r} as a {kind} "
                              f"model: {_first_line(exc)}{fix}") from None
        return config, tokenizer, model, kind

    def _input_limit(self, config: Any, tokenizer: Any) -> int:
        opts = self.options
        if opts.max_input_tokens is not None:
            return opts.max_input_tokens
        positions = next((getattr(config, attr) for attr in _POSITION_ATTRS
                          if isinstance(getattr(config, attr, None), int)), None)
        if positions is None:
            limit = getattr(tokenizer, "model_max_length", None)
            sane = isinstance(limit, int) and limit < _SANE_TOKENIZER_LIMIT
            positions = limit if sane else _FALLBACK_LIMIT
        if self.kind == "causal":
            positions -= opts.max_new_tokens
            if positions < 16:
                raise ConfigError(f"{self.name}: max_new_tokens={opts.max_new_tokens} leaves "
                                  "no room for the article; lower it or set max_input_tokens")
        return positions

    # -- summarizing -------------------------------------------------------------------
    def summarize(self, examples: Sequence[Example]) -> list[Prediction]:
        self.load()
        predictions: list[Prediction] = []
        size = self.options.batch_size
        for start in range(0, len(examples), size):
            predictions.extend(self._summarize_batch(examples[start:start + size]))
        return predictions

    def render_prompt(self, article: str) -> str:
        """The text a causal model is given for `article` (chat template applied)."""
        self.load()
        messages = self.template.messages(article)
        if not getattr(self.tokenizer, "chat_template", None):
            return "\n\n".join(m["content"] for m in messages) + "\n"
        from jinja2 import TemplateError

        try:
            return self.tokenizer.apply_chat_template(messages, tokenize=False,
                                                      add_generation_prompt=True)
        except TemplateError:  # some templates refuse a system turn: fold it into the user's
            merged = [{"role": "user", "content": "\n\n".join(m["content"] for m in messages)}]
            return self.tokenizer.apply_chat_template(merged, tokenize=False,
                                                      add_generation_prompt=True)

    def _summarize_batch(self, examples: Sequence[Example]) -> list[Prediction]:
        import torch

        if self.kind == "seq2seq":
            texts, truncated = self._seq2seq_inputs(examples)
            encoded = self.tokenizer(texts, truncation=True, max_length=self.input_limit,
                                     padding=True, return_tensors="pt")
        else:
            texts, truncated = zip(*(self.fit_prompt(e.article) for e in examples))
            encoded = self.tokenizer(list(texts), add_special_tokens=not self._templated,
                                     padding=True, return_tensors="pt")
        encoded = {key: value.to(self.device) for key, value in encoded.items()}
        try:
            with self._seeded(examples):
                output = self.model.generate(**encoded, **self.generation_kwargs())
        except torch.OutOfMemoryError:
            raise SummarizerError(
                f"{self.name}: out of memory on {self.device} with {len(examples)} articles "
                "per batch; lower it with -o batch_size=N") from None
        if self.kind == "causal":
            output = output[:, encoded["input_ids"].shape[1]:]
        decoded = self.tokenizer.batch_decode(output, skip_special_tokens=True)
        return [self._prediction(raw, cut) for raw, cut in zip(decoded, truncated)]

    @property
    def _templated(self) -> bool:
        return bool(getattr(self.tokenizer, "chat_template", None))

    def _seq2seq_inputs(self, examples: Sequence[Example]) -> tuple[list[str], list[bool]]:
        texts = [self.options.prefix + example.article for example in examples]
        lengths = [len(ids) for ids in self.tokenizer(texts, verbose=False)["input_ids"]]
        return texts, [length > self.input_limit for length in lengths]

    def fit_prompt(self, article: str) -> tuple[str, bool]:
        """The prompt for `article` and whether the article had to be shortened so that
        the whole prompt fits in `input_limit` tokens."""
        self.load()
        prompt = self.render_prompt(article)
        excess = self._prompt_length(prompt) - self.input_limit
        if excess <= 0:
            return prompt, False
        article_ids = self.tokenizer(article, add_special_tokens=False,
                                     verbose=False)["input_ids"]
        keep = len(article_ids) - excess
        for _ in range(_TRUNCATION_ROUNDS):  # decode/encode may shift a token or two
            if keep <= 0:
                raise ConfigError(f"{self.name}: the prompt template alone is longer than "
                                  f"max_input_tokens={self.input_limit}")
            shortened = self.tokenizer.decode(article_ids[:keep], skip_special_tokens=True)
            prompt = self.render_prompt(shortened)
            excess = self._prompt_length(prompt) - self.input_limit
            if excess <= 0:
                return prompt, True
            keep -= excess
        raise SummarizerError(f"{self.name}: could not fit the article into "
                              f"{self.input_limit} tokens")

    def _prompt_length(self, prompt: str) -> int:
        ids = self.tokenizer(prompt, add_special_tokens=not self._templated,
                             verbose=False)["input_ids"]
        return len(ids)

    def generation_kwargs(self) -> dict[str, Any]:
        """The keyword arguments for ``model.generate`` that the options set."""
        self.load()
        opts = self.options
        kwargs: dict[str, Any] = {"max_new_tokens": opts.max_new_tokens,
                                  "num_beams": opts.num_beams, "do_sample": opts.do_sample,
                                  # 0 is passed too: it turns off a checkpoint's default
                                  "no_repeat_ngram_size": opts.no_repeat_ngram_size,
                                  "pad_token_id": self.tokenizer.pad_token_id}
        for field in _GENERATION_FIELDS + _SAMPLING_FIELDS:  # validated at construction
            if getattr(opts, field) is not None:
                kwargs[field] = getattr(opts, field)
        return kwargs

    def _seeded(self, examples: Sequence[Example]) -> Any:
        """Seed torch for this batch inside a forked RNG (global state is restored).

        The seed mixes the run's seed with the batch's ids, so the same batch samples
        the same way in every run.
        """
        import torch

        ids = "\x00".join(example.id for example in examples)
        digest = hashlib.sha256(f"{self.seed}\x00{ids}".encode()).digest()
        forked = (torch.random.fork_rng(devices=[]) if self.device.type == "cpu"
                  else torch.random.fork_rng(device_type=self.device.type))
        return _SeededContext(forked, int.from_bytes(digest[:4], "big"))

    def _prediction(self, raw: str, truncated: bool) -> Prediction:
        text = clean_summary(raw) if self.options.clean else raw.strip()
        return Prediction(text=text, raw=raw if raw != text else None, truncated=truncated)


class _SeededContext:
    """``with fork_rng(): torch.manual_seed(seed)`` as one context manager."""

    def __init__(self, forked: Any, seed: int):
        self.forked = forked
        self.seed = seed

    def __enter__(self) -> None:
        import torch

        self.forked.__enter__()
        torch.manual_seed(self.seed)

    def __exit__(self, *exc: object) -> None:
        self.forked.__exit__(*exc)


def _check_generation_options(opts: HFOptions, *, owner: str) -> None:
    """Refuse options that ``generate`` would silently ignore."""
    for field in _SAMPLING_FIELDS:
        if getattr(opts, field) is not None and not opts.do_sample:
            raise ConfigError(f"{owner}: option {field!r} has no effect without sampling; "
                              "add -o do_sample=true, or drop it for greedy/beam search")
    for field in _BEAM_FIELDS:
        if getattr(opts, field) is not None and opts.num_beams == 1:
            raise ConfigError(f"{owner}: option {field!r} has no effect without beam "
                              "search; add -o num_beams=N with N > 1, or drop it")


def _pick_device(choice: str, *, owner: str) -> Any:
    import torch

    if choice == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    available = {"cpu": True, "cuda": torch.cuda.is_available(),
                 "mps": bool(getattr(torch.backends, "mps", None)
                             and torch.backends.mps.is_available())}
    if not available[choice]:
        raise ConfigError(f"{owner}: device {choice!r} is not available on this machine; "
                          "use -o device=auto or device=cpu")
    return torch.device(choice)


def _pick_dtype(choice: str, device: Any) -> Any:
    import torch

    if choice == "auto":
        return torch.float32 if device.type == "cpu" else "auto"
    return getattr(torch, choice)


def _looks_like_path(model_id: str) -> bool:
    """An explicit filesystem path (a hub id is "org/name", never starting so)."""
    return model_id.startswith(("/", "./", "../", "~")) or model_id in (".", "..")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
