"""Tiny transformers models built on the spot, for tests and the CPU benchmark.

A byte-level BPE tokenizer is trained with the `tokenizers` library on a few Arabic news
lines and wrapped as a `PreTrainedTokenizerFast`; the models get random weights from a
seeded generator (inside a forked RNG, so the global torch state is untouched). Nothing
is downloaded. Both are saved to a folder and loaded back by path, as a user would.

`cached` builds each model once per recipe (this file's text, the arguments and the
library versions, hashed) and reuses the folder in later test sessions; the tests only
read the folders (a test that changes one copies it first). Building runs on one torch
thread: these models are so small that more threads only add overhead, and on a busy
machine their spinning made one fixture 10x slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

ARABIC_LINES = [
    "أعلنت الحكومة المصرية اليوم عن خطة جديدة لدعم الاقتصاد وخفض التضخم.",
    "فاز المنتخب المغربي على نظيره التونسي بهدفين مقابل هدف في الدار البيضاء.",
    "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل في الدوحة.",
    "ارتفعت أسعار النفط بنسبة ثلاثة في المئة بعد قرار أوبك خفض الإنتاج.",
    "افتتح معرض الكتاب في الرياض بمشاركة أكثر من ألف دار نشر عربية وأجنبية.",
    "حذرت الأرصاد الجوية من موجة حر شديدة تضرب المنطقة حتى نهاية الأسبوع.",
    "لخص المقال التالي في نقاط قصيرة تغطي الأشخاص والأماكن والأرقام.",
    "المقال: في عام 2023 زار 5 ملايين سائح المدينة القديمة.",
]
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>", "<|system|>", "<|user|>", "<|assistant|>"]
# A minimal chat template in the style of real ones: role markers, then the model's turn.
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}")


def build_tokenizer(*, chat: bool, model_max_length: int, lines: list[str] | None = None,
                    vocab_size: int = 600):
    """`lines` (default: ARABIC_LINES) train the BPE merges; more text, shorter ids."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(lines or ARABIC_LINES, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer, bos_token="<s>",
                                   eos_token="</s>", pad_token="<pad>", unk_token="<unk>",
                                   model_max_length=model_max_length)
    if chat:
        fast.chat_template = CHAT_TEMPLATE
    return fast


def _random_init(model_cls, config, seed: int):
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return model_cls(config)


def build_seq2seq(folder: Path, *, positions: int = 64, seed: int = 0,
                  lines: list[str] | None = None, vocab_size: int = 600) -> Path:
    """A 1+1-layer BART (hidden 32) with `positions` input positions."""
    from transformers import BartConfig, BartForConditionalGeneration

    tokenizer = build_tokenizer(chat=False, model_max_length=positions, lines=lines,
                                vocab_size=vocab_size)
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=positions, pad_token_id=0,
        bos_token_id=1, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=None,
        init_std=0.5)  # large random weights: varied tokens instead of an immediate </s>
    model = _random_init(BartForConditionalGeneration, config, seed)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_causal(folder: Path, *, positions: int = 256, seed: int = 0,
                 lines: list[str] | None = None, vocab_size: int = 600) -> Path:
    """A 1-layer Llama (hidden 32) whose tokenizer has a chat template."""
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = build_tokenizer(chat=True, model_max_length=positions, lines=lines,
                                vocab_size=vocab_size)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64,
        num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2,
        max_position_embeddings=positions, pad_token_id=0, bos_token_id=1, eos_token_id=2,
        initializer_range=0.5)
    model = _random_init(LlamaForCausalLM, config, seed)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_token_classifier(folder: Path, *, sentences: list, labels: list[str],
                           steps: int = 80, seed: int = 0) -> Path:
    """A 2-layer BERT (hidden 32) with a WordPiece tokenizer trained on `sentences`
    (``(text, word labels)`` pairs), trained `steps` full-batch AdamW steps on them."""
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    wordpiece.train_from_iterator([s for s, _ in sentences] * 3, trainer)
    tokenizer = BertTokenizerFast(tokenizer_object=wordpiece, unk_token="[UNK]",
                                  pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
                                  mask_token="[MASK]")
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, num_labels=len(labels),
                        id2label=dict(enumerate(labels)),
                        label2id={label: i for i, label in enumerate(labels)})
    batch = tokenizer([s.split() for s, _ in sentences], is_split_into_words=True,
                      padding=True, return_tensors="pt")
    targets = torch.full(batch["input_ids"].shape, -100)
    for row, (_, word_labels) in enumerate(sentences):
        for position, word in enumerate(batch.word_ids(row)):
            if word is not None:
                targets[row, position] = labels.index(word_labels[word])
    with torch.random.fork_rng(devices=[]):  # init and dropout draw from a seeded generator
        torch.manual_seed(seed)
        model = BertForTokenClassification(config)
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
        model.train()
        for _ in range(steps):
            optimizer.zero_grad()
            model(**batch, labels=targets).loss.backward()
            optimizer.step()
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def cached(root: Path, build: Callable[..., Path], **recipe: Any) -> Path:
    """``build(folder, **recipe)`` once: the folder ``root/<name>-<hash>`` is reused while
    this file, the recipe and the library versions stay the same."""
    import tokenizers
    import torch
    import transformers

    blob = json.dumps({"code": Path(__file__).read_text(encoding="utf-8"),
                       "build": build.__name__, "recipe": recipe,
                       "versions": [torch.__version__, transformers.__version__,
                                    tokenizers.__version__]},
                      sort_keys=True, ensure_ascii=False, default=str)
    folder = root / f"{build.__name__}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"
    if folder.is_dir():  # complete: it appears only by the rename below
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        with one_thread():
            build(staging, **recipe)
        staging.rename(folder)
    except OSError:
        if not folder.is_dir():  # not a concurrent session that finished first
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder
