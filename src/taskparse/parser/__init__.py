"""The parser: one public function, :func:`parse` (Document -> Result)."""
from __future__ import annotations

import functools
import gc
import sys
from dataclasses import dataclass

import regex

from ..document import Document
from ..due import resolve
from ..models import Location, Result, Source, Task, Warning
from . import patterns as P
from .clauses import Roles, find_inline_clauses, parse_clauses, run_in_parts
from .items import Item, Items
from .meta import notice_of
from .outline import Outline, build, is_decimal, logical_lines
from .tree import Node
from .text import balanced, strip_marks

__all__ = ["parse", "clear_caches"]




def parse(doc: Document) -> Result:
    """Find the tasks of a notice."""
    # the parse allocates many small objects and makes no cycles worth collecting: the cyclic
    # collector cost a quarter of the time on dense inputs
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(doc)
    finally:
        if enabled:
            gc.enable()


def clear_caches() -> None:
    """Forget the remembered clause and unit parses and resolved time limits (they are pure functions
    of the text; a benchmark clears them to time a first parse)."""
    prefix = __name__ + "."
    for name, module in list(sys.modules.items()):
        if name == __name__ or name.startswith(prefix):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    resolve.cache_clear()  # (after parsing, taskparse.due resolves the time limits)


def _parse(doc: Document) -> Result:
    lines = logical_lines(doc)
    outline = build(lines)
    order: list[Node] = []
    _walk(outline.root, order)
    items = Items(order)
    first = order[0].head.idx if order and order[0].head else None
    notice = notice_of(lines, first)
    tasks, task_warnings = _tasks(order, items, outline, doc.has_bold, notice.title)
    warnings = [Warning(code=c, message=m, location=Location(line=ln, page=pg)) for c, m, ln, pg in doc.warnings]
    warnings += task_warnings + _outline_warnings(outline, order, items)
    return Result(
        source=Source(path=doc.path, format=doc.format, sha256=doc.sha256, encoding=doc.encoding),
        notice=notice, tasks=tasks, warnings=warnings)


def _tasks(order: list[Node], items: Items, outline: Outline, has_bold: bool,
           notice_title: str | None) -> tuple[list[Task], list[Warning]]:
    """The tasks, in document order, and the warnings that belong to single tasks."""
    tasks: list[Task] = []
    warnings: list[Warning] = []
    bold_warned = star_warned = False
    seen_ids: dict[str, int] = {}
    first_note: dict[str, int] = {}  # only the earliest note of each kind matters ("下同": from then on)
    for idx, kind in outline.notes:
        first_note[kind] = min(idx, first_note.get(kind, idx))
    for node in order:
        if node.children or not items.is_task(node):
            continue
        item = items.of(node)
        notes = {kind for kind, idx in first_note.items() if idx <= node.last_idx}
        if "star" in first_note:
            notes.add("star")  # a note on marked units is often printed under the table: it holds for all
        for part in _parts(node, item, items, notice_title):
            lead, units = _assign(part.roles, notes, has_bold)
            if "bold" in notes and not has_bold and not bold_warned and not part.roles.explicit_lead:
                bold_warned = True
                warnings.append(_warn(node, "bold_lead_unknown",
                                      "通知以黑体标明牵头单位，但此格式看不出黑体；牵头单位留空——请改用 .docx/.doc/.pdf 原件"))
            if "star" not in notes and not star_warned and any(u.star for u in part.roles.units + part.roles.other):
                star_warned = True
                warnings.append(_warn(node, "mark_unexplained",
                                      "单位名旁有“*”一类标记，但通知没有说明其含义；标记已去掉，单位照列——"
                                      "如标记表示牵头单位，请核对"))
            if not part.text:
                warnings.append(_warn(node, "empty_text", f"第{node.marker}项只有责任分工、没有任务内容，未列为任务"))
                continue
            tid = part.id
            seen_ids[tid] = seen_ids.get(tid, 0) + 1
            if seen_ids[tid] > 1:
                tid = f"{tid}#{seen_ids[tid]}"
            if part.roles.empty() and not part.leaders:
                warnings.append(_warn(node, "no_clause", f"任务 {part.id} 没有责任分工；因同级其他项有分工，仍列为任务"))
            for name in _dedupe(part.roles.suspects):
                warnings.append(_warn(node, "suspect_unit",
                                      f"任务 {part.id} 的分工中“{name[:40]}”不像单位或领导名称，未列入，请核对原文"))
            tasks.append(Task(
                id=tid, seq=len(tasks) + 1, number=part.number, section=part.section, text=part.text,
                leaders=_dedupe(part.leaders), lead_units=lead, units=units, deadline=part.roles.deadline,
                clause=part.clause, location=_loc(node), extra=_extra(node.extra, part.roles.extra)))
    return tasks, warnings


