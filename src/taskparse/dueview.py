"""The due view: tasks by due date (``taskparse due DIR [--before DATE] [--unit X]``).

``rows`` is pure and shared with the xlsx writer's 到期 sheet; ``run`` is what the command calls and
is the one place here that writes to the terminal.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .models import Due, Result, Task
from .units import matches, task_offices
from .writers import SEP, cell_text, csv_text, records_text

KIND_NAMES = {"by": "截止", "ongoing": "长期", "recurring": "定期", "unknown": "未识别"}
EVERY_NAMES = {"week": "每周", "ten-days": "每旬", "month": "每月", "quarter": "每季度", "half-year": "每半年",
               "year": "每年"}
# undated kinds after the dated tasks, in this order
UNDATED_ORDER = {"recurring": 0, "by": 1, "ongoing": 2, "unknown": 3}
TERMINAL_TEXT_CHARS = 60
PIPE_WIDTH = 160
COLUMNS = ["due_date", "due_kind", "every", "from", "deadline", "source", "notice", "id", "number", "text",
           "lead_units", "units", "lead_units_canonical", "units_canonical"]


@dataclass(frozen=True)
class DueRow:
    result: Result
    task: Task
    due: Due


def kind_name(due: Due) -> str:
    """How a clerk reads the kind: 截止, 长期, 每季度 …"""
    if due.kind == "recurring":
        return EVERY_NAMES.get(due.every or "", "定期")
    return KIND_NAMES.get(due.kind, due.kind)


def rows(results: Sequence[Result], before: date | None = None, needle: str | None = None) -> list[DueRow]:
    """Tasks with a due date, earliest first (then the undated: recurring, ongoing, unknown); with
    ``before`` only those due on or before it; with ``needle`` only tasks naming a unit whose
    printed or canonical name contains it."""
    out = []
    for r in results:
        for t in r.tasks:
            if t.due is None:
                continue
            if before is not None and (t.due.date is None or date.fromisoformat(t.due.date) > before):
                continue
            if needle is not None and not any(matches(u, needle, p) for u, _, _, p in task_offices(t)):
                continue
            out.append(DueRow(r, t, t.due))
    # sorted() is stable: tasks due the same day keep notice and document order
    return sorted(out, key=lambda d: (d.due.date is None, d.due.date or "", UNDATED_ORDER.get(d.due.kind, 9)))


def _record(d: DueRow) -> dict[str, Any]:
    t = d.task
    return {"due_date": d.due.date, "due_kind": d.due.kind, "every": d.due.every, "from": d.due.from_,
            "deadline": t.deadline, "source": d.result.source.path, "notice": d.result.notice.title, "id": t.id,
            "number": t.number, "text": t.text, "lead_units": t.lead_units, "units": t.units,
            "lead_units_canonical": t.lead_units_canonical, "units_canonical": t.units_canonical}


def dumps(due_rows: Sequence[DueRow], fmt: str) -> str:
    recs = [_record(d) for d in due_rows]
    if fmt in ("json", "jsonl"):
        return records_text(recs, fmt)
    return csv_text(COLUMNS, ([cell_text(rec[c]) for c in COLUMNS] for rec in recs))


def _short(text: str) -> str:
    return text if len(text) <= TERMINAL_TEXT_CHARS else text[:TERMINAL_TEXT_CHARS - 1] + "…"


def render(due_rows: Sequence[DueRow], today: date, several_sources: bool) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=False)
    table.add_column("到期日", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("完成时限", overflow="fold", max_width=16)
    table.add_column("编号", no_wrap=True)
    table.add_column("重点任务", overflow="fold")
    table.add_column("牵头单位", overflow="fold", max_width=24)
    table.add_column("责任单位", overflow="fold", max_width=30)
    if several_sources:
        table.add_column("来源文件", overflow="fold", max_width=30)
    for d in due_rows:
        t = d.task
        overdue = d.due.date is not None and date.fromisoformat(d.due.date) < today
        when = (d.due.date or "") + (" 已逾期" if overdue else "")
        cells = [when, kind_name(d.due) + ("（文中）" if d.due.from_ == "text" else ""), t.deadline or "", t.id,
                 _short(t.text), SEP.join(dict.fromkeys(t.lead_units_canonical or t.lead_units)),
                 SEP.join(dict.fromkeys(t.units_canonical or t.units))]
        if several_sources:
            cells.append(d.result.source.path or "")
        table.add_row(*(Text(c) for c in cells), style="red" if overdue else None)
    return table


def run(results: Sequence[Result], before: date | None, unit: str | None, output: str | None,
        fmt: str | None) -> int:
    """``taskparse due``: tasks by due date to stdout, or to ``output`` (json/jsonl/csv).
    Returns the number of tasks listed."""
    from rich.console import Console

    from .writers import emit_text

    due_rows = rows(results, before, unit)
    if emit_text(lambda f: dumps(due_rows, f), output, fmt, "taskparse due"):
        return len(due_rows)
    err = Console(stderr=True)
    if not due_rows:
        err.print("没有符合条件的任务（任务没有完成时限，或都不在所选范围内）", markup=False)
        return 0
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=PIPE_WIDTH)
    console.print(render(due_rows, date.today(), len({r.source.path for r in results}) > 1))
    overdue = sum(1 for d in due_rows if d.due.date is not None and date.fromisoformat(d.due.date) < date.today())
    err.print(f"{len(due_rows)} 项任务，其中 {overdue} 项已逾期（按今天 {date.today().isoformat()} 计）", markup=False)
    return len(due_rows)
