"""The prediction side's shortcuts (a second model's run reads each prediction knowing
its article's entities) find what the plain forms found, on texts built to hit their
edges and on real BBC texts.

- `rules._add_known` returns the tokens that may start a phrase of the overlay it
  made, instead of `rules._overlay_starts` asking again of every first word of it.
- `matching.supports` looks for an entity of the evidence equal to the claim (the same
  name key, or the same number) before asking each entity whether it is the same.
- `Scanner.phrase_at` asks the overlay only at the tokens that may start one of its
  names (`Scanner.overlay_starts`, kept by `rules.name_entities`).
- `matching.evidence_words` marks the stop words written with ى from the last space
  before the first ى on (`matching._marked_maqsura`), not over the whole text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import matching, rules, stream
from benchmark.entities.gazetteer import Phrase, PhraseIndex
from benchmark.entities.matching import Evidence, supports
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.rules import RulesBackend
from benchmark.entities.scanner import Scanner
from benchmark.entities.tokens import clitic_readings, clitic_spellings
from benchmark.text import split_sentences

_ITEMS = 300  # BBC items read by the real-text checks


def _bbc(shared_dir: Path, items: int = _ITEMS) -> list[dict]:
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    with corpus.open(encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(items), handle)]


# --- the known entities' overlay and the tokens that may start it --------------------


def _add_known_before(overlay: PhraseIndex, known, norms) -> set[str] | None:
    """`_add_known` and `_overlay_starts` as they were written before: each first word
    looked for among the tokens, then the overlay's first words asked again."""
    tokens = set(norms)
    endings = {norm[-2:] for norm in tokens}
    for entity in known:
        if entity.type in rules._KNOWN_TYPES:
            for words in rules.known_names(entity.type, entity.key):
                first = words[0]
                if first[-2:] in endings and (
                        first in tokens or any(first in clitic_readings(norm) for norm in
                                               clitic_spellings(first).intersection(tokens))):
                    overlay.add(Phrase(words, entity.type, entity.key))
    if not overlay.by_first:
        return None
    firsts = overlay.by_first.keys()
    candidates = set().union(*map(clitic_spellings, firsts)).intersection(norms)
    return {norm for norm in candidates if not firsts.isdisjoint(clitic_readings(norm))}


def _same_overlay(known, text: str) -> None:
    norms = stream.text_words(text).norms
    before, now = PhraseIndex(), PhraseIndex()
    expected = _add_known_before(before, known, norms)
    starting = rules._add_known(now, known, norms)
    assert starting == (expected or set()), text
    assert now.by_first == before.by_first and now._by_pair == before._by_pair, text


def _known(*names: tuple[str, str]) -> list[Entity]:
    return [Entity(kind, text, 0, len(text), entity_key(text)) for kind, text in names]


_NAMES = ["أحمد الشرع", "مرهف أبو قصرة", "دمشق", "وزارة الدفاع", "أبو قصرة", "قصرة", "تل",
          "الأمم المتحدة", "بن سلمان", "محمد بن سلمان", "لبنان", "بوتين", "ال"]
_CLITICS = ["", "", "و", "ف", "ب", "ل", "وب", "ول", "لل", "وال", "فال", "ك"]


@st.composite
def _texts_and_known(draw):
    """Known names of every type, and a text of their words (with proclitics, cut,
    repeated) among other words."""
    known = _known(*draw(st.lists(st.tuples(st.sampled_from(["PERS", "LOC", "ORG", "NUM"]),
                                            st.sampled_from(_NAMES)), max_size=8)))
    words = [word for name in _NAMES for word in name.split()] + ["قال", "إن", "على", "في"]
    text = " ".join(draw(st.sampled_from(_CLITICS)) + draw(st.sampled_from(words))
                    for _ in range(draw(st.integers(0, 12))))
    return known, text


@settings(max_examples=400, deadline=None)
@given(_texts_and_known())
def test_add_known_finds_the_overlay_and_its_starts_as_before(case) -> None:
    known, text = case
    _same_overlay(known, text)