def _outline_warnings(outline: Outline, order: list[Node], items: Items) -> list[Warning]:
    """Warnings about the document's structure: numbering gaps, stray clauses, brackets."""
    warnings = []
    for parent, expected in outline.skipped:
        where = _heading_text(parent) or "全文"
        warnings.append(Warning(code="skipped_number", message=f"“{where[:40]}”下的编号不连续：缺第{expected}项",
                                location=_loc(parent)))
    for ll in outline.orphan_clauses:
        warnings.append(Warning(code="orphan_clause", message=f"这段责任分工前面没有任务：{strip_marks(ll.text)[:40]}",
                                location=Location(line=ll.line, page=ll.page)))
    for node, label, ll in outline.text_fields:
        warnings.append(Warning(code="text_after_clause", message=f"任务 {_task_id(node)} 的分工之后另有一行“{label}：”，"
                                f"已存入附加字段；如是另一项任务，请核对原文", location=Location(line=ll.line, page=ll.page)))
    for node in order:
        raw = "；".join(items.of(node).clause_raw)
        if raw and not balanced(raw):
            warnings.append(_warn(node, "unbalanced_bracket", f"任务 {_task_id(node)} 的责任分工括号不配对"))
    return warnings


@dataclass
class _Part:
    """One task as it goes out: a whole item, or one run-in part of it (一是…；二是…)."""

    id: str
    number: str
    section: list[str]
    text: str
    clause: str | None
    roles: Roles
    leaders: list[str]


def _parts(node: Node, item: Item, items: Items, notice_title: str | None) -> list[_Part]:
    """An item is one task, unless it lists run-in parts that each carry their own clause."""
    roles, leaders = items.resolve(node)
    tid, section = _task_id(node), _section(node, notice_title)
    runs = run_in_parts(node.text) if item.roles is not None and len(item.clause_raw) >= 2 else []
    if runs:
        lead_in = _heading_text(node) or item.text
        out = []
        for number, text, raws in runs:
            part_roles = parse_clauses(raws)
            part_leaders = list(part_roles.leaders) or leaders
            out.append(_Part(f"{tid}.{number}", number, section + [lead_in], strip_marks(text).strip(),
                             "；".join(strip_marks(r) for r in raws), part_roles, part_leaders))
        return out
    clause = "；".join(item.clause_raw) if item.clause_raw else None
    return [_Part(tid, node.number, section, item.text or "", clause, roles, leaders)]


# --- helpers ---------------------------------------------------------------------------------------

def _walk(node: Node, out: list[Node]) -> None:
    stack = list(reversed(node.children))
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(reversed(n.children))


def _assign(roles: Roles, notes: set[str], has_bold: bool) -> tuple[list[str], list[str]]:
    lead = list(roles.lead)
    units = list(roles.units) + list(roles.other)
    if not roles.explicit_lead:
        if "star" in notes and any(u.star for u in units):
            lead = [u for u in units if u.star]
            units = [u for u in units if not u.star]
        elif "bold" in notes and has_bold and any(u.bold for u in units):
            lead = [u for u in units if u.bold]
            units = [u for u in units if not u.bold]
        elif "first" in notes and roles.firsts:
            lead = list(roles.firsts)
            units = [u for u in units if all(u is not f for f in roles.firsts)]
    lead_names = _dedupe([u.name for u in lead])
    unit_names = [n for n in _dedupe([u.name for u in units]) if n not in lead_names]
    return lead_names, unit_names


