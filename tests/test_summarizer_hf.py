"""The ``hf:`` backend on tiny random-weight models built by tests/tiny_hf.py (conftest).

A 1+1-layer BART stands for mT5/AraBART/AraT5 (seq2seq) and a 1-layer Llama with a chat
template for Jais/ALLaM/Qwen (causal). Their output is noise, but it is deterministic
noise, which is what batching, truncation and seeding are checked against.
"""

from __future__ import annotations

import re

import pytest

from benchmark.data.example import Example
from benchmark.errors import ConfigError
from benchmark.summarizers.hf import HFSummarizer
from benchmark.llm.prompts import load_prompt
from benchmark.summarizers.registry import create_summarizer

pytest.importorskip("torch")
pytest.importorskip("transformers")

SHORT = "أعلنت الحكومة خطة جديدة."
MEDIUM = "قال وزير الخارجية إن المفاوضات ستستأنف الأسبوع المقبل في الدوحة."
LONG_HEAD = "فاز المنتخب المغربي على نظيره التونسي بهدفين مقابل هدف في الدار البيضاء. " * 8


def examples(*articles: str) -> list[Example]:
    return [Example(id=f"e{i}", article=a, bullets=("-",)) for i, a in enumerate(articles)]


def make(path, **options) -> HFSummarizer:
    options.setdefault("max_new_tokens", 8)
    return HFSummarizer(f"hf:{path}", options, seed=0)


@pytest.mark.parametrize("model", ["seq2seq_path", "causal_path"])
def test_batched_greedy_equals_one_by_one(model, request):
    # Padding (right for seq2seq, left for causal) is masked out, so a batch of 3 must
    # give exactly the texts that three batches of 1 give.
    path = request.getfixturevalue(model)
    batch = examples(SHORT, LONG_HEAD, MEDIUM)
    batched = make(path, batch_size=3).summarize(batch)
    single = make(path, batch_size=1).summarize(batch)
    assert [p.raw or p.text for p in batched] == [p.raw or p.text for p in single]
    assert all(p.text for p in batched)  # random weights still emit tokens (init_std 0.5)


def test_model_kind_comes_from_the_config(seq2seq_path, causal_path):
    bart, llama = make(seq2seq_path), make(causal_path)
    bart.load()
    llama.load()
    assert (bart.kind, llama.kind) == ("seq2seq", "causal")
    # Default limits: BART's 64 positions; the Llama's 256 less 8 new tokens.
    assert (bart.input_limit, llama.input_limit) == (64, 248)


def test_truncation_is_flagged_and_drops_the_tail(seq2seq_path):
    # LONG_HEAD alone is over 64 tokens, so two articles that differ only after it are
    # cut to the same 64 tokens and must get the same summary; SHORT fits and is not cut.
    summarizer = make(seq2seq_path)
    preds = summarizer.summarize(examples(LONG_HEAD + "ثم انتهت المباراة.",
                                          LONG_HEAD + "وغادر الجمهور الملعب.", SHORT))
    assert [p.truncated for p in preds] == [True, True, False]
    assert preds[0].text == preds[1].text


def test_max_input_tokens_option_lowers_the_limit(seq2seq_path):
    summarizer = make(seq2seq_path, max_input_tokens=10)
    length = len(build_len_tokenizer(seq2seq_path)(MEDIUM)["input_ids"])
    assert length > 10  # the premise: MEDIUM needs more than 10 tokens
    preds = summarizer.summarize(examples(MEDIUM, "خطة"))
    assert [p.truncated for p in preds] == [True, False]


