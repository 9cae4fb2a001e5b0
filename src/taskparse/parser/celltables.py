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

from collections.abc import Sequence

import regex

from ..document import Block, Cell, Line, Table
from . import patterns as P
from .clauses import looks_like_names, looks_like_units
from .lines import marker_of
from .tables import header_core, role_of_header
from .text import clean, strip_marks

HEADER_CELL_MAX_CHARS = 12  # a header cell is a short label ("牵头责任单位", "分管县领导")
HEADER_MIN_CELLS = 3
HEADER_MAX_CELLS = 9
MAX_ROW_CELLS = 12  # lines one row may take (task text continued over a few lines included)
MAX_SKIPPED_BLANKS = 6
_NUMBER_CELL = regex.compile(r"^(\d{1,4})[*＊]?[.、．]?$")
_SEPARATOR = regex.compile(r"^[\s|｜]*$")
_SPACED_PAIRS = regex.compile(r"^(?:\p{Han}[ \u3000]\p{Han})+$")  # "陆 明俞 悦": two-character names padded


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
    if not first:
        return None
    # a header on one line, cells separated by spaces: "序号 主要工作举措 牵头单位 配合单位 责任领导"
    words = first.split()
    if len(words) >= HEADER_MIN_CELLS and "|" not in first:
        roles = [_header_role(w) for w in words]
        if _is_header(roles):
            return roles, [clean(w) for w in words], i + 1
    if _header_role(first) in ("", "extra"):
        return None
    roles, names, j, blanks = [], [], i, 0
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
    return role_of_header(text) if 0 < len(header_core(text)) <= HEADER_CELL_MAX_CHARS else ""


def _is_header(roles: list[str]) -> bool:
    return ("number" in roles and "task" in roles and any(r in roles for r in ("lead", "units", "leaders", "duty"))
            and all(r not in ("", "extra") for r in roles))


def _fits(role: str, text: str) -> bool:
    """Can ``text`` be a cell of a column of this role?"""
    plain = strip_marks(text)
    if role in ("lead", "units", "duty"):
        return looks_like_units(clean(plain))
    if role == "leaders":
        return looks_like_names(plain) or bool(_SPACED_PAIRS.match(plain.strip()))
    if role == "deadline":
        return bool(P.DEADLINE.match(clean(plain))) or (len(clean(plain)) <= 20 and bool(regex.search(r"[年月底季]|长期|持续", plain)))
    return False


def _leader_cell(text: str) -> str:
    """"陆 明俞 悦" (names padded to three characters) -> "陆明、俞悦"; other text unchanged."""
    t = text.strip()
    if _SPACED_PAIRS.match(t):
        return "、".join(m.replace(" ", "").replace("\u3000", "") for m in regex.findall(r"\p{Han}[ \u3000]\p{Han}", t))
    return t


def _rows(blocks: Sequence[Block], j: int, roles: list[str], names: list[str]) -> tuple[list[tuple[Cell, ...]] | None, int]:
    """Rows after a header: (rows, index after the table), or (None, _) when no row is found."""
    num_col = roles.index("number")
    task_col = roles.index("task")
    rest = [c for c in range(len(roles)) if c not in (num_col, task_col)]
    rows: list[list[str]] = []
    row: list[str] | None = None
    col_pos = 0  # index into ``rest``: the next column a cell may go to
    filled = False
    last_number: int | None = None
    lines_in_row = 0
    end = j

    def flush() -> None:
        nonlocal row
        if row is not None and row[task_col]:
            rows.append(row)
        row = None

    k = j
    while k < len(blocks):
        t = _cell_text(blocks[k])
        if t is None:
            break
        if t == "":
            k += 1
            continue
        plain = clean(t)
        num = _NUMBER_CELL.match(plain)
        if num and (last_number is None or int(num.group(1)) in (last_number + 1, 1)):
            flush()
            row = [""] * len(names)
            row[num_col] = num.group(1)
            last_number, col_pos, filled, lines_in_row = int(num.group(1)), 0, False, 0
            end = k = k + 1
            continue
        spaced = plain != t.replace(" ", "").replace("\u3000", "") or " " in t
        tokens = t.split()
        if (row is None or row[task_col]) and len(tokens) >= 2 and _NUMBER_CELL.match(tokens[0]) and spaced:
            value = int(_NUMBER_CELL.match(tokens[0]).group(1))  # type: ignore[union-attr]
            if last_number is None or value in (last_number + 1, 1):
                flush()
                row = [""] * len(names)
                row[num_col] = str(value)
                row[task_col] = tokens[1]
                last_number, col_pos, filled, lines_in_row = value, 0, False, 1
                for tok in tokens[2:]:
                    col_pos, filled = _place(row, rest, roles, col_pos, tok, filled, task_col)
                end = k = k + 1
                continue
        mk = marker_of(plain)
        if mk is not None and mk[0] in (1, 2) and len(plain) <= 60 and "。" not in plain:
            flush()  # a heading row across the table: 一、… / （一）王宏副市长牵头重点工作
            rows.append([plain])
            end = k = k + 1
            continue
        if row is None:
            if rows:
                break
            return None, j
        if lines_in_row >= MAX_ROW_CELLS:
            break
        lm = P.LABEL.match(plain) if P.CLAUSE_START.match(plain) else None
        if lm is not None:  # "省牵头单位：省农业农村厅" written inside a row: a column of its own
            label = clean(lm.group("label"))
            if label not in names:
                names.append(label)
                roles.append(role_of_header(label))
                rest.append(len(names) - 1)
                row.append("")
            c = names.index(label)
            row[c] = "、".join(x for x in (row[c], plain[lm.end():].strip("。")) if x)
            filled = True
            lines_in_row += 1
            end = k = k + 1
            continue
        if not row[task_col]:
            row[task_col] = t
        else:
            before = col_pos
            col_pos, filled = _place(row, rest, roles, col_pos, t, filled, task_col)
            if col_pos == before and filled:
                break  # fits no column left: the table has ended
        lines_in_row += 1
        end = k = k + 1
    flush()
    if not any(len(r) > task_col and r[task_col] for r in rows):
        return None, j
    width = len(names)
    return [tuple(Cell(t) for t in r + [""] * (width - len(r))) for r in rows], end


def _place(row: list[str], rest: list[int], roles: list[str], col_pos: int, text: str, filled: bool,
           task_col: int) -> tuple[int, bool]:
    """Put one cell into the next column (from ``col_pos``) whose kind it fits; text that fits no
    column before any other cell is filled continues the task text."""
    for p in range(col_pos, len(rest)):
        c = rest[p]
        if _fits(roles[c], text):
            row[c] = _leader_cell(text) if roles[c] == "leaders" else text
            return p + 1, True
    if not filled:
        row[task_col] += text
    return col_pos, filled
