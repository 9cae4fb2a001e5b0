"""SQLite: many notices in one queryable database.

Tables ``notices`` (one per input file, keyed by its SHA-256), ``tasks``, ``task_units``
(one row per unit named by a task: role ``lead`` or ``unit``, position in its list) and
``warnings``; the view ``unit_tasks`` lists every task of every unit across notices::

    SELECT unit, role, path, task_id, text, deadline FROM unit_tasks WHERE unit LIKE '%财政局%';
    SELECT canonical, unit, task_id, due_date FROM unit_tasks WHERE canonical = '金乡县财政局';

``task_units.canonical`` is the office a printed unit names (canon.py); ``tasks.due_date`` /
``due_kind`` the structured deadline (due.py).  List columns (section, leaders, lead_units, units) hold JSON arrays, ``extra`` a JSON object.
Writing the same file again replaces its rows (delete, then insert) instead of adding
copies; identical files at several paths are one notice (the last path wins).  The database is
written in place inside one transaction, under a lock on the file (flock, besides SQLite's own),
so two runs writing the same new database one after the other both land, and a failed run leaves
it as it was (other processes can read it meanwhile).  An interrupted batch (SIGINT/SIGTERM)
commits the notices that had finished, so ``--resume`` can skip them.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Interrupted
from ..messages import t as _t
from . import OutputError

if TYPE_CHECKING:  # annotations only: a --resume re-run that skips every file loads no model
    from ..models import Result

try:
    import fcntl
except ImportError:  # Windows: SQLite's own locking only
    fcntl = None  # type: ignore[assignment]

SCHEMA = """
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT, format TEXT, title TEXT, doc_number TEXT, issuer TEXT, date TEXT,
    parsed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    task_id TEXT NOT NULL, seq INTEGER, number TEXT,
    section TEXT, text TEXT, leaders TEXT, lead_units TEXT, units TEXT,
    deadline TEXT, clause TEXT, line INTEGER, page INTEGER, extra TEXT,
    due_date TEXT, due_kind TEXT
);
CREATE TABLE IF NOT EXISTS task_units (
    task_rowid INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    unit TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('lead', 'unit')),
    position INTEGER NOT NULL,
    canonical TEXT
);
CREATE TABLE IF NOT EXISTS warnings (
    id INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    code TEXT NOT NULL, message TEXT, line INTEGER, page INTEGER
);
CREATE INDEX IF NOT EXISTS task_units_unit ON task_units(unit);
CREATE INDEX IF NOT EXISTS task_units_notice ON task_units(notice_id);
CREATE INDEX IF NOT EXISTS task_units_task ON task_units(task_rowid);
CREATE INDEX IF NOT EXISTS tasks_notice ON tasks(notice_id);
CREATE INDEX IF NOT EXISTS warnings_notice ON warnings(notice_id);
"""
# columns added after a database was first made (schema 2): added to older databases in place
ADDED_COLUMNS = {"tasks": ("due_date TEXT", "due_kind TEXT"), "task_units": ("canonical TEXT",)}
# the view is made again on every write, so an older database gets the new columns too
VIEW = """
DROP VIEW IF EXISTS unit_tasks;
CREATE INDEX IF NOT EXISTS task_units_canonical ON task_units(canonical);
CREATE VIEW unit_tasks AS
    SELECT tu.unit, tu.canonical, tu.role, tu.position, n.path, n.title, n.doc_number, n.date,
           t.task_id, t.seq, t.number, t.section, t.text, t.leaders, t.lead_units, t.units, t.deadline,
           t.due_date, t.due_kind, t.line, t.page, t.id AS task_rowid, n.id AS notice_id
    FROM task_units tu JOIN tasks t ON t.id = tu.task_rowid JOIN notices n ON n.id = tu.notice_id
    ORDER BY tu.canonical, n.path, t.seq;
