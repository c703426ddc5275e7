"""The LLM judge metric against a real OpenAI-compatible server on 127.0.0.1 playing the
judge: scores, the strict reading and the retries of bad answers, the cache, G-Eval
weighting, usage. (Forged verdicts and other attacks: tests/test_judge_adversarial.py.)"""

from __future__ import annotations

import json
import math
import re

import pytest

from benchmark import Scorer
from benchmark.errors import ConfigError
from benchmark.llm.answers import parse_json_answer
from benchmark.llm.prompts import render
from benchmark.llm.retry import Retryable
from benchmark.metrics.judging import SCORES
from fake_openai import FakeOpenAIServer, tagged

ARTICLE = "أعلنت وزارة الصحة في الأردن عن 12 إصابة جديدة بالحصبة في عمان يوم الأحد."
GOOD = "أعلنت وزارة الصحة عن 12 إصابة جديدة بالحصبة."
INVENTED = "أعلنت وزارة الصحة في مصر عن 40 وفاة."
REFERENCE = "الأردن يسجل 12 إصابة جديدة بالحصبة"
FAST = {"backoff": 0.0, "max_retries": 2, "api_key_env": "none"}


def candidate(user_message: str) -> str:
    return tagged(user_message, "candidate")


def rubric_reply(user_message: str) -> str:
    """Faithfulness 5 when the candidate's words all occur in the article, else 1."""
    words = candidate(user_message).rstrip(".").split()
    faithful = all(word in ARTICLE for word in words)
    return json.dumps({"faithfulness": 5 if faithful else 1, "coverage": 4, "fluency": 5,
                       "conciseness": 3, "justification": "سبب قصير"}, ensure_ascii=False)


@pytest.fixture
def judge_server():
    with FakeOpenAIServer(reply=rubric_reply) as server:
        yield server


def scorer(server, tmp_path=None, **options):
    judge_options = {**FAST, "base_url": server.url, **options}
    extra = {"judge_cache_dir": str(tmp_path)} if tmp_path is not None else {}
    return Scorer(["judge"], judge="openai:fake-judge", judge_options=judge_options, **extra)


def answer(**values) -> str:
    scores = {"faithfulness": 4, "coverage": 4, "fluency": 5, "conciseness": 3,
              "justification": "سبب"}
    return json.dumps({**scores, **values}, ensure_ascii=False)


@pytest.mark.parametrize("value, accepted, why", [
    (4, True, "an integer in range"),
    (1, True, "the lowest score"),
    (4.0, False, "a float is not an integer score, even without a fraction"),
    ("5", False, "a number as text is a string"),
    ("٣", False, "an Arabic-Indic digit is a string"),
    ("4/5", False, "the score written out of five is a string"),
    (4.5, False, "a fraction is not a rubric score"),
    (0, False, "below the range"),
    (6, False, "above the range"),
    (True, False, "a boolean is not a score"),
    (None, False, "null"),
])
def test_scores_are_read_strictly(value, accepted, why):
    content = answer(faithfulness=value)
    if accepted:
        assert parse_json_answer(content, SCORES.checks)["faithfulness"] == value, why
    else:
        with pytest.raises(Retryable, match="no score 1-5 for 'faithfulness'"):
            parse_json_answer(content, SCORES.checks)


@pytest.mark.parametrize("content, why", [
    (answer(), "a bare object"),
    ("```json\n" + answer() + "\n```", "one object alone in a markdown fence"),
    ("<think>\nلدي " + answer(faithfulness=1) + " ثم أقرر.\n</think>\n" + answer(),
     "a leading reasoning block is discarded, whatever it quotes"),
])
def test_exactly_one_object_is_accepted(content, why):
    assert parse_json_answer(content, SCORES.checks)["faithfulness"] == 4, why


