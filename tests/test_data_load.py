"""Loading by path, the Hugging Face Dataset, save_to_disk folders and dataset identity."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from benchmark.data import (Example, InvalidRecordError, dataset_identity, dataset_sha,
                            load_examples, load_reference, to_hf_dataset)
from benchmark.errors import ConfigError, DataError
from benchmark.paths import BUNDLED_DATASET

GOOD_SEED = "date 2024-03-05 - أ: جملة أولى. - ب: جملة ثانية.\n\nنص المقال.\n"
EXAMPLES = [
    Example(id="a", article="مقال أول.\nفقرة.", bullets=("نقطة 1", "نقطة 2"), date="2024-01-02",
            source="a.txt", meta={"headings": ["عنوان", "آخر"]}),
    Example(id="b", article="مقال ثان.", bullets=("نقطة وحيدة",), date=None, source=None,
            meta={"url": "http://x/b", "rank": 3, "nested": {"k": [1, "٢"]}}),
    Example(id="c", article="مقال ثالث.", bullets=("x", "y", "z"), date="2023-12-31",
            source="http://x/c", meta={}),
]
IDENTITY = re.compile(r"(?P<name>.+)@sha256:[0-9a-f]{12}")


def seed_folder(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- dispatch -----------------------------------------------------------------------


def test_default_is_the_bundled_seed_named_seed_however_it_is_reached():
    data = load_examples()
    assert (data.name, data.path, data.skipped) == ("seed", str(BUNDLED_DATASET), [])
    assert [e.id for e in data.examples] == ["000_04dacd3f9b1a1c24"]
    assert IDENTITY.fullmatch(data.identity)["name"] == "seed"
    assert load_examples(str(BUNDLED_DATASET)).identity == data.identity


def test_seed_folder_reads_txt_files_in_name_order_and_ignores_the_rest(tmp_path):
    folder = seed_folder(tmp_path / "news", {
        "b.txt": GOOD_SEED, "a.txt": GOOD_SEED, "notes.md": "not data", ".hidden.txt": "x"})
    data = load_examples(folder)
    assert data.name == "news"
    assert [e.id for e in data.examples] == ["a", "b"]
    assert [e.source for e in data.examples] == ["a.txt", "b.txt"]


def test_single_seed_file_is_named_by_its_stem(tmp_path):
    path = seed_folder(tmp_path, {"one.txt": GOOD_SEED}) / "one.txt"
    data = load_examples(path)
    assert (data.name, [e.id for e in data.examples]) == ("one", ["one"])


@pytest.mark.parametrize("make, words", [
    (lambda tmp: tmp / "missing.jsonl", "no such file or folder"),
    (lambda tmp: seed_folder(tmp / "empty", {}), "empty folder"),
    (lambda tmp: seed_folder(tmp / "other", {"x.jsonl": "{}", "y.csv": ""}),
     "no .txt files in this folder (found x.jsonl, y.csv)"),
    (lambda tmp: seed_folder(tmp, {"data.xlsx": b"PK"}) / "data.xlsx",
     "unknown file type '.xlsx'"),
    (lambda tmp: write_jsonl(tmp / "blank.jsonl", ["", "  "]), "no valid example"),
])
def test_unreadable_inputs_raise_a_data_error_even_when_skipping(tmp_path, make, words):
    path = make(tmp_path)
    for skip in (False, True):
        with pytest.raises(DataError) as caught:
            load_examples(path, skip_invalid=skip)
        assert not isinstance(caught.value, InvalidRecordError)  # nothing to skip to
        assert str(caught.value).startswith(f"{path}: ") and words in str(caught.value)


def test_bad_seed_file_stops_the_load_or_is_skipped_and_counted(tmp_path):
    folder = seed_folder(tmp_path / "mixed", {
        "1.txt": GOOD_SEED,
        "2.txt": "بلا تاريخ\n\nنص.\n",  # no date line
        "3.txt": GOOD_SEED,
        "4.txt": b"\x00\x01binary",
    })
    with pytest.raises(InvalidRecordError, match=re.escape(f"{folder / '2.txt'}:1: no date")):
        load_examples(folder)
    data = load_examples(folder, skip_invalid=True)
    assert [e.id for e in data.examples] == ["1", "3"]
    assert [(e.path, e.line) for e in data.skipped] == [(str(folder / "2.txt"), 1),
                                                        (str(folder / "4.txt"), 1)]


def test_all_invalid_with_skipping_is_still_an_error(tmp_path):
    folder = seed_folder(tmp_path / "bad", {"1.txt": "x\n\ny\n", "2.txt": "date 2024-01-01\n"})
    with pytest.raises(DataError, match=r"no valid example; all 2 skipped, the first: .*1.txt:1"):
        load_examples(folder, skip_invalid=True)


def test_duplicate_id_names_both_places(tmp_path):
    row = {"id": "x", "article": "م", "summary": "ملخص"}
    path = write_jsonl(tmp_path / "dup.jsonl", [row, {**row, "id": "y"}, row])
    with pytest.raises(InvalidRecordError) as caught:
        load_examples(path)
    assert str(caught.value) == (f"{path}:3: duplicate id 'x' (first at {path}:1); "
                                 "ids must be unique")
    data = load_examples(path, skip_invalid=True)
    assert [e.id for e in data.examples] == ["x", "y"] and len(data.skipped) == 1


def test_limit_stops_after_that_many_valid_examples(tmp_path):
    rows = [{"article": f"م{i}", "summary": "ملخص"} for i in range(5)]
    path = write_jsonl(tmp_path / "five.jsonl", rows[:2] + ["not json"] + rows[2:])
    data = load_examples(path, skip_invalid=True, limit=3)
    # rows on lines 1, 2, 4: the bad line 3 is skipped and does not count
    assert [e.id for e in data.examples] == ["five-1", "five-2", "five-4"]
    assert len(data.skipped) == 1
    with pytest.raises(ConfigError, match="limit must be at least 1"):
        load_examples(path, limit=0)


# --- the Hugging Face Dataset --------------------------------------------------------


def test_to_hf_dataset_round_trips_meta_with_different_keys_per_record():
    dataset = to_hf_dataset(EXAMPLES)
    assert dataset.column_names == ["id", "date", "article", "bullets", "summary",
                                    "references", "source", "meta"]
    assert dataset[0]["summary"] == "نقطة 1\nنقطة 2"
    assert dataset[0]["bullets"] == ["نقطة 1", "نقطة 2"]
    # each row keeps only its own meta keys (an Arrow struct would add the others as None)
    assert [Example.from_record(dataset[i]) for i in range(len(dataset))] == EXAMPLES


def test_load_reference_default_and_the_top_level_import():
    from benchmark import load_reference as top_level

    assert top_level is load_reference
    dataset = load_reference()
    assert len(dataset) == 1
    assert json.loads(dataset[0]["meta"])["headings"][2] == "التعاون الاقتصادي وإعادة الإعمار"
    assert dataset.info.description == load_examples().identity


def test_save_to_disk_folder_round_trips(tmp_path):
    to_hf_dataset(EXAMPLES).save_to_disk(str(tmp_path / "saved"))
    data = load_examples(tmp_path / "saved")
    assert data.name == "saved"
    assert data.examples == EXAMPLES
    assert data.identity == dataset_identity("saved", EXAMPLES)


def test_dataset_dict_folder_reads_its_only_split_and_refuses_several(tmp_path):
    import datasets

    one = datasets.DatasetDict({"test": to_hf_dataset(EXAMPLES)})
    one.save_to_disk(str(tmp_path / "one"))
    assert load_examples(tmp_path / "one").examples == EXAMPLES
    two = datasets.DatasetDict({"test": to_hf_dataset(EXAMPLES[:1]),
                                "train": to_hf_dataset(EXAMPLES[1:])})
    two.save_to_disk(str(tmp_path / "two"))
    with pytest.raises(DataError, match="a DatasetDict with splits test, train: pass one"):
        load_examples(tmp_path / "two")


def test_third_party_saved_dataset_uses_the_row_rules(tmp_path):
    import datasets

    xlsum = datasets.Dataset.from_list([
        {"id": "1", "url": "u1", "title": "t", "summary": "s", "text": "نص"},
        {"id": "2", "url": "u2", "title": "t", "summary": "s", "text": ""},
    ])
    xlsum.save_to_disk(str(tmp_path / "xlsum"))
    with pytest.raises(InvalidRecordError, match=r"xlsum:2: empty 'text'"):
        load_examples(tmp_path / "xlsum")
    data = load_examples(tmp_path / "xlsum", skip_invalid=True)
    assert data.examples == [Example(id="1", article="نص", bullets=("s",), source="u1",
                                     meta={"url": "u1", "title": "t"})]


# --- identity -----------------------------------------------------------------------


def test_dataset_sha_is_sha256_of_the_canonical_jsonl():
    # Built by hand from the documented format, not through to_record.
    # Content only (identity scheme 2): no summary, source or meta.
    lines = []
    for e in EXAMPLES:
        record = {"id": e.id, "date": e.date, "article": e.article, "bullets": list(e.bullets),
                  "references": [list(r) for r in e.references]}
        lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")) + "\n")
    expected = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    assert dataset_sha(EXAMPLES) == expected
    assert dataset_identity("demo", EXAMPLES) == f"demo@sha256:{expected[:12]}"
    # rows of the Dataset (meta as a JSON string) hash the same as the examples
    assert dataset_sha(to_hf_dataset(EXAMPLES)) == expected


def test_scheme_1_is_the_hash_runs_recorded_before_content_only_identities():
    """Older runs hashed id, date, article, bullets, summary, source and meta; their data
    is checked with that scheme (report, diff)."""
    lines = []
    for e in EXAMPLES:
        record = {"id": e.id, "date": e.date, "article": e.article, "bullets": list(e.bullets),
                  "summary": "\n".join(e.bullets), "source": e.source, "meta": e.meta}
        lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")) + "\n")
    expected = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
    assert dataset_sha(EXAMPLES, scheme=1) == expected != dataset_sha(EXAMPLES)


def test_source_and_meta_are_not_part_of_the_identity():
    renamed = [Example(**{**vars(ex), "source": "elsewhere.csv", "meta": {"url": "u"}})
               for ex in EXAMPLES]
    assert dataset_sha(renamed) == dataset_sha(EXAMPLES)
    assert dataset_sha(renamed, scheme=1) != dataset_sha(EXAMPLES, scheme=1)


@pytest.mark.parametrize("change", [
    lambda ex: [ex[1], ex[0], ex[2]],  # order is part of the dataset
    lambda ex: [ex[0], Example(**{**vars(ex[1]), "bullets": ("نقطة وحيدة.",)}), ex[2]],
    lambda ex: [ex[0], ex[1], Example(**{**vars(ex[2]), "references": (("أخرى",),)})],
    lambda ex: [ex[0], ex[1], Example(**{**vars(ex[2]), "date": "1999-01-01"})],
    lambda ex: ex[:2],
])
def test_any_change_changes_the_sha(change):
    assert dataset_sha(change(EXAMPLES)) != dataset_sha(EXAMPLES)


def test_identity_does_not_depend_on_where_the_data_lies(tmp_path):
    rows = [{"id": f"r{i}", "article": f"مقال {i}", "summary": "ملخص"} for i in range(3)]
    first = write_jsonl(tmp_path / "here" / "small.jsonl", rows)
    second = tmp_path / "there" / "deeper" / "small.jsonl"
    second.parent.mkdir(parents=True)
    shutil.copy(first, second)
    assert load_examples(first).identity == load_examples(second).identity
    assert load_examples(first).examples[0].source == "small.jsonl"
    # the bundled seed copied into another folder of the same name keeps its identity
    shutil.copytree(BUNDLED_DATASET, tmp_path / "copy" / "seed")
    assert load_examples(tmp_path / "copy" / "seed").identity == load_examples().identity


def test_bbc_corpus_reads_all_3797_with_a_stable_identity(shared_dir):
    path = shared_dir / "corpora" / "ant_bbc.jsonl"
    first = load_examples(path)
    # The registry names this file ant-bbc (same bytes): one dataset, one name.
    assert (first.name, first.aliases) == ("ant-bbc", ("ant_bbc",))
    assert (len(first.examples), first.skipped) == (3797, [])
    assert first.examples[0].id == "BB-culture-1-20180218"  # the file's first line
    assert first.examples[0].source.startswith("http://www.bbc.co.uk/arabic/")
    again = load_examples(str(path.resolve()))  # another spelling of the same path
    assert again.identity == first.identity
    assert IDENTITY.fullmatch(first.identity)["name"] == "ant-bbc"
