"""Datasets whose every item carries a unique marker, for kill-and-resume tests that
count, per item, what a server was asked (tests/test_resume_openai.py, test_judge_run.py)."""

from __future__ import annotations

import json
from pathlib import Path


def marker(i: int) -> str:
    return f"معرف-{i:02d}-نهاية"


def write_marked_dataset(path: Path, n: int) -> Path:
    """``n`` items ``a00``.. whose article and summary hold the item's marker."""
    path.write_text("".join(
        json.dumps({"id": f"a{i:02d}", "article": f"خبر عن الاقتصاد.\n{marker(i)}",
                    "summary": marker(i)}, ensure_ascii=False) + "\n" for i in range(n)),
        encoding="utf-8")
    return path


def finished_ids(folder: Path) -> set[str]:
    """The ids on the complete lines of the cache files in ``folder``."""
    ids = set()
    for path in folder.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.endswith("\n"):
                ids.add(json.loads(line)["id"])
    return ids
