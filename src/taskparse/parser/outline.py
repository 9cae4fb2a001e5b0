"""From document blocks to logical lines, and from logical lines to a tree of numbered items."""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..document import Document, Line, Table
from ..limits import MAX_LINE_CHARS
from . import patterns as P
from .clauses import find_inline_clauses
from .text import clean, cn_number, depth_profile_ok, no_private_use, strip_marks, with_bold_marks

ONE_LINE_MIN_CHARS = 1500  # a line this long with many inner item numbers is a whole document on one line
ONE_LINE_MIN_MARKERS = 3
HEADING_MAX_CHARS = 60
TABLE_BREAK_CHARS = 30
MAX_CLAUSE_CHARS = 2000  # a wrapped label clause is not continued past this length  # a paragraph this long between two tables ends a table continued across pages  # an unnumbered line longer than this is prose, not a title
LEVELS = ("l1", "l2", "l3", "l4", "l5")
UNNUMBERED_LEVEL = 6  # items without a printed number (and table rows) sit below every numbered level
_INNER_MARKER = regex.compile(r"\s(?:\d{1,3}[.．、](?!\d)|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])\S")
_TERMINAL = "。；;！？!?）)】"


@dataclass
class LLine:
    """A logical line: cleaned text (with bold marks), provenance, kind."""

    text: str
    line: int | None
    page: int | None
    bold: bool | None = None
    idx: int = 0
    table_row: tuple[str, ...] | None = None
    mk: tuple[int, str, str, int | None] | None = None  # marker found before cleaning


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
    preset: object | None = None  # roles given directly (table rows)
    last_by_level: dict[int, Node] = field(default_factory=dict)  # last child of each level
    depth: int = 0  # bracket depth at the end of the item text so far

    @property
    def text(self) -> str:
        return "".join(ll.text for ll in self.lines)

    @property
    def last_idx(self) -> int:
        idx = [ll.idx for ll in self.lines + self.clause_lines]
        return max(idx) if idx else -1


# --- logical lines ---------------------------------------------------------------------------------

def logical_lines(doc: Document) -> list[LLine]:
    from .tables import TableState, table_lines, text_tables  # tables are their own small module

    out: list[LLine] = []
    state = TableState()
    blocks = text_tables(doc.blocks) if doc.format == "txt" else doc.blocks
    for block in blocks:
        if isinstance(block, Table):
            out.extend(table_lines(block, state))
            continue
        if len(block.text.strip()) > TABLE_BREAK_CHARS:
            state = TableState()  # real text between two tables: the next one is not a continuation
        out.extend(_block_lines(block))
    for i, ll in enumerate(out):
        ll.idx = i
    return out


def _block_lines(block: Line) -> list[LLine]:
    raw = block.text
    raw = no_private_use(raw)  # the parser uses private-use characters as marks
    if block.bold_spans and not block.bold:
        raw = with_bold_marks(raw, block.bold_spans)
    pieces = [raw[i:i + MAX_LINE_CHARS] for i in range(0, len(raw), MAX_LINE_CHARS)] if len(raw) > MAX_LINE_CHARS else [raw]
    out: list[LLine] = []
    for piece in pieces:
        for sub in piece.splitlines() or [""]:
            if _one_line_document(sub):
                parts = regex.split(r"\s+", sub)
            else:
                parts = [sub]
            for part in parts:
                if ("：" in part or ":" in part) and P.LABEL.search(part):
                    part = P.SPACE_BETWEEN_UNITS.sub("、", part)
                for text in _split_glued(_split_inline_labels(_fix_spaced_marker(part))):
                    # the marker is read before spaces go: "146. 65岁" must not become "146.65岁"
                    if P.PAGE_NUMBER_LINE.match(strip_marks(text).strip()):
                        continue  # GB/T 9704 page numbers (— 3 —) are furniture, not text
                    mk = marker_of(text)
                    text = clean(P.INLINE_PAGE_NUMBER.sub("", text)) if "—" in text or "－" in text else clean(text)
                    if text.strip(P.MARKS):
                        out.append(LLine(text, block.line, block.page, block.bold, mk=mk))
    return out


