"""The dataset analysis is computed once and reused: a second model's run extracts
entities from its predictions only, with the same numbers, and a changed signature or
a damaged file makes the analysis run again."""

import json
from dataclasses import replace

import pytest

from benchmark.data import load_examples
from benchmark.entities.rules import RulesBackend
from benchmark.metrics import rouge
from benchmark.runs import analysis
from benchmark.runs.harness import RunConfig, run_benchmark
from benchmark.scorer import Scorer
from benchmark.summarizers.base import Summarizer

N = 6


@pytest.fixture
def corpus(bbc_head):
    """The first N BBC pairs, as a dataset of their own."""
    return bbc_head(N)


@pytest.fixture
def extracted(monkeypatch):
    """Every text the rules backend extracts entities from, in call order."""
    texts = []
    original = RulesBackend.extract

    def counting(self, text, known=None):
        texts.append(text)
        return original(self, text, known=known)

    monkeypatch.setattr(RulesBackend, "extract", counting)
    return texts


@pytest.fixture
def analysed(monkeypatch):
    """Every text ROUGE analyses (splits and tokenizes), in call order: references
    through `analyse_text`, predictions through `RougeMetric._prediction_side` (which,
    split ``ar``, reads the remembered split instead)."""
    texts = []
    original, prediction_side = rouge.analyse_text, rouge.RougeMetric._prediction_side

    def counting(text, profile, **options):
        texts.append(text)
        return original(text, profile, **options)

    def counting_prediction(self, text):
        texts.append(text)
        return prediction_side(self, text)

    monkeypatch.setattr(rouge, "analyse_text", counting)
    monkeypatch.setattr(rouge.RougeMetric, "_prediction_side", counting_prediction)
    return texts


def run(tmp_path, corpus, model, **options):
    config = RunConfig(model=model, dataset=corpus, output_dir=tmp_path / "results",
                       metrics=["rouge", "entities"], **options)
    return run_benchmark(config)


def dataset_texts(corpus):
    examples = load_examples(corpus).examples
    return {ex.article for ex in examples} | {ex.summary for ex in examples}


def items(outcome):
    return [{k: v for k, v in json.loads(line).items() if k != "latency_s"}
            for line in outcome.run.items_file.read_text(encoding="utf-8").splitlines()]


def test_second_model_analyses_only_its_predictions(tmp_path, corpus, extracted, analysed):
    first = run(tmp_path, corpus, "lead-3")
    texts = dataset_texts(corpus)
    assert len(set(extracted) & texts) == 2 * N  # why: each article and each summary once
    extracted.clear(), analysed.clear()

    second = run(tmp_path, corpus, "lead-1")
    assert not set(extracted) & texts  # why: articles and summaries come from the store
    assert not set(analysed) & texts
    predictions = [item["prediction"] for item in items(second)]
    assert sorted(extracted) == sorted(predictions)  # why: one extraction per prediction
    assert sorted(analysed) == sorted(predictions)

    fresh = run(tmp_path / "no-store", corpus, "lead-1", reuse_analysis=False)
    assert items(fresh) == items(second)  # why: the stored analysis changes no number
    assert fresh.run.record.aggregates == second.run.record.aggregates
    assert first.run.record.aggregates != second.run.record.aggregates


def test_changed_ner_signature_analyses_again(tmp_path, corpus, extracted, monkeypatch):
    run(tmp_path, corpus, "lead-3")
    monkeypatch.setattr(RulesBackend, "signature", lambda self: "ner:rules.changed|gaz:x")
    extracted.clear()
    run(tmp_path, corpus, "lead-1")
    assert len(set(extracted) & dataset_texts(corpus)) == 2 * N  # why: a new signature


def test_changed_code_analyses_again(tmp_path, corpus, extracted, monkeypatch):
    """A rule edited without a version bump changes the code fingerprint."""
    run(tmp_path, corpus, "lead-3")
    monkeypatch.setattr(analysis, "code_fingerprint", lambda: "edited")
    extracted.clear()
    run(tmp_path, corpus, "lead-1")
    assert len(set(extracted) & dataset_texts(corpus)) == 2 * N


def test_edited_example_is_analysed_again_alone(tmp_path, corpus, extracted):
    run(tmp_path, corpus, "lead-3")
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    rows[2]["article"] = rows[2]["article"] + "\nوصل الوفد إلى لندن."
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    extracted.clear()
    run(tmp_path, corpus, "lead-1")
    edited = load_examples(corpus).examples[2]
    assert set(extracted) & dataset_texts(corpus) == {edited.article, edited.summary}


