"""Writers: one module per output format, each exposing ``write(results, dest)``.

Every file writer writes to a temporary file in the destination folder and renames it into
place, so an interrupted run leaves either the old file or the new one — never half.  SQLite is
written in place inside one transaction under a lock (see sqlite_writer).

An existing output is replaced only when taskparse wrote it: ``check_existing`` runs before any
input is read, ``--force`` keeps the old file as ``NAME.bak``, and a ledger (.xlsx) a person edited
is merged (``--update``) or left alone (see xlsx_writer).
"""
from __future__ import annotations

import contextlib
import csv
import errno
import importlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..messages import t

if TYPE_CHECKING:  # (used in annotations only: the models load with the first result)
    from ..models import Result

FORMATS = {".json": "json", ".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx", ".sqlite": "sqlite", ".db": "sqlite",
           ".sqlite3": "sqlite"}
# formats that hold many notices in one file
COMBINED = {"jsonl", "xlsx", "sqlite", "csv"}
# formats whose writer takes each result as bytes made by ``render`` (in the worker that parsed it), so the
# process that writes only writes; .xlsx needs every result at once (sheets, merge) and takes Results
RENDERED = {"json", "jsonl", "csv", "sqlite"}
# exit codes of output problems (README "Exit codes")
EXIT_OUTPUT_DENIED = 12  # permission denied, read-only file system
EXIT_DISK_FULL = 13
EXIT_DB_LOCKED = 14
HEAD_BYTES = 4096  # what is read of an existing output to tell whether taskparse wrote it
FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet reads a cell starting with these as a formula


class OutputError(Exception):
    """An output could not be written: ``str()`` is one line, ``exit_code`` its class."""

    def __init__(self, line: str, exit_code: int):
        super().__init__(line)
        self.exit_code = exit_code


