"""Tables pasted as text, one cell per line.

A table copied from a web page or a PDF often arrives with every cell on a line of its own —
with or without ``|`` lines between cells, with blank lines, sometimes a row on one line with
cells separated by spaces.  A row may have an EMPTY cell, so there is no fixed stride.  This
module finds a header (序号 / 重点工作任务 / 牵头单位 / 配合单位 / 责任领导 … in any order) and
rebuilds the rows from what each following cell looks like: a number starts a row, the task
text follows it, and every later cell goes to the next column whose kind it fits (a unit list,
two-to-four-character names, a time limit).  Heading rows (一、… / （一）某某市长牵头重点工作) keep
their place.  The result is an ordinary :class:`Table` block, so the table reader does the rest.

Everything is one forward scan; a row holds at most ``MAX_ROW_CELLS`` lines.
"""
from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..document import Block, Cell, Line, Table
from . import patterns as P
from .clauses import looks_like_names, looks_like_units
from .lines import is_terminator, marker_of
from .tables import header_core, role_of_header
from .text import clean, split_top, strip_marks

HEADER_CELL_MAX_CHARS = 12  # a header cell is a short label ("牵头责任单位", "分管县领导")
HEADER_MIN_CELLS = 3
ONE_LINE_HEADER_MAX_CHARS = 80  # a header written on one line (cells separated by spaces) is no longer
HEADER_MAX_CELLS = 9
MAX_ROW_CELLS = 12  # lines one row may take (task text continued over a few lines included)
MAX_SKIPPED_BLANKS = 6
UNNUMBERED_TASK_MIN_CHARS = 6  # a row of a table without 序号 starts with a task text at least this long
HEADING_ROW_MAX_CHARS = 100  # 一、… / （一）… rows across the table are headings up to this length
_NUMBER_CELL = regex.compile(r"^(\d{1,4})[*＊]?[.、．]?$")
_SEPARATOR = regex.compile(r"^[\s|｜]*$")
_SPACED_PAIR = regex.compile(r"\p{Han}[ \u3000]\p{Han}")
_TIME_WORD = regex.compile(r"[年月底季]|长期|持续")  # a short cell with one of these is a time limit
DEADLINE_CELL_MAX_CHARS = 20
_SPACED_PAIRS = regex.compile(r"^(?:\p{Han}[ \u3000]\p{Han})+$")  # "陆 明俞 悦": two-character names padded
_TOKEN = regex.compile(r"\S+")


def cell_tables(blocks: Sequence[Block]) -> list[Block]:
    """Blocks with every one-cell-per-line table turned into a :class:`Table`."""
    out: list[Block] = []
    i, n = 0, len(blocks)
    while i < n:
        found = _header_at(blocks, i)
        if found is None:
            out.append(blocks[i])
            i += 1
            continue
        roles, names, j = found
        table, end = _rows(blocks, j, roles, names)
        if table is None:
            out.append(blocks[i])
            i += 1
            continue
        first = blocks[i]
        assert isinstance(first, Line)
        out.append(Table(tuple([tuple(Cell(h) for h in names)] + table), line=first.line, page=first.page))
        i = end
    return out


def _cell_text(block: Block) -> str | None:
    """The text of a line as one cell ('' for a separator or blank line), None for a table block."""
    if not isinstance(block, Line):
        return None
    t = block.text.strip().strip("|｜").strip()
    return "" if _SEPARATOR.match(t) else t


