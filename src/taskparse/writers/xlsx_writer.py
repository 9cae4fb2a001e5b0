"""Excel 台账 (opens in Excel, WPS and LibreOffice) — a living document that a re-run refreshes
without losing what a person wrote in it.

Sheets: 台账 (one row per task), 按单位 (one row per unit, role and task), 单位汇总 (tasks per
unit), 到期 (tasks by due date), 提示 (warnings), 文件 (one row per notice, failed files with their
error) and, after a merge that dropped tasks, 已删除.  Units are grouped by their canonical name,
with the printed forms beside it; 到期日 is a real date, and a task past it is highlighted by
conditional formatting against TODAY() (worked out when the file is opened).  Every sheet has a bold frozen header with an autofilter and prints on
A4 landscape, one page wide, with the header repeated on every page.

Each 台账 row carries, in a hidden last column, the notice's SHA-256, the task id and a short hash of
every cell taskparse wrote, so a later run can tell a person's edits from its own output (sorting
and filtering move the hidden cell with its row).  A very hidden sheet ``_taskparse`` marks the
workbook as a taskparse ledger and records the columns written.  See ``plan`` and ``merge``.

All text goes in with ``write_string``: a task starting with = + - @ stays text, never a formula.
"""
from __future__ import annotations

import bisect
import difflib
import hashlib
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from ..messages import language, set_language, t, warning_text
from ..models import Location, Result, Task
from . import SEP, atomic_path

SECTION_SEP = " > "
# every 台账 column taskparse fills: key -> (Chinese, English) header, in order
LEDGER = {"seq": ("序号", "No."), "title": ("通知标题", "Notice"), "number": ("文号", "Doc. number"),
          "section": ("章节", "Section"), "text": ("重点任务", "Task"), "leaders": ("牵头领导", "Leaders"),
          "lead": ("牵头单位", "Lead units"), "units": ("责任单位", "Units"), "deadline": ("完成时限", "Deadline"),
          "due": ("到期日", "Due date"), "progress": ("进展情况", "Progress"), "remarks": ("备注", "Remarks"),
          "clause": ("原文条款", "Clause"), "source": ("来源文件", "Source file"), "position": ("原文位置", "Location"),
          "id": ("任务编号", "Task id"), "change": ("变动", "Change")}
LEDGER_HEADERS = list(LEDGER.values())
# columns whose new value does not make a row 已修改 (numbering, places, the notice's own fields, notes)
NOT_A_CHANGE = ("seq", "title", "number", "progress", "remarks", "source", "position", "id", "change")
KEY_COLUMN = "_taskparse"  # the hidden per-row key; its header is this in every language
META_SHEET = "_taskparse"
META_MARK = "taskparse ledger"
META_VERSION = 1
# columns of a table-form notice that fill a ledger column instead of adding one
EXTRA_INTO = {"进展情况": "进展情况", "工作进展": "进展情况", "进展": "进展情况", "备注": "备注"}
UNIT_HEADERS = [("单位", "Unit"), ("印刷名称", "Printed as"), ("角色", "Role"), ("序号", "No."),
                ("任务编号", "Task id"), ("重点任务", "Task"), ("完成时限", "Deadline"), ("到期日", "Due date"),
                ("来源文件", "Source file"), ("原文位置", "Location")]
SUMMARY_HEADERS = [("单位", "Unit"), ("印刷名称", "Printed as"), ("牵头任务数", "Leads"), ("参与任务数", "Shares"),
                   ("合计", "Total")]
DUE_HEADERS = [("到期日", "Due date"), ("类型", "Kind"), ("完成时限", "Deadline"), ("重点任务", "Task"),
               ("牵头单位", "Lead units"), ("责任单位", "Units"), ("来源文件", "Source file"), ("原文位置", "Location"),
               ("任务编号", "Task id")]
DUE_HEADER = ("到期日", "Due date")  # the column highlighted when past
DATE_FORMAT = "yyyy-mm-dd"
OVERDUE_FILL = "#FFC7CE"  # Excel's own "light red fill" for bad values
OVERDUE_FONT = "#9C0006"
WARNING_HEADERS = [("来源文件", "Source file"), ("代码", "Code"), ("说明", "Message"), ("位置", "Location")]
FILE_HEADERS = [("来源文件", "Source file"), ("格式", "Format"), ("标题", "Title"), ("文号", "Doc. number"),
                ("发文机关", "Issuer"), ("成文日期", "Date"), ("任务数", "Tasks"), ("提示数", "Warnings"),
                ("结果", "Result"), ("路径", "Path")]
DELETED_DATE_HEADER = ("删除日期", "Removed on")
SHEET_NAMES = {"ledger": ("台账", "台账"), "units": ("按单位", "按单位"), "summary": ("单位汇总", "单位汇总"),
               "due": ("到期", "到期"),
               "warnings": ("提示", "提示"), "files": ("文件", "文件"), "deleted": ("已删除", "已删除")}
