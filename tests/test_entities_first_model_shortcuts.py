"""Shortcuts of a first model's entity work, each checked against the code it replaces.

- The alias pass after the overlay grew (`rules._add_aliases`: a person's surname, an
  organization's acronym) looks at the tokens spelled as a clitic form of one of the
  overlay's first words (`rules._overlay_spellings`, made without reading the text),
  instead of first keeping, among the text's tokens, those a reading of which is such a
  first word (`_overlay_starts_before`, as the rules did before): the same names, on
  texts built to hit the edges and on real BBC texts.
- `Scanner.phrase_at` makes its `Span` by `tuple.__new__` (`scanner._new_span`): the
  `Span` its constructor makes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.entities import rules
from benchmark.entities.model import Entity, entity_key
from benchmark.entities.rules import RulesBackend
from benchmark.entities.scanner import Scanner, Span, _new_span
from benchmark.entities.tokens import clitic_readings, clitic_spellings
from benchmark.text import split_sentences


def _overlay_starts_before(scanner: Scanner) -> set[str]:
    """The normalized tokens of the text a phrase of its overlay begins with a clitic
    reading of (the exact set the alias pass was given before)."""
    firsts = scanner.overlay.by_first.keys()
    candidates = set().union(*map(clitic_spellings, firsts)).intersection(scanner.norms)
    return {norm for norm in candidates if not firsts.isdisjoint(clitic_readings(norm))}


def _before(scanner: Scanner) -> set[str]:
    scanner.overlay_starts = starts = _overlay_starts_before(scanner)
    return starts


def _extract_both(text: str, known) -> tuple[list[Entity], list[Entity]]:
    backend = RulesBackend()
    now = backend.extract(text, known=known)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules, "_overlay_spellings", _before)
        before = backend.extract(text, known=known)
    return now, before


def _known(*names: tuple[str, str]) -> list[Entity]:
    return [Entity(kind, text, 0, len(text), entity_key(text)) for kind, text in names]


# Names whose surnames and acronyms become aliases, with proclitics and the article.
_NAMES = ["الرئيس السوري أحمد الشرع", "الشرع", "وزير الدفاع مرهف أبو قصرة", "أبو قصرة",
          "منظمة الصحة العالمية (الصحة)", "الصحة", "الأمير محمد بن سلمان", "بن سلمان",
          "سلمان", "دونالد ترامب", "ترامب", "الأمم المتحدة", "دمشق", "علي", "على"]
_CLITICS = ["", "", "", "و", "ف", "ب", "ل", "وب", "ول", "لل", "وال", "بال", "ك"]


@st.composite
def _texts_and_known(draw):
    known = _known(*draw(st.lists(st.tuples(st.sampled_from(["PERS", "LOC", "ORG", "NUM"]),
                                            st.sampled_from(_NAMES)), max_size=6)))
    words = [word for name in _NAMES for word in name.split()] + ["قال", "إن", "في", "،"]
    text = " ".join(draw(st.sampled_from(_CLITICS)) + draw(st.sampled_from(words))
                    for _ in range(draw(st.integers(0, 24))))
    return known, text


@settings(max_examples=400, deadline=None)
@given(_texts_and_known(), st.booleans())
def test_the_alias_pass_finds_with_the_spellings_what_it_found(case, with_known) -> None:
    known, text = case
    now, before = _extract_both(text, known if with_known else None)
    assert now == before, text


@settings(max_examples=300, deadline=None)
@given(_texts_and_known())
def test_the_spellings_hold_every_token_that_may_start_an_overlay_name(case) -> None:
    """The superset property the pass relies on (a token outside it is never asked)."""
    known, text = case
    scanner_words = rules.text_words(text)
    scanner = Scanner(text, scanner_words, [False] * len(scanner_words.norms),
                      rules.load_gazetteer())
    rules._add_known(scanner.overlay, known, scanner.norms)
    assert _overlay_starts_before(scanner) <= rules._overlay_spellings(scanner)


def test_the_alias_pass_finds_with_the_spellings_what_it_found_on_bbc(shared_dir: Path
                                                                       ) -> None:
    corpus = shared_dir / "corpora" / "ant_bbc.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    backend = RulesBackend()
    with corpus.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(300), handle)]
    for record in records:
        article = backend.extract(record["article"])
        lead = "\n".join(split_sentences(record["article"])[:3])
        for text, known in ((record["article"], None), (record["summary"], article),
                            (lead, article), (record["summary"], None)):
            now, before = _extract_both(text, known)
            assert now == before, text[:60]


# --- a phrase's span made without the NamedTuple's __new__ ------------------------------


def test_a_span_made_by_tuple_new_is_the_span_of_its_constructor() -> None:
    # why: `phrase_at` passes all six fields in order; a field added to `Span` must fail here.
    assert Span._fields == ("first", "last", "type", "stripped", "restored", "id")
    for fields in ((3, 5, "ORG", 0, False, "org:un"), (0, 1, "LOC", 2, True, None)):
        made = _new_span(Span, fields)
        assert type(made) is Span and made == Span(*fields)
        assert (made.first, made.last, made.type, made.stripped, made.restored, made.id) \
            == fields
