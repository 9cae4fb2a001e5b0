"""The by-unit view: for each unit, the tasks it leads (牵头) and the tasks it shares (责任).

Units are grouped by their canonical name (the office: 县财政局, 财政局 and 金乡县财政局 of one county
notice are one group, with the printed forms listed); ``--unit X`` matches printed or canonical names.

``rows`` and ``summary`` are pure and shared with the xlsx writer; ``run`` is what
``taskparse units`` calls and is the one place here that writes to the terminal.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Result, Task
from .writers import SEP, cell_text, csv_text, records_text

LEAD, UNIT = "lead", "unit"
ROLE_NAMES = {LEAD: "牵头", UNIT: "责任"}
PIPE_WIDTH = 160  # columns of the table when stdout is a pipe or file (rich would assume 80); text wraps, never cut
TASK_COLUMN_SHARE = 0.5  # on a terminal the task text gets at least this share of the width (it wraps)
MIN_TASK_COLUMN = 20
CSV_COLUMNS = ["unit", "printed", "role", "source", "notice", "id", "seq", "number", "text", "deadline", "leaders",
               "lead_units", "units"]


@dataclass(frozen=True)
class UnitRow:
    """One (unit, role, task): ``unit`` is the canonical name, ``printed`` the form this task prints;
    ``position`` is the unit's place in the task's list (0-based)."""

    unit: str
    role: str  # LEAD or UNIT
    position: int
    result: Result
    task: Task
    printed: str = ""


@dataclass(frozen=True)
class UnitCount:
    unit: str
    lead: int  # tasks it leads
    shared: int  # tasks it shares
    total: int  # distinct tasks
    printed: tuple[str, ...] = ()  # the forms printed for it, in order of first appearance


def task_units(task: Task) -> Iterator[tuple[str, str, int]]:
    """(unit, role, position) of one task, each (unit, role) once."""
    seen: set[tuple[str, str]] = set()
    for role, names in ((LEAD, task.lead_units), (UNIT, task.units)):
        for pos, name in enumerate(names):
            if (name, role) not in seen:
                seen.add((name, role))
                yield name, role, pos


def task_offices(task: Task) -> Iterator[tuple[str, str, int, str]]:
    """(canonical, role, position, printed) of one task, each office once: an office that leads
    is not listed again as sharing (县财政局 leads and 财政局 shares: one office, 牵头)."""
    seen: set[str] = set()
    for role, names, canon in ((LEAD, task.lead_units, task.lead_units_canonical),
                               (UNIT, task.units, task.units_canonical)):
        for pos, name in enumerate(names):
            office = canon[pos] if pos < len(canon) else name
            if office not in seen:
                seen.add(office)
                yield office, role, pos, name


def matches(unit: str, needle: str | None, printed: str | None = None) -> bool:
    """``needle`` is in the canonical name or in the printed one."""
    return needle is None or needle in unit or (printed is not None and needle in printed)


def rows(results: Sequence[Result], needle: str | None = None) -> list[UnitRow]:
    """Every (unit, role, task), grouped by canonical unit in order of first appearance, leads
    before shares, tasks in document order; only units whose canonical or printed name contains
    ``needle`` when it is given."""
    groups: dict[str, list[UnitRow]] = {}
    for r in results:
        for t in r.tasks:
            for name, role, pos, printed in task_offices(t):
                if matches(name, needle, printed):
                    groups.setdefault(name, []).append(UnitRow(name, role, pos, r, t, printed))
    out: list[UnitRow] = []
    for group in groups.values():
        out += [g for g in group if g.role == LEAD] + [g for g in group if g.role == UNIT]
    return out


def summary(unit_rows: Sequence[UnitRow]) -> list[UnitCount]:
    """Counts per unit, most tasks first (ties in order of first appearance)."""
    lead: dict[str, int] = {}
    shared: dict[str, int] = {}
    tasks: dict[str, set[int]] = {}
    printed: dict[str, dict[str, None]] = {}
    for row in unit_rows:
        counter = lead if row.role == LEAD else shared
        counter[row.unit] = counter.get(row.unit, 0) + 1
        tasks.setdefault(row.unit, set()).add(id(row.task))
        printed.setdefault(row.unit, {})[row.printed or row.unit] = None
    counts = [UnitCount(u, lead.get(u, 0), shared.get(u, 0), len(ts), tuple(printed[u])) for u, ts in tasks.items()]
    return sorted(counts, key=lambda c: -c.total)  # sorted() is stable: ties keep first appearance


def filter_results(results: Sequence[Result], needle: str | None) -> list[Result]:
    """The results with only the tasks naming a unit that contains ``needle``."""
    if needle is None:
        return list(results)
    return [r.model_copy(update={"tasks": [t for t in r.tasks
                                           if any(matches(u, needle, p) for u, _, _, p in task_offices(t))]})
            for r in results]


# --- file outputs ----------------------------------------------------------------------------------

def _record(row: UnitRow) -> dict[str, Any]:
    t = row.task
    return {"unit": row.unit, "printed": row.printed or row.unit, "role": row.role, "source": row.result.source.path, "notice": row.result.notice.title,
            "id": t.id, "seq": t.seq, "number": t.number, "text": t.text, "deadline": t.deadline,
            "leaders": t.leaders, "lead_units": t.lead_units, "units": t.units}


def dumps_json(unit_rows: Sequence[UnitRow]) -> str:
    """One object per unit: its counts and its tasks (each with ``role``)."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for row in unit_rows:
        by_unit.setdefault(row.unit, []).append(_record(row))
    data = [{"unit": c.unit, "printed": list(c.printed), "lead_count": c.lead, "unit_count": c.shared, "total": c.total,
             "tasks": by_unit[c.unit]} for c in summary(unit_rows)]
    return records_text(data, "json")


