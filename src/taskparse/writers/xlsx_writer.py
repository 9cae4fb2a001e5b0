"""Excel 台账 (opens in Excel, WPS and LibreOffice).

Sheets: 台账 (one row per task), 按单位 (one row per unit, role and task), 单位汇总 (tasks per
unit), 到期 (tasks by due date), 提示 (warnings) and 文件 (one row per notice).  Units are grouped by
their canonical name, with the printed forms beside it; 到期日 is a real date, and a task past it is
highlighted by conditional formatting against TODAY() (worked out when the file is opened).  Several notices share the sheets, told
apart by 来源文件.  Every sheet has a bold frozen header with an autofilter and prints on A4
landscape, one page wide, with the header repeated on every page.

All text goes in with ``write_string``: a task starting with = + - @ stays text, never a formula.
"""
from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..models import Location, Result, Task
from . import atomic_path

SEP = "、"
SECTION_SEP = " > "
LEDGER_COLUMNS = ["序号", "章节", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限", "到期日", "进展情况",
                  "备注", "来源文件", "原文位置", "任务编号"]
DUE_COLUMN = "到期日"
DUE_SHEET_COLUMNS = ["到期日", "类型", "完成时限", "重点任务", "牵头单位", "责任单位", "来源文件", "原文位置", "任务编号"]
DATE_FORMAT = "yyyy-mm-dd"
OVERDUE_FILL = "#FFC7CE"  # Excel's own "light red fill" for bad values
OVERDUE_FONT = "#9C0006"
# columns of a table-form notice that fill a ledger column instead of adding one
EXTRA_INTO = {"进展情况": "进展情况", "工作进展": "进展情况", "进展": "进展情况", "备注": "备注"}
UNIT_COLUMNS = ["单位", "印刷名称", "角色", "序号", "任务编号", "重点任务", "完成时限", "到期日", "来源文件", "原文位置"]
SUMMARY_COLUMNS = ["单位", "印刷名称", "牵头任务数", "参与任务数", "合计"]
WARNING_COLUMNS = ["来源文件", "代码", "说明", "位置"]
FILE_COLUMNS = ["来源文件", "格式", "标题", "文号", "发文机关", "成文日期", "任务数", "提示数"]
ROLE_NAMES = {"lead": "牵头", "unit": "责任"}
# warnings that concern one task (matched to it by location); the others concern the whole notice
TASK_WARNING_CODES = {"no_clause", "orphan_clause", "unbalanced_bracket", "empty_text"}
PARAGRAPH_FORMATS = {"docx", "doc", "rtf"}  # Location.line counts paragraphs there

# column widths in Excel units (about one digit; a CJK character takes two)
MIN_WIDTH = 6
MAX_WIDTH = 40
MAX_WIDTHS = {"重点任务": 60, "说明": 60, "标题": 50, "章节": 24, "来源文件": 24, "责任单位": 36, "进展情况": 24,
              "备注": 30}
WIDTH_PADDING = 2
LINE_HEIGHT_PT = 16.0  # one wrapped line of 11-point CJK text (宋体 needs 14.25; fallback fonts more)
ROW_PADDING_PT = 4.0
MAX_ROW_HEIGHT_PT = 409.0  # Excel's limit
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
PAPER_A4 = 9
MARGIN_IN = 0.4

# characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    """Cell text: XML-forbidden characters dropped, CR LF made LF, cut at Excel's cell limit."""
    s = "" if text is None else str(text)
    s = _FORBIDDEN.sub("", s)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s if len(s) <= MAX_CELL_CHARS else s[:MAX_CELL_CHARS - 1] + "…"