def test_damaged_store_is_analysed_again(tmp_path, corpus, extracted):
    first = run(tmp_path, corpus, "lead-3")
    files = sorted((tmp_path / "results" / ".cache" / "analysis").rglob("*.sqlite"))
    assert [f.name.split("-")[0] for f in files] == ["entities", "rouge"]
    files[0].write_bytes(b"\x80\x05garbage")
    extracted.clear()
    again = run(tmp_path / "again", corpus, "lead-3",
                cache_dir=tmp_path / "results" / ".cache")
    assert len(set(extracted) & dataset_texts(corpus)) == 2 * N
    assert items(again) == items(first)


def without_reference_entities(store):
    """Rewrite every stored entity analysis as if the summaries named no entity: a run
    that reads the store then scores entity recall undefined for every item."""
    stored = store.load()
    store.save({key: {"entities": replace(values["entities"],
                                          references=((),) * len(values["entities"].references))}
                for key, values in stored.items()})
    return len(stored)


def test_scoring_workers_get_and_give_back_the_analysis(tmp_path, bbc_head, workers_at_work):
    """With 2 worker processes (spawned: the parent's counters do not reach them) the
    items equal one process's, the analysis the workers computed is stored, and a
    later run's workers score with the stored analysis sent along with their items."""
    corpus = bbc_head(40)
    two = run(tmp_path / "two", corpus, "lead-3", workers=2)
    assert two.run.record.timing.scoring_processes == 2
    store = analysis.AnalysisStore.for_dataset(
        tmp_path / "two" / "results" / ".cache", dataset_name="bbc40", dataset_path=str(corpus),
        signatures=Scorer(["rouge", "entities"]).analysis_signatures())
    stored = store.load()
    assert len(stored) == 40 and all(set(v) == {"rouge", "entities"} for v in stored.values())
    again = run(tmp_path / "two", corpus, "lead-1", workers=2)
    one = run(tmp_path / "one", corpus, "lead-1", workers=1, reuse_analysis=False)
    assert items(again) == items(one)

    assert without_reference_entities(store) == 40
    tampered = run(tmp_path / "two", corpus, "lead-1", workers=2)
    # why: the recall comes from the (rewritten) stored reference entities, in the
    # workers too; with the real analysis most items have a recall
    assert [item["entity_recall"] for item in items(tampered)] == [None] * 40
    assert sum(item["entity_recall"] is not None for item in items(one)) > 30


def test_the_store_is_read_and_written_a_batch_at_a_time(tmp_path, corpus, monkeypatch):
    """Memory stays flat in the number of items: a run never loads the whole store,
    reads the analyses of one batch at a time and stores its own as it goes."""
    reads, writes = [], []
    original_get, original_save = analysis.AnalysisStore.get, analysis.AnalysisStore.save

    def get(self, keys):
        keys = list(keys)
        reads.append(len(keys))
        return original_get(self, keys)

    def save(self, new):
        writes.append(len(new))
        return original_save(self, new)

    def load(self):
        raise AssertionError("a run loaded the whole store")

    monkeypatch.setattr(analysis.AnalysisStore, "get", get)
    monkeypatch.setattr(analysis.AnalysisStore, "save", save)
    monkeypatch.setattr(analysis.AnalysisStore, "load", load)
    monkeypatch.setattr("benchmark.runs.scoring_pool.FLUSH_ITEMS", 2)
    monkeypatch.setattr(Summarizer, "batch_size", 2)
    run(tmp_path, corpus, "lead-3")
    assert reads == [2, 2, 2]  # why: N=6 items in batches of 2
    assert writes == [2, 2, 2]  # why: stored every 2 analysed items
    reads.clear(), writes.clear()
    run(tmp_path, corpus, "lead-1")
    assert reads == [2, 2, 2] and writes == []  # why: all found, nothing new to store


def test_scorer_prepare_gives_the_same_values(corpus):
    """The Python API: one analysis of a reference, reused for two predictions."""
    scorer = Scorer(["rouge", "entities"])
    for example in load_examples(corpus).examples:
        ready = scorer.prepare(reference=example.summary, source=example.article)
        assert set(ready) == {"rouge", "entities"}
        for prediction in (example.article[:200], example.summary):
            plain = scorer.score_item(prediction=prediction, reference=example.summary,
                                      source=example.article)
            assert scorer.score_item(prediction=prediction, reference=example.summary,
                                     source=example.article, prepared=ready) == plain