def test_truncation_boundary_is_exact(seq2seq_path, causal_path):
    # The encoder input of MEDIUM is n tokens, special ones included (what the model
    # sees): a limit of n must not cut it, a limit of n - 1 must.
    n = len(build_len_tokenizer(seq2seq_path)(MEDIUM)["input_ids"])
    assert [make(seq2seq_path, max_input_tokens=limit).summarize(examples(MEDIUM))[0]
            .truncated for limit in (n, n - 1)] == [False, True]
    # The same for a causal model, counting the whole rendered chat prompt.
    prompt = make(causal_path).render_prompt(MEDIUM)
    m = len(build_len_tokenizer(causal_path)(prompt, add_special_tokens=False)["input_ids"])
    assert make(causal_path, max_input_tokens=m).fit_prompt(MEDIUM) == (prompt, False)
    cut, truncated = make(causal_path, max_input_tokens=m - 1).fit_prompt(MEDIUM)
    assert truncated and cut != prompt


def build_len_tokenizer(path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path)


def test_chat_template_wraps_the_instruction(causal_path):
    summarizer = make(causal_path)
    template = load_prompt("bullets-ar")
    prompt = summarizer.render_prompt(MEDIUM)
    # The tiny template: <|system|>...</s><|user|>...</s><|assistant|>
    assert prompt.startswith("<|system|>" + template.system + "</s><|user|>")
    assert template.user.splitlines()[0] in prompt  # the Arabic instruction
    assert MEDIUM in prompt
    assert prompt.endswith("</s><|assistant|>")


def test_causal_truncation_keeps_the_prompt_within_the_limit(causal_path):
    tokenizer = build_len_tokenizer(causal_path)

    def length(text):
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    # A limit 10 tokens above what the SHORT article's prompt needs: SHORT fits, the
    # long article must be cut to ~10 tokens of article.
    limit = length(make(causal_path).render_prompt(SHORT)) + 10
    summarizer = make(causal_path, max_input_tokens=limit)
    prompt, cut = summarizer.fit_prompt(LONG_HEAD * 2)
    assert cut
    assert limit - 10 < length(prompt) <= limit
    assert prompt.endswith("</s><|assistant|>")  # the template survives, the article shrinks
    assert summarizer.fit_prompt(SHORT) == (summarizer.render_prompt(SHORT), False)
    assert [p.truncated for p in summarizer.summarize(examples(LONG_HEAD * 2, SHORT))] \
        == [True, False]


def test_sampling_is_deterministic_per_seed_and_leaves_global_rng_alone(causal_path):
    import torch

    batch = examples(SHORT, MEDIUM, LONG_HEAD)
    options = {"do_sample": True, "temperature": 1.5, "max_new_tokens": 12}
    state = torch.get_rng_state()
    first = [p.raw or p.text for p in HFSummarizer(f"hf:{causal_path}", options,
                                                   seed=1).summarize(batch)]
    again = [p.raw or p.text for p in HFSummarizer(f"hf:{causal_path}", options,
                                                   seed=1).summarize(batch)]
    other = [p.raw or p.text for p in HFSummarizer(f"hf:{causal_path}", options,
                                                   seed=2).summarize(batch)]
    assert first == again
    assert first != other  # 36 tokens sampled at temperature 1.5 from ~600
    assert torch.equal(torch.get_rng_state(), state)  # sampled inside a forked RNG


def test_unknown_and_bad_options_fail_clearly(seq2seq_path):
    with pytest.raises(ConfigError, match=r"unknown option 'beams'.*num_beams"):
        HFSummarizer(f"hf:{seq2seq_path}", {"beams": 4})
    with pytest.raises(ConfigError, match=r"option 'device'"):
        HFSummarizer(f"hf:{seq2seq_path}", {"device": "tpu"})
    with pytest.raises(ConfigError, match=r"option 'num_beams'"):
        HFSummarizer(f"hf:{seq2seq_path}", {"num_beams": "0"})
    # The CLI passes strings: pydantic coerces them to the declared types.
    summarizer = HFSummarizer(f"hf:{seq2seq_path}", {"batch_size": "4", "do_sample": "false"})
    assert (summarizer.batch_size, summarizer.options.do_sample) == (4, False)


