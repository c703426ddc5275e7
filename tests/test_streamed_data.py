"""A run over a JSON Lines file streams it: a first read checks and hashes it, a second
yields the examples a batch at a time. What a run writes is the same as when the whole
dataset is loaded in memory (`load_examples`); at most a few batches of examples exist
at once."""

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmark.data import Example, LoadedData, load_examples
from benchmark.data import tabular
from benchmark.data.load import open_examples
from benchmark.data.streamed import StreamedData, check_bytes
from benchmark.errors import DataError, InvalidRecordError
from benchmark.runs import harness
from benchmark.runs.harness import RunConfig, run_benchmark, score_predictions
from benchmark.runs.run import Run
from benchmark.scorer import Scorer

TESTS = Path(__file__).resolve().parent
MODEL = "py:counting_summarizer:Counting"
BATCH = 4  # the counting summarizer's batch size in these tests


@pytest.fixture(autouse=True)
def importable(monkeypatch):
    monkeypatch.syspath_prepend(str(TESTS))


class Live:
    """How many `Example`s read from files exist at once (the most seen)."""

    def __init__(self):
        self.now = 0
        self.peak = 0


@pytest.fixture
def live(monkeypatch):
    """Every example the tabular readers build is counted while it is alive."""
    counter = Live()

    class Counted(Example):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            counter.now += 1
            counter.peak = max(counter.peak, counter.now)

        def __del__(self):
            counter.now -= 1

    monkeypatch.setattr(tabular, "Example", Counted)
    return counter