def format_for(dest: str | Path | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if dest is None or str(dest) == "-":
        return "json"
    return FORMATS.get(Path(dest).suffix.lower(), "json")


def emit_text(dumps: Any, output: str | None, fmt: str | None, command: str) -> bool:
    """Write a text view (json / jsonl / csv, made by ``dumps(fmt)``) to ``output`` or to stdout when
    ``fmt`` asks for one of them; False when the caller should draw its terminal table instead."""
    import sys

    import click

    from ..messages import t

    if output not in (None, "-"):
        out_fmt = format_for(output, fmt)
        if out_fmt not in ("json", "jsonl", "csv"):
            raise click.UsageError(t("usage.text_only", command=command, fmt=out_fmt))
        with atomic_open(Path(str(output)), "w", encoding="utf-8-sig" if out_fmt == "csv" else "utf-8", newline="") as fh:
            fh.write(dumps(out_fmt))
        return True
    if fmt in ("json", "jsonl", "csv"):
        sys.stdout.write(dumps(fmt))
        sys.stdout.flush()
        return True
    if fmt not in (None, "table"):
        raise click.UsageError(t("usage.text_only", command=command, fmt=fmt))
    return False


def write(results: Sequence[Result], dest: str | Path, fmt: str, **options: Any) -> Any:
    """Write ``results`` to ``dest`` in ``fmt``.  ``options`` (mode, failed, unit) reach the writers
    that use them (xlsx); ``mode="force"`` keeps an existing file as .bak first and tells
    ``on_backup(path)`` where."""
    dest = Path(dest)
    mode = options.get("mode", "refuse")
    on_backup = options.pop("on_backup", None)
    if mode == "force" and fmt != "sqlite":
        bak = backup(dest)
        if bak is not None and on_backup is not None:
            on_backup(bak)
    module = importlib.import_module(f".{fmt}_writer", __name__)
    try:
        if fmt == "xlsx":
            return module.write(results, dest, **options)
        return module.write(results, dest)
    except Exception as exc:
        if is_output_failure(exc):
            raise output_error(exc, dest) from exc
        raise


def render(fmt: str, result: Result) -> bytes:
    """What ``result`` adds to an output in ``fmt`` (one of RENDERED), as bytes for ``stream_bytes``
    or ``write_bytes``: the same bytes ``write`` would produce for it."""
    return importlib.import_module(f".{fmt}_writer", __name__).render(result)


@contextlib.contextmanager
def stream_bytes(dest: Path, fmt: str) -> Iterator[Any]:
    """Yield ``add(data)`` taking ``render``'s bytes, in order; ``dest`` is replaced (SQLite: the
    transaction committed) only when the block ends without an error."""
    module = importlib.import_module(f".{fmt}_writer", __name__)
    if fmt == "sqlite":
        with module.stream_bytes(dest) as add:
            yield add
        return
    with atomic_open(dest, "wb") as fh:
        fh.write(module.head())
        yield lambda data: _append(fh, data)


def _append(fh: IO[bytes], data: bytes) -> None:
    fh.write(data)


def write_bytes(data: bytes, dest: str | Path, fmt: str, mode: str = "refuse") -> None:
    """``write`` for one result already rendered (``render``)."""
    dest = Path(dest)
    if mode == "force" and fmt != "sqlite":
        backup(dest)
    try:
        with stream_bytes(dest, fmt) as add:
            add(data)
    except Exception as exc:
        if is_output_failure(exc):
            raise output_error(exc, dest) from exc
        raise


def is_output_failure(exc: BaseException) -> bool:
    """An OSError or SQLite error, or a library's wrapper around one (xlsxwriter's FileCreateError)."""
    return isinstance(exc, (OSError, sqlite3.Error)) or bool(exc.args and isinstance(exc.args[0], OSError))


def backup(dest: Path) -> Path | None:
    """Copy an existing ``dest`` to ``dest.bak`` (``dest.2.bak``, … when that exists)."""
    if not dest.is_file():
        return None
    bak = dest.with_name(dest.name + ".bak")
    k = 2
    while bak.exists():
        bak = dest.with_name(f"{dest.name}.{k}.bak")
        k += 1
    try:
        shutil.copy2(dest, bak)
    except OSError as exc:
        raise output_error(exc, bak) from exc
    return bak


def looks_ours(dest: Path, fmt: str) -> bool:
    """Whether the file at ``dest`` is one taskparse wrote in ``fmt`` (by its first bytes)."""
    try:
        with open(dest, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return False
    if not head.strip():
        return True  # an empty file holds nothing to lose
    text = head.decode("utf-8-sig", "replace")
    if fmt == "json":
        return text.lstrip("[ \n").startswith("{") and '"schema_version"' in text[:200]
    if fmt == "jsonl":
        first = text.split("\n", 1)[0]
        return first.startswith("{") and ('"seq"' in first or '"role"' in first)
    if fmt == "csv":
        from ..messages import CSV_HEADERS

        first = text.split("\r\n", 1)[0].split("\n", 1)[0]
        names = {h for pair in CSV_HEADERS.values() for h in pair}
        cells = first.split(",")
        return bool(cells) and all(c in names for c in cells)
    if fmt == "sqlite":
        from .sqlite_writer import SQLITE_MAGIC

        return head.startswith(SQLITE_MAGIC)
    return True


def check_existing(dest: Path, fmt: str, mode: str) -> None:
    """Before any work: refuse to replace an output taskparse did not write (or a ledger a person
    edited) unless ``mode`` allows it.  Raises OutputConflict."""
    if not dest.exists() or dest.is_dir() or mode == "force":
        return
    if fmt == "xlsx":
        from .xlsx_writer import LedgerConflict, plan

        try:
            plan(dest, mode)
        except LedgerConflict as exc:
            raise OutputConflict(str(exc)) from None
        return
    if fmt == "sqlite":
        if not looks_ours(dest, fmt):
            raise OutputConflict(t("out.not_sqlite", dest=dest))
        return
    if not looks_ours(dest, fmt):
        raise OutputConflict(t("ledger.foreign", dest=dest))


class OutputConflict(Exception):
    """An existing output must not be replaced (usage: --update / --force / another -o)."""


def output_error(exc: BaseException, dest: Path) -> OutputError:
    """One line and an exit code for an OSError or SQLite error while writing ``dest``."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc  # xlsxwriter wraps its OSError
    if isinstance(inner, sqlite3.Error):
        text = str(inner).lower()
        if "locked" in text or "busy" in text:
            return OutputError(t("out.locked", dest=dest), EXIT_DB_LOCKED)
        if "full" in text:
            return OutputError(t("out.full", dest=dest), EXIT_DISK_FULL)
        if "readonly" in text or "read-only" in text:
            return OutputError(t("out.readonly", dest=dest), EXIT_OUTPUT_DENIED)
        if "unable to open" in text:
            return OutputError(t("out.denied", dest=dest), EXIT_OUTPUT_DENIED)
        return OutputError(t("out.other", dest=dest, detail=str(inner)), EXIT_OUTPUT_DENIED)
    if isinstance(inner, OSError):
        code = inner.errno
        if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
            return OutputError(t("out.full", dest=dest), EXIT_DISK_FULL)
        if code == errno.EROFS:
            return OutputError(t("out.readonly", dest=dest), EXIT_OUTPUT_DENIED)
        if code in (errno.EACCES, errno.EPERM):
            return OutputError(t("out.denied", dest=dest), EXIT_OUTPUT_DENIED)
        return OutputError(t("out.other", dest=dest, detail=inner.strerror or str(inner)), EXIT_OUTPUT_DENIED)
    return OutputError(t("out.other", dest=dest, detail=str(inner)), EXIT_OUTPUT_DENIED)


SEP = "、"  # between the names of a list in one cell (CSV, Excel, terminal tables)


def cell_text(value: object) -> object:
    """A record's value as one cell for people: a list joined with 、, nothing for None."""
    return "" if value is None else SEP.join(value) if isinstance(value, list) else value


def records_text(records: Sequence[Any], fmt: str) -> str:
    """``json`` (one indented array) or ``jsonl`` (one object a line) of plain records."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def csv_text(head: Sequence[object] | None, rows: Iterable[Sequence[object]]) -> str:
    """CSV for Excel/WPS (CRLF rows; the header row first unless None), every cell that would run as a
    formula neutralised."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if head is not None:
        w.writerow(head)
    w.writerows([neutralise(c) for c in row] for row in rows)
    return buf.getvalue()


def neutralise(cell: object) -> object:
    """A CSV cell that a spreadsheet would run as a formula (= + - @ first, after any whitespace)
    gets a leading ' — how Excel and WPS mark a cell as text."""
    if isinstance(cell, str) and cell.lstrip().startswith(FORMULA_START):
        return "'" + cell
    return cell


def _final_mode(dest: Path) -> int:
    """The mode a plainly created file would get (or the replaced file's): mkstemp makes 0600."""
    try:
        return dest.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_open(dest: Path, mode: str = "w", **kw) -> Iterator[IO]:
    """Open a temp file next to ``dest``; on success rename it over ``dest``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, mode, **kw) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _final_mode(dest))
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """A temp path next to ``dest`` for libraries that want a filename; renamed on success."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _final_mode(dest))
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