def test_construction_is_lazy_and_checks_local_paths(tmp_path, seq2seq_path):
    summarizer = create_summarizer(f"hf:{seq2seq_path}", {"num_beams": 2})
    assert isinstance(summarizer, HFSummarizer) and summarizer.model is None
    with pytest.raises(ConfigError, match="no model folder"):
        HFSummarizer(f"hf:{tmp_path / 'missing'}", {})


def test_signature_ignores_speed_settings_but_not_generation(seq2seq_path):
    base = make(seq2seq_path).signature()
    assert make(seq2seq_path, batch_size=32, device="cpu").signature() == base
    assert make(seq2seq_path, num_beams=4).signature() != base
    assert HFSummarizer(f"hf:{seq2seq_path}", {"max_new_tokens": 8}, seed=3).signature() != base


@pytest.mark.skipif("__import__('torch').cuda.is_available()")
def test_unavailable_device_is_a_config_error(seq2seq_path):
    with pytest.raises(ConfigError, match="device 'cuda' is not available"):
        make(seq2seq_path, device="cuda").summarize(examples(SHORT))


def spy_on_generate(summarizer) -> list[tuple[dict, object]]:
    """Record the keyword arguments and output of each real ``model.generate`` call."""
    summarizer.load()
    calls, real = [], summarizer.model.generate

    def spy(**kwargs):
        output = real(**kwargs)
        calls.append((kwargs, output))
        return output

    summarizer.model.generate = spy
    return calls


def repeated_tokens(output) -> list[int]:
    """Per row: generated ids (special ones 0-2 left out) minus distinct ones."""
    rows = [[t for t in row if t not in (0, 1, 2)] for row in output.tolist()]
    return [len(row) - len(set(row)) for row in rows]


def test_generation_options_reach_generate_through_summarize(seq2seq_path):
    greedy = make(seq2seq_path, max_new_tokens=10)
    greedy_calls = spy_on_generate(greedy)
    greedy.summarize(examples(SHORT, MEDIUM))
    # The premise: greedy decoding of these random weights repeats tokens.
    assert all(n > 0 for n in repeated_tokens(greedy_calls[0][1]))
    tuned = make(seq2seq_path, num_beams=2, no_repeat_ngram_size=1, max_new_tokens=10,
                 length_penalty=0.5)
    calls = spy_on_generate(tuned)
    tuned.summarize(examples(SHORT, MEDIUM))
    [(kwargs, output)] = calls  # one generate call: both articles fit in batch_size 8
    assert {key: kwargs[key] for key in ("num_beams", "no_repeat_ngram_size",
                                         "max_new_tokens", "length_penalty", "do_sample")} \
        == {"num_beams": 2, "no_repeat_ngram_size": 1, "max_new_tokens": 10,
            "length_penalty": 0.5, "do_sample": False}
    assert repeated_tokens(output) == [0, 0]  # no_repeat_ngram_size=1: no token twice
    assert "temperature" not in kwargs and "top_k" not in kwargs  # unset: not sent


def test_options_override_the_checkpoints_generation_config(seq2seq_path, tmp_path):
    import shutil

    from transformers import GenerationConfig

    # A checkpoint whose generation_config.json forbids repeats (as many summarization
    # checkpoints ship no_repeat_ngram_size=3): our default no_repeat_ngram_size=0 must
    # win, so the output equals that of the plain checkpoint, repeats included.
    folder = shutil.copytree(seq2seq_path, tmp_path / "with-generation-config")
    config = GenerationConfig.from_pretrained(folder)
    config.no_repeat_ngram_size = 1
    config.save_pretrained(folder)
    batch = examples(SHORT, MEDIUM)
    plain = make(seq2seq_path, max_new_tokens=10).summarize(batch)
    configured = make(folder, max_new_tokens=10).summarize(batch)
    assert [p.raw or p.text for p in configured] == [p.raw or p.text for p in plain]