def dumps_jsonl(unit_rows: Sequence[UnitRow]) -> str:
    return records_text([_record(r) for r in unit_rows], "jsonl")


def dumps_csv(unit_rows: Sequence[UnitRow]) -> str:
    """For people in Excel/WPS: headers and roles in their language, formula-like cells neutralised."""
    from .messages import header, t

    def cells(row: UnitRow) -> list[object]:
        rec = _record(row)
        rec["role"] = t(f"role.{row.role}")
        return [cell_text(rec[c]) for c in CSV_COLUMNS]

    return csv_text([header(c) for c in CSV_COLUMNS], (cells(row) for row in unit_rows))


TEXT_DUMPS = {"json": (dumps_json, "utf-8"), "jsonl": (dumps_jsonl, "utf-8"), "csv": (dumps_csv, "utf-8-sig")}


def write(results: Sequence[Result], needle: str | None, dest: Path, fmt: str, mode: str = "refuse") -> None:
    """Write the by-unit view of ``results`` to ``dest`` (atomically) in ``fmt``: json/jsonl/csv get
    the (unit, role, task) rows, xlsx the ledger of the matching tasks with its 按单位 sheets, sqlite
    the whole notices (query the ``unit_tasks`` view).  ``mode`` as for convert (refuse / update /
    force); OSError becomes writers.OutputError."""
    from .writers import OutputError, backup, is_output_failure, output_error

    if mode == "force" and fmt != "sqlite":
        backup(dest)
    try:
        _write(results, needle, dest, fmt, mode)
    except OutputError:
        raise
    except Exception as exc:
        if is_output_failure(exc):
            raise output_error(exc, dest) from exc
        raise


def _write(results: Sequence[Result], needle: str | None, dest: Path, fmt: str, mode: str) -> None:
    from .writers import atomic_open

    if fmt == "xlsx":
        from .writers.xlsx_writer import write as write_xlsx

        write_xlsx(filter_results(results, needle), dest, unit=needle, mode=mode)
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

def render(unit_rows: Sequence[UnitRow], several_sources: bool, width: int = PIPE_WIDTH) -> Any:
    """A rich Table: one section per unit, headed by its counts.  Text wraps inside its column and
    is never cut; the task column gets at least half of ``width``."""
    from rich.table import Table
    from rich.text import Text

    from .messages import t

    table = Table(show_lines=False, expand=False)
    narrow = width < 100
    table.add_column(t("units.head.unit"), overflow="fold", max_width=14 if narrow else 24)
    table.add_column(t("units.head.role"), no_wrap=True)
    table.add_column(t("units.head.id"), overflow="fold", max_width=10)
    table.add_column(t("units.head.text"), overflow="fold",
                     min_width=max(MIN_TASK_COLUMN, int(width * TASK_COLUMN_SHARE)))
    table.add_column(t("units.head.deadline"), overflow="fold", max_width=10 if narrow else 16)
    if several_sources:
        table.add_column(t("units.head.source"), overflow="fold", max_width=12 if narrow else 30)
    counts = {c.unit: c for c in summary(unit_rows)}
    for i, row in enumerate(unit_rows):
        first = i == 0 or unit_rows[i - 1].unit != row.unit
        last = i == len(unit_rows) - 1 or unit_rows[i + 1].unit != row.unit
        c = counts[row.unit]
        forms = "、".join(p for p in c.printed if p != row.unit)
        label = (t("units.label_forms" if forms else "units.label", unit=row.unit, forms=forms, lead=c.lead,
                   shared=c.shared) if first else "")
        cells = [label, t(f"role.{row.role}"), row.task.id, row.task.text, row.task.deadline or ""]
        if several_sources:
            cells.append(Path(row.result.source.path or "").name)
        table.add_row(*(Text(c) for c in cells), end_section=last)  # Text: "[..]" in a task is not markup
    return table


