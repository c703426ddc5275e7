"""Tiny transformers models built on the spot, for tests and the CPU benchmark.

A byte-level BPE tokenizer is trained with the `tokenizers` library on a few Arabic news
lines and wrapped as a `PreTrainedTokenizerFast`; the models get random weights from a
seeded generator (inside a forked RNG, so the global torch state is untouched). Nothing
is downloaded. Both are saved to a folder and loaded back by path, as a user would.
"""

from __future__ import annotations

from pathlib import Path

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