# warnings that concern one task (matched to it by location); the others concern the whole notice
TASK_WARNING_CODES = {"no_clause", "orphan_clause", "unbalanced_bracket", "empty_text", "text_after_clause"}
PARAGRAPH_FORMATS = {"docx", "doc", "rtf"}  # Location.line counts paragraphs there: Word shows none
# a revised notice: a task whose text is this similar (difflib ratio) to a vanished one is that task
SIMILAR_TEXT = 0.6
SIMILAR_TEXT_SAME_ID = 0.4
MAX_SIMILARITY_PAIRS = 250_000  # bound on the pairwise comparisons for one notice (linear time overall)

# column widths in Excel units (about one digit; a CJK character takes two)
MIN_WIDTH = 6
MAX_WIDTH = 40
MAX_WIDTHS = {"重点任务": 60, "说明": 60, "标题": 50, "章节": 24, "来源文件": 20, "责任单位": 36, "进展情况": 24,
              "备注": 30, "通知标题": 30, "原文条款": 40, "路径": 40, "结果": 40}
WIDTH_PADDING = 2
LINE_HEIGHT_PT = 16.0  # one wrapped line of 11-point CJK text (宋体 needs 14.25; fallback fonts more)
ROW_PADDING_PT = 4.0
MAX_ROW_HEIGHT_PT = 409.0  # Excel's limit
MAX_CELL_CHARS = 32767  # Excel's limit for one cell
PAPER_A4 = 9
MARGIN_IN = 0.4
NEW_ROW_COLOUR = "#FFF2CC"  # 变动 = 新增 / 已修改

# characters XML 1.0 forbids (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class LedgerConflict(Exception):
    """The existing workbook must not be replaced: ``str()`` is the one line for the person."""


def _h(pair: tuple[str, str]) -> str:
    return pair[1] if language() == "en" else pair[0]


def _col(key: str) -> str:
    """The header of a 台账 column in the current language."""
    return _h(LEDGER[key])


def _clean(text: object) -> str:
    """Cell text: XML-forbidden characters dropped, CR LF made LF, cut at Excel's cell limit."""
    s = "" if text is None else str(text)
    s = _FORBIDDEN.sub("", s)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return s if len(s) <= MAX_CELL_CHARS else s[:MAX_CELL_CHARS - 1] + "…"


def _norm(value: object) -> str:
    """A cell as compared across runs: what Excel/WPS give back for what we wrote (a date comes back
    as a datetime)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _clean(value)


def _digest(value: object) -> str:
    return hashlib.sha1(_norm(value).encode("utf-8", "surrogatepass")).hexdigest()[:8]


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


_BARE_NUMERAL = re.compile(r"^[一二三四五六七八九十百零〇]+$")


def _item_path(task_id: str) -> str:
    """第N项 under its numbering path, as a reader finds it in Word: 三.(一).1 -> 三、（一）第1项."""
    parts = task_id.split("#")[0].split(".")
    heads = "".join(p + "、" if _BARE_NUMERAL.match(p) else p.replace("(", "（").replace(")", "）")
                    for p in parts[:-1])
    return heads + t("xlsx.position.item", n=parts[-1])


def _position(fmt: str, loc: Location, task_id: str | None = None) -> str:
    """原文位置 as a reader would look it up: 第3页 for PDF, 三、（一）第1项 for Word (which shows no
    paragraph numbers), 第12行 for text and HTML."""
    if loc.page is not None:
        return t("xlsx.position.page", n=loc.page)
    if fmt in PARAGRAPH_FORMATS:
        return _item_path(task_id) if task_id else ""
    return t("xlsx.position.line", n=loc.line) if loc.line is not None else ""


def _file_name(path: str | None) -> str:
    if not path:
        return ""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


# --- rows ------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One 台账 row: cells by header, and what identifies it across runs."""

    cells: dict[str, object]
    notice: str | None = None  # the notice's SHA-256 (None: a row a person added)
    task: str | None = None  # task id
    written: dict[str, str] = field(default_factory=dict)  # header -> digest of what taskparse wrote
    text: str = ""  # task text, for matching a revised notice
    source: tuple[Result, Task] | None = None  # what this run parsed it from (not stored in the file)

    def key_cell(self) -> str:
        return json.dumps({"n": self.notice, "t": self.task, "h": self.written}, ensure_ascii=False,
                          separators=(",", ":"))

    def edited(self) -> list[str]:
        """Headers of the cells a person changed since taskparse wrote them."""
        return [h for h, d in self.written.items() if _digest(self.cells.get(h)) != d]


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
            out.setdefault(i, []).append(warning_text(w.code, w.message))
    return out


