"""Extractive baselines, the oracle and name resolution."""

import pytest

from benchmark.data.example import Example
from benchmark.errors import ConfigError, UnknownNameError
from benchmark.metrics.rouge import score_texts
from benchmark.registry import Registry
from benchmark.summarizers.presets import load_presets
from benchmark.summarizers.registry import create_summarizer
from benchmark.text import TextProfile

ARTICLE = ("أعلنت الحكومة خطة جديدة. وقال الوزير إن الخطة تبدأ غدا. وأضاف أنها تشمل المدارس.\n"
           "وفي فقرة ثانية رحب السكان بالخطة. ولم يعلق أحد آخر.\n"
           "الفقرة الثالثة قصيرة.\n"
           "فقرة رابعة لا تدخل.")
EXAMPLE = Example(id="x1", article=ARTICLE, bullets=("الوزير يعلن أن الخطة تبدأ غدا",))


def summarize(name, example=EXAMPLE, **options):
    return create_summarizer(name, options, seed=options.pop("seed", 0)).summarize([example])[0].text


def test_lead_sentences():
    assert summarize("lead-1") == "أعلنت الحكومة خطة جديدة."
    assert summarize("lead-3").splitlines() == [
        "أعلنت الحكومة خطة جديدة.", "وقال الوزير إن الخطة تبدأ غدا.", "وأضاف أنها تشمل المدارس."]
    assert summarize("lead-3", sentences=2).count("\n") == 1


def test_lead_bullets_takes_first_sentence_of_each_paragraph():
    assert summarize("lead-bullets").splitlines() == [
        "أعلنت الحكومة خطة جديدة.", "وفي فقرة ثانية رحب السكان بالخطة.", "الفقرة الثالثة قصيرة."]


def test_random_is_seeded_per_example_and_keeps_article_order():
    sentences = ["أعلنت الحكومة خطة جديدة.", "وقال الوزير إن الخطة تبدأ غدا.",
                 "وأضاف أنها تشمل المدارس.", "وفي فقرة ثانية رحب السكان بالخطة.",
                 "ولم يعلق أحد آخر.", "الفقرة الثالثة قصيرة.", "فقرة رابعة لا تدخل."]
    picks = {seed: summarize("random-3", seed=seed) for seed in range(6)}
    assert len(set(picks.values())) > 1  # the seed matters
    for text in picks.values():
        chosen = text.splitlines()
        assert len(chosen) == 3 and chosen == sorted(chosen, key=sentences.index)
    other = Example(id="other", article="جملة.", bullets=("س",))
    model = create_summarizer("random-3", seed=4)
    alone = model.summarize([EXAMPLE])[0].text
    batched = model.summarize([other, EXAMPLE])[1].text
    assert alone == batched == picks[4]  # independent of batch composition


def test_oracle_picks_the_sentence_that_matches_the_reference():
    assert summarize("oracle") == "وقال الوزير إن الخطة تبدأ غدا."


def test_oracle_beats_lead_on_rouge2():
    profile = TextProfile()
    oracle = score_texts(reference=EXAMPLE.summary, prediction=summarize("oracle"), profile=profile)
    lead = score_texts(reference=EXAMPLE.summary, prediction=summarize("lead-1"), profile=profile)
    assert oracle["rouge2"].fmeasure > lead["rouge2"].fmeasure


def test_oracle_is_labelled_upper_bound():
    assert "upper bound" in create_summarizer("oracle").describe()["label"]


def test_unknown_names_and_options():
    with pytest.raises(UnknownNameError, match="did you mean lead-bullets"):
        create_summarizer("lead-bulets")
    with pytest.raises(ConfigError, match="unknown option 'k'"):
        create_summarizer("lead-3", {"k": 1})
    with pytest.raises(ConfigError, match="greater than or equal to 1"):
        create_summarizer("lead-3", {"sentences": 0})
    with pytest.raises(ConfigError, match="cannot import 'no_such_module'"):
        create_summarizer("py:no_such_module:X")
    with pytest.raises(ConfigError, match="does not resolve to a Summarizer"):
        create_summarizer("py:benchmark.text:normalize_arabic")


def test_registry_rejects_duplicates():
    registry = Registry("thing")
    registry.register("a", object())
    with pytest.raises(ConfigError, match="registered twice"):
        registry.register("a", object(), source="plugin x")


def test_presets_file_errors(tmp_path):
    bad = tmp_path / "models.yaml"
    bad.write_text("models:\n  mine: {options: {}}\n")
    with pytest.raises(ConfigError, match="preset 'mine': model: Field required"):
        load_presets(bad)
    bad.write_text("models: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_presets(bad)


def test_preset_resolves_to_its_model_with_options(tmp_path, monkeypatch):
    (tmp_path / "models.yaml").write_text(
        "models:\n  lead-2:\n    model: lead-3\n    options: {sentences: 2}\n", encoding="utf-8")
    summarizer = create_summarizer("lead-2", config_dir=tmp_path)
    assert summarizer.preset == "lead-2" and summarizer.options.sentences == 2
    assert summarizer.summarize([EXAMPLE])[0].text.count("\n") == 1
