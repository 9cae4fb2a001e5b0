"""JSON Lines for pipelines: one task per line, each with the ``source`` path and the
``notice`` title it came from.  UTF-8, ``\\n`` line ends, no BOM."""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from ..models import Result
from . import atomic_open


def records(results: Sequence[Result]) -> Iterator[dict]:
    for r in results:
        for t in r.tasks:
            yield {**t.model_dump(mode="json"), "source": r.source.path, "notice": r.notice.title}


# NEL, LS and PS end lines for str.splitlines() (and LS/PS for JavaScript): escape them so a line stays a line
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _line(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def dumps(results: Sequence[Result]) -> str:
    return "".join(_line(rec) for rec in records(results))


def write(results: Sequence[Result], dest: Path) -> None:
    with atomic_open(dest, "w", encoding="utf-8", newline="\n") as fh:
        for rec in records(results):
            fh.write(_line(rec))
