"""CSV for Excel/WPS: one row per task, lists joined with 、, UTF-8 with BOM.  Headers are for
people (Chinese by default, see messages.CSV_HEADERS); a cell that would run as a formula gets a
leading ' (see ``neutralise``)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..messages import header
from ..models import Result
from . import SEP, atomic_open, csv_text

COLUMNS = ["source", "id", "seq", "number", "section", "text", "leaders", "lead_units", "units", "deadline",
           "clause", "line", "page"]


def rows(results: Sequence[Result]):
    for r in results:
        for t in r.tasks:
            yield [r.source.path or "", t.id, t.seq, t.number, " > ".join(t.section), t.text, SEP.join(t.leaders),
                   SEP.join(t.lead_units), SEP.join(t.units), t.deadline or "", t.clause or "",
                   "" if t.location.line is None else t.location.line,
                   "" if t.location.page is None else t.location.page]


def dumps(results: Sequence[Result]) -> str:
    return csv_text([header(c) for c in COLUMNS], rows(results))


def head() -> bytes:
    """What a file starts with: the byte-order mark Excel needs and the header row."""
    return csv_text([header(c) for c in COLUMNS], ()).encode("utf-8-sig")


def render(r: Result) -> bytes:
    """The rows of ``r`` as the bytes they add to a .csv file (made in a worker process; the header
    is the writer's, in the reader's language)."""
    return csv_text(None, rows([r])).encode("utf-8")


def write(results: Sequence[Result], dest: Path) -> None:
    with atomic_open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(dumps(results))