def _one_line_document(s: str) -> bool:
    """A scraped page whose line breaks became spaces: long, with many item numbers after spaces."""
    if len(s) < ONE_LINE_MIN_CHARS // 3:
        return False
    found = len(_INNER_MARKER.findall(s, overlapped=False))
    return found >= ONE_LINE_MIN_MARKERS * 2 or (len(s) >= ONE_LINE_MIN_CHARS and found >= ONE_LINE_MIN_MARKERS)


def _fix_spaced_marker(s: str) -> str:
    """PDF debris at a line start: '1 3 . x' -> '13.x', '30 .x' -> '30.x', '一 、' -> '一、'."""
    t = s.lstrip(" \t\u3000•·●◆■□▪")
    m = P.SPACED_NUMBER.match(t)
    if m and (" " in m.group(0) or "\t" in m.group(0)):
        return regex.sub(r"[ \t]", "", m.group(1)) + m.group(2) + " " + t[m.end():]
    m = P.SPACED_CN_MARKER.match(t)
    if m:
        return m.group(1) + "、" + t[m.end():]
    return t


def _split_glued(pieces: list[str]) -> list[str]:
    """'…（责任单位：A局）2.乙…' on one line: cut after a clause that is followed by an item number."""
    out = []
    for s in pieces:
        cuts = [c for c in (m.start() for m in P.GLUED_ITEM.finditer(s)) if _clause_ends_at(s, c)]
        bounds = [0] + cuts + [len(s)]
        out += [s[a:b] for a, b in zip(bounds, bounds[1:]) if s[a:b]]
    return out


GLUED_CLAUSE_MAX_CHARS = 600  # how far back a clause bracket is looked for


def _clause_ends_at(s: str, end: int) -> bool:
    """Is s[:end] closed by a bracket group that is a responsibility clause?"""
    depth = 0
    for i in range(end - 1, max(-1, end - GLUED_CLAUSE_MAX_CHARS), -1):
        ch = s[i]
        if ch in P.CLOSE:
            depth += 1
        elif ch in P.OPEN:
            depth -= 1
            if depth == 0:
                return bool(find_inline_clauses(s[i:end])[1])
    return False


def _split_inline_labels(s: str) -> list[str]:
    """'……缩小。 责任单位:县发改局' -> two lines, so that a label clause in running text is seen."""
    plain = strip_marks(s)
    if "：" not in plain and ":" not in plain:
        return [s]
    cut = [m.start() for m in P.INLINE_LABEL.finditer(s) if m.start() > 0]
    if not cut:
        return [s]
    # never cut inside brackets
    depth, ok, j = 0, [], 0
    for i, ch in enumerate(s):
        while j < len(cut) and cut[j] == i:
            if depth == 0:
                ok.append(i)
            j += 1
        if ch in P.OPEN:
            depth += 1
        elif ch in P.CLOSE and depth:
            depth -= 1
    if not ok:
        return [s]
    bounds = [0] + ok + [len(s)]
    return [s[a:b] for a, b in zip(bounds, bounds[1:]) if s[a:b].strip()]


# --- classification ------------------------------------------------------------------------------

def marker_of(text: str) -> tuple[int, str, str, int | None] | None:
    """(level, number, marker as printed, numeric value) of a numbered line, or None."""
    plain = strip_marks(text)
    m = P.MARKER.match(plain)
    if not m:
        return None
    for level, name in enumerate(LEVELS, 1):
        val = m.group(name)
        if val is None and name == "l4":
            val = m.group("l4b")
        if val is not None:
            break
    else:  # pragma: no cover - the pattern has no other alternative
        return None
    marker = clean(m.group(0))
    if level == 5:
        return 5, str(P.CIRCLED[val]), marker, P.CIRCLED[val]
    if level in (1, 2):
        num = cn_number(val)
        if num is None:
            return None
        return level, val, marker, num
    return level, str(int(val)), marker, int(val)


