"""CSV for Excel/WPS: one row per task, lists joined with 、, UTF-8 with BOM.  Headers are for
people (Chinese by default, see messages.CSV_HEADERS); a cell that would run as a formula gets a
leading ' (see ``neutralise``)."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ..messages import header
from ..models import Result
from . import SEP, atomic_open, neutralise

COLUMNS = ["source", "id", "seq", "number", "section", "text", "leaders", "lead_units", "units", "deadline",
           "clause", "line", "page"]


def rows(results: Sequence[Result]):
    for r in results:
        for t in r.tasks:
            yield [r.source.path or "", t.id, t.seq, t.number, " > ".join(t.section), t.text, SEP.join(t.leaders),
                   SEP.join(t.lead_units), SEP.join(t.units), t.deadline or "", t.clause or "",
                   "" if t.location.line is None else t.location.line,
                   "" if t.location.page is None else t.location.page]


def _header_text() -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([header(c) for c in COLUMNS])
    return buf.getvalue()


def _rows_text(results: Sequence[Result]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([neutralise(c) for c in row] for row in rows(results))
    return buf.getvalue()


def dumps(results: Sequence[Result]) -> str:
    return _header_text() + _rows_text(results)


def head() -> bytes:
    """What a file starts with: the byte-order mark Excel needs and the header row."""
    return _header_text().encode("utf-8-sig")


def render(r: Result) -> bytes:
    """The rows of ``r`` as the bytes they add to a .csv file (made in a worker process; the header
    is the writer's, in the reader's language)."""
    return _rows_text([r]).encode("utf-8")


def write(results: Sequence[Result], dest: Path) -> None:
    with atomic_open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(dumps(results))
