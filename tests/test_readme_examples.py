"""Every example of the README runs as written (issue 17, part 1).

Each fenced ``bash`` or ``python`` block of README.md is run, in order, in one fresh
temporary folder, as a new user would: the installed ``bench`` on ``PATH`` (the
environment of the set-up, activated), no ``PYTHONPATH``, nothing added to
``sys.path``, the folder beside the corpora as the repository is (``../shared``), and
holding what the set-up leaves there: the main job's run (``bench run --model lead-3``)
under ``results/``. A ``python`` block is saved to a file and run with the
environment's Python. Blocks of
the pages in ``docs/`` run the same way (each page in its own folder, which starts
empty) when marked ``<!-- readme-test: run -->``; every one of their blocks must be
marked, so none is skipped without a reason.

The comment right before a block may say what to do with it instead:
``<!-- readme-test: skip: REASON -->`` (a block that installs, waits for people,
needs a model server or a GPU, or is a template whose names the reader replaces) or
``<!-- readme-test: save FILE -->`` (a file the text asks the reader to save). The text
of every command is the document's, unchanged.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"(?:<!-- readme-test: (?P<marker>[^>]*?) -->\n)?"
                   r"```(?P<language>[a-z]*)\n(?P<body>.*?)```", re.S)
TIMEOUT_S = 600
MARKER = re.compile(r"run|save [^\s/]+|skip: \S.*")  # what a mark may say


@dataclass(frozen=True)
class Block:
    document: Path
    number: int  # 1-based among the document's runnable-looking blocks
    language: str
    body: str
    marker: str  # "", "run", "save FILE", "skip: REASON"

    @property
    def line(self) -> int:
        return self.document.read_text(encoding="utf-8").count("\n", 0, self.start) + 1

    start: int = 0

    @property
    def action(self) -> str:
        """``run``, ``save`` or ``skip`` (docs/ blocks run only when marked)."""
        if self.marker.startswith(("skip", "save")):
            return self.marker.split(":")[0].split()[0]
        if self.document.name == "README.md" or self.marker == "run":
            return "run"
        return "skip"

    @property
    def reason(self) -> str:
        if self.marker.startswith("skip:"):
            return self.marker.partition(":")[2].strip()
        return "a docs/ block not marked to run"


def blocks(document: Path) -> list[Block]:
    text = document.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match["language"] not in ("bash", "python"):
            continue  # output samples, layouts, YAML
        found.append(Block(document, len(found) + 1, match["language"], match["body"],
                           (match["marker"] or "").strip(), start=match.start()))
    return found


ALL = [block for document in DOCUMENTS for block in blocks(document)]


def block_id(block: Block) -> str:
    return f"{block.document.relative_to(ROOT)}:{block.line}"


@pytest.fixture(scope="module")
def outcomes(shared_dir, tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Every block run in document order; block id -> (status, detail)."""
    bench = Path(sys.executable).parent / "bench"
    if not bench.exists():
        pytest.skip(f"the bench command is not installed beside {sys.executable} "
                    "(pip install -e . first, as the README's set-up does)")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "BENCH_CONFIG", "BENCH_CONFIG_DIR", "COLUMNS")}
    env["PATH"] = os.pathsep.join([str(bench.parent), env.get("PATH", "")])
    results: dict[str, tuple[str, str]] = {}
    for document in DOCUMENTS:
        base = tmp_path_factory.mktemp(document.stem)
        (base / "shared").symlink_to(shared_dir, target_is_directory=True)
        folder = base / "work"  # ../shared resolves as it does beside the repository
        folder.mkdir()
        if document.name == "README.md":  # the set-up ran the main job
            subprocess.run(["bench", "run", "--model", "lead-3"], cwd=folder, env=env,
                           check=True, capture_output=True, timeout=TIMEOUT_S)
        for block in blocks(document):
            results[block_id(block)] = _run(block, folder, env)
    return results


def _run(block: Block, folder: Path, env: dict[str, str]) -> tuple[str, str]:
    if block.action == "skip":
        return "skip", block.reason
    if block.action == "save":
        (folder / block.marker.split()[1]).write_text(block.body, encoding="utf-8")
        return "saved", ""
    if block.language == "python":
        script = folder / f"readme_block_{block.number}.py"
        script.write_text(block.body, encoding="utf-8")
        command = [sys.executable, script.name]
    else:
        command = ["bash", "-e", "-o", "pipefail", "-c", block.body]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    output = done.stdout[-3000:] + done.stderr[-3000:]
    if done.returncode != 0:
        return "failed", f"exit {done.returncode}:\n{block.body}\n{output}"
    if "Traceback (most recent call last)" in done.stderr:
        return "failed", f"a traceback:\n{block.body}\n{output}"
    return "ok", output


