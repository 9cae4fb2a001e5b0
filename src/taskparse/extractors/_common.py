"""Small pieces every extractor shares: telling 黑体 faces, turning per-character bold flags
into the bold spans of a Line, the per-document budget of what an extractor may produce, and
laying merged table cells out on a grid."""
from __future__ import annotations

from ..document import Cell, Line, Span, Table
from ..errors import TooLarge
from ..limits import (CHARS_PER_INPUT_BYTE, MAX_DOCUMENT_BLOCKS, MAX_DOCUMENT_CHARS, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, MIN_CHAR_BUDGET)

HEI_FONT_MARKS = ("黑体", "simhei", "hei", "黑")
NOT_HEI_FONT_MARKS = ("yahei", "雅黑")  # Microsoft YaHei is a UI font, often a whole document's body font
TOO_LARGE_HINT = "the file was crafted or damaged; re-save it in Word/WPS, or split it"


def is_hei(name: str | None) -> bool:
    """True for a 黑体 face (黑体, SimHei, 方正黑体, STHeiti...), which notices use as bold."""
    if not name:
        return False
    low = name.lower()
    if any(m in low for m in NOT_HEI_FONT_MARKS):
        return False
    return any(m in low for m in HEI_FONT_MARKS)


def bold_spans(text: str, bold: list[bool]) -> tuple[tuple[Span, ...], bool]:
    """[start, end) spans of bold non-space text, and whether every visible character is bold."""
    spans: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        if bold[i] and not text[i].isspace():
            j = i
            while j < n and (bold[j] or text[j].isspace()):
                j += 1
            k = j
            while k > i and text[k - 1].isspace():
                k -= 1
            spans.append((i, k))
            i = j
        else:
            i += 1
    visible = [b for c, b in zip(text, bold) if not c.isspace()]
    whole = bool(visible) and all(visible)
    return tuple(spans), whole


class Budget:
    """What one document may produce: blocks (lines and table rows), characters (absolute and
    relative to the input size) and table grid positions.  Each extractor charges it as it goes,
    so a hostile file stops with :class:`TooLarge` before it has been materialised."""

    def __init__(self, path: str | None, input_bytes: int):
        self.path = path
        self.max_chars = min(MAX_DOCUMENT_CHARS, max(MIN_CHAR_BUDGET, CHARS_PER_INPUT_BYTE * input_bytes))
        self.blocks = 0
        self.chars = 0
        self.cells = 0
        self.made = 0

    def line(self, chars: int) -> None:
        """Charge one line (or table row) of ``chars`` characters."""
        self.blocks += 1
        self.chars += chars
        if self.blocks > MAX_DOCUMENT_BLOCKS:
            raise TooLarge(f"over {MAX_DOCUMENT_BLOCKS:,} lines and table rows", self.path, TOO_LARGE_HINT)
        if self.chars > self.max_chars:
            raise TooLarge(f"expands to over {self.max_chars:,} characters of text", self.path, TOO_LARGE_HINT)

    def text(self, chars: int) -> None:
        """Charge characters that are not a line of their own (cell text, a paragraph in progress)."""
        self.chars += chars
        if self.chars > self.max_chars:
            raise TooLarge(f"expands to over {self.max_chars:,} characters of text", self.path, TOO_LARGE_HINT)

    def cell(self) -> None:
        """Charge one table cell as it is read, before its table is laid out on a grid."""
        self.made += 1
        if self.made > MAX_TABLE_CELLS:
            raise TooLarge(f"tables of over {MAX_TABLE_CELLS:,} cells", self.path, TOO_LARGE_HINT)

    def check_grid(self, rows: int, columns: int) -> None:
        """Raise before a table being read grows past the cell budget once padded to ``columns``
        (nothing is charged: :meth:`grid` does that when the table is laid out)."""
        if self.cells + rows * columns > MAX_TABLE_CELLS:
            raise TooLarge(f"tables of over {MAX_TABLE_CELLS:,} cells", self.path, TOO_LARGE_HINT)

    def grid(self, rows: int, columns: int) -> None:
        """Charge a table of ``rows`` x ``columns`` grid positions (and its rows as blocks)."""
        self.cells += rows * columns
        self.blocks += rows
        if self.cells > MAX_TABLE_CELLS:
            raise TooLarge(f"tables of over {MAX_TABLE_CELLS:,} cells", self.path, TOO_LARGE_HINT)
        if self.blocks > MAX_DOCUMENT_BLOCKS:
            raise TooLarge(f"over {MAX_DOCUMENT_BLOCKS:,} lines and table rows", self.path, TOO_LARGE_HINT)

    def document(self, blocks: list) -> None:
        """Charge a finished list of blocks at once (for readers that build them in one go)."""
        for b in blocks:
            if isinstance(b, Line):
                self.line(len(b.text))
            else:
                width = len(b.rows[0]) if b.rows else 0
                self.grid(len(b.rows), width)
                self.text(sum(len(c.text) for r in b.rows for c in r if not c.merged))