def run(results: Sequence[Result], unit: str | None, output: str | None, fmt: str | None,
        listing: bool = False, mode: str = "refuse") -> int:
    """``taskparse units``: the by-unit table to stdout, or to ``output`` in ``fmt``; with
    ``listing``, the list of canonical units instead (``--list``).
    Returns the number of (unit, role, task) rows."""
    import click

    from .messages import t
    from .writers import format_for

    unit_rows = rows(results, unit)
    if listing:
        return run_list(unit_rows, output, fmt)
    if output not in (None, "-"):
        write(results, unit, Path(output), format_for(output, fmt), mode)
        return len(unit_rows)
    if fmt is not None and fmt != "table":
        if fmt not in TEXT_DUMPS:
            raise click.UsageError(t("usage.needs_output", fmt=fmt))
        sys.stdout.write(TEXT_DUMPS[fmt][0](unit_rows))
        sys.stdout.flush()
        return len(unit_rows)
    from rich.console import Console

    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=PIPE_WIDTH)
    if not unit_rows:
        Console(stderr=True).print(t("units.no_match", unit=unit) if unit else t("units.none"), markup=False)
        return 0
    several = len({r.source.path for r in results}) > 1
    console.print(render(unit_rows, several, console.width))
    n_units = len({r.unit for r in unit_rows})
    Console(stderr=True).print(t("units.count", units=n_units, rows=len(unit_rows)), markup=False)
    return len(unit_rows)


# --- the list of canonical units (taskparse units DIR --list) ---------------------------------------

LIST_COLUMNS = ["unit", "printed", "lead_count", "unit_count", "total", "files"]


@dataclass(frozen=True)
class ListedUnit:
    """One canonical unit: the forms printed for it with how many (task, role) rows each, its counts
    and the number of notices naming it."""

    unit: str
    printed: tuple[tuple[str, int], ...]
    lead: int
    shared: int
    total: int
    files: int


def listing(unit_rows: Sequence[UnitRow]) -> list[ListedUnit]:
    """Every canonical unit with its printed forms and counts, most tasks first."""
    forms: dict[str, dict[str, int]] = {}
    files: dict[str, set[int]] = {}
    for row in unit_rows:
        f = forms.setdefault(row.unit, {})
        f[row.printed or row.unit] = f.get(row.printed or row.unit, 0) + 1
        files.setdefault(row.unit, set()).add(id(row.result))
    return [ListedUnit(c.unit, tuple(forms[c.unit].items()), c.lead, c.shared, c.total, len(files[c.unit]))
            for c in summary(unit_rows)]


def _forms(u: ListedUnit) -> str:
    return SEP.join(f"{p}（{n}）" for p, n in u.printed)


def dumps_list(units: Sequence[ListedUnit], fmt: str) -> str:
    recs = [{"unit": u.unit, "printed": dict(u.printed), "lead_count": u.lead, "unit_count": u.shared,
             "total": u.total, "files": u.files} for u in units]
    if fmt in ("json", "jsonl"):
        return records_text(recs, fmt)
    from .messages import header

    return csv_text([header(c) for c in LIST_COLUMNS],
                    ((u.unit, _forms(u), u.lead, u.shared, u.total, u.files) for u in units))


def render_list(units: Sequence[ListedUnit]) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=False)
    for name, kw in (("单位（规范名称）", {"overflow": "fold", "max_width": 30}), ("印刷名称（次数）", {"overflow": "fold"}),
                     ("牵头", {"justify": "right"}), ("责任", {"justify": "right"}), ("任务数", {"justify": "right"}),
                     ("文件数", {"justify": "right"})):
        table.add_column(name, **kw)
    for u in units:
        table.add_row(Text(u.unit), Text(_forms(u)), str(u.lead), str(u.shared), str(u.total), str(u.files))
    return table


def run_list(unit_rows: Sequence[UnitRow], output: str | None, fmt: str | None) -> int:
    """``taskparse units DIR --list``: every canonical unit with its printed forms and counts — the
    check that merging went right.  Returns the number of units."""
    from rich.console import Console

    from .writers import emit_text

    units = listing(unit_rows)
    if emit_text(lambda f: dumps_list(units, f), output, fmt, "taskparse units --list"):
        return len(units)
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=PIPE_WIDTH)
    console.print(render_list(units))
    Console(stderr=True).print(f"{len(units)} 个单位", markup=False)
    return len(units)
