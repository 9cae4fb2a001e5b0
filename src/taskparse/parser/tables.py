"""Table-form notices: 序号 | 重点任务 | 牵头领导 | 牵头单位 | 责任单位 | 完成时限 ….

Columns are mapped by the meaning of their header, not their position.  Section rows become
headings (so the outline gives them to the rows below), data rows become leaf items whose roles
come from their cells.  Tables without a task header are read as plain lines.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from ..document import Cell, Line, Table
from . import patterns as P
from . import vocabulary as V
from .clauses import Roles, is_placeholder, parse_field, split_leaders
from .lines import HEADING_MAX_CHARS, block_lines
from .tree import UNNUMBERED_LEVEL, LLine, Node, add_child, open_parent
from .text import clean, no_private_use, strip_marks, with_bold_marks

HEADER_SCAN_ROWS = 4  # a header is looked for in the first rows of a table
TEXT_TABLE_MIN_ROWS = 2  # "|"- or tab-separated lines needed to make a text table
TEXT_TABLE_CATEGORY_CHARS = 40  # a line without separators between its rows, this short, is a category row
HEADER_CELL_MAX_CHARS = 10  # cells of a header row are short labels
LAYOUT_CELL_CHARS = 200  # a cell this long (or with several paragraphs) is page layout, not a table field

WHO_ROLES = ("lead", "units", "leaders", "duty")  # columns that say who does the work
CELL_ROLES = ("leaders", "lead", "units", "duty", "deadline")


@dataclass(frozen=True)
class TableRow:
    """One task row of a table: its number, task text and the raw cell text of each role."""

    number: str
    text: str
    cells: tuple[tuple[str, str], ...]  # (role, cell text with bold marks) for CELL_ROLES that are filled
    extra: tuple[tuple[str, str], ...]  # (header as printed, cell text) of columns with no role

    def cell(self, role: str) -> str:
        return next((t for r, t in self.cells if r == role), "")


_NUMBER_ONLY = regex.compile(r"^\d{1,4}[.、．]?$")
_CN_NUMBER_ONLY = regex.compile(rf"^[{P.CN_DIGITS}]{{1,4}}[、.．]?$")


@dataclass
class Header:
    roles: list[str]  # per column: leaders/lead/units/deadline/number/task/extra/""
    names: list[str]  # per column, the header text as printed (cleaned)
    rows: int  # how many rows the header takes
    texts: tuple[str, ...] = ()

    def has_task(self) -> bool:
        return "task" in self.roles and any(r in self.roles for r in WHO_ROLES)


@dataclass
class TableState:
    """Carried between consecutive tables: a table that continues on the next page has no header."""

    header: Header | None = None
    ncols: int = 0
    rows: dict[int, dict] = field(default_factory=dict)


_NUMBER_STOP = regex.compile(r"[、.．]$")
_RULE_LINE = regex.compile(r"[\s|:\-—=+]*")  # a text table's rule line: "|---|:--|"
_BAR = regex.compile(r"[|｜]")
_REMARK = regex.compile(r"[（(][^（()）]{0,40}[)）]")  # "重点工作任务（杭州市2项配合工作）": a remark on the header


def header_core(text: str) -> str:
    """A header cell's text without whitespace, marks and bracketed remarks."""
    return _REMARK.sub("", clean(strip_marks(text))).strip("：:*＊ ")


@functools.lru_cache(maxsize=1024)
def role_of_header(text: str) -> str:
    """The role of a header cell (vocabulary.py), read in simplified characters (remembered: a pasted
    table is looked for at every line)."""
    h = header_core(text)
    return V.role_of_header_text("".join(P.TRAD_TO_SIMP.get(c, c) for c in h))