@pytest.mark.parametrize("content, message, why", [
    ("", "returned an empty answer", "nothing at all"),
    ("لا أستطيع تقييم هذا الملخص.", "refused", "a refusal"),
    ("score: 4", "is not exactly one JSON object", "no object"),
    ("Here it is:\n```json\n" + answer() + "\n```", "is not exactly one JSON object",
     "prose around the object: nothing is picked out of it"),
    (answer(faithfulness=5) + "\n" + answer(), "is not exactly one JSON object",
     "two objects: which one is the verdict is not for the parser to guess"),
    ('{"faithfulness": 5, "faithfulness": 1, "coverage": 4, "fluency": 5, '
     '"conciseness": 3, "justification": "x"}', "repeats the key 'faithfulness'",
     "a key given twice"),
    (answer(verdict="forged"), "unexpected keys ['verdict']", "a key the rubric lacks"),
    (answer(justification=3), "no justification text", "the justification not a string"),
    ("[" + answer() + "]", "is not a JSON object", "an array holding the object"),
])
def test_anything_else_is_malformed_and_retried(content, message, why):
    with pytest.raises(Retryable, match=re.escape(message)):
        parse_json_answer(content, SCORES.checks, who="the judge")


def test_placeholders_are_filled_in_one_pass():
    text = render("A={article} S={summary}", {"article": "x {summary} y", "summary": "z"})
    assert text == "A=x {summary} y S=z", "a placeholder inside an article stays literal"


def test_scores_per_item_and_their_mean(judge_server, tmp_path):
    report = scorer(judge_server).score(predictions=[GOOD, INVENTED],
                                        references=[REFERENCE, REFERENCE],
                                        sources=[ARTICLE, ARTICLE])
    good, invented = report.items
    assert (good["judge_faithfulness"], invented["judge_faithfulness"]) == (5.0, 1.0)
    assert good["judge_overall"] == (5 + 4 + 5 + 3) / 4
    assert invented["judge_overall"] == (1 + 4 + 5 + 3) / 4
    assert good["judge_justification"] == "سبب قصير"
    assert report.summary["judge_faithfulness"] == 3.0
    assert len(judge_server.requests) == 2
    sent = judge_server.requests[0]["messages"][-1]["content"]
    assert ARTICLE in sent and REFERENCE in sent


def test_signature_names_model_prompt_and_sampling(judge_server):
    signature = scorer(judge_server).signature
    assert re.search(r"judge:v1\|model:fake-judge\|url:http://127\.0\.0\.1:\d+/v1\|"
                     r"prompt:judge-ar@[0-9a-f]{8}\|temp:0\|top_p:None\|max_tokens:512", signature)


def test_a_malformed_answer_is_retried_then_accepted(tmp_path):
    answers = iter(["```json\n{\"faithfulness\": 5, \"coverage\": ", rubric_reply])

    def reply(message):
        answer = next(answers, rubric_reply)
        return answer(message) if callable(answer) else answer

    with FakeOpenAIServer(reply=reply) as server:
        item = scorer(server).score(predictions=[GOOD], references=[REFERENCE],
                                    sources=[ARTICLE]).items[0]
        assert item["judge_faithfulness"] == 5.0 and "judge_error" not in item
        assert len(server.requests) == 2


@pytest.mark.parametrize("answer, error", [
    ("عذراً، لا يمكنني المساعدة في ذلك.", "the judge refused"),
    ('{"faithfulness": 7, "coverage": 4, "fluency": 5, "conciseness": 3}',
     "no score 1-5 for 'faithfulness'"),
    ('{"coverage": 4, "fluency": 5, "conciseness": 3}', "no score 1-5 for 'faithfulness'"),
])
def test_persistent_bad_answers_fail_the_item_not_the_run(answer, error):
    with FakeOpenAIServer(reply=lambda message: answer) as server:
        report = scorer(server).score(predictions=[GOOD], references=[REFERENCE],
                                      sources=[ARTICLE])
        item = report.items[0]
        assert item["judge_overall"] is None and error in item["judge_error"]
        assert "(after 3 attempts)" in item["judge_error"]
        assert len(server.requests) == 3, "max_retries=2: three attempts"
        assert math.isnan(report.summary["judge_overall"])


def test_cached_answers_are_never_asked_again(judge_server, tmp_path):
    first = scorer(judge_server, tmp_path).score(predictions=[GOOD, INVENTED],
                                                 references=[REFERENCE] * 2,
                                                 sources=[ARTICLE] * 2)
    again = scorer(judge_server, tmp_path).score(predictions=[GOOD, INVENTED, GOOD + " جديد"],
                                                 references=[REFERENCE] * 3,
                                                 sources=[ARTICLE] * 3)
    assert again.items[:2] == first.items
    assert len(judge_server.requests) == 3, "only the new summary went to the judge"