def write_corpus(path: Path, n: int, *, extra_lines: dict[int, str] | None = None) -> Path:
    """``n`` valid rows n000.. ; ``extra_lines`` puts a raw line before row i."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            if extra_lines and i in extra_lines:
                handle.write(extra_lines[i] + "\n")
            handle.write(json.dumps({"id": f"n{i:03d}",
                                     "article": f"الخبر رقم {i} عن سوريا. جملة ثانية {i}. ثالثة.",
                                     "summary": f"الخبر رقم {i} عن سوريا"},
                                    ensure_ascii=False) + "\n")
    return path


def config(tmp_path, corpus, **options):
    return RunConfig(model=MODEL, options={"log": str(tmp_path / "log"),
                                           "batch_size": BATCH, **options},
                     dataset=corpus, output_dir=tmp_path / "results")


def items(run: Run) -> list[dict]:
    """items.jsonl without the timings, which differ between runs."""
    return [{k: v for k, v in line.items() if k != "latency_s"} for line in run.iter_items()]


def in_memory(monkeypatch):
    """Make the harness load the whole dataset, as it did before streaming."""
    def whole(path, *, limit=None, **options):
        full = load_examples(path, **options)
        return full, (full if limit is None else full.head(limit))

    monkeypatch.setattr(harness, "open_run_data", whole)


def test_a_run_holds_a_few_batches_of_examples_not_the_dataset(tmp_path, live):
    corpus = write_corpus(tmp_path / "c.jsonl", 60)
    outcome = run_benchmark(config(tmp_path, corpus))
    assert outcome.run.record.items.scored == 60
    assert isinstance(outcome.data, StreamedData)
    # One batch being summarized, the next read: loading the file whole would hold 60.
    assert 1 <= live.peak <= 3 * BATCH


def test_the_in_memory_path_holds_the_dataset(tmp_path, live, monkeypatch):
    """The counter can see a whole dataset: the streaming test above could fail."""
    in_memory(monkeypatch)
    run_benchmark(config(tmp_path, write_corpus(tmp_path / "c.jsonl", 60)))
    assert live.peak >= 60


@pytest.mark.parametrize("options", [
    {},  # every line valid
    {"limit": 7},  # stops after the 7th valid example
    {"limit": 7, "skip_invalid": True},  # bad and duplicate lines skipped before it
    {"skip_invalid": True},
], ids=["all", "limit", "limit-skip-invalid", "skip-invalid"])
def test_run_record_and_items_match_the_in_memory_run(tmp_path, monkeypatch, options):
    bad = {2: "{not json", 5: json.dumps({"id": "n001", "article": "مكرر", "summary": "م"}),
           9: json.dumps({"id": "x", "article": "بلا ملخص"})}
    corpus = write_corpus(tmp_path / "c.jsonl", 12,
                          extra_lines=bad if options.get("skip_invalid") else None)
    base = vars(config(tmp_path, corpus))
    streamed = run_benchmark(RunConfig(**{**base, **options, "output_dir": tmp_path / "s"}))
    in_memory(monkeypatch)
    loaded = run_benchmark(RunConfig(**{**base, **options, "output_dir": tmp_path / "m"}))
    assert isinstance(loaded.data, LoadedData) and isinstance(streamed.data, StreamedData)
    assert streamed.run.record.dataset == loaded.run.record.dataset
    assert streamed.run.record.resume_key == loaded.run.record.resume_key
    assert streamed.run.record.aggregates == loaded.run.record.aggregates
    assert items(streamed.run) == items(loaded.run)
    expected = load_examples(corpus, **options)
    assert streamed.data.ids == [ex.id for ex in expected.examples]
    # The record names the whole dataset, read to its end even with a limit.
    whole = load_examples(corpus, skip_invalid=options.get("skip_invalid", False))
    assert streamed.run.record.dataset.sha256 == whole.sha
    assert streamed.run.record.dataset.size == len(whole.examples)
    assert streamed.run.record.dataset.items == len(expected.examples)
    # All three bad lines skipped (the whole file is read, limit or not).
    skipped = 3 if options.get("skip_invalid") else 0
    assert streamed.run.record.dataset.skipped_invalid == skipped
    assert [str(e) for e in streamed.data.skipped] == [str(e) for e in whole.skipped]


def test_a_resumed_run_streams_and_scores_only_what_is_left(tmp_path, live):
    corpus = write_corpus(tmp_path / "c.jsonl", 40)
    first = run_benchmark(config(tmp_path, corpus))
    whole = items(first.run)
    # As after a kill: the run is still "running" and only its first 13 items are written.
    first.run.record.status = "running"
    first.run.save()
    lines = first.run.items_file.read_text(encoding="utf-8").splitlines(keepends=True)
    first.run.items_file.write_text("".join(lines[:13]), encoding="utf-8")
    live.peak = live.now
    resumed = run_benchmark(config(tmp_path, corpus))
    assert resumed.resumed and resumed.run.path == first.run.path
    assert resumed.run.record.timing.items_this_invocation == 27
    assert resumed.run.record.items.cached == 27  # predicted by the first run
    assert items(resumed.run) == [dict(line, cached=line["cached"] or i >= 13)
                                      for i, line in enumerate(whole)]
    assert resumed.run.record.aggregates == first.run.record.aggregates
    assert live.peak - live.now <= 3 * BATCH


def test_bench_score_streams_the_examples_with_predictions(tmp_path, live):
    corpus = write_corpus(tmp_path / "c.jsonl", 50)
    data = open_examples(corpus)
    predictions = {f"n{i:03d}": f"الخبر رقم {i}" for i in range(0, 50, 2)}
    outcome = score_predictions(data=data, predictions=predictions, name="mine",
                                scorer=Scorer(["rouge"], "ar"), output_dir=tmp_path / "out")
    dataset = outcome.run.record.dataset
    full = load_examples(corpus)
    assert dataset.size == 50 and dataset.items == 25
    assert dataset.missing_predictions == 25 and dataset.sha256 == full.sha
    assert [line["id"] for line in outcome.run.iter_items()] == list(predictions)
    assert outcome.data.sha == full.subset(predictions).sha != full.sha
    assert live.peak <= 70  # the scorer's batches are larger than the summarizer's


def test_open_examples_loads_other_inputs_whole(tmp_path):
    assert isinstance(open_examples(None), LoadedData)  # the bundled seed folder
    streamed = open_examples(write_corpus(tmp_path / "c.jsonl", 3))
    assert isinstance(streamed, StreamedData) and streamed.size == 3
    assert streamed.identity == load_examples(tmp_path / "c.jsonl").identity


def test_open_examples_raises_what_load_examples_raises(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 4, extra_lines={3: "[1, 2]"})
    with pytest.raises(InvalidRecordError) as streamed:
        open_examples(corpus)
    with pytest.raises(InvalidRecordError) as loaded:
        load_examples(corpus)
    assert str(streamed.value) == str(loaded.value) and "c.jsonl:4" in str(streamed.value)
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(DataError, match="no valid example"):
        open_examples(tmp_path / "empty.jsonl")


@pytest.mark.parametrize("change", ["an id", "a text", "a line gone"])
def test_a_file_changed_between_the_two_reads_is_an_error(tmp_path, change):
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    data = open_examples(corpus)
    text = corpus.read_text(encoding="utf-8")
    if change == "an id":
        text = text.replace('"n003"', '"z003"')
    elif change == "a text":
        text = text.replace("رقم 4", "رقم 40")
    else:
        text = "".join(text.splitlines(keepends=True)[:4])
    corpus.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="changed since the run first read it") as error:
        list(data.iter_examples())
    assert "c.jsonl" in str(error.value)


def test_wordless_summaries_are_found_in_the_first_read(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 3, extra_lines={
        1: json.dumps({"id": "dots", "article": "نص", "summary": "..."})})
    assert open_examples(corpus).wordless_ids == load_examples(corpus).wordless_ids == ["dots"]
    assert Counter(open_examples(corpus).ids)["dots"] == 1


BASE = dict(id="a", article="نص", bullets=("ب",), date="2020-01-01")


@pytest.mark.parametrize("other, why", [
    (dict(article="نص\0ب", bullets=()), "a text moved across the NUL between two texts"),
    (dict(date=""), "an empty date is not a missing one"),
    (dict(date=None), "a missing date"),
    (dict(bullets=("ب", "")), "an empty bullet more"),
    (dict(references=(("ب",), ("ج",))), "a second reference"),
    (dict(id="a ", article="نص"[:1]), "the same characters split elsewhere"),
    (dict(article="نص "), "a trailing space"),
])
def test_the_second_reads_digest_tells_any_change_of_identity_content(other, why):
    """`check_bytes` stands for `hashed_line` in the second read: examples whose
    identity content differs must give different bytes."""
    first, second = Example(**BASE), Example(**{**BASE, **other})
    assert first.content() != second.content(), why
    assert check_bytes(first) != check_bytes(second), why
    assert check_bytes(Example(**BASE)) == check_bytes(first)


def _check_bytes_as_first_written(example):
    """`check_bytes` as it was first written: remembered scans hold digests of these
    bytes, so a faster `check_bytes` must give them exactly."""
    texts = [example.id, example.article, *example.bullets]
    for reference in example.references:
        texts.extend(reference)
    shape = " ".join(str(len(part)) for part in (example.bullets, *example.references))
    date = "-" if example.date is None else f"{len(example.date)}:{example.date}"
    return "".join([shape, "|", date, *(f"{len(text)}:{text}" for text in texts), "\n"]) \
        .encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("example, written, why", [
    (Example(id="a", article="نص", bullets=("ب",), date="2020-01-01"),
     "1|10:2020-01-011:a2:نص1:ب\n", "one bullet, a date: lengths in characters"),
    (Example(id="x", article="ab", bullets=("c", "de"), references=(("f",), ("g", "hi"))),
     "2 1 2|-1:x2:ab1:c2:de1:f1:g2:hi\n", "the bullet counts of every reference first"),
    (Example(id="", article="\ud800", bullets=()), "0|-0:1:\ud800\n",
     "an empty id, no bullet, a lone surrogate kept"),
])
def test_check_bytes_golden(example, written, why):
    assert check_bytes(example) == written.encode("utf-8", "surrogatepass"), why
    assert check_bytes(example) == _check_bytes_as_first_written(example), why


_TEXT = st.text(max_size=6)


@given(st.builds(Example, id=_TEXT, article=_TEXT, bullets=st.lists(_TEXT).map(tuple),
                 date=st.none() | _TEXT,
                 references=st.lists(st.lists(_TEXT).map(tuple), max_size=3).map(tuple)))
def test_check_bytes_is_as_first_written_for_any_example(example):
    assert check_bytes(example) == _check_bytes_as_first_written(example)


def test_check_bytes_is_as_first_written_on_a_real_corpus(shared_dir):
    from benchmark.data.tabular import read_jsonl

    path = shared_dir / "corpora" / "ant_bbc.jsonl"
    for _, example in read_jsonl(path, shown=path.name):
        assert check_bytes(example) == _check_bytes_as_first_written(example), example.id


@pytest.mark.parametrize("row, meta, unused, source, why", [
    ({"id": "a", "article": "نص", "summary": "ب", "url": "u", "lang": "ar"},
     {"url": "u", "lang": "ar"}, ("lang",), "u", "url is the source, kept in meta, not unused"),
    ({"id": "a", "text": "نص", "bullets": ["ب"], "summary": "", "source": "s", "url": "u"},
     {"url": "u"}, ("url",), "s", "XL-Sum's text and a bullets list; url beside a source"),
    ({"article": "نص", "summary_bullets": ["ب"], "date": "2020-01-02", "meta": {"k": 1},
      "references": [], "x": None},
     {"k": 1, "x": None}, ("x",), "rows.jsonl", "read fields are neither meta nor unused; "
     "no source: the file's name"),
])
def test_a_jsonl_rows_unread_fields_go_to_meta(tmp_path, row, meta, unused, source, why):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n" + json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    [(where, example)] = list(tabular.read_jsonl(path, shown="rows.jsonl"))
    assert (example.meta, example.unused_fields) == (meta, unused), why
    assert example.source == source, why
    # why: without an id, the file's stem and the line (a blank first line counts)
    assert example.id == row.get("id", "rows-2")
