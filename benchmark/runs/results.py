"""The run record on disk (DESIGN §9): ``<output>/<run-id>/run.json`` + ``items.jsonl``.

`run.json` is rewritten atomically (write to a temporary file, then rename), so a crash
never leaves half a record; `items.jsonl` is appended one flushed line per item, and a
torn last line from a killed process is dropped when the run is resumed or read.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any, Iterator

from benchmark import __version__
from benchmark.errors import BenchmarkError
from benchmark.runs.record import RunRecord

SCHEMA_VERSION = 1
RUN_FILE = "run.json"
ITEMS_FILE = "items.jsonl"
LOCK_FILE = ".lock"
KEY_LIBRARIES = ("datasets", "transformers", "torch", "openai", "rouge-score", "numpy")


@dataclass
class RunDir:
    path: Path

    @property
    def run_file(self) -> Path:
        return self.path / RUN_FILE

    @property
    def items_file(self) -> Path:
        return self.path / ITEMS_FILE

    def read(self) -> dict[str, Any]:
        try:
            record = json.loads(self.run_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BenchmarkError(f"{self.path}: no {RUN_FILE}; is this a run folder?") from None
        except json.JSONDecodeError as exc:
            raise BenchmarkError(f"{self.run_file}: not valid JSON ({exc.msg}, line "
                                 f"{exc.lineno})") from None
        if record.get("schema_version") != SCHEMA_VERSION:
            raise BenchmarkError(f"{self.run_file}: schema version "
                                 f"{record.get('schema_version')!r}, expected {SCHEMA_VERSION}")
        return record

    def read_record(self) -> RunRecord:
        """`read`, typed (DESIGN §9): what compare and the CLI use."""
        return RunRecord.from_dict(self.read(), source=str(self.run_file))

    def write(self, record: dict[str, Any]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        temporary = self.run_file.with_suffix(".json.tmp")
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
        os.replace(temporary, self.run_file)

    def try_lock(self) -> IO[str] | None:
        """An exclusive lock on the folder for this process (None when another process
        holds it). It lasts while the returned file stays open, and the system drops it
        when the process dies, kill -9 included."""
        handle = (self.path / LOCK_FILE).open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return None
        return handle

    def iter_items(self) -> Iterator[dict[str, Any]]:
        """The complete item lines; a torn last line (killed mid-write) is skipped."""
        if not self.items_file.exists():
            return
        with self.items_file.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.endswith("\n"):
                    break
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise BenchmarkError(f"{self.items_file}:{number}: not valid JSON "
                                         f"({exc.msg}); the file was edited or damaged: "
                                         "restore it or delete the run folder") from None


def make_run_id(model: str, created: str, key: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-")[:60] or "model"
    stamp = created.replace("-", "").replace(":", "").replace("T", "-")[:15]
    return f"{stamp}-{slug}-{key[:6]}"


def list_runs(root: Path) -> list[RunDir]:
    """Run folders directly under `root` (those holding a run.json), oldest first."""
    if not root.is_dir():
        return []
    runs = [RunDir(path) for path in sorted(root.iterdir()) if (path / RUN_FILE).is_file()]
    return runs


def environment() -> dict[str, Any]:
    """Package, Python and platform versions, and the git commit of the working copy."""
    versions = {}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"bench": __version__, "python": sys.version.split()[0],
            "platform": platform.platform(), "libraries": versions, "git_commit": _git_commit()}


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5, cwd=Path(__file__).parent)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None