def test_concurrent_requests_are_bounded(judge_server):
    judge_server.latency = 0.05
    scorer(judge_server, concurrency=3).score(predictions=[f"{GOOD} {n}" for n in range(12)],
                                              references=[REFERENCE] * 12,
                                              sources=[ARTICLE] * 12)
    assert 1 < judge_server.max_in_flight <= 3


def test_geval_weights_the_score_digits_by_probability(tmp_path):
    """The server gives every score digit the same alternatives: 4 (p=0.6), 5 (p=0.3) and
    a non-digit (p=0.1, ignored): weighted = (0.6*4 + 0.3*5) / 0.9."""
    def alternatives(token):
        return [("4", math.log(0.6)), ("5", math.log(0.3)), ("x", math.log(0.1))]

    with FakeOpenAIServer(reply=rubric_reply, logprobs=alternatives) as server:
        item = scorer(server, logprobs=True).score(predictions=[GOOD], references=[REFERENCE],
                                                   sources=[ARTICLE]).items[0]
        expected = (0.6 * 4 + 0.3 * 5) / 0.9
        for criterion in ("faithfulness", "coverage", "fluency", "conciseness"):
            assert item[f"judge_{criterion}_weighted"] == pytest.approx(expected)
        assert item["judge_overall_weighted"] == pytest.approx(expected)
        assert item["judge_faithfulness"] == 5.0, "the sampled answer is kept as well"
        assert server.requests[0]["top_logprobs"] == 5


def test_usage_and_cost_are_summed(judge_server):
    metric = scorer(judge_server, price_input_per_mtok=2.0, price_output_per_mtok=10.0).metrics[0]
    metric.score_batch([_item(GOOD), _item(INVENTED)], ids=["a", "b"])
    cost = metric.cost()
    sent = sum(len(m["content"].split()) for r in judge_server.requests for m in r["messages"])
    answered = 2 * len(rubric_reply("<candidate-00000000>\nx\n</candidate-00000000>").split())
    assert (cost["prompt_tokens"], cost["completion_tokens"]) == (sent, answered)
    assert cost["cost_estimate"] == pytest.approx((sent * 2.0 + answered * 10.0) / 1e6)


def test_the_key_is_read_from_the_named_variable_and_never_stored(tmp_path, monkeypatch):
    monkeypatch.setenv("JUDGE_KEY", "sk-judge-secret")
    with FakeOpenAIServer(reply=rubric_reply, api_key="sk-judge-secret") as server:
        Scorer(["judge"], judge="openai:fake-judge", judge_cache_dir=str(tmp_path),
               judge_options={**FAST, "base_url": server.url, "api_key_env": "JUDGE_KEY"}
               ).score(predictions=[GOOD], references=[REFERENCE], sources=[ARTICLE])
        assert server.statuses[200] == 1
    stored = "".join(path.read_text() for path in tmp_path.rglob("*") if path.is_file())
    assert stored and "sk-judge-secret" not in stored


@pytest.mark.parametrize("kwargs, message", [
    ({}, "metric 'judge' needs a judge model"),
    ({"judge": "lead-3"}, "give openai:<served model name> or a preset"),
    ({"judge": "openai:x", "judge_options": {"temprature": 0}}, "unknown option 'temprature'"),
])
def test_configuration_mistakes_are_one_line_errors(kwargs, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        Scorer(["judge"], **kwargs)


def test_the_client_needs_sources():
    with pytest.raises(ConfigError, match="need sources="):
        Scorer(["judge"], judge="openai:x", judge_options=FAST).score(
            predictions=[GOOD], references=[REFERENCE])


def _item(prediction):
    from benchmark.metrics.base import ItemInput

    return ItemInput(prediction=prediction, references=[REFERENCE], source=ARTICLE)


assert tuple(SCORES.checks) == ("faithfulness", "coverage", "fluency", "conciseness",
                                "justification")
