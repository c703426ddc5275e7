"""The ``hf:<path>`` NER backend with a tiny BERT built and briefly trained here.

The model is built from scratch in the test session: a WordPiece tokenizer trained on
the sentences below, a 2-layer BERT with hidden size 32, trained for a few dozen steps
until it labels its training names, saved to a temporary folder and loaded by path.
No network.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from benchmark.entities import extract_entities  # noqa: E402
from benchmark.entities.hf import HFBackend, chunk_spans, map_label  # noqa: E402
from benchmark.errors import ConfigError  # noqa: E402

LABELS = ["O", "B-PER", "I-PER", "B-GPE", "I-GPE", "B-ORG", "I-ORG"]
# (sentence words, word labels): CoNLL-style PER/GPE names, so the label map is tested.
SENTENCES = [
    ("التقى بوتين الشيباني في موسكو", ["O", "B-PER", "B-PER", "O", "B-GPE"]),
    ("زار لافروف دمشق أمس", ["O", "B-PER", "B-GPE", "O"]),
    ("قال بوتين إن موسكو تدعم دمشق", ["O", "B-PER", "O", "B-GPE", "O", "B-GPE"]),
    ("أعلنت الأمم المتحدة في جنيف", ["O", "B-ORG", "I-ORG", "O", "B-GPE"]),
    ("وصل الشيباني إلى موسكو", ["O", "B-PER", "O", "B-GPE"]),
    ("ناقش لافروف والوفد القضايا في جنيف", ["O", "B-PER", "O", "O", "O", "B-GPE"]),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-ner")
    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=200, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    wordpiece.train_from_iterator([s for s, _ in SENTENCES] * 3, trainer)
    tokenizer = BertTokenizerFast(tokenizer_object=wordpiece, unk_token="[UNK]",
                                  pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
                                  mask_token="[MASK]")
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)),
                        label2id={label: i for i, label in enumerate(LABELS)})
    torch.manual_seed(0)  # weight init draws from torch's generator; fixed for the test
    model = BertForTokenClassification(config)
    batch = tokenizer([s.split() for s, _ in SENTENCES], is_split_into_words=True,
                      padding=True, return_tensors="pt")
    targets = torch.full(batch["input_ids"].shape, -100)
    for row, (_, word_labels) in enumerate(SENTENCES):
        for position, word in enumerate(batch.word_ids(row)):
            if word is not None:
                targets[row, position] = LABELS.index(word_labels[word])
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(80):
        optimizer.zero_grad()
        model(**batch, labels=targets).loss.backward()
        optimizer.step()
    model.eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.mark.parametrize("label,expected", [
    ("B-PERS", "PERS"),  # CAMeL's scheme
    ("I-PER", "PERS"),  # CoNLL's
    ("PERSON", "PERS"),  # OntoNotes', after aggregation strips B-/I-
    ("B-GPE", "LOC"),
    ("LOCATION", "LOC"),
    ("FAC", "LOC"),
    ("ORGANIZATION", "ORG"),
    ("NORP", "MISC"),
    ("B-DATE", None),  # the rules own dates and numbers
    ("O", None),
])
def test_label_map(label, expected):
    assert map_label(label) == expected


def test_trained_names_are_found_with_offsets(tiny_model):
    text = "التقى بوتين الشيباني في موسكو"
    entities = extract_entities(text, backend=f"hf:{tiny_model}")
    found = {(e.type, e.text) for e in entities}
    # PER and GPE come back as our PERS and LOC, word-aligned, offsets into the text.
    assert ("PERS", "بوتين") in found
    assert ("LOC", "موسكو") in found
    for entity in entities:
        assert text[entity.start:entity.end] == entity.text


def test_numbers_and_dates_come_from_the_rules(tiny_model):
    text = "قال بوتين إن موسكو تدعم دمشق بـ 5 مليارات دولار يوم 24 ديسمبر 2025"
    entities = extract_entities(text, backend=f"hf:{tiny_model}")
    by_type = {(e.type, e.text) for e in entities}
    assert ("MONEY", "5 مليارات دولار") in by_type
    assert ("DATE", "يوم 24 ديسمبر 2025") in by_type  # يوم + a day number is one span
    money = next(e for e in entities if e.type == "MONEY")
    assert money.value == 5e9 and money.currency == "USD"


def test_signature_names_model_and_rules(tiny_model):
    assert HFBackend(tiny_model).signature() == \
        f"ner:hf({tiny_model})+rules.v3|gaz:2026.12"


def test_missing_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot load NER model"):
        HFBackend(str(tmp_path / "absent")).extract("زار بوتين موسكو")


def test_long_text_is_chunked_at_sentences():
    text = ("جملة قصيرة هنا. " * 200).strip()
    spans = chunk_spans(text)
    assert all(end - start <= 1500 for start, end in spans)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    # Chunks tile the text: each starts where the previous ended.
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
