"""Items and the roles they carry or inherit.

Each node of the tree becomes an :class:`Item` (its text without clauses, its own clause roles, the
leaders or unit its heading names).  Whether a leaf is a task and which roles it gets is decided
here: its own clause; else the one clause written after a group of sub-items; else a heading's
clause or unit list above it; leaders from the nearest heading that names them.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .clauses import Roles, find_inline_clauses, heading_leaders, heading_unit_roles, parse_clauses
from .patterns import OPEN
from .text import strip_marks
from .tree import Node

NOT_TASK_HEADINGS = regex.compile(
    r"^(?:指导思想|总体要求|主要目标|预期目标|主要预期目标|工作目标|目标任务|基本原则|总体思路|工作要求|有关要求|保障措施|"
    r"组织领导|组织保障|工作措施|其他事项|工作机制|实施步骤|进度安排|总体目标)")


@dataclass
class Item:
    node: Node
    text: str
    clause_raw: list[str]
    roles: Roles | None  # own clause
    heading_leaders: list[str]
    heading_unit: Roles | None = None  # "县教育局工作任务清单": the unit whose list this heading starts


class Items:
    """Every node's :class:`Item`, with its siblings summarised once (keeps the parse linear)."""

    def __init__(self, order: list[Node]) -> None:
        self.by_id = {id(node): item_of(node) for node in order}
        self.groups = _sibling_groups(order, self.by_id)

    def of(self, node: Node) -> Item:
        return self.by_id[id(node)]

    def is_task(self, node: Node) -> bool:
        return _is_task(node, self.by_id, self.groups)

    def resolve(self, node: Node) -> tuple[Roles, list[str]]:
        """The roles a task gets (own, shared by its group, or inherited) and its leaders."""
        return _resolve(node, self.by_id, self.groups)


def item_of(node: Node) -> Item:
    if node.preset is not None:  # a table row: roles come from its cells
        return Item(node, strip_marks(node.text).strip(), [strip_marks(c.text) for c in node.clause_lines],
                     node.preset, [])
    text, inline = find_inline_clauses(node.text)
    raws = inline + [c.text for c in node.clause_lines]
    roles = parse_clauses(raws) if raws else None
    body = strip_marks(text).strip()
    if node.marker.startswith("p") and not node.number:
        body = body.lstrip("—－ ")  # "——推进项目建设…": a dash that only marks the paragraph as an item
    if raws and body.endswith("—"):
        body = body.rstrip("—").rstrip()  # "…建设。——责任单位：…": the dash only led to the clause
    unit = heading_unit_roles(body) if node.children else None
    return Item(node, body, [strip_marks(r) for r in raws], roles, heading_leaders(body), unit)


@dataclass
class _Group:
    """The children of one parent at one level, summarised once (keeps the parse linear)."""

    last: Node
    size: int = 0
    any_children: bool = False
    with_roles: int = 0
    last_with_roles: Node | None = None
    shared: bool | None = None  # is the last sibling's clause the group's? (found once, on first use)


def _has_roles(item: Item) -> bool:
    return item.roles is not None and not item.roles.empty()


def _sibling_groups(order: list[Node], items: dict) -> dict:
    groups: dict[tuple[int, int], _Group] = {}
    for n in order:
        key = (id(n.parent), n.level)
        g = groups.get(key)
        if g is None:
            g = groups[key] = _Group(n)
        g.last = n
        g.size += 1
        g.any_children = g.any_children or bool(n.children)
        if not n.children and _has_roles(items[id(n)]):
            g.with_roles += 1
            g.last_with_roles = n
    return groups


def _is_task(node: Node, items: dict, groups: dict) -> bool:
    item = items[id(node)]
    if _has_roles(item):
        return True
    if _group_roles(node, items, groups) is not None or _ancestor_roles(node, items) is not None:
        return True
    if NOT_TASK_HEADINGS.match(item.text) or node.parent is None:
        return False
    g = groups[(id(node.parent), node.level)]
    return g.with_roles > 0  # a leaf among sibling leaves that have clauses


def _group_roles(node: Node, items: dict, groups: dict) -> Roles | None:
    """Sub-items sharing one clause written after the group: only the last sibling has it, on a line of
    its own ("3.稳定外贸。（牵头单位：X）" on one line is item 3's own clause: items 1 and 2 have none)."""
    parent = node.parent
    if parent is None or parent.level == 0:
        return None
    g = groups[(id(parent), node.level)]
    if g.size < 2 or g.any_children or g.with_roles != 1 or g.last_with_roles is not g.last or node is g.last:
        return None
    last = items[id(g.last)]
    if g.shared is None:  # a clause inside the last item's own text is its own, not the group's
        g.shared = (g.last.preset is not None or (len(last.clause_raw) == len(g.last.clause_lines)
                                                  and not _on_its_first_line(g.last))
                    or _bracket_line_after(g.last))
    return last.roles if g.shared else None


def _on_its_first_line(node: Node) -> bool:
    """Was the item's clause printed on the item's own first line ("(2)开展评价。责任单位：县发改局", a label the
    line reader put on a line of its own)?  Then it is the item's own."""
    head = node.head
    return head is not None and any((c.line, c.page) == (head.line, head.page) for c in node.clause_lines)


def _bracket_line_after(node: Node) -> bool:
    """Does the item end with a line of its own that opens with a bracket ("2.加强演练。" then
    "（县应急局牵头，…）"), its first line holding no clause?  Such a bracket was written after the group."""
    if len(node.lines) < 2 or strip_marks(node.lines[-1].text).lstrip()[:1] not in OPEN:
        return False
    return not find_inline_clauses(node.lines[0].text)[1]


def _ancestor_roles(node: Node, items: dict) -> Roles | None:
    """A clause on a heading, or a unit's own list ("县教育局工作任务清单"), covers the items below it."""
    p = node.parent
    top = node
    while p is not None and p.level > 0:
        item = items[id(p)]
        if item.roles is not None and not item.roles.empty():
            return item.roles
        if item.heading_unit is not None:
            return item.heading_unit
        top = p
        p = p.parent
    return heading_unit_roles(top.title_before) if top.title_before else None


def _resolve(node: Node, items: dict, groups: dict) -> tuple[Roles, list[str]]:
    own = items[id(node)].roles
    found = own if own is not None and not own.empty() else _group_roles(node, items, groups)
    if found is None:
        roles = _ancestor_roles(node, items) or Roles()
    elif not found.lead and not found.explicit_lead:
        # "（一）…（牵头单位：甲局）" over "1.…（配合单位：乙局）": the heading's lead leads its items too
        above = _ancestor_roles(node, items)
        roles = found
        if above is not None and above.explicit_lead and above.lead:
            roles = found.copy()
            roles.lead = list(above.lead)
            roles.explicit_lead = True
    else:
        roles = found
    leaders = list(roles.leaders)
    if not leaders:
        p = node.parent
        while p is not None and p.level > 0 and not leaders:
            it = items[id(p)]
            leaders = list(it.heading_leaders) or (list(it.roles.leaders) if it.roles else [])
            p = p.parent
    return roles, leaders