def _header_of(rows: tuple[tuple[Cell, ...], ...]) -> Header | None:
    for i in range(min(HEADER_SCAN_ROWS, len(rows))):
        texts = [clean(c.text) for c in rows[i]]
        roles = [role_of_header(t) if len(header_core(t)) <= HEADER_CELL_MAX_CHARS else "" for t in texts]
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
        # a category printed after the task (项目名称 | 建设类型 | …) describes its row: a column of its own
        first_task = h.roles.index("task")
        h.roles = ["extra" if role == "section" and j > first_task else role for j, role in enumerate(h.roles)]
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
    # with two task columns (重点工作 | 具体任务) the first is a category printed once over its rows (a merged
    # cell, or an empty cell in a table pasted as text): an empty one repeats the one above
    categories = [j for j, role in enumerate(header.roles) if role == "task"][:-1]
    # a category column (类别 | 重点任务 | …): its text heads the rows below it, as a section row would
    sections = [j for j, role in enumerate(header.roles) if role == "section"][:1]
    section = ""
    above: dict[int, str] = {}
    for r in range(start, len(rows)):
        page = table.row_pages[r] if r < len(table.row_pages) else table.page
        row = rows[r]
        texts = tuple(clean(c.text) for c in row)
        if texts == header.texts or not any(texts):
            continue  # header repeated on a new page, or an empty row
        if categories and any(texts[j] for j in range(len(texts)) if j not in categories):
            filled = [texts[j] or (above.get(j, "") if j in categories else "") for j in range(len(texts))]
            above.update({j: filled[j] for j in categories if j < len(filled)})
            if tuple(filled) != texts:
                row = tuple(Cell(f, c.bold, c.bold_spans, c.merged) if not c.text.strip() else c
                            for c, f in zip(row, filled))
                texts = tuple(filled)
        if sections and sections[0] < len(texts) and any(t for j, t in enumerate(texts) if j != sections[0]):
            value = texts[sections[0]] or section  # an empty cell: the category above goes on
            if value != section:
                out.append(LLine(value, table.line, page, heading=True))
                section = value
        ll = _row_line(row, texts, header, table.line, page)
        if ll is not None:
            out.append(ll)
    return out


def _plain_rows(table: Table) -> list[LLine]:
    """A table without a task header: a layout table (a whole notice in one cell, as web pages
    do) gives each paragraph of a cell as a line; a row of short cells (索引号 | …) gives one line."""
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
                out += block_lines(Line(c.text, table.line, page, c.bold, c.bold_spans))
        else:
            text = " ".join(with_bold_marks(c.text, c.bold_spans) if c.bold_spans else c.text for c in cells)
            filled = [c for c in cells if c.text.strip()]
            out += block_lines(Line(text, table.line, page, bold=bool(filled) and all(c.bold for c in filled)))
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
            # a category row heads the rows below it, whatever it reads like ("乡村振兴" is no clause's tail)
            return LLine(only, line, page, heading=len(only) <= HEADING_MAX_CHARS and "。" not in only)
    if number and _CN_NUMBER_ONLY.match(number) and task_text and not any(
            texts[j] for role in WHO_ROLES for j in by_role.get(role, [])):
        return LLine(number.rstrip("、.．") + "、" + task_text, line, page)  # 序号 一 | 抓好疫情防控
    if not task_text:
        return None
    cells = {}
    for role in CELL_ROLES:
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
    ll.table_row = TableRow(number, task_text, tuple((r, cells[r]) for r in CELL_ROLES if cells.get(r)),
                            tuple(sorted(extra.items())))
    return ll


def row_roles(row: TableRow) -> Roles:
    """The roles a task row's cells give."""
    roles = Roles()
    roles.leaders = [] if is_placeholder(row.cell("leaders")) else split_leaders(row.cell("leaders"))
    lead, units, duty, deadline = row.cell("lead"), row.cell("units"), row.cell("duty"), row.cell("deadline")
    if lead:
        roles.merge(parse_field("lead", lead))
    if units:
        roles.merge(parse_field("units", units))
    if duty:
        roles.merge(parse_field("duty", duty))
    if deadline and not is_placeholder(deadline):
        roles.deadline = strip_marks(deadline)
    return roles


_CLAUSE_LABELS = (("leaders", "牵头领导"), ("lead", "牵头单位"), ("units", "责任单位"), ("duty", "分工"),
                  ("deadline", "完成时限"))


