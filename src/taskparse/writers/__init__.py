"""Writers: one module per output format, each exposing ``write(results, dest)``.

Every writer writes to a temporary file in the destination folder and renames it into
place, so an interrupted run leaves either the old file or the new one — never half.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from ..models import Result

FORMATS = {".json": "json", ".csv": "csv", ".jsonl": "jsonl", ".xlsx": "xlsx", ".sqlite": "sqlite", ".db": "sqlite",
           ".sqlite3": "sqlite"}
# formats that hold many notices in one file
COMBINED = {"jsonl", "xlsx", "sqlite", "csv"}


def format_for(dest: str | Path | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if dest is None or str(dest) == "-":
        return "json"
    return FORMATS.get(Path(dest).suffix.lower(), "json")


def write(results: Sequence[Result], dest: str | Path, fmt: str) -> None:
    """Write ``results`` to ``dest`` in ``fmt``."""
    module = importlib.import_module(f".{fmt}_writer", __name__)
    module.write(results, Path(dest))


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