def _display_width(text: str) -> int:
    """Width of the longest line in Excel column units: East-Asian wide characters count two.

    A character's UTF-8 length stands in for its East-Asian width, which keeps this in C for the
    hundreds of thousands of cells of a large ledger: 1 byte (ASCII) counts 1; 3 bytes (CJK,
    fullwidth forms, and “”…①, which CJK fonts draw wide) count 2; Latin/Greek/Cyrillic letters
    with 2 bytes count 1.5."""
    return max((len(line) + len(line.encode("utf-8", "surrogatepass"))) // 2 for line in text.split("\n"))


def _lines_needed(text: str, width: float) -> int:
    if not text:
        return 1
    per_line = max(1.0, width - 1.0)
    return sum(max(1, math.ceil(_display_width(part) / per_line)) for part in text.split("\n"))


def _position(fmt: str, loc: Location) -> str:
    """原文位置 as a reader would look it up: 第3页 第12行, 第12段 or 第12行."""
    parts = []
    if loc.page is not None:
        parts.append(f"第{loc.page}页")
    if loc.line is not None:
        parts.append(f"第{loc.line}段" if fmt in PARAGRAPH_FORMATS else f"第{loc.line}行")
    return " ".join(parts)


# --- building the rows -----------------------------------------------------------------------------

@dataclass
class _Sheet:
    name: str
    columns: list[str]
    rows: list[list[object]]
    due_column: str | None = None  # a column of dates to highlight when past (TODAY())


def _due_date(t: Task) -> date | None:
    """The task's due date, or None (written as a blank cell, so the column sorts as dates)."""
    return date.fromisoformat(t.due.date) if t.due is not None and t.due.date else None


def _sort_key(loc: Location) -> tuple[int, int]:
    return (loc.page or 0, loc.line or 0)


def _task_warnings(result: Result) -> dict[int, list[str]]:
    """Task-level warnings by task index: each goes to the last task starting at or before it."""
    starts = [_sort_key(t.location) for t in result.tasks]
    out: dict[int, list[str]] = {}
    for w in result.warnings:
        if w.code not in TASK_WARNING_CODES or (w.location.line is None and w.location.page is None):
            continue
        i = bisect.bisect_right(starts, _sort_key(w.location)) - 1
        if i >= 0:
            out.setdefault(i, []).append(w.message)
    return out


def _extra_keys(results: Sequence[Result]) -> list[str]:
    keys: dict[str, None] = {}
    for r in results:
        for t in r.tasks:
            for k in t.extra:
                if k not in EXTRA_INTO and k not in LEDGER_COLUMNS:
                    keys.setdefault(k, None)
    return list(keys)


def _ledger_row(r: Result, t: Task, notes: list[str], extra_keys: list[str]) -> list[object]:
    progress = [v for k, v in t.extra.items() if EXTRA_INTO.get(k) == "进展情况" and v]
    remarks = [v for k, v in t.extra.items() if EXTRA_INTO.get(k) == "备注" and v] + notes
    return [t.seq, SECTION_SEP.join(t.section), t.text, SEP.join(t.leaders), SEP.join(t.lead_units),
            SEP.join(t.units), t.deadline or "", _due_date(t), "\n".join(progress), "\n".join(remarks), r.source.path or "",
            _position(r.source.format, t.location), t.id, *(t.extra.get(k, "") for k in extra_keys)]


def _ledger(results: Sequence[Result]) -> _Sheet:
    keys = _extra_keys(results)
    rows = []
    for r in results:
        notes = _task_warnings(r)
        for i, t in enumerate(r.tasks):
            rows.append(_ledger_row(r, t, notes.get(i, []), keys))
    return _Sheet("台账", LEDGER_COLUMNS + keys, rows, DUE_COLUMN)


def _by_unit(results: Sequence[Result], unit: str | None = None) -> tuple[_Sheet, _Sheet]:
    from ..units import rows as unit_rows
    from ..units import summary

    found = unit_rows(results, unit)
    rows: list[list[object]] = [
        [u.unit, u.printed or u.unit, ROLE_NAMES[u.role], u.task.seq, u.task.id, u.task.text, u.task.deadline or "",
         _due_date(u.task), u.result.source.path or "", _position(u.result.source.format, u.task.location)]
        for u in found]
    counts: list[list[object]] = [[c.unit, SEP.join(c.printed), c.lead, c.shared, c.total] for c in summary(found)]
    return _Sheet("按单位", UNIT_COLUMNS, rows, DUE_COLUMN), _Sheet("单位汇总", SUMMARY_COLUMNS, counts)


def _due_sheet(results: Sequence[Result]) -> _Sheet:
    """Tasks with a due date, earliest first, then the recurring, ongoing and unrecognised ones."""
    from ..dueview import kind_name
    from ..dueview import rows as due_rows

    rows: list[list[object]] = [
        [_due_date(d.task), kind_name(d.due) + ("（文中）" if d.due.from_ == "text" else ""), d.task.deadline or "",
         d.task.text, SEP.join(d.task.lead_units), SEP.join(d.task.units), d.result.source.path or "",
         _position(d.result.source.format, d.task.location), d.task.id] for d in due_rows(results)]
    return _Sheet("到期", DUE_SHEET_COLUMNS, rows, DUE_COLUMN)


def _warnings_sheet(results: Sequence[Result]) -> _Sheet:
    rows: list[list[object]] = [[r.source.path or "", w.code, w.message, _position(r.source.format, w.location)]
                                for r in results for w in r.warnings]
    return _Sheet("提示", WARNING_COLUMNS, rows)


def _files_sheet(results: Sequence[Result]) -> _Sheet:
    rows: list[list[object]] = [[r.source.path or "", r.source.format, r.notice.title or "", r.notice.doc_number or "",
                                 r.notice.issuer or "", r.notice.date or "", len(r.tasks), len(r.warnings)]
                                for r in results]
    return _Sheet("文件", FILE_COLUMNS, rows)


# --- writing ---------------------------------------------------------------------------------------

def _widths(columns: list[str], cells: list[list[object]]) -> list[float]:
    widths = []
    for c, name in enumerate(columns):
        longest = max([_display_width(name)] + [_display_width("" if row[c] is None else str(row[c])) for row in cells])
        cap = MAX_WIDTHS.get(name, MAX_WIDTH)
        widths.append(float(min(cap, max(MIN_WIDTH, longest + WIDTH_PADDING))))
    return widths


def _height(lines: int) -> float:
    return min(MAX_ROW_HEIGHT_PT, LINE_HEIGHT_PT * lines + ROW_PADDING_PT)


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _add_sheet(workbook: Any, sheet: _Sheet, fmt_head: Any, fmt_text: Any, fmt_num: Any,
               fmt_date: Any = None, fmt_overdue: Any = None) -> None:
    # rows go out in order, each with its height first: the workbook streams them (constant_memory)
    ws = workbook.add_worksheet(sheet.name)
    cells = [[v if v is None or _is_number(v) or isinstance(v, date) else _clean(v) for v in row] for row in sheet.rows]
    widths = _widths(sheet.columns, cells)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_row(0, _height(max(_lines_needed(n, w) for n, w in zip(sheet.columns, widths))))
    for c, name in enumerate(sheet.columns):
        ws.write_string(0, c, name, fmt_head)
    for r, row in enumerate(cells, start=1):
        ws.set_row(r, _height(max(1, *(_lines_needed(v, w) for v, w in zip(row, widths) if isinstance(v, str)))))
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value, fmt_text)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), fmt_date)
            elif value is None:
                ws.write_blank(r, c, None, fmt_date)
            else:
                ws.write_number(r, c, value, fmt_num)
    if sheet.due_column is not None and cells:
        _overdue_rule(ws, sheet.columns.index(sheet.due_column), len(cells), fmt_overdue)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(cells)), len(sheet.columns) - 1)
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=MARGIN_IN + 0.2, bottom=MARGIN_IN + 0.2)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.set_footer("&C第 &P 页，共 &N 页")


