"""The by-unit view: for each unit, the tasks it leads (牵头) and the tasks it shares (责任).

``rows`` and ``summary`` are pure and shared with the xlsx writer; ``run`` is what
``taskparse units`` calls and is the one place here that writes to the terminal.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Result, Task

LEAD, UNIT = "lead", "unit"
ROLE_NAMES = {LEAD: "牵头", UNIT: "责任"}
SEP = "、"
TERMINAL_TEXT_CHARS = 80  # task text shown in the terminal table is cut here (files get it whole)
PIPE_WIDTH = 160  # columns of the table when stdout is a pipe or file (rich would assume 80)
CSV_COLUMNS = ["unit", "role", "source", "notice", "id", "seq", "number", "text", "deadline", "leaders",
               "lead_units", "units"]


@dataclass(frozen=True)
class UnitRow:
    """One (unit, role, task): ``position`` is the unit's place in the task's list (0-based)."""

    unit: str
    role: str  # LEAD or UNIT
    position: int
    result: Result
    task: Task


@dataclass(frozen=True)
class UnitCount:
    unit: str
    lead: int  # tasks it leads
    shared: int  # tasks it shares
    total: int  # distinct tasks


def task_units(task: Task) -> Iterator[tuple[str, str, int]]:
    """(unit, role, position) of one task, each (unit, role) once."""
    seen: set[tuple[str, str]] = set()
    for role, names in ((LEAD, task.lead_units), (UNIT, task.units)):
        for pos, name in enumerate(names):
            if (name, role) not in seen:
                seen.add((name, role))
                yield name, role, pos


def matches(unit: str, needle: str | None) -> bool:
    return needle is None or needle in unit


def rows(results: Sequence[Result], needle: str | None = None) -> list[UnitRow]:
    """Every (unit, role, task), grouped by unit in order of first appearance, leads before
    shares, tasks in document order; only units containing ``needle`` when it is given."""
    groups: dict[str, list[UnitRow]] = {}
    for r in results:
        for t in r.tasks:
            for name, role, pos in task_units(t):
                if matches(name, needle):
                    groups.setdefault(name, []).append(UnitRow(name, role, pos, r, t))
    out: list[UnitRow] = []
    for group in groups.values():
        out += [g for g in group if g.role == LEAD] + [g for g in group if g.role == UNIT]
    return out


def summary(unit_rows: Sequence[UnitRow]) -> list[UnitCount]:
    """Counts per unit, most tasks first (ties in order of first appearance)."""
    lead: dict[str, int] = {}
    shared: dict[str, int] = {}
    tasks: dict[str, set[int]] = {}
    for row in unit_rows:
        counter = lead if row.role == LEAD else shared
        counter[row.unit] = counter.get(row.unit, 0) + 1
        tasks.setdefault(row.unit, set()).add(id(row.task))
    counts = [UnitCount(u, lead.get(u, 0), shared.get(u, 0), len(ts)) for u, ts in tasks.items()]
    return sorted(counts, key=lambda c: -c.total)  # sorted() is stable: ties keep first appearance


def filter_results(results: Sequence[Result], needle: str | None) -> list[Result]:
    """The results with only the tasks naming a unit that contains ``needle``."""
    if needle is None:
        return list(results)
    return [r.model_copy(update={"tasks": [t for t in r.tasks if any(matches(u, needle) for u, _, _ in task_units(t))]})
            for r in results]


# --- file outputs ----------------------------------------------------------------------------------

def _record(row: UnitRow) -> dict[str, Any]:
    t = row.task
    return {"unit": row.unit, "role": row.role, "source": row.result.source.path, "notice": row.result.notice.title,
            "id": t.id, "seq": t.seq, "number": t.number, "text": t.text, "deadline": t.deadline,
            "leaders": t.leaders, "lead_units": t.lead_units, "units": t.units}


def dumps_json(unit_rows: Sequence[UnitRow]) -> str:
    """One object per unit: its counts and its tasks (each with ``role``)."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for row in unit_rows:
        by_unit.setdefault(row.unit, []).append(_record(row))
    data = [{"unit": c.unit, "lead_count": c.lead, "unit_count": c.shared, "total": c.total,
             "tasks": by_unit[c.unit]} for c in summary(unit_rows)]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps_jsonl(unit_rows: Sequence[UnitRow]) -> str:
    return "".join(json.dumps(_record(r), ensure_ascii=False) + "\n" for r in unit_rows)


