"""`ItemTable`: a run's item lines kept as columns for aggregation (memory flat per
line) read back exactly as the lines were, for what `Metric.aggregate` asks."""

import math

from hypothesis import given, strategies as st

from benchmark.runs.aggregate import ItemTable

LINES = [
    {"rouge1_f": 0.5, "entity_recall": None, "entity_counts": {"reference": 2, "found": 1}},
    {"rouge1_f": 0.25, "entity_recall": 1.0},  # no entity_counts: absent, not None
    {"rouge1_f": None, "entity_recall": 0.0, "entity_counts": {"reference": 0, "found": 0},
     "words": 12},  # a key first seen on the third line
    {"rouge1_f": 1.0, "words": 3.5, "cached": True},  # an int column that gets a float
    {"rouge1_f": float("nan")},  # NaN is a value, not None
]


def as_dicts(table):
    return [dict(line) for line in table]


def same(left, right):
    """Equal, with NaN equal to NaN."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return type(left) is type(right) and left == right


def test_lines_read_back_as_they_were():
    table = ItemTable()
    for line in LINES:
        table.append(line)
    assert len(table) == len(LINES)
    for original, read in zip(LINES, as_dicts(table)):
        assert read.keys() == original.keys()  # why: absent keys stay absent
        assert all(same(original[k], read[k]) for k in original)
    assert table[1].get("entity_counts") is None and "entity_counts" not in table[1]
    assert table[0]["entity_recall"] is None and "entity_recall" in table[0]
    assert dict(table[-2]) == LINES[-2] and [dict(x) for x in table[1:3]] == LINES[1:3]


def test_defined_values_drop_none_and_absent_in_line_order():
    table = ItemTable()
    for line in LINES:
        table.append(line)
    assert list(table.defined("rouge1_f")[:3]) == [0.5, 0.25, 1.0]  # why: line 3 holds None
    assert math.isnan(table.defined("rouge1_f")[3])
    assert list(table.defined("entity_recall")) == [1.0, 0.0]
    assert table.defined("words") == [12, 3.5]  # why: int and float kept as they came
    assert list(table.defined("nowhere")) == []


values = st.one_of(st.none(), st.floats(allow_nan=False), st.integers(-5, 5), st.booleans(),
                   st.dictionaries(st.sampled_from("ab"), st.integers(0, 3), max_size=2))


@given(st.lists(st.dictionaries(st.sampled_from(["x", "y", "z"]), values, max_size=3),
                max_size=12))
def test_any_lines_read_back_equal(lines):
    table = ItemTable()
    for line in lines:
        table.append(line)
    read = as_dicts(table)
    assert len(read) == len(lines)
    for original, back in zip(lines, read):
        assert back.keys() == original.keys()
        assert all(same(original[k], back[k]) for k in original)


NUMBER_LINES = [  # what `append_numbers` keeps of each line, and why
    ({"id": "a", "missing": [], "n": 1.0, "v": "text"},
     {"missing": [], "n": 1.0}),  # an empty list is kept; strings never are
    ({"id": "b", "missing": ["PERS:x"], "n": 2.0, "v": 0.5},
     {"n": 2.0, "v": 0.5}),  # a list of texts is dropped: its column is absent here
    ({"id": "c", "n": None, "later": 3},
     {"n": None, "later": 3}),  # a key first seen here; "missing" and "v" absent
    ({"id": "d", "missing": [], "v": "again text", "later": "text"},
     {"missing": []}),  # texts where the columns hold numbers: absent
]


def test_numbers_of_lines_leave_texts_out():
    table = ItemTable()
    for line, _ in NUMBER_LINES:
        table.append_numbers(line)
    assert as_dicts(table) == [kept for _, kept in NUMBER_LINES]
    assert table.defined("v") == [0.5] and table.defined("later") == [3]


texts = st.one_of(st.text(max_size=3), st.lists(st.text(max_size=2), min_size=1, max_size=2))


@given(st.lists(st.dictionaries(st.sampled_from(["x", "y", "z"]), st.one_of(values, texts),
                                max_size=3), max_size=12))
def test_any_lines_numbers_read_back_without_texts(lines):
    table = ItemTable()
    for line in lines:
        table.append_numbers(line)
    for original, back in zip(lines, as_dicts(table), strict=True):
        kept = {k: v for k, v in original.items()
                if not (isinstance(v, str) or isinstance(v, list) and isinstance(v[0], str))}
        assert back.keys() == kept.keys()
        assert all(same(kept[k], back[k]) for k in kept)


@given(st.lists(st.tuples(st.booleans(),
                          st.dictionaries(st.sampled_from(["x", "y", "z"]),
                                          st.one_of(values, texts), max_size=3)),
                max_size=12))
def test_lines_read_between_appends_read_back_equal(steps):
    """Columns catch up with the lines that lacked their key when next written or read:
    reading after any append (a line at a time, or its numbers) gives every line so far,
    and each key's defined values, as they were."""
    table, kept_lines = ItemTable(), []
    for numbers_only, line in steps:
        if numbers_only:
            table.append_numbers(line)
            line = {k: v for k, v in line.items()
                    if not (isinstance(v, str) or isinstance(v, list) and isinstance(v[0], str))}
        else:
            table.append(line)
        kept_lines.append(line)
        read = as_dicts(table)
        assert [back.keys() for back in read] == [kept.keys() for kept in kept_lines]
        assert all(same(kept[k], back[k]) for kept, back in zip(kept_lines, read) for k in kept)
        for key in "xyz":
            expected = [kept[key] for kept in kept_lines if kept.get(key) is not None]
            defined = [getattr(v, "item", lambda v=v: v)() for v in table.defined(key)]
            assert len(defined) == len(expected) and all(map(same, defined, expected))


def test_a_column_seen_again_after_lines_without_it():
    table = ItemTable()
    for line in ({"a": 0.5, "b": 1.0}, {"b": 2.0}, {"b": 3.0}, {"a": 0.25, "b": 4.0},
                 {"a": "text"}, {"a": 7}):
        table.append_numbers(line)
    # why: lines 2-3 lack a; line 5 holds a text (absent); line 6 turns a into a list
    assert as_dicts(table) == [{"a": 0.5, "b": 1.0}, {"b": 2.0}, {"b": 3.0},
                               {"a": 0.25, "b": 4.0}, {}, {"a": 7}]
    assert table.defined("a") == [0.5, 0.25, 7] and list(table.defined("b")) == [1, 2, 3, 4]