def test_an_entity_analysis_pickles_to_an_equal_one(corpus):
    """Stored analyses pickle as rows of field values: what comes back is equal, entity
    by entity, field by field (value types and None included)."""
    import pickle

    from benchmark.metrics.entities import EntityAnalysis

    scorer = Scorer(["entities"])
    for example in load_examples(corpus).examples:
        ready = scorer.prepare(reference=[example.summary, example.article[:300]],
                               source=example.article)["entities"]
        back = pickle.loads(pickle.dumps(ready, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == ready and type(back) is EntityAnalysis
        assert [[type(e.value) for e in ref] for ref in back.references] == \
            [[type(e.value) for e in ref] for ref in ready.references]
    assert any(e.value is not None for e in back.article)  # why: numbers or dates occur
    no_article = EntityAnalysis(article=None, references=((),))
    assert pickle.loads(pickle.dumps(no_article)) == no_article


def test_an_entity_read_back_through_its_slots_is_the_one_its_init_makes():
    """`_entity_of_row` sets Entity's fields through its slots, skipping the frozen
    dataclass's ``__init__``: the same value, hash and frozenness, for every field."""
    import dataclasses

    import pytest

    from benchmark.entities.model import Entity
    from benchmark.metrics.entities import _ROW, _entity_of_row, _make_entity

    # why: a field added to Entity must be added to the rows (else it would be lost)
    assert _ROW == tuple(f.name for f in dataclasses.fields(Entity))
    assert _make_entity is _entity_of_row  # why: the read-back takes the fast path
    for row in [("LOC", "مصر", 130, 133, "مصر", None, None),
                ("MONEY", "5 دولارات", 0, 9, "5 دولارات", 5.0, "USD"),
                ("DATE", "2018", 3, 7, "2018", "2018", None)]:
        made, plain = _entity_of_row(row), Entity(*row)
        assert type(made) is Entity and made == plain and hash(made) == hash(plain)
        assert [getattr(made, name) for name in _ROW] == list(row)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.text = "x"


PREPARING = ["rouge", "entities", "extractive", "length", "bullets"]


def test_every_analysis_gives_the_values_scoring_from_scratch_gives(corpus):
    """For each metric that prepares: its analysis, used as is and after a pickle round
    trip (what the store keeps), gives exactly `score_item`'s values, with one reference
    and with two."""
    import pickle

    scorer = Scorer(["all"])
    assert [m.name for m in scorer.metrics if m.prepares] == \
        [name for name in [m.name for m in scorer.metrics] if name in PREPARING]
    for example in load_examples(corpus).examples:
        for reference in (example.summary, [[example.summary], [example.article[:300]]]):
            ready = scorer.prepare(reference=reference, source=example.article)
            assert set(ready) == set(PREPARING)
            stored = pickle.loads(pickle.dumps(ready, protocol=pickle.HIGHEST_PROTOCOL))
            for prediction in (example.article[:400], example.summary, ""):
                plain = scorer.score_item(prediction=prediction, reference=reference,
                                          source=example.article)
                for analyses in (ready, stored):
                    assert scorer.score_item(prediction=prediction, reference=reference,
                                             source=example.article,
                                             prepared=analyses) == plain


def test_a_second_model_tokenizes_only_its_predictions(tmp_path, corpus, monkeypatch):
    """`--metrics all`: the first run analyses the articles and summaries and stores
    every metric's analysis (chrF's aside, which tokenizes nothing); a second model's
    run tokenizes nothing but its predictions (and their sentences), and its items
    equal those of a run without the store."""
    from benchmark.metrics import base
    from benchmark.text.profile import TextProfile

    base.article_tokens.cache_clear()  # texts other tests tokenized in this process
    base._remembered_sentence_tokens.cache_clear()
    tokenized = []
    original = TextProfile.tokenize

    def counting(self, text):
        tokenized.append(text)
        return original(self, text)

    monkeypatch.setattr(TextProfile, "tokenize", counting)
    options = dict(dataset=corpus, output_dir=tmp_path / "results", metrics=["all"])
    run_benchmark(RunConfig(model="lead-3", **options))
    texts = dataset_texts(corpus)
    assert texts <= set(tokenized)  # why: the first run analyses them
    tokenized.clear()
    second = run_benchmark(RunConfig(model="lead-1", **options))
    predictions = [item["prediction"] for item in items(second)]
    assert tokenized and not set(tokenized) & texts
    assert all(any(text in prediction for prediction in predictions) for text in tokenized)
    fresh = run_benchmark(RunConfig(model="lead-1", reuse_analysis=False,
                                    **{**options, "output_dir": tmp_path / "fresh"}))
    assert items(fresh) == items(second)  # why: the stored analyses change no number


@pytest.mark.parametrize("first, second", [
    (("مقال", "ملخص"), ("مقال", "ملخص ")),  # why: one more character in a text
    (("ab", "c"), ("a", "bc")),  # why: the same characters split otherwise
    (("a\0", "b"), ("a", "\0b")),  # why: a NUL is no separator
    ((None, "x"), ("", "y")),  # why: no article is the empty one, the reference differs
])
def test_item_keys_differ_when_the_texts_do(first, second):
    from benchmark.runs.analysis import item_key

    one = item_key("7", article=first[0], reference=first[1])
    assert one == item_key("7", article=first[0], reference=first[1])  # why: stable
    assert one != item_key("7", article=second[0], reference=second[1])
    assert one.startswith("7:") and len(one) == len("7:") + 16


def test_a_relative_store_path_is_read_where_the_working_folder_now_is(tmp_path, monkeypatch):
    """A store's read-only URI is resolved once per absolute path: the same relative
    path written and read from two working folders reads each folder's own file."""
    for name, value in (("one", 1), ("two", 2)):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        store = analysis.AnalysisStore(files=(("m", analysis.Path("store/m.sqlite")),))
        store.save({"k": {"m": value}})
        assert store.get(["k"]) == {"k": {"m": value}}


def _opened(monkeypatch) -> list[str]:
    """Records every SQLite connection the store opens to read."""
    opened: list[str] = []
    connect = analysis.sqlite3.connect

    def spy(target, *args, **kwargs):
        if kwargs.get("uri"):
            opened.append(target)
        return connect(target, *args, **kwargs)

    monkeypatch.setattr(analysis.sqlite3, "connect", spy)
    return opened


def test_batches_read_through_one_connection_that_sees_later_writes(tmp_path, monkeypatch):
    """A file is opened once for reading, not once a batch; rows written since (by the
    store's own writing connection) are read through it all the same."""
    opened = _opened(monkeypatch)
    store = analysis.AnalysisStore(files=(("m", tmp_path / "m.sqlite"),))
    store.save({"a": {"m": 1}})
    assert store.get(["a", "b"]) == {"a": {"m": 1}}
    store.save({"b": {"m": 2}, "a": {"m": 3}})
    assert store.get(["a", "b"]) == {"a": {"m": 3}, "b": {"m": 2}}
    assert store.load() == {"a": {"m": 3}, "b": {"m": 2}}
    assert len(opened) == 1


def test_a_replaced_store_file_is_opened_again(tmp_path, monkeypatch):
    """Another run replacing the file (as a damaged one is replaced): the kept
    connection still holds the old file, so the path is opened again."""
    opened = _opened(monkeypatch)
    path = tmp_path / "m.sqlite"
    store = analysis.AnalysisStore(files=(("m", path),))
    store.save({"a": {"m": 1}})
    assert store.get(["a"]) == {"a": {"m": 1}}
    path.unlink()
    analysis.AnalysisStore(files=(("m", path),)).save({"a": {"m": 2}})
    assert store.get(["a"]) == {"a": {"m": 2}}
    path.unlink()
    assert store.get(["a"]) == {}
    assert len(opened) == 2


def test_a_damaged_store_read_through_a_kept_connection_is_analysed_again(tmp_path):
    """The file overwritten in place with something that is not a database: the kept
    connection reads nothing (the items are analysed again) and is let go."""
    path = tmp_path / "m.sqlite"
    store = analysis.AnalysisStore(files=(("m", path),))
    store.save({"a": {"m": 1}})
    assert store.get(["a"]) == {"a": {"m": 1}}
    with path.open("r+b") as handle:
        handle.write(b"not a database" * 1000)
    assert store.get(["a"]) == {}
    store.save({"a": {"m": 2}})  # replaced, as `_write` does with a damaged file
    assert store.get(["a"]) == {"a": {"m": 2}}


def test_each_thread_reads_through_its_own_connection(tmp_path):
    """SQLite connections belong to the thread that opened them: a store read from
    another thread opens its own."""
    import threading

    store = analysis.AnalysisStore(files=(("m", tmp_path / "m.sqlite"),))
    store.save({"a": {"m": 1}})
    assert store.get(["a"]) == {"a": {"m": 1}}
    seen = []
    thread = threading.Thread(target=lambda: seen.append(store.get(["a"])))
    thread.start()
    thread.join()
    assert seen == [{"a": {"m": 1}}]


def test_readers_beyond_those_kept_are_let_go_from_any_thread(tmp_path):
    """More files than connections kept, read from two threads in turn: each read finds
    its rows (the least recently used connection, of either thread, is let go)."""
    import threading

    stores = [analysis.AnalysisStore(files=(("m", tmp_path / f"{i}.sqlite"),))
              for i in range(analysis._READERS_KEPT + 4)]
    for i, store in enumerate(stores):
        store.save({"a": {"m": i}})
    seen = []

    def read_all():
        seen.append([store.get(["a"]) for store in stores])

    for _ in range(2):
        read_all()
        thread = threading.Thread(target=read_all)
        thread.start()
        thread.join()
    assert seen == [[{"a": {"m": i}} for i in range(len(stores))]] * 4
    assert len(analysis._READERS) <= analysis._READERS_KEPT
