"""JSON Lines for pipelines: one task per line, each with the ``source`` path and the
``notice`` title it came from.  UTF-8, ``\\n`` line ends, no BOM."""
from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from pathlib import Path

from ..models import Result
from . import atomic_open

# NEL, LS and PS end lines for str.splitlines() (and LS/PS for JavaScript): escape them so a line stays a line
_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def records(results: Sequence[Result]) -> Iterator[dict[str, Any]]:
    for r in results:
        yield from _records(r)


def _records(r: Result) -> Iterator[dict[str, Any]]:
    for t in r.tasks:
        yield {**t.model_dump(mode="json"), "source": r.source.path, "notice": r.notice.title}


def _line(rec: dict[str, Any]) -> str:
    s = json.dumps(rec, ensure_ascii=False)
    for ch, escaped in _LINE_BREAKS:
        if ch in s:  # rare: a membership test is much cheaper than replace() or translate() on every line
            s = s.replace(ch, escaped)
    return s + "\n"


def _text(r: Result) -> str:
    return "".join(_line(rec) for rec in _records(r))


def dumps(results: Sequence[Result]) -> str:
    return "".join(_text(r) for r in results)


def head() -> bytes:
    """What a file starts with before the first result (nothing)."""
    return b""


def render(r: Result) -> bytes:
    """The bytes ``r`` adds to a .jsonl file (made in a worker process, written as they are)."""
    return _text(r).encode("utf-8")


def write(results: Sequence[Result], dest: Path) -> None:
    with stream(dest) as add:
        for r in results:
            add(r)


@contextlib.contextmanager
def stream(dest: Path) -> Iterator[Callable[[Result], None]]:
    """Write results one at a time, so a long batch need not hold them all: yields ``add(result)``.
    ``dest`` is replaced only when the block ends without an error."""
    with atomic_open(dest, "w", encoding="utf-8", newline="\n") as fh:
        def add(r: Result) -> None:
            fh.write(_text(r))

        yield add