def test_add_known_as_before_on_bbc(shared_dir: Path) -> None:
    backend = RulesBackend()
    for record in _bbc(shared_dir):
        article = backend.extract(record["article"])
        lead = "\n".join(split_sentences(record["article"])[:3])
        for text in (record["summary"], lead, record["article"]):
            _same_overlay(article, text)


# --- a claim equal to an entity of the evidence ---------------------------------------


def _supports_before(claim: Entity, evidence: Evidence) -> bool:
    """`supports` without `_equal_name` and `_equal_number` (each entity asked with
    `_same_name` or `_same_number`)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(matching, "_equal_name", lambda claim, entities: False)
        monkeypatch.setattr(matching, "_equal_number", lambda claim, entities: False)
        return supports(claim, evidence)


_VALUES = [None, 4.0, 4, 16.0, 2018.0, 0.0, -0.0, float("inf"), float("nan"), 1e-9, "2018"]


@st.composite
def _entity(draw) -> Entity:
    kind = draw(st.sampled_from(["PERS", "LOC", "ORG", "MISC", "NUM", "ORDINAL", "PERCENT",
                                 "MONEY", "DATE"]))
    key = draw(st.sampled_from(["دمشق", "سوري", "احمد الشرع", "الشرع", "وزاره الدفاع",
                                "لدمشق", "2018", "4"]))
    value = draw(st.sampled_from(_VALUES))
    currency = draw(st.sampled_from([None, "USD", "EUR", "DOLLAR"]))
    return Entity(kind, key, 0, len(key), key, value, currency)


def _one(kind: str, key: str, value=None, currency=None) -> Entity:
    return Entity(kind, key, 0, len(key), key, value, currency)


@pytest.mark.parametrize("claim, other, expected, why", [
    (_one("LOC", "دمشق"), _one("LOC", "دمشق"), True, "the same key"),
    (_one("PERS", "دمشق"), _one("ORG", "دمشق"), True, "names of any type but MISC meet"),
    (_one("MISC", "سوري"), _one("LOC", "سوري"), False, "a MISC meets only a MISC"),
    (_one("LOC", "سوري"), _one("MISC", "سوري"), False, "the text has no such word either"),
    (_one("NUM", "4", 4.0), _one("NUM", "4", 4.0), True, "the same number"),
    (_one("NUM", "4", 4.0), _one("ORDINAL", "4", 4.0), True, "a count and an ordinal"),
    (_one("NUM", "x", float("inf")), _one("NUM", "x", float("inf")), False,
     "inf is not within a tolerance of itself"),
    (_one("NUM", "x", float("nan")), _one("NUM", "x", float("nan")), False, "nor is nan"),
    (_one("MONEY", "5", 5.0, "USD"), _one("MONEY", "5", 5.0, "EUR"), False,
     "two currencies"),
    (_one("MONEY", "5", 5.0, "USD"), _one("MONEY", "5", 5.0, None), True,
     "an unknown currency matches any"),
])
def test_supports_a_claim_equal_to_an_entity(claim, other, expected, why) -> None:
    evidence = Evidence.of("نص", [other])
    assert supports(claim, evidence) is expected, why
    assert _supports_before(claim, evidence) is expected, why


@settings(max_examples=500, deadline=None)
@given(_entity(), st.lists(_entity(), max_size=6))
def test_supports_as_before_on_built_entities(claim, entities) -> None:
    evidence = Evidence.of("دمشق احمد الشرع وزاره الدفاع 2018", entities)
    assert supports(claim, evidence) == _supports_before(claim, evidence)


def test_supports_as_before_on_bbc(shared_dir: Path) -> None:
    backend = RulesBackend()
    for record in _bbc(shared_dir, 150):
        article = backend.extract(record["article"])
        lead = split_sentences(record["article"])[0]
        texts = {"article": (record["article"], article)}
        for name, text in (("summary", record["summary"]), ("lead", lead)):
            texts[name] = (text, backend.extract(text, known=article))
        for text, entities in texts.values():
            evidence = Evidence.of(text, entities)
            for _, claims in texts.values():
                for claim in claims:
                    assert supports(claim, evidence) == _supports_before(claim, evidence), \
                        (claim, text[:40])


# --- the stop words written with ى, marked for the word fallback ---------------------


def _marked_before(text: str) -> str:
    return matching._maqsura_stopwords().sub(matching._MAQSURA_MARK, text)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["على", "علي", "إلى", "وإلى", "فحتى", "لدى", "عَلى", "علـى",
                                 "مصطفى", "ى", "الأخرى", "1على", "علىً", "على5", "a", "ىى"]),
                max_size=8),
       st.lists(st.sampled_from([" ", "  ", "\u00a0", "\n", "،", "-", "", "ـ", "\u064e"]),
                min_size=9, max_size=9))
def test_the_maqsura_marks_as_before_on_built_texts(words, gaps) -> None:
    text = "".join(gap + word for gap, word in zip(gaps, words)) + gaps[-1]
    assert matching._marked_maqsura(text) == _marked_before(text)


def test_the_maqsura_marks_as_before_on_bbc(shared_dir: Path) -> None:
    for record in _bbc(shared_dir):
        for text in (record["summary"], record["article"],
                     *split_sentences(record["article"])[:3]):
            assert matching._marked_maqsura(text) == _marked_before(text)


# --- the overlay asked only at the tokens that may start one of its names -------------


class _EveryTokenAsksTheOverlay(Scanner):
    """A scanner that never knows which tokens may start an overlay name (as before:
    `Scanner.phrase_at` then looks every token's readings up in the overlay)."""

    @property
    def overlay_starts(self):
        return None

    @overlay_starts.setter
    def overlay_starts(self, value) -> None:
        pass


def _extract_before(text: str, known, monkeypatch) -> list[Entity]:
    with monkeypatch.context() as patch:
        patch.setattr(rules, "Scanner", _EveryTokenAsksTheOverlay)
        return RulesBackend().extract(text, known=known)


@settings(max_examples=300, deadline=None)
@given(_texts_and_known())
def test_the_overlay_starts_find_what_every_token_finds(case) -> None:
    known, text = case
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert RulesBackend().extract(text, known=known) == \
            _extract_before(text, known, monkeypatch), text


def test_the_overlay_starts_find_what_every_token_finds_on_bbc(shared_dir: Path,
                                                                monkeypatch) -> None:
    backend = RulesBackend()
    for record in _bbc(shared_dir):
        article = backend.extract(record["article"])
        sentences = split_sentences(record["article"])
        for text in (record["summary"], sentences[0] if sentences else "",
                     "\n".join(sentences[:3]), record["article"]):
            for known in (article, None):
                assert backend.extract(text, known=known) == \
                    _extract_before(text, known, monkeypatch), text[:60]


# --- entities made without the frozen __init__ -----------------------------------------


@pytest.mark.parametrize("fields", [
    ("LOC", "مصر", 130, 133, "مصر"),  # why: value and currency left to their defaults
    ("MONEY", "5 دولارات", 0, 9, "5 دولارات", 5.0, "USD"),
    ("DATE", "2018", 3, 7, "2018", "2018", None),
    ("ORDINAL", "الرابعة", 0, 7, "الرابعه", 4.0),
])
def test_new_entity_is_the_entity_init_makes(fields) -> None:
    import dataclasses

    from benchmark.entities import model

    # why: the rules and the read-back take the fast path, which holds only while its
    # slots are Entity's fields, in order
    assert model.new_entity is model._Unfrozen
    assert model._Unfrozen.__slots__ == tuple(f.name for f in dataclasses.fields(Entity))
    made, plain = model.new_entity(*fields), Entity(*fields)
    assert type(made) is Entity and made == plain and hash(made) == hash(plain)
    assert repr(made) == repr(plain) and dataclasses.astuple(made) == dataclasses.astuple(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.key = "x"