# --- tables: one way to turn rows of cells into a Table block (docx, rtf and the other readers) ----------

def table_blocks(rows: list[list[Cell]], line: int | None, budget: Budget, charged: bool = False) -> list[Line | Table]:
    """A Table padded to a rectangle; a table wider than MAX_TABLE_COLUMNS as one line per row.
    The padded size is charged to ``budget`` before any padding is made (unless the caller
    ``charged`` it already, having laid the grid out itself)."""
    width = max((len(r) for r in rows), default=0)
    if not width:
        return []
    if width <= MAX_TABLE_COLUMNS:
        if not charged:
            budget.grid(len(rows), width)
        return [Table(rows=tuple(tuple(r + [_EMPTY] * (width - len(r))) for r in rows), line=line)]
    out: list[Line | Table] = []
    for row in rows:
        text = "\t".join(c.text for c in row if not c.merged and c.text.strip())
        if text:
            budget.line(len(text))
            out.append(Line(text, line=line, bold=all(c.bold for c in row if not c.merged and c.text.strip())))
    return out


_EMPTY = Cell("")


# --- merged cells: one grid every reader lays its table out on (docx, doc, html, rtf) --------------

def merged_copy(cell: Cell) -> Cell:
    """``cell`` as it is repeated into a grid position that a merge covers."""
    return Cell(cell.text, cell.bold, cell.bold_spans, merged=True)


class Grid:
    """A table being laid out row by row.  A cell spanning several positions (columns to the
    right, rows below) sits in its first one, and one merged copy of it fills the others; a
    position nothing covers reads as an empty cell.  What a vertical-merge continuation
    continues is the reader's to say (formats differ); :meth:`above` is what sits over a column."""

    def __init__(self) -> None:
        self.rows: list[list[Cell | None]] = []
        self.cur = -1  # the row being filled

    def row(self) -> None:
        """Start the next row (it may already hold cells that span down into it)."""
        self.cur += 1
        if self.cur == len(self.rows):
            self.rows.append([])

    def free(self, col: int = 0) -> int:
        """The first position at or after ``col`` in the current row that no cell covers yet."""
        line = self.rows[self.cur]
        while col < len(line) and line[col] is not None:
            col += 1
        return col

    def pad(self, col: int) -> None:
        """Make the current row reach ``col``, the positions added left empty."""
        line = self.rows[self.cur]
        if len(line) < col:
            line.extend([None] * (col - len(line)))

    def end(self) -> int:
        """The position just past the last one taken in the current row."""
        return len(self.rows[self.cur])

    def at(self, col: int) -> Cell | None:
        """The cell covering ``col`` in the current row, if any."""
        line = self.rows[self.cur]
        return line[col] if 0 <= col < len(line) else None

    def above(self, col: int) -> Cell | None:
        """The cell covering ``col`` in the row above, if any."""
        if self.cur < 1:
            return None
        line = self.rows[self.cur - 1]
        return line[col] if col < len(line) else None

    def put(self, cell: Cell, col: int, colspan: int = 1, rowspan: int = 1) -> int:
        """Put ``cell`` at ``col`` of the current row covering ``colspan`` x ``rowspan`` positions;
        returns the position after it."""
        copy = merged_copy(cell) if colspan > 1 or rowspan > 1 else cell  # one object for every covered position
        for dr in range(rowspan):
            while self.cur + dr >= len(self.rows):
                self.rows.append([])
            line = self.rows[self.cur + dr]
            if len(line) < col + colspan:
                line.extend([None] * (col + colspan - len(line)))
            for dc in range(colspan):
                line[col + dc] = cell if dr == 0 and dc == 0 else copy
        return col + colspan

    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cells(self) -> list[list[Cell]]:
        """The rows padded to the widest, uncovered positions as empty cells."""
        width = self.width()
        return [[c if c is not None else _EMPTY for c in r] + [_EMPTY] * (width - len(r)) for r in self.rows]
