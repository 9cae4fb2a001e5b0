"""CSV for Excel/WPS: one row per task, lists joined with 、, UTF-8 with BOM."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from ..models import Result
from . import atomic_open

COLUMNS = ["source", "id", "seq", "number", "section", "text", "leaders", "lead_units", "units", "deadline",
           "clause", "line", "page"]
SEP = "、"


def rows(results: Sequence[Result]):
    for r in results:
        for t in r.tasks:
            yield [r.source.path or "", t.id, t.seq, t.number, " > ".join(t.section), t.text, SEP.join(t.leaders),
                   SEP.join(t.lead_units), SEP.join(t.units), t.deadline or "", t.clause or "",
                   "" if t.location.line is None else t.location.line,
                   "" if t.location.page is None else t.location.page]


def dumps(results: Sequence[Result]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows(rows(results))
    return buf.getvalue()


def write(results: Sequence[Result], dest: Path) -> None:
    with atomic_open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(dumps(results))
