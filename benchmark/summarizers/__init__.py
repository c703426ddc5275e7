"""Summarizers (DESIGN §8): the `Summarizer` protocol (`base`), name resolution
(`registry`, `presets`), the baselines, ``hf:`` and ``openai:`` backends.

Nothing is imported here: ``import benchmark`` and ``bench --help`` stay instant, and
naming one summarizer does not load the others' dependencies.
"""
