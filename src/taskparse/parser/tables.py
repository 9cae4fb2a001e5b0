"""Tables: each row becomes a line of text until the table reader maps columns."""
from __future__ import annotations

from ..document import Table
from .outline import LLine, Node
from .text import clean


def table_lines(table: Table) -> list[LLine]:
    out = []
    for r, row in enumerate(table.rows):
        text = clean(" ".join(c.text for c in row if not c.merged))
        if text:
            out.append(LLine(text, table.line, table.row_pages[r] if r < len(table.row_pages) else table.page))
    return out


def row_node(ll: LLine, stack: list[Node], root: Node, title: str | None) -> Node | None:
    return None
