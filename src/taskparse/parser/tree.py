"""The outline's data: logical lines and the nodes of the numbered-item tree."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clauses import Roles
    from .tables import TableRow

UNNUMBERED_LEVEL = 6  # items without a printed number (and table rows) sit below every numbered level


@dataclass
class LLine:
    """A logical line: cleaned text (with bold marks), provenance, kind."""

    text: str
    line: int | None
    page: int | None
    bold: bool | None = None
    idx: int = 0
    table_row: TableRow | None = None
    mk: tuple[int, str, str, int | None] | None = None  # marker found before cleaning
    heading: bool = False  # a table's category cell: a heading whatever it reads like


@dataclass
class Node:
    level: int  # 0 root, 1..5
    number: str  # as it goes into the output: "3", "一"
    marker: str  # as printed, cleaned: "（一）", "1."
    value: int | None
    head: LLine | None
    lines: list[LLine] = field(default_factory=list)  # item text lines (head first)
    clause_lines: list[LLine] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    title_before: str | None = None  # the unnumbered title in force when the node started
    closed: bool = False  # a complete clause has been seen: later plain lines are not its text
    terminated: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    preset: Roles | None = None  # roles given directly (table rows)
    last_by_level: dict[int, Node] = field(default_factory=dict)  # last child of each level
    depth: int = 0  # bracket depth at the end of the item text so far
    heading: str | None = None  # its heading text as sections print it, once computed
    tid: str | None = None  # its task id, once computed (ids and sections are built from the parent's)
    chain: list[str] | None = None  # the section its children are in, once computed

    @property
    def text(self) -> str:
        return "".join(ll.text for ll in self.lines)

    @property
    def last_idx(self) -> int:
        idx = [ll.idx for ll in self.lines + self.clause_lines]
        return max(idx) if idx else -1


def add_child(parent: Node, node: Node) -> None:
    parent.children.append(node)
    parent.last_by_level[node.level] = node


def open_parent(stack: list[Node], root: Node) -> Node:
    """The node a new unnumbered item or table row goes under: the innermost heading that is still
    open (a numbered item that already has its clause is a sibling, not a parent)."""
    return next((n for n in reversed(stack) if n.level == 0 or (not n.closed and n.preset is None)), root)