def _extra_keys(results: Sequence[Result]) -> list[str]:
    ours = {h for pair in LEDGER_HEADERS for h in pair}
    keys: dict[str, None] = {}
    for r in results:
        for task in r.tasks:
            for k in task.extra:
                if k not in EXTRA_INTO and k not in ours and k != KEY_COLUMN:
                    keys.setdefault(k, None)
    return list(keys)


def _ledger_row(r: Result, task: Task, notes: list[str], extra_keys: list[str]) -> Row:
    progress = [v for k, v in task.extra.items() if EXTRA_INTO.get(k) == "进展情况" and v]
    remarks = [v for k, v in task.extra.items() if EXTRA_INTO.get(k) == "备注" and v] + notes
    values = [task.seq, r.notice.title or "", r.notice.doc_number or "", SECTION_SEP.join(task.section), task.text,
              SEP.join(task.leaders), SEP.join(task.lead_units), SEP.join(task.units), task.deadline or "",
              _due_date(task), "\n".join(progress), "\n".join(remarks), task.clause or "", _file_name(r.source.path),
              _position(r.source.format, task.location, task.id), task.id, ""]
    cells = {_h(pair): v for pair, v in zip(LEDGER_HEADERS, values)}
    cells.update({k: task.extra.get(k, "") for k in extra_keys})
    return Row(cells, notice=r.source.sha256 or _result_key(r), task=task.id, text=task.text, source=(r, task))


def _due_date(task: Task) -> date | None:
    """The task's due date, or None (a blank cell, so the column sorts as dates)."""
    return date.fromisoformat(task.due.date) if task.due is not None and task.due.date else None


def _result_key(r: Result) -> str:
    return "result:" + hashlib.sha256(r.model_dump_json().encode("utf-8")).hexdigest()


def fresh_rows(results: Sequence[Result]) -> tuple[list[str], list[Row]]:
    """The 台账 header and rows of ``results`` as taskparse writes them."""
    keys = _extra_keys(results)
    rows = []
    for r in results:
        notes = _task_warnings(r)
        for i, task in enumerate(r.tasks):
            rows.append(_ledger_row(r, task, notes.get(i, []), keys))
    return [_h(p) for p in LEDGER_HEADERS] + keys, rows


# --- reading an existing ledger --------------------------------------------------------------------

@dataclass
class Existing:
    """What a workbook at the destination holds, as far as a merge needs it."""

    ours: bool  # written by taskparse (has the marker sheet)
    legacy: bool = False  # a 台账 of an earlier taskparse, which marked nothing: cannot be merged
    lang: str = "zh"
    header: list[str] = field(default_factory=list)  # 台账 header as found
    written_header: list[str] = field(default_factory=list)  # 台账 header as taskparse wrote it
    rows: list[Row] = field(default_factory=list)
    row_count: int = 0  # keyed rows taskparse wrote
    sheets: dict[str, tuple[list[str], list[dict[str, object]]]] = field(default_factory=dict)  # other sheets

    def edits(self) -> list[str]:
        """Why this workbook counts as edited by a person (empty: it is as taskparse left it)."""
        what = []
        cells = sum(len(r.edited()) for r in self.rows if r.notice is not None)
        cells += sum(1 for r in self.rows if r.notice is not None for h in self.added_columns()
                     if _norm(r.cells.get(h)))
        if cells:
            what.append(t("what.cells", n=cells))
        added = self.added_columns()
        if added:
            what.append(t("what.columns", names="、".join(added)))
        keyed = sum(1 for r in self.rows if r.notice is not None)
        if keyed != self.row_count or any(r.notice is None for r in self.rows):
            what.append(t("what.rows"))
        return what

    def added_columns(self) -> list[str]:
        return [h for h in self.header if h and h not in self.written_header and h != KEY_COLUMN]


def _sheet_values(ws: Any) -> tuple[list[str], list[list[object]]]:
    rows = ws.iter_rows(values_only=True)
    try:
        head = next(rows)
    except StopIteration:
        return [], []
    header = ["" if v is None else str(v) for v in head]
    body = [list(r) + [None] * (len(header) - len(r)) for r in rows if any(v not in (None, "") for v in r)]
    return header, body


_READ_CACHE: dict[tuple[str, int, int], Existing] = {}  # checked before parsing, used again when writing