def _overdue_rule(ws: Any, col: int, n_rows: int, fmt: Any) -> None:
    """Highlight a due date before today, computed by Excel/WPS when the file is opened (not frozen)."""
    from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

    cell = f"${xl_col_to_name(col)}2"
    ws.conditional_format(1, col, n_rows, col, {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}<TODAY())",
                                               "format": fmt})


def write(results: Sequence[Result], dest: Path, *, unit: str | None = None) -> None:
    """Write the ledger workbook; ``unit`` limits 按单位/单位汇总 to units containing it."""
    try:
        import xlsxwriter  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a declared dependency
        from ..errors import TaskparseError

        raise TaskparseError("writing .xlsx needs the xlsxwriter package", str(dest),
                             "pip install xlsxwriter") from exc

    unit_sheet, summary_sheet = _by_unit(results, unit)
    sheets = [_ledger(results), unit_sheet, summary_sheet, _due_sheet(results), _warnings_sheet(results),
              _files_sheet(results)]
    with atomic_path(dest) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                  "strings_to_numbers": False, "constant_memory": True})
        try:
            base = {"font_name": "宋体", "font_size": 11, "valign": "top", "border": 1}
            fmt_head = workbook.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                            "valign": "vcenter", "bg_color": "#D9E1F2"})
            fmt_text = workbook.add_format({**base, "text_wrap": True})
            fmt_num = workbook.add_format({**base, "align": "center"})
            fmt_date = workbook.add_format({**base, "align": "center", "num_format": DATE_FORMAT})
            fmt_overdue = workbook.add_format({"bg_color": OVERDUE_FILL, "font_color": OVERDUE_FONT})
            for sheet in sheets:
                _add_sheet(workbook, sheet, fmt_head, fmt_text, fmt_num, fmt_date, fmt_overdue)
        finally:
            workbook.close()