def _header_at(blocks: Sequence[Block], i: int) -> tuple[list[str], list[str], int] | None:
    """(roles, header names, index after the header) when a header starts at ``i``."""
    first = _cell_text(blocks[i])
    if not first or len(" ".join(first.split())) > ONE_LINE_HEADER_MAX_CHARS:
        return None  # (spaces that align the columns of a wide copy do not count)
    # a header on one line, cells separated by spaces: "序号 主要工作举措 牵头单位 配合单位 责任领导"
    words = first.split() if ("序号" in first or "编号" in first) and "|" not in first else ()
    if len(words) >= HEADER_MIN_CELLS:
        one_line = [_header_role(w) for w in words]
        if _is_header(one_line):
            return one_line, [clean(w) for w in words], i + 1
    if len(first) > HEADER_CELL_MAX_CHARS * 2 or _header_role(first) in ("", "extra"):
        return None
    roles: list[str] = []
    names: list[str] = []
    j, blanks = i, 0
    while j < len(blocks) and len(names) < HEADER_MAX_CELLS:
        t = _cell_text(blocks[j])
        if t is None:
            break
        if t == "":
            blanks += 1
            if blanks > MAX_SKIPPED_BLANKS:
                break
            j += 1
            continue
        name = clean(t)
        role = _header_role(name) if marker_of(name) is None else ""
        if role in ("", "extra"):
            break
        roles.append(role)
        names.append(name)
        j += 1
    if len(names) >= HEADER_MIN_CELLS and _is_header(roles):
        return roles, names, j
    return None


def _header_role(text: str) -> str:
    """The role of a header cell; a remark in brackets does not count ("重点工作任务（杭州市2项配合工作）")."""
    if not 0 < len(header_core(text)) <= HEADER_CELL_MAX_CHARS:
        return ""
    role = role_of_header(text)
    return "extra" if role == "section" else role  # (a category column is read in real tables only)


def _is_header(roles: list[str]) -> bool:
    return ("task" in roles and any(r in roles for r in ("lead", "units", "leaders", "duty"))
            and all(r not in ("", "extra") for r in roles))


def _fits(role: str, text: str) -> bool:
    """Can ``text`` be a cell of a column of this role?"""
    plain = strip_marks(text)
    if role in ("lead", "units", "duty"):
        return looks_like_units(clean(plain))
    if role == "leaders":
        return looks_like_names(plain) or bool(_SPACED_PAIRS.match(plain.strip()))
    if role == "deadline":
        text = clean(plain)
        return bool(P.DEADLINE.match(text)) or (len(text) <= DEADLINE_CELL_MAX_CHARS and bool(_TIME_WORD.search(text)))
    return False


def _leader_cell(text: str) -> str:
    """"陆 明俞 悦" (names padded to three characters) -> "陆明、俞悦"; other text unchanged."""
    t = text.strip()
    if _SPACED_PAIRS.match(t):
        return "、".join(m.replace(" ", "").replace("\u3000", "") for m in _SPACED_PAIR.findall(t))
    return t


def _signature_at(blocks: Sequence[Block], k: int) -> bool:
    """An issuer's name whose next non-blank line is a date: the signature under the table."""
    for block in blocks[k + 1: k + MAX_SKIPPED_BLANKS + 2]:
        t = _cell_text(block)
        if t is None:
            return False
        if t:
            return bool(P.DATE_LINE.match(clean(t)))
    return False


def _next_number(blocks: Sequence[Block], k: int) -> int | None:
    """The number cell on the next non-blank line, if that line is one."""
    for block in blocks[k: k + MAX_SKIPPED_BLANKS + 1]:
        t = _cell_text(block)
        if t is None:
            return None
        if t:
            m = _NUMBER_CELL.match(t.split()[0])
            return int(m.group(1)) if m else None
    return None


@dataclass
class _Row:
    number: str
    task: str = ""
    cells: list[str] = field(default_factory=list)  # the cells after the task text, in order
    labelled: dict[str, str] = field(default_factory=dict)  # "省牵头单位：…" lines: label -> value
    lines: int = 0
    starts: tuple[list[int], list[int]] = ([], [])  # a row on one line: where its task and cells start


WRAP_ALIGN_CHARS = 2  # a wrapped cell's next line starts this close to where the cell starts


def _starts(raw: str) -> tuple[list[int], list[int]]:
    """Where each word of ``raw`` starts, counted in characters and in display columns (a Chinese
    character two wide): a copy may be aligned either way."""
    chars, cols, width, at = [], [], 0, 0
    for m in _TOKEN.finditer(raw):
        width += _width(raw[at:m.start()])
        chars.append(m.start())
        cols.append(width)
        width += _width(m.group())
        at = m.end()
    return chars, cols


