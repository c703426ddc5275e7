"""``bench judge RUN_A RUN_B``: an LLM judge compares two runs' summaries item by item."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from benchmark.cli.common import echo, parse_key_values, user_errors
from benchmark.textshow import json_text


def judge(
    run_a: Annotated[Path, typer.Argument(help="A run folder.")],
    run_b: Annotated[Path, typer.Argument(help="Another run folder on the same dataset.")],
    judge_model: Annotated[str, typer.Option("--judge", help="The judge: openai:<model> or a "
                                             "preset naming one.")],
    judge_base_url: Annotated[Optional[str], typer.Option(help="The judge server's base "
                                                          "URL.")] = None,
    judge_api_key_env: Annotated[Optional[str], typer.Option(help="NAME of the environment "
                                                             "variable holding the judge's "
                                                             "key; 'none' for no key.")] = None,
    concurrency: Annotated[Optional[int], typer.Option(min=1, help="Judge requests in "
                                                       "flight.")] = None,
    option: Annotated[Optional[list[str]], typer.Option("--option", "-o", help="Judge option "
                                                        "KEY=VALUE (repeatable).")] = None,
    results: Annotated[Path, typer.Option(help="Folder whose .cache/judge keeps the judge's "
                                          "answers.")] = Path("results"),
    seed: Annotated[int, typer.Option(help="Seed of the judge requests and the "
                                      "bootstrap.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Which run's summaries does the judge prefer? Both orders, win/tie/loss with a CI."""
    from benchmark.cli.common import fail
    from benchmark.report.pairwise import format_pairwise, judge_pair

    if fmt not in ("text", "json"):
        raise fail(f"--format {fmt!r}: choose text or json")
    options: dict = parse_key_values(option, option="--option")
    for key, value in (("base_url", judge_base_url), ("api_key_env", judge_api_key_env),
                       ("concurrency", concurrency)):
        if value is not None:
            options[key] = value
    with user_errors():
        result = judge_pair(run_a, run_b, judge=judge_model, judge_options=options,
                            cache_dir=results / ".cache" / "judge", seed=seed)
    if fmt == "json":
        echo(json_text(result.to_json(), indent=2))
    else:
        echo(format_pairwise(result))
