"""The rules backend's word lists: places, organizations, people, nisba adjectives,
titles, organization heads, given names and stop words.

Places start from babel's CLDR Arabic territory names (licence-clean facts) and add the
variants, cities and regions in ``data/locations.txt``. All entries are normalized with
the ``ar`` profile when loaded. `GAZETTEER_VERSION` names the lists in signatures:
change it whenever a list changes.
"""

from __future__ import annotations

import atexit
import bisect
import functools
import gc
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from benchmark.entities.tokens import word_tokens
from benchmark.remembered import package_files, remembered
from benchmark.text import normalize_arabic

GAZETTEER_VERSION = "2026.12"
# CLDR territory codes that are not places, or whose Arabic name is a common word.
_SKIP_TERRITORIES = frozenset({"001", "EU", "EZ", "UN", "ZZ", "XA", "XB", "QO", "ML",
                               "BJ"})


@dataclass(frozen=True, slots=True)
class Phrase:
    tokens: tuple[str, ...]  # normalized words
    type: str  # PERS LOC ORG
    id: str  # canonical identity: variants of one entity share it


@dataclass
class PhraseIndex:
    """Phrases by their first normalized word (and their first two), longest first."""

    by_first: dict[str, list[Phrase]] = field(default_factory=dict)
    _by_pair: dict[tuple[str, ...], list[Phrase]] = field(default_factory=dict)  # pairs
    _seen: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, phrase: Phrase) -> bool:
        if phrase.tokens in self._seen:
            return False  # the first list that names a phrase wins
        self._seen.add(phrase.tokens)
        # Longest first, equal lengths in insertion order; a binary search keeps adding
        # thousands of names that share a first word (محمد ...) fast.
        # A new bucket (most of a text's overlay) takes the phrase without a search.
        _insert(self.by_first.setdefault(phrase.tokens[0], []), phrase)
        if len(phrase.tokens) > 1:
            _insert(self._by_pair.setdefault(phrase.tokens[:2], []), phrase)
        return True

    def starting_with(self, word: str) -> list[Phrase]:
        return self.by_first.get(word, [])

    def candidates(self, word: str, next_word: str | None) -> list[Phrase]:
        """Phrases that may start at `word` followed by `next_word`, longest first: the
        multiword ones whose second word is `next_word`, then the one-word ones. Looking
        up by pair keeps a text linear when many known names share a first word."""
        bucket = self.by_first.get(word)
        if not bucket:
            return []
        singles = [bucket[-1]] if len(bucket[-1].tokens) == 1 else []
        if len(bucket[0].tokens) == 1:
            return singles
        pairs = self._by_pair.get((word, next_word), []) if next_word is not None else []
        return pairs + singles


def _insert(bucket: list[Phrase], phrase: Phrase) -> None:
    """Add `phrase` to a bucket kept longest first, after the phrases as long as it."""
    if bucket:
        bisect.insort_right(bucket, phrase, key=_minus_length)
    else:
        bucket.append(phrase)


def _minus_length(phrase: Phrase) -> int:
    return -len(phrase.tokens)


@dataclass(frozen=True)
class Gazetteer:
    phrases: PhraseIndex
    nisba: dict[str, str]  # normalized nisba form -> territory id
    given_names: frozenset[str]
    titles: PhraseIndex  # type "TITLE"
    descriptors: frozenset[str]
    org_heads: dict[str, str]  # normalized head -> "include" | "describe" | "named" | "nisba"
    stopwords: frozenset[str]
    ids: dict[str, str]  # normalized phrase text -> id (for cross-text matching)
    place_heads: dict[str, str] = field(default_factory=dict)  # -> "settlement" | "facility"
    event_heads: frozenset[str] = frozenset()
    club_titles: PhraseIndex = field(default_factory=PhraseIndex)
    # Stop words written with a final ى whose folded form may read as a name (على ->
    # علي): such a token is that name only when written without the ى.
    maqsura_stopwords: frozenset[str] = frozenset()
    # Given names written with a final ى (منى، هدى): a token written with ي (مني "from
    # me") is not that name.
    maqsura_names: frozenset[str] = frozenset()


# Words besides the given names that begin a name (أبو مازن، عبد الله).
NAME_STARTERS = frozenset({"ابو", "عبد"})


def joined_abd(word: str) -> bool:
    """عبدالملك، عبدالرحمن: عبد written joined to one of the names of God."""
    return word.startswith("عبدال") and len(word) >= 7


def split_words(text: str) -> tuple[str, ...]:
    return tuple(token.norm for token in word_tokens(text))


