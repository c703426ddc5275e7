"""The run record on disk (DESIGN §9): ``<output>/<run-id>/run.json`` + ``items.jsonl``.

`run.json` is rewritten atomically (write and fsync a temporary file, then rename), so a
crash or a full disk never leaves half a record; `items.jsonl` is appended and read
through `benchmark.runs.jsonl`, so a torn last line from a killed process or a full
disk is skipped when read and cut off before the next append.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any, Iterator

from benchmark import __version__
from benchmark.errors import BenchmarkError, DataError
from benchmark.runs import jsonl
from benchmark.runs.record import RunRecord

SCHEMA_VERSION = 1
RUN_FILE = "run.json"
ITEMS_FILE = "items.jsonl"
DAMAGED_HINT = ("the file was edited or damaged: restore it, or delete the run folder and "
                "run again (cached predictions are reused)")
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
        data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        try:
            with open(temporary, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.run_file)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def iter_items(self) -> Iterator[dict[str, Any]]:
        """The complete item lines; a torn last line (killed mid-write) is skipped."""
        if not self.items_file.exists():
            return
        for line in jsonl.iter_lines(self.items_file, required=("id",), hint=DAMAGED_HINT):
            yield line.record


def claim_configuration(root: Path, key: str) -> IO[str] | None:
    """An exclusive lock on one run configuration (its resume key) in output folder
    `root`, held while the returned file stays open; None when another process holds
    it. Taken before looking for an unfinished run to resume, so that identical
    commands started together end up as one run: the first claims it, the others are
    refused. The system drops the lock when the process dies, kill -9 included. The
    lock file lives in the temporary folder, so output folders hold only runs."""
    handle = _claim_file(root, key).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def claim_holder(root: Path, key: str) -> str | None:
    """The process id written by the holder of a configuration's claim, if readable."""
    try:
        return _claim_file(root, key).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _claim_file(root: Path, key: str) -> Path:
    folder = Path(tempfile.gettempdir()) / f"bench-claims-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    name = hashlib.sha256(f"{root.resolve()}\n{key}".encode()).hexdigest()[:32]
    return folder / f"{name}.lock"


def check_item_count(run_dir: RunDir, *, expected: int | None, scored: int) -> None:
    """Raise when items.jsonl holds another number of scored items (`scored`) than
    run.json counts (`expected`): a torn or edited file, on which statistics would
    disagree with the `n` shown beside them."""
    if expected is None or expected == scored:
        return
    torn = "; its last line is cut off" if jsonl.torn_tail(run_dir.items_file) else ""
    raise DataError(f"{scored} scored items, but {RUN_FILE} counts {expected}{torn}",
                    path=str(run_dir.items_file), hint=DAMAGED_HINT)


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