def row_node(ll: LLine, stack: list[Node], root: Node, title: str | None) -> Node:
    """A leaf item for a task row, under the current headings."""
    row = ll.table_row
    assert row is not None
    # under the innermost heading; a numbered item that already has its clause is a sibling, not a parent
    parent = open_parent(stack, root)
    num = _NUMBER_STOP.sub("", strip_marks(row.number))
    node = Node(UNNUMBERED_LEVEL, num, num, int(num) if num.isdigit() else None, ll,
                [LLine(row.text, ll.line, ll.page, None, ll.idx)], parent=parent, title_before=title, closed=True,
                terminated=True)
    clause = "；".join(f"{label}：{row.cell(role)}" for role, label in _CLAUSE_LABELS if row.cell(role))
    node.clause_lines = [LLine(clause, ll.line, ll.page, None, ll.idx)] if clause else []
    node.preset = row_roles(row)
    node.extra = dict(row.extra)
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
            while j < len(blocks) and isinstance(blocks[j], Line) and (
                    _cells(blocks[j].text) is not None or _between_rows(blocks, j)):
                run.append(blocks[j])
                j += 1
            rows: list[list[str]] = []
            if len(run) >= TEXT_TABLE_MIN_ROWS:
                for x in run:
                    if _RULE_LINE.fullmatch(x.text):
                        continue
                    c = _cells(x.text)
                    if c is None and x.text.strip():
                        c = [x.text.strip()]  # a category row ("一、科技创新（3项）"): one cell, a heading
                    if c is not None:
                        rows.append(c)
            if len(rows) >= TEXT_TABLE_MIN_ROWS:
                width = max(len(r) for r in rows)
                grid = tuple(tuple(Cell(t) for t in r + [""] * (width - len(r))) for r in rows)
                header = _header_of(grid)
                if header is not None:
                    grid = _join_wrapped_rows(grid, header)
                    out.append(Table(grid, line=run[0].line, page=run[0].page))
                    i = j
                    continue
            out.extend(run)
            i = j
            continue
        out.append(b)
        i += 1
    return out


def _join_wrapped_rows(grid: tuple[tuple[Cell, ...], ...], header: Header) -> tuple[tuple[Cell, ...], ...]:
    """A text table whose task cell went on over the next line ("1\t建设…新增国家\t孙某某…" / "\t级研发机构2家"):
    a row with no number and nothing but task text, below a numbered row, is the rest of that row's task."""
    if "number" not in header.roles:
        return grid
    num, task = header.roles.index("number"), len(header.roles) - 1 - header.roles[::-1].index("task")
    rows = list(grid[:header.rows])
    for row in grid[header.rows:]:
        prev = rows[-1] if len(rows) > header.rows else None
        texts = [c.text.strip() for c in row]
        if (prev is not None and prev[num].text.strip() and num < len(texts) and not texts[num]
                and task < len(texts) and texts[task]
                and all(not t or j == task or (header.roles[j] == "task" and t == prev[j].text.strip())
                        for j, t in enumerate(texts))):
            rows[-1] = tuple(Cell(c.text.strip() + texts[task]) if j == task else c for j, c in enumerate(prev))
            continue
        rows.append(row)
    return tuple(rows)


def _between_rows(blocks: list, j: int) -> bool:
    """Is ``blocks[j]`` a line between two rows of a text table: empty, or a short category line
    without separators ("一、科技创新（3项）"), with another row right below it?"""
    text = blocks[j].text.strip()
    return (len(text) <= TEXT_TABLE_CATEGORY_CHARS and j + 1 < len(blocks) and isinstance(blocks[j + 1], Line)
            and _cells(blocks[j + 1].text) is not None)


def _cells(text: str) -> list[str] | None:
    s = text.strip()
    lead = text.strip(" \r\n")
    if "\t" in lead:
        # an empty first cell is a leading tab ("\t2\t促进消费\t县商务局": the category above goes on;
        # "\t级研发机构2家": the task cell above goes on)
        parts = [p.strip() for p in (lead if lead.startswith("\t") else s).split("\t")]
    elif s.count("|") >= 2 or s.count("｜") >= 2:
        parts = [p.strip() for p in _BAR.split(s)]
        if parts and parts[0] == "":
            parts = parts[1:]
        if parts and parts[-1] == "":
            parts = parts[:-1]
    else:
        return None
    return parts if len(parts) >= 2 else None