def is_clause_line(text: str) -> bool:
    return bool(P.CLAUSE_START.match(strip_marks(text)))


def is_terminator(text: str) -> bool:
    """Lines that end the current item: signature date, 此件公开发布, 抄送, 印发, web junk."""
    plain = strip_marks(text)
    return bool(P.DATE_LINE.match(plain) or P.PUBLIC_NOTE.match(plain) or P.FOOTER_START.match(plain)
                or P.PRINT_LINE.search(plain) or P.WEB_JUNK.match(plain))


def is_heading_like(text: str) -> bool:
    plain = strip_marks(text).strip("|｜ ")
    if not plain or len(plain) > HEADING_MAX_CHARS or any(c in plain for c in "。，,；;：:"):
        return False
    if P.DATE_LINE.match(plain) or P.PUBLIC_NOTE.match(plain) or P.WEB_JUNK.match(plain):
        return False
    return bool(regex.search(r"\p{Han}", plain)) and not plain.endswith((".doc", ".pdf", ".docx", ".wps"))


# --- the tree ------------------------------------------------------------------------------------

@dataclass
class Outline:
    root: Node
    notes: list[tuple[int, str]]  # (logical line idx, "first"|"bold") standing notes
    orphan_clauses: list[LLine]
    skipped: list[tuple[Node, int]]  # (node, expected number) where numbering jumped


def build(lines: list[LLine]) -> Outline:
    root = Node(0, "", "", None, None)
    stack: list[Node] = [root]
    current: Node | None = None
    title: str | None = None
    notes: list[tuple[int, str]] = []
    orphans: list[LLine] = []
    skipped: list[tuple[Node, int]] = []

    for ll in lines:
        plain = strip_marks(ll.text)
        if P.FIRST_IS_LEAD.search(plain):
            notes.append((ll.idx, "first"))
        if P.BOLD_IS_LEAD.search(plain):
            notes.append((ll.idx, "bold"))
        if ll.table_row is not None:
            current = _table_row_node(ll, stack, root, title)
            continue
        mk = ll.mk if ll.mk is not None else marker_of(ll.text)
        if mk and _plausible(mk, stack, current, ll):
            level, number, marker, value = mk
            while stack[-1].level >= level:
                stack.pop()
            parent = stack[-1]
            prev = parent.last_by_level.get(level)
            if prev is not None and value is not None and prev.value is not None and value not in (prev.value + 1, 1):
                skipped.append((parent, prev.value + 1))
            body = ll.text[_marker_len(ll.text, clean(marker)):]
            node = Node(level, number, marker, value, ll, [LLine(body, ll.line, ll.page, ll.bold, ll.idx)],
                        parent=parent, title_before=title)
            add_child(parent, node)
            stack.append(node)
            current = node
            _update_closed(node)
            continue
        if is_clause_line(ll.text):
            if current is None or current.terminated:
                orphans.append(ll)
                continue
            current.clause_lines.append(ll)
            _update_closed(current)
            continue
        if is_terminator(ll.text):
            if current is not None:
                current.terminated = True
                current.closed = True
            continue
        if current is not None and not current.closed and not current.terminated:
            current.lines.append(ll)
            _update_closed(current)
            continue
        if current is not None and current.clause_lines and len(current.clause_lines[-1].text) < MAX_CLAUSE_CHARS \
                and _continues_clause(current.clause_lines[-1].text, ll.text):
            current.clause_lines[-1] = LLine(current.clause_lines[-1].text + ll.text, *_prov(current.clause_lines[-1]))
            _update_closed(current)
            continue
        item = _unnumbered_item(ll, stack, root, title) if current is not None else None
        if item is not None:
            current = item
            continue
        if is_heading_like(ll.text):
            title = strip_marks(ll.text).strip("|｜ ")
    return Outline(root, notes, orphans, skipped)


