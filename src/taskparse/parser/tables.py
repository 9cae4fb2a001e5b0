"""Table-form notices: 序号 | 重点任务 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限 ….

Columns are mapped by the meaning of their header, not their position.  Section rows become
headings (so the outline gives them to the rows below), data rows become leaf items whose roles
come from their cells.  Tables without a task header are read as plain lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..document import Cell, Line, Table
from . import patterns as P
from .clauses import Roles, _units_and_leads, split_leaders
from .outline import UNNUMBERED_LEVEL, LLine, Node, add_child
from .text import clean, no_private_use, strip_marks, with_bold_marks

HEADER_SCAN_ROWS = 4  # a header is looked for in the first rows of a table
TEXT_TABLE_MIN_ROWS = 2
HEADER_CELL_MAX_CHARS = 10
LAYOUT_CELL_CHARS = 200  # a cell this long (or with several paragraphs) is page layout, not a table field  # cells of a header row are short labels  # "|"- or tab-separated lines needed to make a text table

_ROLE_WORDS = (
    ("leaders", ("领导",)),
    ("lead", ("牵头", "主办", "主责")),
    ("units", ("责任单位", "配合单位", "协办单位", "参与单位", "协同", "责任部门", "配合部门", "承办单位", "协办部门",
               "参与部门", "实施单位", "落实单位", "责任主体", "责任科室", "配合科室", "责任处室", "责任股室", "实施主体",
               "落实主体", "主体单位", "协办", "配合", "参与", "承办")),  # compact headers: 主办 | 协办
    ("deadline", ("完成时限", "时间节点", "完成时间", "时限", "进度安排", "完成期限", "时间要求", "时间安排", "时序进度",
                  "进度要求", "时间进度")),
    ("number", ("序号", "编号")),
    ("task", ("重点任务", "工作任务", "主要任务", "任务内容", "工作内容", "具体措施", "主要工作举措", "目标任务",
              "工作措施", "具体任务", "工作举措", "重点工作", "主要内容", "建设内容", "项目名称", "项目内容",
              "任务名称", "工作事项", "重点事项", "任务事项", "工作目标", "目标要求", "年度目标", "具体工作", "主要措施",
              "工作要求", "事项", "任务", "内容", "项目", "措施", "目标")),
)
_NUMBER_ONLY = regex.compile(r"^\d{1,4}[.、．]?$")
_CN_NUMBER_ONLY = regex.compile(rf"^[{P.CN_DIGITS}]{{1,4}}[、.．]?$")


@dataclass
class Header:
    roles: list[str]  # per column: leaders/lead/units/deadline/number/task/extra/""
    names: list[str]  # per column, the header text as printed (cleaned)
    rows: int  # how many rows the header takes
    texts: tuple[str, ...] = ()

    def has_task(self) -> bool:
        return "task" in self.roles and any(r in self.roles for r in ("lead", "units", "leaders"))


@dataclass
class TableState:
    """Carried between consecutive tables: a table that continues on the next page has no header."""

    header: Header | None = None
    ncols: int = 0
    rows: dict[int, dict] = field(default_factory=dict)


def role_of_header(text: str) -> str:
    h = clean(strip_marks(text)).strip("：:*＊ ")
    if not h:
        return ""
    for role, words in _ROLE_WORDS:
        if any(w in h for w in words):
            if role == "lead" and "领导" in h:
                return "leaders"
            return role
    return "extra"


def _header_of(rows: tuple[tuple[Cell, ...], ...]) -> Header | None:
    for i in range(min(HEADER_SCAN_ROWS, len(rows))):
        texts = [clean(c.text) for c in rows[i]]
        roles = [role_of_header(t) if len(t) <= HEADER_CELL_MAX_CHARS else "" for t in texts]
        h = Header(roles, texts, i + 1, tuple(texts))
        if not h.has_task():
            continue
        # a second header row under merged cells: "责任单位" over "牵头单位 | 配合单位"
        if i + 1 < len(rows):
            below = [clean(c.text) for c in rows[i + 1]]
            below_roles = [role_of_header(t) if 0 < len(t) <= 16 else "" for t in below]
            if (sum(1 for r in below_roles if r not in ("", "extra")) >= 2 and len({t for t in below if t}) > 1
                    and not any(len(t) > HEADER_CELL_MAX_CHARS for t in below)):
                for j, (t, r) in enumerate(zip(below, below_roles)):
                    if r and t != texts[j]:
                        h.roles[j], h.names[j] = r, t
                h.rows += 1
        return h
    return None


def table_lines(table: Table, state: TableState | None = None) -> list[LLine]:
    """Lines for one table: headings, task rows (``table_row`` set) or plain text rows."""
    state = state if state is not None else TableState()
    rows = tuple(tuple(Cell(no_private_use(c.text), c.bold, c.bold_spans, c.merged) for c in row) for row in table.rows)
    header = _header_of(rows)
    start = 0
    if header is not None:
        start = header.rows
    elif state.header is not None and rows and len(rows[0]) == state.ncols:
        header = state.header  # continued from the previous page
    if header is None:
        return _plain_rows(table)
    state.header, state.ncols = header, len(rows[0]) if rows else 0
    out: list[LLine] = []
    for r in range(start, len(rows)):
        page = table.row_pages[r] if r < len(table.row_pages) else table.page
        row = rows[r]
        texts = tuple(clean(c.text) for c in row)
        if texts == header.texts or not any(texts):
            continue  # header repeated on a new page, or an empty row
        ll = _row_line(row, texts, header, table.line, page)
        if ll is not None:
            out.append(ll)
    return out


def _plain_rows(table: Table) -> list[LLine]:
    """A table without a task header: a layout table (a whole notice in one cell, as web pages
    do) gives each paragraph of a cell as a line; a row of short cells (索引号 | …) gives one line."""
    from .outline import _block_lines

    out: list[LLine] = []
    for r, row in enumerate(table.rows):
        page = table.row_pages[r] if r < len(table.row_pages) else table.page
        cells, seen = [], set()
        for c in row:
            if c.merged and c.text in seen:
                continue
            seen.add(c.text)
            cells.append(c)
        if any("\n" in c.text or len(c.text) > LAYOUT_CELL_CHARS for c in cells):
            for c in cells:
                out += _block_lines(Line(c.text, table.line, page, c.bold, c.bold_spans))
        else:
            text = " ".join(with_bold_marks(c.text, c.bold_spans) if c.bold_spans else c.text for c in cells)
            filled = [c for c in cells if c.text.strip()]
            out += _block_lines(Line(text, table.line, page, bold=bool(filled) and all(c.bold for c in filled)))
    return out


def _row_line(row, texts, header: Header, line, page) -> LLine | None:
    distinct = {t for t in texts if t}
    first = next((t for t in texts if t), "")
    by_role: dict[str, list[int]] = {}
    for j, role in enumerate(header.roles[: len(texts)]):
        by_role.setdefault(role, []).append(j)
    task_text = "：".join(texts[j] for j in by_role.get("task", []) if texts[j])
    number = next((texts[j] for j in by_role.get("number", []) if texts[j]), "")
    # section rows: one text across the row (merged), or a heading in the first cell only
    if len(distinct) == 1 and (len([t for t in texts if t]) > 1 or not _NUMBER_ONLY.match(first)):
        only = first
        if not number or only != number or _CN_NUMBER_ONLY.match(only) is None:
            return LLine(only, line, page)
    if number and _CN_NUMBER_ONLY.match(number) and task_text and not any(
            texts[j] for role in ("lead", "units", "leaders") for j in by_role.get(role, [])):
        return LLine(number.rstrip("、.．") + "、" + task_text, line, page)  # 序号 一 | 抓好疫情防控
    if not task_text:
        return None
    cells = {}
    for role in ("leaders", "lead", "units", "deadline"):
        vals = []
        for j in by_role.get(role, []):
            c = row[j]
            t = with_bold_marks(c.text, c.bold_spans) if c.bold_spans else (
                P.BOLD_ON + c.text + P.BOLD_OFF if c.bold and c.text.strip() else c.text)
            t = clean(t)
            if t and t not in vals:
                vals.append(t)
        cells[role] = "、".join(vals)
    extra = {header.names[j]: texts[j] for j in by_role.get("extra", []) if texts[j] and header.names[j]}
    ll = LLine(task_text, line, page)
    ll.table_row = (number, task_text, cells.get("leaders", ""), cells.get("lead", ""), cells.get("units", ""),
                    cells.get("deadline", ""), tuple(sorted(extra.items())))
    return ll


def row_node(ll: LLine, stack: list[Node], root: Node, title: str | None) -> Node:
    """A leaf item for a task row, under the current headings."""
    number, text, leaders, lead, units, deadline, extra = ll.table_row
    roles = Roles()
    roles.leaders = split_leaders(leaders)
    if lead:
        u, l2, d = _units_and_leads(lead)
        roles.lead = l2 + u
        roles.explicit_lead = True
        roles.deadline = d
    if units:
        u, l2, d = _units_and_leads(units)
        roles.units = u
        if l2:
            roles.lead += l2
            roles.explicit_lead = True
        roles.deadline = roles.deadline or d
    if deadline:
        roles.deadline = strip_marks(deadline)
    # under the innermost heading; a numbered item that already has its clause is a sibling, not a parent
    parent = next((n for n in reversed(stack) if n.level == 0 or (not n.closed and n.preset is None)), root)
    num = regex.sub(r"[、.．]$", "", strip_marks(number))
    node = Node(UNNUMBERED_LEVEL, num, num, int(num) if num.isdigit() else None, ll, [LLine(text, ll.line, ll.page, None, ll.idx)],
                parent=parent, title_before=title, closed=True, terminated=True)
    node.clause_lines = [LLine("；".join(f"{k}：{v}" for k, v in (("牵头领导", leaders), ("牵头单位", lead),
                                                                   ("责任单位", units), ("完成时限", deadline)) if v),
                               ll.line, ll.page, None, ll.idx)] if (leaders or lead or units or deadline) else []
    node.preset = roles
    node.extra = dict(extra)
    add_child(parent, node)
    return node


# --- tables written as text ("|" or tab separated) ---------------------------------------------------

def text_tables(blocks: list) -> list:
    """Turn runs of '|'- or tab-separated lines with a task header into Table blocks."""
    out: list = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Line) and _cells(b.text) is not None:
            j = i
            run = []
            while j < len(blocks) and isinstance(blocks[j], Line) and _cells(blocks[j].text) is not None:
                run.append(blocks[j])
                j += 1
            rows = []
            if len(run) >= TEXT_TABLE_MIN_ROWS:
                rows = [_cells(x.text) for x in run if not regex.fullmatch(r"[\s|:\-—=+]*", x.text)]
            if len(rows) >= TEXT_TABLE_MIN_ROWS:
                width = max(len(r) for r in rows)
                grid = tuple(tuple(Cell(t) for t in r + [""] * (width - len(r))) for r in rows)
                if _header_of(grid) is not None:
                    out.append(Table(grid, line=run[0].line, page=run[0].page))
                    i = j
                    continue
            out.extend(run)
            i = j
            continue
        out.append(b)
        i += 1
    return out


def _cells(text: str) -> list[str] | None:
    s = text.strip()
    if "\t" in s and s.count("\t") >= 1:
        parts = [p.strip() for p in s.split("\t")]
    elif s.count("|") >= 2 or s.count("｜") >= 2:
        parts = [p.strip() for p in regex.split(r"[|｜]", s)]
        if parts and parts[0] == "":
            parts = parts[1:]
        if parts and parts[-1] == "":
            parts = parts[:-1]
    else:
        return None
    return parts if len(parts) >= 2 else None