def dumps_csv(unit_rows: Sequence[UnitRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for row in unit_rows:
        rec = _record(row)
        w.writerow(["" if rec[c] is None else SEP.join(rec[c]) if isinstance(rec[c], list) else rec[c]
                    for c in CSV_COLUMNS])
    return buf.getvalue()


TEXT_DUMPS = {"json": (dumps_json, "utf-8"), "jsonl": (dumps_jsonl, "utf-8"), "csv": (dumps_csv, "utf-8-sig")}


def write(results: Sequence[Result], needle: str | None, dest: Path, fmt: str) -> None:
    """Write the by-unit view of ``results`` to ``dest`` (atomically) in ``fmt``: json/jsonl/csv get
    the (unit, role, task) rows, xlsx the ledger of the matching tasks with its 按单位 sheets, sqlite
    the whole notices (query the ``unit_tasks`` view)."""
    from .writers import atomic_open

    if fmt == "xlsx":
        from .writers.xlsx_writer import write as write_xlsx

        write_xlsx(filter_results(results, needle), dest, unit=needle)
    elif fmt == "sqlite":
        # whole notices: a database may hold other runs keyed by file, and a filtered copy would
        # replace a notice's full rows; the unit_tasks view gives the by-unit rows
        from .writers.sqlite_writer import write as write_sqlite

        write_sqlite(results, dest)
    else:
        dumps, encoding = TEXT_DUMPS[fmt]
        with atomic_open(dest, "w", encoding=encoding, newline="") as fh:
            fh.write(dumps(rows(results, needle)))


# --- terminal --------------------------------------------------------------------------------------

def _short(text: str) -> str:
    return text if len(text) <= TERMINAL_TEXT_CHARS else text[:TERMINAL_TEXT_CHARS - 1] + "…"


def render(unit_rows: Sequence[UnitRow], several_sources: bool) -> Any:
    """A rich Table: one section per unit, headed by its counts."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=False)
    table.add_column("单位", overflow="fold", max_width=24)
    table.add_column("角色", no_wrap=True)
    table.add_column("编号", no_wrap=True)
    table.add_column("重点任务", overflow="fold")
    table.add_column("完成时限", overflow="fold", max_width=16)
    if several_sources:
        table.add_column("来源文件", overflow="fold", max_width=30)
    counts = {c.unit: c for c in summary(unit_rows)}
    for i, row in enumerate(unit_rows):
        first = i == 0 or unit_rows[i - 1].unit != row.unit
        last = i == len(unit_rows) - 1 or unit_rows[i + 1].unit != row.unit
        c = counts[row.unit]
        label = f"{row.unit}\n牵头 {c.lead} · 责任 {c.shared}" if first else ""
        cells = [label, ROLE_NAMES[row.role], row.task.id, _short(row.task.text), row.task.deadline or ""]
        if several_sources:
            cells.append(row.result.source.path or "")
        table.add_row(*(Text(c) for c in cells), end_section=last)  # Text: "[..]" in a task is not markup
    return table


def run(results: Sequence[Result], unit: str | None, output: str | None, fmt: str | None) -> int:
    """``taskparse units``: the by-unit table to stdout, or to ``output`` in ``fmt``.
    Returns the number of (unit, role, task) rows."""
    import click

    from .writers import format_for

    unit_rows = rows(results, unit)
    if output not in (None, "-"):
        write(results, unit, Path(output), format_for(output, fmt))
        return len(unit_rows)
    if fmt is not None and fmt != "table":
        if fmt not in TEXT_DUMPS:
            raise click.UsageError(f"-f {fmt} needs -o FILE")
        sys.stdout.write(TEXT_DUMPS[fmt][0](unit_rows))
        sys.stdout.flush()
        return len(unit_rows)
    from rich.console import Console

    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=PIPE_WIDTH)
    if not unit_rows:
        Console(stderr=True).print(f"no unit matches {unit!r}" if unit else "no units found", markup=False)
        return 0
    several = len({r.source.path for r in results}) > 1
    console.print(render(unit_rows, several))
    n_units = len({r.unit for r in unit_rows})
    Console(stderr=True).print(f"{n_units} unit{'' if n_units == 1 else 's'}, {len(unit_rows)} unit-task rows")
    return len(unit_rows)