@pytest.mark.parametrize("block", ALL, ids=block_id)
def test_the_example_runs_as_written(block, outcomes):
    status, detail = outcomes[block_id(block)]
    if status == "skip":
        pytest.skip(detail)
    assert status in ("ok", "saved"), detail


def test_every_docs_block_is_marked_to_run_or_says_why_not():
    """A docs/ block runs only when marked: an unmarked one (or a misspelt mark) would be
    skipped without a word, so each must say run, save FILE or skip: REASON."""
    unmarked = [f"{block_id(block)}: {block.marker or 'no mark'}" for block in ALL
                if block.document.name != "README.md" and not MARKER.fullmatch(block.marker)]
    assert not unmarked, ("mark each with <!-- readme-test: run --> (after making it run "
                          "as written) or <!-- readme-test: skip: REASON -->: "
                          + "; ".join(unmarked))


COMMAND = re.compile(r"bench [a-z-]+(?:\s|$)|python3? \S|pip3? install\s")


def test_no_command_hides_in_a_fence_without_a_language():
    """A fence with no language is an output sample, never run: a command written in one
    (``bench ...``, ``python ...``, ``pip install``) would escape the examples test, so it
    must be a ``bash`` block (then marked). Output such as ``bench compare: ant-bbc...``
    or a ``$ bench ...`` transcript is not a command."""
    hidden = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            first = (match["body"].strip().splitlines() or [""])[0]
            if match["language"] == "" and COMMAND.match(first):
                hidden.append(f"{document.relative_to(ROOT)}:"
                              f"{text.count(chr(10), 0, match.start()) + 1}: {first}")
    assert not hidden, hidden


def test_the_command_rule_by_hand():
    assert COMMAND.match("bench run --model lead-3")
    assert COMMAND.match("bench compare")                        # a command alone on its line
    assert COMMAND.match("python benchmarks/bench_rouge.py")
    assert COMMAND.match('pip install -e ".[perf]"')
    assert not COMMAND.match("bench compare: ant-bbc@sha256:1b3c037b1afc")  # a table's title
    assert not COMMAND.match("bench leaderboard: rouge2_f")
    assert not COMMAND.match("$ bench data validate x.jsonl")  # a transcript, with its output
    assert not COMMAND.match("benchmark/errors.py, signature.py")  # a listing of files


def test_the_mark_rule_by_hand():
    """What the rule accepts and refuses, each row saying why."""
    assert MARKER.fullmatch("run")
    assert MARKER.fullmatch("save my_summarizer.py")
    assert MARKER.fullmatch("skip: needs a model server")
    assert not MARKER.fullmatch("")                   # no mark: a docs block would be skipped
    assert not MARKER.fullmatch("skip:")              # a skip without its reason
    assert not MARKER.fullmatch("skip needs a GPU")   # the colon missing
    assert not MARKER.fullmatch("runs")               # a misspelt mark
    assert not MARKER.fullmatch("save ../elsewhere")  # a file outside the block's folder


def test_every_skip_says_why_and_the_readme_mostly_runs():
    readme = [block for block in ALL if block.document.name == "README.md"]
    skipped = [block for block in readme if block.action == "skip"]
    assert all(block.reason and block.reason != "a docs/ block not marked to run"
               for block in skipped)
    assert len(skipped) <= 3, [block_id(b) for b in skipped]  # set-up x2, the browser loop
    assert sum(block.action == "run" for block in readme) >= 6


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """The anchors GitHub makes of a page's headings."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", page.read_text(encoding="utf-8"), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


@pytest.mark.parametrize("document", DOCUMENTS + [ROOT / "CHANGELOG.md"],
                         ids=lambda p: p.name)
def test_every_link_between_the_pages_resolves(document):
    broken = []
    for target in LINK.findall(document.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        page = (document.parent / path).resolve() if path else document
        if not page.exists():
            broken.append(target)
        elif anchor and page.suffix == ".md" and anchor not in anchors(page):
            broken.append(target)
    assert not broken, broken