def read_existing(dest: Path) -> Existing:
    """Read the workbook at ``dest`` (once per version of the file); raises LedgerConflict when it
    cannot be read."""
    st = dest.stat()
    key = (str(dest.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _READ_CACHE:
        _READ_CACHE.clear()
        _READ_CACHE[key] = _read_existing(dest)
    return _READ_CACHE[key]


def _read_existing(dest: Path) -> Existing:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise LedgerConflict(t("ledger.unreadable", dest=dest, detail="pip install openpyxl")) from exc
    try:
        wb = openpyxl.load_workbook(dest, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage in someone else's file: one line, file left alone
        raise LedgerConflict(t("ledger.unreadable", dest=dest, detail=type(exc).__name__)) from exc
    try:
        if META_SHEET not in wb.sheetnames:
            legacy = False
            if "台账" in wb.sheetnames:  # a ledger of a taskparse before the merge: 任务编号 in its header
                header, _ = _sheet_values(wb["台账"])
                legacy = "任务编号" in header
            return Existing(ours=False, legacy=legacy)
        meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0] is not None}
        if meta.get("mark") != META_MARK:
            return Existing(ours=False)
        ex = Existing(ours=True, lang=str(meta.get("lang") or "zh"),
                      written_header=json.loads(str(meta.get("header") or "[]")),
                      row_count=int(meta.get("rows") or 0))
        names = {k: (zh, en) for k, (zh, en) in SHEET_NAMES.items()}
        ledger_name = names["ledger"][0]
        if ledger_name in wb.sheetnames:
            ex.header, body = _sheet_values(wb[ledger_name])
            ex.rows = [_row_from_cells(ex.header, values) for values in body]
        for key in ("warnings", "files", "deleted"):
            name = names[key][0]
            if name in wb.sheetnames:
                header, body = _sheet_values(wb[name])
                ex.sheets[key] = (header, [dict(zip(header, values)) for values in body])
        return ex
    finally:
        wb.close()


def _row_from_cells(header: list[str], values: list[object]) -> Row:
    cells = {h: v for h, v in zip(header, values) if h and h != KEY_COLUMN}
    raw = values[header.index(KEY_COLUMN)] if KEY_COLUMN in header else None
    try:
        key = json.loads(str(raw)) if raw else None
    except ValueError:
        key = None
    if not isinstance(key, dict) or not key.get("n"):
        return Row(cells)
    h = key.get("h")
    written: dict[str, str] = h if isinstance(h, dict) else {}
    text_header = next((h for h in header if h in ("重点任务", "Task")), "重点任务")
    return Row(cells, notice=str(key["n"]), task=str(key.get("t") or ""), written=dict(written),
               text=_norm(cells.get(text_header)))


# --- merging ---------------------------------------------------------------------------------------

@dataclass
class MergeReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    kept: int = 0  # cells a person filled, carried over


def _match_tasks(old: list[Row], new: list[Row], same_file: bool) -> dict[int, int]:
    """new index -> old index.  The same file: by task id.  A revised one: equal text, then the same
    id with similar text, then the most similar text (numbers shift when an item is inserted)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def take(n: int, o: int) -> None:
        pairs[n] = o
        used.add(o)

    if same_file:
        by_id = {r.task: i for i, r in enumerate(old)}
        for n, r in enumerate(new):
            o = by_id.get(r.task)
            if o is not None and o not in used:
                take(n, o)
    by_text: dict[str, list[int]] = {}
    for i, r in enumerate(old):
        by_text.setdefault(r.text, []).append(i)
    for n, r in enumerate(new):
        if n in pairs:
            continue
        for o in by_text.get(r.text, []):
            if o not in used:
                take(n, o)
                break
    by_id = {r.task: i for i, r in enumerate(old)}
    for n, r in enumerate(new):
        o = by_id.get(r.task)
        if n not in pairs and o is not None and o not in used and _similar(r.text, old[o].text) >= SIMILAR_TEXT_SAME_ID:
            take(n, o)
    left_new = [n for n in range(len(new)) if n not in pairs]
    left_old = [o for o in range(len(old)) if o not in used]
    if left_new and left_old and len(left_new) * len(left_old) <= MAX_SIMILARITY_PAIRS:
        scored = sorted(((_similar(new[n].text, old[o].text), n, o) for n in left_new for o in left_old),
                        key=lambda x: -x[0])
        for score, n, o in scored:
            if score < SIMILAR_TEXT:
                break
            if n not in pairs and o not in used:
                take(n, o)
    return pairs


def _similar(a: str, b: str) -> float:
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR_TEXT_SAME_ID or m.quick_ratio() < SIMILAR_TEXT_SAME_ID:
        return 0.0
    return m.ratio()


def _carry(old: Row, new: Row, added_columns: list[str], report: MergeReport) -> Row:
    """``new`` with every cell a person filled in ``old`` carried over."""
    cells = dict(new.cells)
    edited = set(old.edited())
    for h in edited:
        if h in old.cells:
            cells[h] = old.cells[h]
            report.kept += 1
    for h in added_columns:
        if _norm(old.cells.get(h)):
            cells[h] = old.cells[h]
            report.kept += 1
    ignore = {_col(k) for k in NOT_A_CHANGE}
    compare = [h for h in new.written if h not in ignore]
    changed = any(old.written.get(h) != new.written.get(h) for h in compare)
    merged = Row(cells, notice=new.notice, task=new.task, written=new.written, text=new.text, source=new.source)
    if changed:
        merged.cells[_col("change")] = t("change.changed")
        merged.written[_col("change")] = _digest(t("change.changed"))
        report.changed += 1
    return merged


def _notice_identity(rows: list[Row]) -> tuple[str, str]:
    title = next((_norm(r.cells.get(_col("title"))) for r in rows), "")
    number = next((_norm(r.cells.get(_col("number"))) for r in rows), "")
    return title, number


def merge(existing: Existing, header: list[str], new_rows: list[Row]) -> tuple[list[str], list[Row], list[Row],
                                                                                   MergeReport, set[str]]:
    """Merge freshly made rows into an existing ledger.  Returns (header, rows, newly removed rows,
    report, SHA-256 of the notices kept untouched)."""
    report = MergeReport()
    added_columns = existing.added_columns()
    # the new rows grouped by notice, in order
    new_groups: dict[str, list[Row]] = {}
    for r in new_rows:
        new_groups.setdefault(r.notice or "", []).append(r)
    old_groups: dict[str, list[Row]] = {}
    for r in existing.rows:
        if r.notice is not None:
            old_groups.setdefault(r.notice, []).append(r)
    # notice matching: by SHA-256, then by title + 文号
    old_for_new: dict[str, str] = {}
    for sha in new_groups:
        if sha in old_groups:
            old_for_new[sha] = sha
    claimed = set(old_for_new.values())
    by_identity: dict[tuple[str, str], str] = {}
    for sha, rows in old_groups.items():
        ident = _notice_identity(rows)
        if sha not in claimed and any(ident):
            by_identity.setdefault(ident, sha)
    for sha, rows in new_groups.items():
        if sha in old_for_new:
            continue
        old_sha = by_identity.get(_notice_identity(rows))
        if old_sha is not None and old_sha not in claimed:
            old_for_new[sha] = old_sha
            claimed.add(old_sha)
    merged_groups: dict[str, list[Row]] = {}
    removed: list[Row] = []
    for sha, rows in new_groups.items():
        old_sha = old_for_new.get(sha)
        if old_sha is None:
            for r in rows:
                _mark_new(r, report)
            continue
        old_rows = old_groups[old_sha]
        pairs = _match_tasks(old_rows, rows, same_file=old_sha == sha)
        out = []
        for n, r in enumerate(rows):
            if n in pairs:
                out.append(_carry(old_rows[pairs[n]], r, added_columns, report))
            else:
                _mark_new(r, report)
                out.append(r)
        matched_old = set(pairs.values())
        removed += [o for i, o in enumerate(old_rows) if i not in matched_old]
        merged_groups[old_sha] = out
    report.removed = len(removed)
    # order: the old sheet's order, a refreshed notice in place of its old rows; new notices last
    final: list[Row] = []
    emitted: set[str] = set()
    kept: set[str] = set()
    for r in existing.rows:
        if r.notice is None:
            final.append(r)  # a row a person added
        elif r.notice in merged_groups:
            if r.notice not in emitted:
                final += merged_groups[r.notice]
                emitted.add(r.notice)
        else:
            final.append(r)  # a notice not in this run: kept as it is
            kept.add(r.notice)
    for sha, rows in new_groups.items():
        if sha not in old_for_new:
            final += rows
    out_header = list(header) + [h for h in added_columns if h not in header]
    for h in existing.header:  # table columns of kept notices
        if h and h != KEY_COLUMN and h in existing.written_header and h not in out_header:
            out_header.append(h)
    return out_header, final, removed, report, kept


def _mark_new(r: Row, report: MergeReport) -> None:
    h = _col("change")
    r.cells[h] = t("change.new")
    r.written[h] = _digest(r.cells[h])
    report.added += 1


# --- the other sheets, derived from the final 台账 rows ------------------------------------------

@dataclass
class _Sheet:
    key: str
    columns: list[str]
    rows: list[list[object]]
    hidden_last: bool = False
    highlight: list[bool] | None = None
    due_column: str | None = None  # a column of dates to highlight when past (TODAY())


def _split(value: object) -> list[str]:
    return [u for u in _norm(value).split(SEP) if u]


def _offices(r: Row) -> list[tuple[str, str, str]]:
    """(canonical, role, printed) of a 台账 row, each office once (one that leads is not listed again as
    sharing): from the parse when the unit cells are as taskparse wrote them, else from the cells a
    person corrected (each name its own office)."""
    from ..units import task_offices

    lead, units = r.cells.get(_col("lead")), r.cells.get(_col("units"))
    if r.source is not None:
        task = r.source[1]
        if _norm(lead) == SEP.join(task.lead_units) and _norm(units) == SEP.join(task.units):
            return [(office, role, printed) for office, role, _, printed in task_offices(task)]
    out, seen = [], set()
    for role, names in (("lead", _split(lead)), ("unit", _split(units))):
        for name in names:
            if name not in seen:
                seen.add(name)
                out.append((name, role, name))
    return out


def _by_unit(rows: list[Row], needle: str | None) -> tuple[_Sheet, _Sheet]:
    """按单位 and 单位汇总 from the 台账 rows as they end up (a person's corrections count), grouped by
    canonical unit in order of first appearance, leads before shares."""
    groups: dict[str, list[tuple[str, int, Row, str]]] = {}
    for i, r in enumerate(rows):
        for office, role, printed in _offices(r):
            if needle is None or needle in office or needle in printed:
                groups.setdefault(office, []).append((role, i, r, printed))
    unit_rows: list[list[object]] = []
    counts: list[list[object]] = []
    for office, items in groups.items():
        ordered = [x for x in items if x[0] == "lead"] + [x for x in items if x[0] == "unit"]
        for role, _, r, printed in ordered:
            c = r.cells.get
            unit_rows.append([office, printed, t(f"role.{role}"), c(_col("seq")), c(_col("id")), c(_col("text")),
                              c(_col("deadline")), c(_col("due")), c(_col("source")), c(_col("position"))])
        lead = sum(1 for x in items if x[0] == "lead")
        forms = SEP.join(dict.fromkeys(x[3] for x in items))
        counts.append([office, forms, lead, len(items) - lead, len({x[1] for x in items})])
    counts.sort(key=lambda c: -int(str(c[4])))  # stable: ties keep first appearance
    return (_Sheet("units", [_h(p) for p in UNIT_HEADERS], unit_rows, due_column=_h(DUE_HEADER)),
            _Sheet("summary", [_h(p) for p in SUMMARY_HEADERS], counts))


def _due_sheet(rows: list[Row]) -> _Sheet:
    """到期: the tasks with a due date, earliest first, then the recurring, ongoing and unrecognised ones
    (as ``taskparse due`` orders them); rows kept from earlier runs by the date in their 到期日 cell."""
    from ..dueview import kind_name
    from ..dueview import rows as due_rows

    results: dict[int, Result] = {}
    tasks: dict[int, set[int]] = {}
    for r in rows:
        if r.source is not None:
            results.setdefault(id(r.source[0]), r.source[0])
            tasks.setdefault(id(r.source[0]), set()).add(id(r.source[1]))
    parsed = [res.model_copy(update={"tasks": [x for x in res.tasks if id(x) in tasks[key]]})
              for key, res in results.items()]
    c = _col
    out: list[list[object]] = []
    for d in due_rows(parsed):
        out.append([_due_date(d.task), kind_name(d.due) + ("（文中）" if d.due.from_ == "text" else ""),
                    d.task.deadline or "", d.task.text, SEP.join(d.task.lead_units), SEP.join(d.task.units),
                    _file_name(d.result.source.path), _position(d.result.source.format, d.task.location, d.task.id),
                    d.task.id])
    kept = [r for r in rows if r.source is None and isinstance(r.cells.get(c("due")), (date, datetime))]
    for r in kept:
        when = r.cells[c("due")]
        out.append([when.date() if isinstance(when, datetime) else when, "", r.cells.get(c("deadline")),
                    r.cells.get(c("text")), r.cells.get(c("lead")), r.cells.get(c("units")),
                    r.cells.get(c("source")), r.cells.get(c("position")), r.cells.get(c("id"))])
    dated = sorted((x for x in out if isinstance(x[0], date)), key=lambda x: cast(date, x[0]))
    return _Sheet("due", [_h(p) for p in DUE_HEADERS], dated + [x for x in out if not isinstance(x[0], date)],
                  due_column=_h(DUE_HEADER))


def _warnings_rows(results: Sequence[Result]) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in results:
        starts = [_sort_key(task.location) for task in r.tasks]
        for w in r.warnings:
            i = bisect.bisect_right(starts, _sort_key(w.location)) - 1
            near = r.tasks[i].id if i >= 0 and (w.location.line is not None or w.location.page is not None) else None
            rows.append([_file_name(r.source.path), w.code, warning_text(w.code, w.message),
                         _position(r.source.format, w.location, near)])
    return rows


def _files_rows(results: Sequence[Result], failed: Sequence[tuple[str, str]]) -> list[list[object]]:
    rows: list[list[object]] = [[_file_name(r.source.path), r.source.format, r.notice.title or "",
                                 r.notice.doc_number or "", r.notice.issuer or "", r.notice.date or "", len(r.tasks),
                                 len(r.warnings), t("xlsx.ok"), r.source.path or ""] for r in results]
    rows += [[_file_name(path), "", "", "", "", "", "", "", error, path] for path, error in failed]
    return rows


def _carried(existing: Existing | None, key: str, header: list[str], keep: set[str]) -> list[list[object]]:
    """Rows of an old sheet whose 来源文件 belongs to a notice kept untouched by the merge."""
    if existing is None or key not in existing.sheets:
        return []
    old_header, rows = existing.sheets[key]
    source = old_header[0] if old_header else ""
    return [[row.get(h) for h in header] for row in rows if _norm(row.get(source)) in keep]


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
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _add_sheet(workbook: Any, sheet: _Sheet, formats: dict[str, Any]) -> None:
    # rows go out in order, each with its height first: the workbook streams them (constant_memory)
    name = SHEET_NAMES[sheet.key][1 if language() == "en" else 0]
    ws = workbook.add_worksheet(name)
    due = sheet.columns.index(sheet.due_column) if sheet.due_column in sheet.columns else -1
    cells = [[v if _is_number(v) or isinstance(v, date) or (v is None and c == due) else _clean(v)
              for c, v in enumerate(row)] for row in sheet.rows]
    shown = len(sheet.columns) - (1 if sheet.hidden_last else 0)
    widths = _widths(sheet.columns, [row[:len(sheet.columns)] for row in cells])
    for c, w in enumerate(widths):
        if c >= shown:
            ws.set_column(c, c, 8, None, {"hidden": True})
        else:
            ws.set_column(c, c, w)
    ws.set_row(0, _height(max(_lines_needed(n, w) for n, w in zip(sheet.columns[:shown], widths))))
    for c, name in enumerate(sheet.columns):
        ws.write_string(0, c, name, formats["head"])
    for r, row in enumerate(cells, start=1):
        visible = row[:shown]
        ws.set_row(r, _height(max(1, *(_lines_needed(v, w) for v, w in zip(visible, widths) if isinstance(v, str)))))
        marked = bool(sheet.highlight and sheet.highlight[r - 1])
        for c, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(r, c, value, formats["mark" if marked else "text"])
            elif isinstance(value, date):
                day = value.date() if isinstance(value, datetime) else value
                ws.write_datetime(r, c, datetime(day.year, day.month, day.day), formats["date"])
            elif value is None:
                ws.write_blank(r, c, None, formats["date"])
            else:
                ws.write_number(r, c, value, formats["num"])
    if due >= 0 and cells:
        _overdue_rule(ws, due, len(cells), formats["overdue"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(1, len(cells)), shown - 1)
    ws.set_landscape()
    ws.set_paper(PAPER_A4)
    ws.set_margins(left=MARGIN_IN, right=MARGIN_IN, top=MARGIN_IN + 0.2, bottom=MARGIN_IN + 0.2)
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.set_footer("&C第 &P 页，共 &N 页" if language() != "en" else "&CPage &P of &N")


def _overdue_rule(ws: Any, col: int, n_rows: int, fmt: Any) -> None:
    """Highlight a due date before today, computed by Excel/WPS when the file is opened (not frozen)."""
    from xlsxwriter.utility import xl_col_to_name

    cell = f"${xl_col_to_name(col)}2"
    ws.conditional_format(1, col, n_rows, col, {"type": "formula", "criteria": f"=AND(ISNUMBER({cell}),{cell}<TODAY())",
                                               "format": fmt})


def _ledger_sheet(header: list[str], rows: list[Row]) -> _Sheet:
    body: list[list[object]] = []
    change = _col("change")
    for r in rows:
        body.append([r.cells.get(h, "") for h in header] + [r.key_cell() if r.notice is not None else ""])
    highlight = [bool(_norm(r.cells.get(change))) for r in rows]
    return _Sheet("ledger", header + [KEY_COLUMN], body, hidden_last=True, highlight=highlight, due_column=_col("due"))


def _stamp(rows: list[Row], header: list[str], ours: set[str]) -> None:
    """Record the digest of every cell taskparse writes in a fresh row."""
    for r in rows:
        if r.notice is not None and not r.written:
            r.written = {h: _digest(r.cells.get(h, "")) for h in header if h in ours}


def plan(dest: Path, mode: str) -> Existing | None:
    """Check an existing workbook at ``dest`` before any work.  ``mode``: ``refuse`` (a plain run:
    replace only an unedited taskparse ledger), ``update`` (merge) or ``force`` (replace, keep .bak).
    Returns what a merge needs (None when there is nothing to merge); raises LedgerConflict."""
    if not dest.exists() or dest.is_dir():
        return None
    if mode == "force":
        return None
    existing = read_existing(dest)
    if not existing.ours:
        if existing.legacy:
            raise LedgerConflict(t("ledger.legacy", dest=dest))
        raise LedgerConflict(t("ledger.foreign_update" if mode == "update" else "ledger.foreign", dest=dest))
    if mode == "update":
        return existing
    what = existing.edits()
    if what:
        raise LedgerConflict(t("ledger.edited", dest=dest, what="，".join(what) if language() == "zh"
                               else ", ".join(what)))
    return None


def write(results: Sequence[Result], dest: Path, *, unit: str | None = None, mode: str = "refuse",
          failed: Sequence[tuple[str, str]] = ()) -> MergeReport | None:
    """Write the ledger workbook; ``unit`` limits 按单位/单位汇总 to units containing it; ``failed`` are
    (path, error line) of files that did not convert (rows of 文件).  An existing workbook is
    handled per ``mode`` (see ``plan``); returns the merge report when one was merged."""
    try:
        import xlsxwriter
    except ImportError as exc:  # pragma: no cover - a declared dependency
        from ..errors import TaskparseError

        raise TaskparseError("writing .xlsx needs the xlsxwriter package", str(dest),
                             "pip install xlsxwriter") from exc

    from .. import messages

    existing = plan(dest, mode)
    chosen = messages.chosen_language()
    # a merged ledger keeps the language it was made in; fixed for the write (and language() is then cheap)
    set_language(existing.lang if existing is not None and existing.lang in ("zh", "en") else language())
    try:
        header, rows = fresh_rows(results)
        ours = set(header)
        _stamp(rows, header, ours)
        report = None
        removed: list[Row] = []
        kept: set[str] = set()
        if existing is not None:
            header, rows, removed, report, kept = merge(existing, header, rows)
        written_header = [h for h in header if h in ours or (existing is not None and h in existing.written_header)]
        source_h = _col("source")
        kept_files = {_norm(r.cells.get(source_h)) for r in rows if r.notice in kept}
        unit_sheet, summary_sheet = _by_unit(rows, unit)
        warn_header = [_h(p) for p in WARNING_HEADERS]
        file_header = [_h(p) for p in FILE_HEADERS]
        sheets = [_ledger_sheet(header, rows), unit_sheet, summary_sheet, _due_sheet(rows),
                  _Sheet("warnings", warn_header, _carried(existing, "warnings", warn_header, kept_files)
                         + _warnings_rows(results)),
                  _Sheet("files", file_header, _carried(existing, "files", file_header, kept_files)
                         + _files_rows(results, failed))]
        deleted = _deleted_sheet(existing, header, removed)
        if deleted is not None:
            sheets.append(deleted)
        meta = [["mark", META_MARK], ["version", str(META_VERSION)], ["lang", language()],
                ["header", json.dumps(written_header, ensure_ascii=False)],
                ["rows", str(sum(1 for r in rows if r.notice is not None))]]
        with atomic_path(dest) as tmp:
            workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                                      "strings_to_numbers": False, "constant_memory": True})
            try:
                base = {"font_name": "宋体", "font_size": 11, "valign": "top", "border": 1}
                formats = {
                    "head": workbook.add_format({**base, "bold": True, "text_wrap": True, "align": "center",
                                                 "valign": "vcenter", "bg_color": "#D9E1F2"}),
                    "text": workbook.add_format({**base, "text_wrap": True}),
                    "mark": workbook.add_format({**base, "text_wrap": True, "bg_color": NEW_ROW_COLOUR}),
                    "num": workbook.add_format({**base, "align": "center"}),
                    "date": workbook.add_format({**base, "align": "center", "num_format": DATE_FORMAT}),
                    "overdue": workbook.add_format({"bg_color": OVERDUE_FILL, "font_color": OVERDUE_FONT})}
                for sheet in sheets:
                    _add_sheet(workbook, sheet, formats)
                ws = workbook.add_worksheet(META_SHEET)
                for i, (k, v) in enumerate(meta):
                    ws.write_string(i, 0, k)
                    ws.write_string(i, 1, v)
                ws.very_hidden()
            finally:
                workbook.close()
        return report
    finally:
        set_language(chosen)


def _deleted_sheet(existing: Existing | None, header: list[str], removed: list[Row]) -> _Sheet | None:
    old_header, old_rows = (existing.sheets.get("deleted", ([], [])) if existing is not None else ([], []))
    if not removed and not old_rows:
        return None
    date_h = _h(DELETED_DATE_HEADER)
    columns = [h for h in old_header if h and h != KEY_COLUMN]
    for h in header + [date_h]:
        if h not in columns and h != KEY_COLUMN:
            columns.append(h)
    today = date.today().isoformat()
    rows = [[row.get(h) for h in columns] for row in old_rows]
    rows += [[(today if h == date_h else r.cells.get(h)) for h in columns] for r in removed]
    return _Sheet("deleted", columns, rows)