"""
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 30.0  # another process writing the same database: wait this long for its lock
LOCK_POLL_S = 0.1


def _key(result: Result) -> str:
    """The notice's identity: its file's SHA-256 (a hash of the result when the file's is unknown)."""
    if result.source.sha256:
        return result.source.sha256
    return "result:" + hashlib.sha256(result.model_dump_json().encode("utf-8")).hexdigest()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _canonical(canonical: list[str], pos: int, printed: str) -> str:
    return canonical[pos] if pos < len(canonical) else printed


def _add_columns(con: sqlite3.Connection) -> None:
    for table, columns in ADDED_COLUMNS.items():
        have = {row[1] for row in con.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in have:
                con.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


def _rows(r: Result) -> tuple:
    """Everything ``r`` adds to the database as plain values: (notice row, [(task row, [unit rows])],
    [warning rows]) — cheap to send between processes, unlike the Result itself."""
    n = r.notice
    notice = (_key(r), r.source.path, r.source.format, n.title, n.doc_number, n.issuer, n.date)
    tasks = [((t.id, t.seq, t.number, _json(t.section), t.text, _json(t.leaders), _json(t.lead_units),
               _json(t.units), t.deadline, t.clause, t.location.line, t.location.page, _json(t.extra),
               t.due.date if t.due else None, t.due.kind if t.due else None),
              [(u, role, pos, _canonical(canon, pos, u))
               for role, names, canon in (("lead", t.lead_units, t.lead_units_canonical),
                                          ("unit", t.units, t.units_canonical)) for pos, u in enumerate(names)])
             for t in r.tasks]
    warnings = [(w.code, w.message, w.location.line, w.location.page) for w in r.warnings]
    return notice, tasks, warnings


def head() -> bytes:
    return b""


def render(r: Result) -> bytes:
    """The rows of ``r`` pickled (made in a worker process; plain tuples load much faster than a
    Result)."""
    return pickle.dumps(_rows(r), protocol=pickle.HIGHEST_PROTOCOL)


def _insert(con: sqlite3.Connection, rows: tuple, parsed_at: str) -> None:
    notice, tasks, warnings = rows
    con.execute("DELETE FROM notices WHERE sha256 = ?", (notice[0],))  # cascades to its tasks, units, warnings
    notice_id = con.execute(
        "INSERT INTO notices (sha256, path, format, title, doc_number, issuer, date, parsed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*notice, parsed_at)).lastrowid
    for task, units in tasks:
        task_rowid = con.execute(
            "INSERT INTO tasks (notice_id, task_id, seq, number, section, text, leaders, lead_units, units, "
            "deadline, clause, line, page, extra, due_date, due_kind) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (notice_id, *task)).lastrowid
        con.executemany(
            "INSERT INTO task_units (task_rowid, notice_id, unit, role, position, canonical) VALUES (?, ?, ?, ?, ?, ?)",
            [(task_rowid, notice_id, *u) for u in units])
    con.executemany("INSERT INTO warnings (notice_id, code, message, line, page) VALUES (?, ?, ?, ?, ?)",
                    [(notice_id, *w) for w in warnings])


@contextlib.contextmanager
def _transaction(con: sqlite3.Connection) -> Iterator[Callable[[tuple], None]]:
    """Create the schema if needed and yield ``add(rows)`` (see ``_rows``); everything added is committed in one
    transaction at the end, or rolled back on any error (``con`` is in autocommit mode, so the
    transaction is exactly this BEGIN ... COMMIT)."""
    parsed_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA.split(";"):  # not executescript(), which would commit on its own
            if statement.strip():
                con.execute(statement)
        _add_columns(con)
        for statement in VIEW.split(";"):
            if statement.strip():
                con.execute(statement)
        yield lambda r: _insert(con, r, parsed_at)
        con.execute("COMMIT")
    except Interrupted:
        con.execute("COMMIT")  # raised between files (batch.py): every notice added is whole
        raise
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _check_database(dest: Path) -> None:
    with open(dest, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        from . import EXIT_OUTPUT_DENIED

        raise OutputError(_t("out.not_sqlite", dest=dest), EXIT_OUTPUT_DENIED)


@contextlib.contextmanager
def _file_lock(dest: Path) -> Iterator[None]:
    """Hold an exclusive flock on ``dest`` (created if missing).  A file replaced or removed while we
    waited is opened again, so the lock is always on the file at ``dest``."""
    if fcntl is None:
        yield
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        fd = os.open(dest, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise sqlite3.OperationalError("database is locked") from None
                    time.sleep(LOCK_POLL_S)
            mine = os.fstat(fd)
            try:
                now = os.stat(dest)
            except FileNotFoundError:
                now = None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev):
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)  # only after SQLite closed the file: closing drops this process's fcntl locks


def write(results: Sequence[Result], dest: Path) -> None:
    """Add ``results`` to the database ``dest`` (created if missing), replacing earlier rows of the
    same files."""
    with stream(dest) as add:
        for r in results:
            add(r)


def known_hashes(dest: Path) -> set[str]:
    """SHA-256 of the notices already in the database (``--resume``); empty when there is none."""
    if not dest.is_file() or dest.stat().st_size == 0:
        return set()
    try:
        con = sqlite3.connect(f"file:{dest}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            return {row[0] for row in con.execute("SELECT sha256 FROM notices")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


@contextlib.contextmanager
def stream(dest: Path) -> Iterator[Callable[[Result], None]]:
    """Add results one at a time (a long batch need not hold them all): yields ``add(result)``.
    Nothing is visible in ``dest`` until the block ends without an error."""
    with _stream(dest) as insert:
        yield lambda r: insert(_rows(r))


@contextlib.contextmanager
def stream_bytes(dest: Path) -> Iterator[Callable[[bytes], None]]:
    """``stream`` for results already made into rows by ``render`` (in a worker process)."""
    with _stream(dest) as insert:
        yield lambda data: insert(pickle.loads(data))


@contextlib.contextmanager
def _stream(dest: Path) -> Iterator[Callable[[tuple], None]]:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(dest):
        created = not dest.exists() or dest.stat().st_size == 0
        if not created:
            _check_database(dest)
        con = _connect(dest)
        ok = False
        try:
            with _transaction(con) as add:
                yield add
            ok = True
        except Interrupted:
            ok = True
            raise
        finally:
            con.close()
            if not ok and created and dest.exists() and dest.stat().st_size == 0:
                dest.unlink()  # under the lock: a run waiting for it opens the path afresh