def _extra(columns: dict[str, str], kept: list[tuple[str, str]]) -> dict[str, str]:
    """A table row's columns without a role, and the fields its clauses keep as printed (责任人：王五);
    one label given twice lists both values."""
    if not kept:
        return dict(columns)
    values: dict[str, dict[str, None]] = {}  # (dicts as ordered sets)
    for label, value in kept:
        values.setdefault(label, {})[value] = None
    out = dict(columns)
    for label, listed in values.items():
        out[label] = "、".join(([out[label]] if label in out else []) + list(listed))
    return out


def _dedupe(xs: list[str]) -> list[str]:
    seen, out = set(), []
    for x in xs:
        x = x.strip()
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def _heading_text(node: Node) -> str:
    if node.heading is None:
        node.heading = _heading_of(node)
    return node.heading


def _heading_of(node: Node) -> str:
    if node.head is None:
        return ""
    text, _ = find_inline_clauses(node.head.text)
    text = strip_marks(text).strip()
    cut = text.find("。")
    if 0 <= cut < len(text) - 1:
        text = text[: cut + 1]
    return text


def _section(node: Node, notice_title: str | None) -> list[str]:
    """The enclosing headings as printed, with the unnumbered titles that stand between them
    ("“十三五”应急体系9个具体建设任务" above （一）…); the notice's own title is left out."""
    parent = node.parent
    outer = _chain(parent, notice_title) if parent is not None and parent.level > 0 else []
    return outer + _title_between(node, notice_title)


def _chain(node: Node, notice_title: str | None) -> list[str]:
    """The section of ``node``'s children: its own section and its heading (remembered on the node:
    the siblings below one heading share it)."""
    if node.chain is None:
        node.chain = _section(node, notice_title) + [_heading_text(node)]
    return node.chain


def _title_between(node: Node, notice_title: str | None) -> list[str]:
    """The unnumbered title in force where ``node`` starts, if its parent does not print it already."""
    title, parent = node.title_before, node.parent
    if not title:
        return []
    if parent is not None and parent.level > 0:
        return [] if title == parent.title_before else [title]
    return [] if _same_title(title, notice_title) else [title]


@functools.lru_cache(maxsize=256)
def _same_title(title: str, notice_title: str | None) -> bool:
    """Is ``title`` the notice's own title (or the attachment's, which the notice's title quotes)?"""
    if P.ISSUER_END.search(title) and len(title) <= 30:
        return True  # an issuer's name on its own line (a signature) is no heading
    if not notice_title:
        return False
    a, b = _TITLE_NOISE.sub("", title), _TITLE_NOISE.sub("", notice_title)
    return bool(a) and (a in b or b in a)


_TITLE_NOISE = regex.compile(r"[《》〈〉<>“”\"\s]|^关于印发|^关于|的通知$|的意见$")


def _task_id(node: Node) -> str:
    """The numbers of the node and its parents, joined by dots (remembered on the node)."""
    if node.tid is None:
        parent = node.parent
        before = _task_id(parent) if parent is not None and parent.level > 0 else ""
        own = _id_part(node)
        node.tid = f"{before}.{own}" if before and own else before or own
    return node.tid


def _id_part(n: Node) -> str:
    if not n.number:
        return n.marker  # unnumbered paragraphs: p1, p2 …
    if is_decimal(n.marker):  # "1.1" under item 1: the id is 1.1; without an item 1 above, 1.1 too
        under = n.parent is not None and n.parent.level > 0 and n.number.split(".")[0] == str(n.parent.value)
        return str(n.value) if under else n.number
    if n.level == 2:
        return f"({n.number})"
    if n.level == 4:
        return f"({n.number})"
    if n.level == 5:
        return strip_marks(n.marker).rstrip("，,、：:")  # ① or 第一
    return n.number


def _warn(node: Node, code: str, message: str) -> Warning:
    return Warning(code=code, message=message, location=_loc(node))


def _loc(node: Node) -> Location:
    return Location(line=node.head.line, page=node.head.page) if node.head else Location()