def _unnumbered_item(ll: LLine, stack: list[Node], root: Node, title: str | None) -> Node | None:
    """A paragraph without a number that carries its own clause, after a finished item, is an
    item too (some notices list tasks under a heading without numbers)."""
    plain = strip_marks(ll.text)
    if not depth_profile_ok(plain) or not find_inline_clauses(ll.text)[1]:
        return None
    parent = next((n for n in reversed(stack) if n.level == 0 or (not n.closed and n.preset is None)), root)
    prev = parent.last_by_level.get(UNNUMBERED_LEVEL)
    k = 1 + (int(prev.marker[1:]) if prev is not None and prev.marker.startswith("p") and prev.marker[1:].isdigit() else 0)
    node = Node(UNNUMBERED_LEVEL, "", f"p{k}", None, ll, [ll], parent=parent, title_before=title, closed=True)
    add_child(parent, node)
    return node


def add_child(parent: Node, node: Node) -> None:
    parent.children.append(node)
    parent.last_by_level[node.level] = node


def _prov(ll: LLine) -> tuple:
    return ll.line, ll.page, ll.bold, ll.idx


def _marker_len(text: str, marker: str) -> int:
    """Length of the marker in ``text`` (which may contain bold marks before/inside it)."""
    n, i = 0, 0
    while i < len(text) and n < len(marker):
        if text[i] not in P.MARKS:
            n += 1
        i += 1
    return i


def _plausible(mk: tuple[int, str, str, int | None], stack: list[Node], current: Node | None, ll: LLine) -> bool:
    """A number at a line start that breaks the sequence inside an open item is running text
    ('……建设\\n12、13号楼' ), not a new item."""
    level, _, _, value = mk
    if current is None or current.closed or current.terminated:
        return True
    prev = current.lines[-1].text if current.lines else ""
    if strip_marks(prev).endswith(tuple(_TERMINAL)) or prev.rstrip(P.MARKS).endswith(("：", ":")):
        return True
    same = [n for n in stack if n.level == level]
    if value == 1 or not same:
        return True
    last = same[-1].value
    return last is not None and value == last + 1


def _update_closed(node: Node) -> None:
    """Has the item seen a complete clause?  Work is proportional to the line just added."""
    if node.clause_lines:
        last = strip_marks(node.clause_lines[-1].text)
        node.closed = depth_profile_ok(last) and not _open_end(last)
        return
    node.depth = _depth_after(node.depth, node.lines[-1].text)
    if node.depth:
        node.closed = False
        return
    tail, size = [], 0
    for ll in reversed(node.lines):  # the clause bracket may span a few lines: look back a bounded way
        tail.append(ll.text)
        size += len(ll.text)
        if size >= GLUED_CLAUSE_MAX_CHARS:
            break
    text = strip_marks("".join(reversed(tail))).rstrip("。.；;，,、 ")
    node.closed = bool(text) and text[-1] in P.CLOSE and _clause_ends_at(text, len(text))


def _depth_after(depth: int, text: str) -> int:
    for ch in text:
        if ch in P.OPEN:
            depth += 1
        elif ch in P.CLOSE and depth:
            depth -= 1
    return depth


def _open_end(text: str) -> bool:
    return text.rstrip(P.MARKS).endswith(("、", "，", ",", "：", ":", "及", "和"))


def _continues_clause(prev: str, nxt: str) -> bool:
    """A label clause line wrapped mid-name ('责任单位：县卫生健康' + '局、结核病防治所')."""
    p, n = strip_marks(prev).rstrip(), strip_marks(nxt).strip()
    if not n or len(n) > HEADING_MAX_CHARS or "。" in n or P.DATE_LINE.match(n):
        return False
    if n[0] in "、，,":
        return True
    if p.endswith(("。", "；", ";")):
        return False
    last_unit = regex.split(r"[、，,：:]", p)[-1]
    return bool(last_unit) and not P.UNIT_SUFFIX.search(last_unit.rstrip("等）)"))


def _table_row_node(ll: LLine, stack: list[Node], root: Node, title: str | None) -> Node | None:
    """Rows from a table become leaf items under the current headings (see tables.py)."""
    from .tables import row_node

    return row_node(ll, stack, root, title)
