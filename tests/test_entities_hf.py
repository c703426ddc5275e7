"""The ``hf:<path>`` NER backend with a tiny BERT built and briefly trained here.

The model is built from scratch (tests/tiny_hf.py, once per recipe): a WordPiece
tokenizer trained on the sentences below, a 2-layer BERT with hidden size 32, trained
for a few dozen steps until it labels its training names, saved to a folder and loaded
by path. No network.
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


@pytest.fixture(scope="session")
def tiny_model(tiny_models_dir):
    from tiny_hf import build_token_classifier, cached

    return str(cached(tiny_models_dir, build_token_classifier, sentences=SENTENCES,
                      labels=LABELS, steps=80, seed=0))


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
    assert ("DATE", "24 ديسمبر 2025") in by_type
    money = next(e for e in entities if e.type == "MONEY")
    assert money.value == 5e9 and money.currency == "USD"


def test_signature_names_model_and_rules(tiny_model):
    assert HFBackend(tiny_model).signature().format() == \
        f"ner:hf({tiny_model})+rules.v4|gaz:2026.12"


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
