"""A study on disk: one SQLite file (WAL mode, schema versioned) holding the rubric, the
systems, the items and their summaries, the annotators and their secret tokens, the
pages (tasks) of each annotator with the order the systems are shown in, and every
answer as a row (annotator through its task, time, shown position, revision count).

Each call opens its own connection, so the web app's worker threads never share one.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from benchmark.errors import BenchmarkError
from benchmark.human.sampling import StudyPlan

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE systems (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, run_dir TEXT);
CREATE TABLE items (id INTEGER PRIMARY KEY, example_id TEXT NOT NULL UNIQUE,
    article TEXT NOT NULL, bullets TEXT NOT NULL, units TEXT NOT NULL, stratum INTEGER);
CREATE TABLE summaries (item INTEGER NOT NULL REFERENCES items(id),
    system INTEGER NOT NULL REFERENCES systems(id), text TEXT NOT NULL,
    PRIMARY KEY (item, system));
CREATE TABLE annotators (name TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE);
CREATE TABLE tasks (id INTEGER PRIMARY KEY, annotator TEXT NOT NULL REFERENCES annotators(name),
    item INTEGER NOT NULL REFERENCES items(id), position INTEGER NOT NULL,
    shown TEXT NOT NULL, UNIQUE (annotator, position));
CREATE TABLE ratings (task INTEGER NOT NULL REFERENCES tasks(id), slot INTEGER NOT NULL,
    criterion TEXT NOT NULL, unit INTEGER NOT NULL, value TEXT NOT NULL,
    answered_at TEXT NOT NULL, revision INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (task, slot, criterion, unit));
CREATE TABLE notes (task INTEGER PRIMARY KEY REFERENCES tasks(id), comment TEXT NOT NULL,
    cannot_judge INTEGER NOT NULL, updated_at TEXT NOT NULL);
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Task:
    id: int
    annotator: str
    item: int
    position: int
    shown: tuple[int, ...]  # system ids in display order


@dataclass(frozen=True)
class Page:
    task: int
    annotator: str
    position: int
    done: bool


def create_study(path: Path, plan: StudyPlan) -> None:
    """Write `plan` to a new SQLite file at `path` (readable by its owner only)."""
    path = Path(path)
    if path.exists():
        raise BenchmarkError(f"{path} exists; a study is created once",
                             hint="choose another file name, or delete it to start over")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            _write_plan(db, plan)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _write_plan(db: sqlite3.Connection, plan: StudyPlan) -> None:
    meta = {"schema_version": SCHEMA_VERSION, "protocol": plan.protocol,
            "criteria": plan.criteria, "rubric": plan.rubric, "seed": plan.seed,
            "dataset": plan.dataset, "created": now(),
            "admin_token": secrets.token_urlsafe(32)}
    db.executemany("INSERT INTO meta VALUES (?, ?)",
                   [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()])
    db.executemany("INSERT INTO systems VALUES (?, ?, ?)",
                   [(i, s.label, s.run_dir) for i, s in enumerate(plan.systems)])
    for i, item in enumerate(plan.items):
        db.execute("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                   (i, item.id, item.article, json.dumps(list(item.bullets), ensure_ascii=False),
                    json.dumps(list(item.units), ensure_ascii=False), item.stratum))
        db.executemany("INSERT INTO summaries VALUES (?, ?, ?)",
                       [(i, s, text) for s, text in enumerate(item.summaries)])
    db.executemany("INSERT INTO annotators VALUES (?, ?)",
                   [(name, secrets.token_urlsafe(32)) for name in plan.annotators])
    db.executemany("INSERT INTO tasks (annotator, item, position, shown) VALUES (?, ?, ?, ?)",
                   [(t.annotator, t.item, t.position, json.dumps(list(t.shown)))
                    for t in plan.tasks])


class Study:
    """An existing study file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BenchmarkError(f"{self.path}: no such study file",
                                 hint="create one with 'bench human new'")
        try:
            with self.connect() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                rows = db.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError as exc:
            raise BenchmarkError(f"{self.path}: not a study file ({exc})") from None
        if version != SCHEMA_VERSION:
            raise BenchmarkError(f"{self.path}: study schema version {version}, this bench "
                                 f"reads {SCHEMA_VERSION}")
        self.meta: dict[str, Any] = {key: json.loads(value) for key, value in rows}
        self.protocol: str = self.meta["protocol"]
        self.criteria: list[str] = list(self.meta["criteria"])
        self.rubric: dict[str, Any] = self.meta["rubric"]

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

    # -- who is asking -------------------------------------------------------------------

    def tokens(self) -> dict[str, str]:
        """Annotator name -> token (for printing the links)."""
        with self.connect() as db:
            return {r["name"]: r["token"] for r in db.execute(
                "SELECT name, token FROM annotators ORDER BY rowid")}

    @property
    def admin_token(self) -> str:
        return self.meta["admin_token"]

    def annotator_for(self, token: str) -> str | None:
        """The annotator whose token this is (compared in constant time with every
        token), or None."""
        found = None
        for name, known in self.tokens().items():
            if hmac.compare_digest(known.encode(), token.encode()):
                found = name
        return found

    def is_admin(self, token: str) -> bool:
        return hmac.compare_digest(self.admin_token.encode(), token.encode())

    # -- pages and answers ---------------------------------------------------------------

    def tasks_of(self, annotator: str) -> list[Task]:
        with self.connect() as db:
            rows = db.execute("SELECT * FROM tasks WHERE annotator = ? ORDER BY position",
                              (annotator,)).fetchall()
        return [_task(row) for row in rows]

    def task(self, task_id: int) -> Task | None:
        with self.connect() as db:
            row = db.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return _task(row) if row else None

    def item(self, item: int) -> dict[str, Any]:
        with self.connect() as db:
            row = db.execute("SELECT * FROM items WHERE id = ?", (item,)).fetchone()
            summaries = {r["system"]: r["text"] for r in db.execute(
                "SELECT system, text FROM summaries WHERE item = ?", (item,))}
        return {"id": row["example_id"], "article": row["article"],
                "bullets": json.loads(row["bullets"]), "units": json.loads(row["units"]),
                "summaries": summaries}

    def answers(self, task_id: int) -> dict[tuple[int, str, int], str]:
        with self.connect() as db:
            return {(r["slot"], r["criterion"], r["unit"]): r["value"] for r in db.execute(
                "SELECT slot, criterion, unit, value FROM ratings WHERE task = ?", (task_id,))}

    def note(self, task_id: int) -> tuple[str, bool]:
        with self.connect() as db:
            row = db.execute("SELECT comment, cannot_judge FROM notes WHERE task = ?",
                             (task_id,)).fetchone()
        return (row["comment"], bool(row["cannot_judge"])) if row else ("", False)

    def save_answer(self, task_id: int, *, slot: int, criterion: str, unit: int,
                    value: str) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO ratings VALUES (?, ?, ?, ?, ?, ?, 1) "
                       "ON CONFLICT (task, slot, criterion, unit) DO UPDATE SET "
                       "value = excluded.value, answered_at = excluded.answered_at, "
                       "revision = revision + 1",
                       (task_id, slot, criterion, unit, value, now()))

    def save_note(self, task_id: int, *, comment: str, cannot_judge: bool) -> None:
        with self.connect() as db:
            db.execute("INSERT INTO notes VALUES (?, ?, ?, ?) ON CONFLICT (task) DO UPDATE "
                       "SET comment = excluded.comment, cannot_judge = excluded.cannot_judge,"
                       " updated_at = excluded.updated_at",
                       (task_id, comment, int(cannot_judge), now()))

    def pages(self, annotator: str | None = None) -> list[Page]:
        """Every page (of one annotator, or all) in work order, with whether it is done:
        every question answered, or marked "cannot judge"."""
        query = ("SELECT t.id, t.annotator, t.position, json_array_length(t.shown) AS shown,"
                 " json_array_length(i.units) AS units, COALESCE(n.cannot_judge, 0) AS skip,"
                 " (SELECT COUNT(*) FROM ratings r WHERE r.task = t.id) AS answered "
                 "FROM tasks t JOIN items i ON i.id = t.item LEFT JOIN notes n ON "
                 "n.task = t.id" + (" WHERE t.annotator = ?" if annotator else "")
                 + " ORDER BY t.annotator, t.position")
        with self.connect() as db:
            rows = db.execute(query, (annotator,) if annotator else ()).fetchall()
        return [Page(r["id"], r["annotator"], r["position"],
                     bool(r["skip"]) or r["answered"] >= self._questions(r["shown"], r["units"]))
                for r in rows]

    def _questions(self, shown: int, units: int) -> int:
        if self.protocol == "pairwise":
            return len(self.criteria)
        return shown * (units if self.protocol == "units" else len(self.criteria))

    def progress(self) -> dict[str, tuple[int, int]]:
        """Per annotator: pages done, pages assigned."""
        out = {name: (0, 0) for name in self.tokens()}
        for page in self.pages():
            done, total = out[page.annotator]
            out[page.annotator] = (done + page.done, total + 1)
        return out

    def systems(self) -> list[str]:
        with self.connect() as db:
            return [r["label"] for r in db.execute("SELECT label FROM systems ORDER BY id")]

    def all_rows(self) -> list[sqlite3.Row]:
        """Every answer with its task, item and note (for the export), in the order of
        work, the criteria in the study's order."""
        with self.connect() as db:
            rows = db.execute(
                "SELECT r.*, t.annotator, t.position, t.item, t.shown, i.example_id, i.units,"
                " n.comment, n.cannot_judge FROM ratings r JOIN tasks t ON r.task = t.id "
                "JOIN items i ON t.item = i.id LEFT JOIN notes n ON n.task = t.id "
                "ORDER BY t.annotator, t.position, r.slot, r.unit").fetchall()
        order = {criterion: n for n, criterion in enumerate(self.criteria)}
        return sorted(rows, key=lambda r: (r["annotator"], r["position"], r["slot"],
                                           order.get(r["criterion"], len(order)), r["unit"]))


def _task(row: sqlite3.Row) -> Task:
    return Task(row["id"], row["annotator"], row["item"], row["position"],
                tuple(json.loads(row["shown"])))