def _data_lines(name: str) -> list[str]:
    text = resources.files("benchmark.entities").joinpath("data").joinpath(name).read_text("utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def _add_entries(index: PhraseIndex, ids: dict[str, str], lines: list[str],
                 entity_type: str) -> None:
    for line in lines:
        entity_id, *names = line.split("|")
        for name in names:
            words = split_words(name)
            if words and index.add(Phrase(words, entity_type, entity_id)):
                ids.setdefault(" ".join(words), entity_id)


def _babel_places() -> list[str]:
    """``CODE|name`` of babel's Arabic territory names, remembered in the user cache
    under the state of babel's files and of this module (`benchmark.remembered`):
    loading them is about 15 ms of every process that extracts entities."""
    files = package_files("babel", "global.dat", "locale-data/root.dat",
                          "locale-data/ar.dat")
    return remembered("babel-places-ar", _babel_territory_lines,
                      files=None if files is None else [*files, Path(__file__)],
                      salt=repr(sorted(_SKIP_TERRITORIES)).encode())


def _babel_territory_lines() -> list[str]:
    import babel

    lines = []
    for code, name in babel.Locale("ar").territories.items():
        if code in _SKIP_TERRITORIES:
            continue
        name = name.split("(")[0].strip()
        lines.append(f"{code}|{name}")
    return lines


def _nisba_forms(base: str) -> list[str]:
    stems = [base, base + "ه", base + "ون", base + "ين", base + "ات"]
    return stems + ["ال" + stem for stem in stems]


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The lists, loaded and normalized once per process. They live as long as the
    process: once loaded, they (with whatever else lives then) are moved out of the
    garbage collector's sight (`gc.freeze`), so that its full collections, which the
    rules' many short-lived objects set off, do not walk their hundred thousand objects
    again and again. They are given back to it when the process exits (`atexit`), so
    that its last collection still finalizes what only a cycle kept alive, such as a
    file a script never closed (frozen, its last writes would be lost)."""
    gazetteer = _load()
    gc.freeze()
    atexit.register(gc.unfreeze)
    return gazetteer


def _load() -> Gazetteer:
    phrases, ids = PhraseIndex(), dict[str, str]()
    _add_entries(phrases, ids, _data_lines("locations.txt"), "LOC")
    _add_entries(phrases, ids, _babel_places(), "LOC")
    _add_entries(phrases, ids, _data_lines("organizations.txt"), "ORG")
    _add_entries(phrases, ids, _data_lines("persons.txt"), "PERS")
    nisba: dict[str, str] = {}
    for line in _data_lines("nisba.txt"):
        territory, *bases = line.split("|")
        for base in bases:
            for form in _nisba_forms(normalize_arabic(base)):
                nisba.setdefault(form, territory)
    titles = PhraseIndex()
    for line in _data_lines("titles.txt"):
        titles.add(Phrase(split_words(line), "TITLE", line))
    heads = _kinds("org_heads.txt")
    club_titles = PhraseIndex()
    for line in _data_lines("club_titles.txt"):
        club_titles.add(Phrase(split_words(line), "TITLE", line))
    stopword_lines = _data_lines("stopwords.txt")
    given_lines = _data_lines("given_names.txt")
    return Gazetteer(
        phrases=phrases, nisba=nisba,
        given_names=frozenset(normalize_arabic(n) for n in given_lines),
        titles=titles,
        descriptors=frozenset(normalize_arabic(w) for w in _data_lines("descriptors.txt")),
        org_heads=heads,
        stopwords=frozenset(normalize_arabic(w) for w in stopword_lines),
        ids=ids,
        place_heads=_kinds("place_heads.txt"),
        event_heads=frozenset(normalize_arabic(w) for w in _data_lines("event_heads.txt")),
        club_titles=club_titles,
        maqsura_stopwords=frozenset(normalize_arabic(w) for w in stopword_lines
                                    if w.endswith("ى")),
        maqsura_names=frozenset(normalize_arabic(n) for n in given_lines if n.endswith("ى")))


def _kinds(name: str) -> dict[str, str]:
    """``kind|head`` lines as {normalized head: kind}."""
    kinds = {}
    for line in _data_lines(name):
        kind, head = line.split("|")
        kinds[" ".join(split_words(head))] = kind
    return kinds


def canonical_id(entity_type: str, key: str) -> str | None:
    """The gazetteer identity of a name (``سورية`` and ``سوريا`` share ``SY``)."""
    gazetteer = load_gazetteer()
    if entity_type == "MISC":
        return gazetteer.nisba.get(key)
    return gazetteer.ids.get(key)