@pytest.mark.parametrize(("options", "message"), [
    ({"temperature": 0.7}, "option 'temperature' has no effect without sampling; "
                           "add -o do_sample=true"),
    ({"top_p": 0.9}, "option 'top_p' has no effect without sampling"),
    ({"top_k": 50}, "option 'top_k' has no effect without sampling"),
    ({"length_penalty": 2.0}, "option 'length_penalty' has no effect without beam search; "
                              "add -o num_beams=N"),
    ({"early_stopping": True, "num_beams": 1}, "option 'early_stopping' has no effect"),
], ids=["temperature", "top_p", "top_k", "length_penalty", "early_stopping"])
def test_options_generate_would_ignore_are_errors(seq2seq_path, options, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        HFSummarizer(f"hf:{seq2seq_path}", options)


def test_sampling_and_beam_options_are_accepted_with_their_mode(seq2seq_path):
    sampler = make(seq2seq_path, do_sample=True, temperature=0.7, top_p=0.9, top_k=5)
    beams = make(seq2seq_path, num_beams=3, length_penalty=2.0, early_stopping=True)
    assert {k: sampler.generation_kwargs()[k] for k in ("temperature", "top_p", "top_k")} \
        == {"temperature": 0.7, "top_p": 0.9, "top_k": 5}
    assert (beams.generation_kwargs()["length_penalty"],
            beams.generation_kwargs()["early_stopping"]) == (2.0, True)


def test_bench_run_counts_truncated_articles_in_run_json(seq2seq_path, tmp_path):
    import json

    from typer.testing import CliRunner

    from benchmark.cli.app import app

    dataset = tmp_path / "d.jsonl"
    rows = [("long", LONG_HEAD), ("short", SHORT), ("medium", MEDIUM)]
    dataset.write_text("".join(json.dumps({"id": i, "article": a, "summary": "ملخص"},
                                          ensure_ascii=False) + "\n" for i, a in rows),
                       encoding="utf-8")
    out = tmp_path / "results"
    result = CliRunner().invoke(app, [
        "run", "--model", f"hf:{seq2seq_path}", "--dataset", str(dataset),
        "--output-dir", str(out), "-o", "max_new_tokens=4", "-o", "batch_size=2"])
    assert result.exit_code == 0, result.output
    [run_dir] = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    record = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    assert record["items"]["truncated"] == 1  # only LONG_HEAD is over 64 tokens
    items = {json.loads(line)["id"]: json.loads(line) for line in
             (run_dir / "items.jsonl").read_text(encoding="utf-8").splitlines()}
    assert [items[i]["truncated"] for i in ("long", "short", "medium")] == [True, False, False]
    assert record["model"]["options"]["max_new_tokens"] == 4


def test_a_template_without_system_turns_gets_the_instruction_in_the_user_turn(
        causal_path, tmp_path):
    import shutil

    folder = shutil.copytree(causal_path, tmp_path / "nosystem")
    # Like Gemma's or Mistral's older templates: a system message is an error.
    (folder / "chat_template.jinja").write_text(
        "{% if messages[0]['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{% endif %}"
        "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}</s>{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}", encoding="utf-8")
    template = load_prompt("bullets-ar")
    prompt = make(folder).render_prompt(SHORT)
    assert prompt.startswith("<|user|>" + template.system + "\n\n")
    assert "<|system|>" not in prompt and prompt.endswith(SHORT + "</s><|assistant|>")


def test_batch_size_is_in_the_signature_only_when_sampling(tmp_path):
    """Greedy outputs do not depend on batching; sampled ones do (the draws follow the
    batch), so only then may a different batch size not reuse cached predictions."""
    from benchmark.summarizers.hf import HFSummarizer

    folder = tmp_path / "m"
    folder.mkdir()

    def sig(**options):
        return HFSummarizer(f"hf:{folder}", options).signature()

    assert sig(batch_size=1) == sig(batch_size=8)
    assert sig(batch_size=1, do_sample=True) != sig(batch_size=8, do_sample=True)