def _width(s: str) -> int:
    return len(s) + sum(1 for c in s if unicodedata.east_asian_width(c) in "WF")


def _wrapped_cells(row: _Row, raw: str, roles: list[str]) -> tuple[str, list[str]] | None:
    """A row on one line, cells separated by spaces, whose cells went on over the next line: every piece of
    the indented next line starts under a cell of the row ("1  建设…新增国家  孙某某…" / "   级研发机构2家"),
    and the cells so continued still fit their columns.  The row's task and cells with the pieces added
    (no separator: the line broke inside a word), or None when the line is not such a line."""
    if not row.starts[0] or not raw[:1].isspace():
        return None
    pieces = _TOKEN.findall(raw)
    free = [c for c, role in enumerate(roles) if role not in ("number", "task")]
    for row_at, line_at in zip(row.starts, _starts(raw)):  # counted in characters, then in display columns
        cells = [row.task, *row.cells]
        for piece, at in zip(pieces, line_at):
            col = min(range(len(row_at)), key=lambda c: abs(row_at[c] - at))
            if abs(row_at[col] - at) > WRAP_ALIGN_CHARS:
                break
            cells[col] += piece
        else:
            if not row.cells or _best_columns(cells[1:len(free) + 1], free, roles)[1]:
                return cells[0], cells[1:]
    return None


def _rows(blocks: Sequence[Block], j: int, roles: list[str], names: list[str]) -> tuple[list[tuple[Cell, ...]] | None, int]:
    """Rows after a header: (rows, index after the table), or (None, _) when no row is found."""
    numbered = "number" in roles
    if not numbered:  # no 序号 column: rows start at a task text; one is added, numbered in reading order
        roles.insert(0, "number")
        names.insert(0, "序号")
    num_col, task_col = roles.index("number"), roles.index("task")
    rows: list[list[str] | _Row] = []
    row_count = 0  # the _Row entries of rows (a heading row is a plain list)
    row: _Row | None = None
    last_number: int | None = None
    end = k = j
    while k < len(blocks):
        t = _cell_text(blocks[k])
        if t is None:
            break
        if t == "":
            k += 1
            continue
        block = blocks[k]
        raw = block.text if isinstance(block, Line) else t  # (a Line: _cell_text read it)
        plain = clean(t)
        tokens = t.split() if " " in t or "\u3000" in t else [t]
        num = _NUMBER_CELL.match(tokens[0])
        if num and (len(tokens) == 1 or row is None or row.task) and (
                last_number is None or int(num.group(1)) in (last_number + 1, 1)):
            row = _Row(num.group(1))  # a number starts a row; on one line, its other cells may follow
            rows.append(row)
            row_count += 1
            last_number = int(num.group(1))
            if len(tokens) > 1:
                row.task, row.cells, row.lines = tokens[1], tokens[2:], 1
                chars, cols = _starts(raw)
                row.starts = (chars[1:], cols[1:])
            end = k = k + 1
            continue
        wrapped = _wrapped_cells(row, raw, roles) if row is not None and row.lines < MAX_ROW_CELLS else None
        if wrapped is not None and row is not None:
            row.task, row.cells = wrapped
            row.lines += 1
            end = k = k + 1
            continue
        mk = marker_of(plain)
        if mk is not None and mk[0] in (1, 2) and len(plain) <= HEADING_ROW_MAX_CHARS and (row is None or row.task):
            rows.append([plain])  # a heading row across the table: 一、… / （一）王宏副市长牵头重点工作
            row = None
            end = k = k + 1
            continue
        if is_terminator(plain) or _signature_at(blocks, k):
            break  # 某某县人民政府办公室 / 2023年2月1日: the table has ended
        fits_a_column = any(_fits(roles[c], t) for c in range(len(roles)) if c not in (num_col, task_col))
        if not numbered and not fits_a_column and not P.CLAUSE_START.match(plain) and (
                row is None or row.cells or row.labelled):
            if row is not None and not (row.cells or row.labelled):
                break
            if is_terminator(plain) or len(plain) < UNNUMBERED_TASK_MIN_CHARS:
                break  # a signature, 附件 or a short line after the table
            row_count += 1
            row = _Row(str(row_count), task=t, lines=1)  # a row without a 序号
            rows.append(row)
            end = k = k + 1
            continue
        if row is None or row.lines >= MAX_ROW_CELLS:
            break
        lm = P.LABEL.match(plain) if P.CLAUSE_START.match(plain) else None
        if lm is not None:  # "省牵头单位：省农业农村厅" written inside a row
            label = clean(lm.group("label"))
            row.labelled[label] = "、".join(x for x in (row.labelled.get(label, ""), plain[lm.end():].strip("。")) if x)
        elif not row.task:
            row.task = t
        elif not row.cells and not fits_a_column:
            row.task += t  # the task cell went on over another line
        elif not fits_a_column or len(row.starts[0]) > 1:  # (a row on one line has no cell on the next one)
            if len(plain) <= HEADING_ROW_MAX_CHARS and "。" not in plain and last_number is not None \
                    and _next_number(blocks, k + 1) == last_number + 1:
                rows.append([plain])  # a plain title row inside the table: the numbering goes on below it
                row = None
                end = k = k + 1
                continue
            break  # fits no column: the table has ended
        else:
            row.cells.append(t)
        row.lines += 1
        end = k = k + 1
    while rows and isinstance(rows[-1], _Row) and not (rows[-1].cells or rows[-1].labelled) and not numbered:
        rows.pop()  # a trailing row with no cell of its own is text after the table
        end = j if not rows else end
    if not any(isinstance(r, _Row) and r.task for r in rows):
        return None, j
    for r in rows:  # labels written inside rows become columns of their own
        if isinstance(r, _Row):
            for label in r.labelled:
                if label not in names:
                    names.append(label)
                    roles.append(role_of_header(label))
    width = len(names)
    grid = []
    for r in rows:
        if isinstance(r, list):
            grid.append(tuple(Cell(x) for x in r + [""] * (width - len(r))))
        elif r.task:
            grid.append(tuple(Cell(x) for x in _assign(r, roles, names, num_col, task_col)))
    return grid, end


def _assign(r: _Row, roles: list[str], names: list[str], num_col: int, task_col: int) -> list[str]:
    """The row's grid: its cells go, in order, to the columns they fit; when there are fewer cells
    than columns, the most plausible choice of columns wins (a lead column takes a short list)."""
    out = [""] * len(names)
    out[num_col], out[task_col] = r.number, r.task
    for label, value in r.labelled.items():
        out[names.index(label)] = value
    free = [c for c in range(len(roles)) if c not in (num_col, task_col) and not out[c]]
    best, _ = _best_columns(r.cells[:len(free)], free, roles)
    for cell, c in zip(r.cells, best):
        out[c] = _leader_cell(cell) if roles[c] == "leaders" else cell
    return out


def _best_columns(cells: list[str], free: list[int], roles: list[str]) -> tuple[list[int], bool]:
    """Order-keeping choice of one column per cell, scored, and whether every cell fits its column: the
    choices where every cell fits come first; when there is none, the one where most fit (a cell whose
    column cannot be told — a time limit "汛期前" — still goes where the others leave room: never dropped)."""
    fits = {(c, i): _fits(roles[c], cell) for c in free for i, cell in enumerate(cells)}
    prefs = {(c, i): _preference(roles[c], cell) for c in free for i, cell in enumerate(cells)}
    best: tuple[int, float, list[int]] = (-1, -1.0, [])
    for cols in itertools.combinations(free, len(cells)):
        fit = sum(fits[c, i] for i, c in enumerate(cols))
        score = sum(prefs[c, i] for i, c in enumerate(cols))
        if (fit, score) > best[:2]:
            best = (fit, score, list(cols))
    return best[2], best[0] == len(cells)


def _preference(role: str, cell: str) -> float:
    """How typical the cell is of the column: a lead column holds one or two units, a units column more."""
    n = len([p for p in split_top(clean(cell), "、，,；;") if p])
    if role == "lead":
        return 1.0 if n <= 2 else 0.0
    if role == "units":
        return 0.5 if n >= 2 else 0.25
    return 0.5
