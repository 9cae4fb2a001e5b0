"""From document blocks to logical lines, and from logical lines to a tree of numbered items."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from ..document import Document, Table
from . import patterns as P
from .lines import GLUED_CLAUSE_MAX_CHARS, HEADING_MAX_CHARS, block_lines, clause_ends_at, is_clause_line, \
    is_heading_like, is_terminator, marker_of
from .clauses import find_inline_clauses, heading_unit_roles
from .meta import is_signature
from .celltables import cell_tables
from .tables import TableState, row_node, table_lines, text_tables
from .text import clean, depth_after, depth_profile_ok, strip_marks
from .tree import UNNUMBERED_LEVEL, LLine, Node, add_child, open_parent

CELL_TABLE_FORMATS = ("txt", "html")  # where tables arrive flattened, one cell per line (pasted, scraped)
TABLE_BREAK_CHARS = 30  # a paragraph this long between two tables ends a table continued across pages
MAX_CLAUSE_CHARS = 2000  # a wrapped label clause is not continued past this length
_TERMINAL = "。；;！？!?）)】"
_LIST_SEPS = regex.compile(r"[、，,：:]")

__all__ = ["Outline", "build", "logical_lines", "LLine", "Node", "add_child"]


# --- logical lines ---------------------------------------------------------------------------------

def logical_lines(doc: Document) -> list[LLine]:
    out: list[LLine] = []
    state = TableState()
    blocks = text_tables(doc.blocks) if doc.format == "txt" else doc.blocks
    if doc.format in CELL_TABLE_FORMATS:
        blocks = cell_tables(blocks)
    for block in blocks:
        if isinstance(block, Table):
            out.extend(table_lines(block, state))
            continue
        if len(block.text.strip()) > TABLE_BREAK_CHARS:
            state = TableState()  # real text between two tables: the next one is not a continuation
        out.extend(block_lines(block))
    for i, ll in enumerate(out):
        ll.idx = i
    return out


# --- the tree ------------------------------------------------------------------------------------

@dataclass
class Outline:
    root: Node
    notes: list[tuple[int, str]]  # (logical line idx, "first"|"bold"|"star") standing notes
    orphan_clauses: list[LLine]
    skipped: list[tuple[Node, str]]  # (node, expected number) where numbering jumped
    # (node, label, line): a line labelled as task text ("工作任务：…") kept in a task's extra after its clause
    text_fields: list[tuple[Node, str, LLine]]


def build(lines: list[LLine]) -> Outline:
    """The tree of numbered items: each logical line is classified by the first line kind of
    :data:`_Builder.KINDS` that takes it (the way a block grammar names its rules)."""
    builder = _Builder(lines)
    for ll in lines:
        builder.line(ll)
    return Outline(builder.root, builder.notes, builder.orphans, builder.skipped, builder.text_fields)


class _Builder:
    """The state of one tree being built, and one handler per kind of line.  A handler returns True
    when the line is of its kind (and has been placed)."""

    KINDS = ("chrome", "table_row", "table_heading", "attachment_name", "numbered", "clause", "terminator", "unit_heading",
             "label_value", "continuation", "clause_continuation", "unnumbered_item", "field_after_clause", "title")

    def __init__(self, lines: list[LLine]) -> None:
        self.root = Node(0, "", "", None, None)
        self.stack: list[Node] = [self.root]
        self.current: Node | None = None
        self.title: str | None = None
        self.next_attachment = 0  # the number the next attachment name has, after "附件：1.…" (0: none)
        self.notes: list[tuple[int, str]] = []
        self.orphans: list[LLine] = []
        self.skipped: list[tuple[Node, str]] = []
        self.text_fields: list[tuple[Node, str, LLine]] = []
        self.lines = lines
        self.clause_at = -2  # the index of the last clause line placed under an item
        self.chrome = _chrome_lines(lines)
        self.signatures = _signature_lines(lines)
        self.handlers = [getattr(self, f"_{kind}") for kind in self.KINDS]

    def line(self, ll: LLine) -> None:
        plain = strip_marks(ll.text)
        if ll.idx not in self.chrome and P.LEAD_NOTE_VERB.search(plain):
            if P.FIRST_IS_LEAD.search(plain):
                self.notes.append((ll.idx, "first"))
            if P.BOLD_IS_LEAD.search(plain):
                self.notes.append((ll.idx, "bold"))
            if P.STAR_IS_LEAD.search(plain):
                self.notes.append((ll.idx, "star"))
        for handler in self.handlers:
            if handler(ll, plain):
                return

    def _end_current(self) -> None:
        if self.current is not None:
            self.current.terminated = self.current.closed = True

    # --- the kinds, in order ---------------------------------------------------------------------

    def _chrome(self, ll: LLine, plain: str) -> bool:
        """Site chrome (footers, share bars, the site's 主办单位): ends the item, is not text."""
        if ll.idx not in self.chrome:
            return False
        self._end_current()
        return True

    def _table_row(self, ll: LLine, plain: str) -> bool:
        if ll.table_row is None:
            return False
        self.current = row_node(ll, self.stack, self.root, self.title)
        return True

    def _table_heading(self, ll: LLine, plain: str) -> bool:
        """A table's category cell without a number ("经济发展 | 1 | 推进… | 县发改委"): the title of the rows
        below it, whatever it reads like (a numbered one is a numbered heading)."""
        if not ll.heading or marker_of(ll.text) is not None:
            return False
        self._set_title(plain.strip())
        return True

    def _numbered(self, ll: LLine, plain: str) -> bool:
        mk = ll.mk if ll.mk is not None else marker_of(ll.text)
        if mk is None:
            mk = _decimal_number(plain, self.stack) or _glued_number(plain, self.stack)
        if not mk or not _plausible(mk, self.stack, self.current, ll):
            return False
        if mk[0] == UNNUMBERED_LEVEL and not self._bullet_item(ll):
            return False
        level, number, marker, value = mk
        while self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1]
        prev = parent.last_by_level.get(level)
        if level == UNNUMBERED_LEVEL:  # a bulleted item ("——推进…", "●推进…"): p1, p2 … as unnumbered items are
            node = Node(level, "", _next_unnumbered(parent), None, ll, [ll], parent=parent, title_before=self.title)
        else:
            if prev is not None and value is not None and prev.value is not None and value not in (prev.value + 1, 1):
                missing = prev.value + 1
                self.skipped.append((parent, f"{parent.value}.{missing}" if is_decimal(marker) else str(missing)))
            body = ll.text[_marker_len(ll.text, clean(marker)):]
            node = Node(level, number, marker, value, ll, [LLine(body, ll.line, ll.page, ll.bold, ll.idx)],
                        parent=parent, title_before=self.title)
        add_child(parent, node)
        self.stack.append(node)
        self.current = node
        _update_closed(node)
        return True

    def _bullet_item(self, ll: LLine) -> bool:
        """Does a bulleted line start an item?  When it has its own clause or a clause follows on the next
        line; else only under a numbered heading that has no clause and no bullet before it had one (the
        group's clause may come after it) — not "• 文号:…" of a site's metadata, not "●联系我们" after the
        last task of a page.  (Under no numbered heading at all — "第一部分 经济发展", or no heading — the
        clause is the only proof.)"""
        if find_inline_clauses(ll.text)[1]:
            return True
        following = self.lines[ll.idx + 1] if ll.idx + 1 < len(self.lines) else None
        if following is not None and following.table_row is None and is_clause_line(following.text):
            return True
        parent = next((n for n in reversed(self.stack) if n.level < UNNUMBERED_LEVEL), self.root)
        if parent.level == 0:
            return False
        before = parent.last_by_level.get(UNNUMBERED_LEVEL)
        return not parent.closed and (before is None or not before.closed)

    def _clause(self, ll: LLine, plain: str) -> bool:
        if not is_clause_line(ll.text) and not self._time_after_clause(ll, plain):
            return False
        if self.current is None or self.current.terminated:
            self.orphans.append(ll)
        else:
            self.current.clause_lines.append(ll)
            self.clause_at = ll.idx
            _update_closed(self.current)
        return True

    def _below_clause(self, ll: LLine) -> Node | None:
        """The current item, when ``ll`` is right below its clause line (or a line that went on with it)."""
        cur = self.current
        return cur if cur is not None and not cur.terminated and self.clause_at == ll.idx - 1 else None

    def _time_after_clause(self, ll: LLine, plain: str) -> bool:
        """"时间：2025年6月底" right below the item's clause line: the clause's time limit."""
        return self._below_clause(ll) is not None and P.DEADLINE_AFTER_CLAUSE.match(plain.lstrip()) is not None

    def _terminator(self, ll: LLine, plain: str) -> bool:
        """Signature date, 此件公开发布, 抄送, 印发, web junk: the item ends."""
        if not is_terminator(ll.text):
            return False
        self._end_current()
        if _ATTACHMENT_LIST.match(plain.strip()):
            self.next_attachment = 2  # "附件：1.任务进度表": "2.联系人名单" below names the second one
        return True

    def _attachment_name(self, ll: LLine, plain: str) -> bool:
        """"2.联系人名单" right below "附件：1.任务进度表": the next attachment's name, not a task."""
        if not self.next_attachment:
            return False
        mk = ll.mk if ll.mk is not None else marker_of(ll.text)
        if mk is None or mk[3] != self.next_attachment or len(plain.strip()) > HEADING_MAX_CHARS \
                or find_inline_clauses(ll.text)[1]:
            self.next_attachment = 0
            return False
        self.next_attachment += 1
        return True

    def _unit_heading(self, ll: LLine, plain: str) -> bool:
        """"县卫健局工作任务清单": a new unit's list starts; the headings before it end."""
        title = plain.strip("|｜ ")
        if not is_heading_like(ll.text.rstrip("：: ")) or heading_unit_roles(title, numbered=False) is None:
            return False
        self.title = title
        self._end_current()
        del self.stack[1:]
        return True

    def _continuation(self, ll: LLine, plain: str) -> bool:
        """More text of an item whose clause has not been seen yet."""
        cur = self.current
        if cur is None or cur.closed or cur.terminated or _first_item_under_heading(cur, ll, plain) \
                or ll.idx in self.signatures:
            return False
        label = P.TEXT_LABEL.match(plain)
        if label:  # "具体任务：加快…": the text goes on after the heading's words, as a table's two task columns do
            before = strip_marks(cur.text).rstrip()
            rest = ll.text[_marker_len(ll.text, label.group()):]
            ll = LLine(("" if not before or before[-1] in "。；;：:，," else "：") + rest, *_prov(ll))
        cur.lines.append(ll)
        _update_closed(cur)
        return True

    def _label_value(self, ll: LLine, plain: str) -> bool:
        """"牵头单位：" alone on a line, its value on the next ("县发改局"): the clause line goes on (the value
        was read as the task's text, and the empty clause let the group's clause below stand for it)."""
        cur = self._below_clause(ll)
        if cur is None or not cur.clause_lines or ll.idx in self.signatures:
            return False
        last = cur.clause_lines[-1]
        value = plain.strip().rstrip("。")
        if P.LABEL.fullmatch(strip_marks(last.text).strip()) is None or "。" in value or len(value) > MAX_CLAUSE_CHARS:
            return False  # (a sentence is no label's value)
        cur.clause_lines[-1] = LLine(last.text + ll.text, *_prov(last))
        self.clause_at = ll.idx
        _update_closed(cur)
        return True

    def _clause_continuation(self, ll: LLine, plain: str) -> bool:
        """A label clause line wrapped mid-name ('责任单位：县卫生健康' + '局、结核病防治所')."""
        cur = self.current
        if cur is None or not cur.clause_lines or len(cur.clause_lines[-1].text) >= MAX_CLAUSE_CHARS \
                or ll.idx in self.signatures or not _continues_clause(cur.clause_lines[-1].text, ll.text):
            return False
        last = cur.clause_lines[-1]
        cur.clause_lines[-1] = LLine(last.text + ll.text, *_prov(last))
        self.clause_at = ll.idx
        _update_closed(cur)
        return True

    def _field_after_clause(self, ll: LLine, plain: str) -> bool:
        """"备注：需报县政府审定" / "工作目标：…" right below the item's clause (or another such line): a
        field of the task, kept in its ``extra`` under the label as a table's column without a role is."""
        cur = self._below_clause(ll)
        if cur is None:
            return False
        line = plain.strip()
        m = _FIELD_LINE.match(line)
        if m is None or not m.group("value").strip():
            return False
        label, value = m.group("label"), m.group("value").strip()
        cur.extra[label] = f"{cur.extra[label]}；{value}" if label in cur.extra else value
        self.clause_at = ll.idx
        if P.TEXT_LABEL.match(line):  # "工作任务：…": maybe the next task, in a form not read
            self.text_fields.append((cur, label, ll))
        return True

    def _unnumbered_item(self, ll: LLine, plain: str) -> bool:
        if self._below_clause(ll) is not None and _FIELD_LINE.match(plain.strip()) \
                and not any(is_clause_line(c) or P.DUTY_TAIL.search(c) for c in find_inline_clauses(ll.text)[1]):
            return False  # "帮扶部门：各村（社区）" below a clause: a field of that task, its bracket no clause of its own
        item = _unnumbered_item(ll, self.stack, self.root, self.title, labelled=self.current is None)
        if item is None:
            return False
        self.current = item
        return True

    def _title(self, ll: LLine, plain: str) -> bool:
        """An unnumbered heading: it goes into the sections of the items below it."""
        if not is_heading_like(ll.text):
            return False
        self._set_title(plain.strip("|｜ "))
        return True

    def _set_title(self, title: str) -> None:
        self.title = title
        if P.PART_TITLE.search(title):  # "2022年县政府民生实事项目责任分解": a new list; earlier headings end
            del self.stack[1:]


_ATTACHMENT_LIST = regex.compile(r"^附\s{0,2}件[:：]\s{0,2}1\s{0,2}[.、．]")  # "附件：1.…" lists its attachments
CHROME_REACH = 3  # lines around a chrome line where 主办单位：/承办： is the site's, not a clause


def _chrome_lines(lines: list[LLine]) -> set[int]:
    """Indices of web-site chrome: lines with footer/share words, and the site's 主办/承办 lines near them."""
    hits = [ll.idx for ll in lines if P.CHROME.search(strip_marks(ll.text))]
    out = set(hits)
    for i in hits:
        for ll in lines[max(0, i - CHROME_REACH): i + CHROME_REACH + 1]:
            if P.SITE_LABEL.match(strip_marks(ll.text)):
                out.add(ll.idx)
    return out


# a short label and its value on a line of their own ("备注：需报县政府审定")
_FIELD_LINE = regex.compile(r"^(?P<label>\p{Han}{2,6})[：:](?P<value>.*)$")


def _signature_lines(lines: list[LLine]) -> set[int]:
    """Indices of signatures: an organisation's name alone on a line, right above the date line
    ("金乡县人民政府办公室" / "2025年2月10日"). Never text of the item above it, even when that item's
    clause is a sentence at its end that the tree has not read yet ("…。县发改局牵头，…负责。")."""
    return {ll.idx for ll, below in zip(lines, lines[1:]) if ll.table_row is None and ll.mk is None
            and is_signature(strip_marks(ll.text).strip(), strip_marks(below.text).strip())}


SHORT_HEADING_CHARS = 20  # a numbered line this short without punctuation is a heading, not a wrapped sentence
UNNUMBERED_ITEM_MIN_CHARS = 6  # the text before its clause of a paragraph that is an item of its own …
SURE_HEADING_CHARS = 12  # … unless the heading is this short (a wrapped title line is longer)


def _first_item_under_heading(cur: Node, ll: LLine, plain: str) -> bool:
    """"一、经济发展" then "推进项目建设，…。（责任单位：…）": the paragraph is the heading's first
    unnumbered item, not the rest of the heading.  Only under a short heading of the two upper levels
    (一、 / （一）) without punctuation, and only for a paragraph that has its own clause and a sentence of
    its own, or any such paragraph under a very short heading (a heading wrapped over two lines
    continues).  (A bulleted paragraph is placed before this, as an item of its own.)"""
    if cur.level not in (1, 2) or len(cur.lines) != 1 or cur.clause_lines or cur.preset is not None:
        return False
    head = strip_marks(cur.lines[0].text).strip()
    if len(head) > SHORT_HEADING_CHARS or not is_heading_like(head):
        return False
    text, clauses = find_inline_clauses(ll.text)
    if not clauses or not depth_profile_ok(plain):
        return False
    return len(head) <= SURE_HEADING_CHARS or len(strip_marks(text).strip()) >= UNNUMBERED_ITEM_MIN_CHARS


def _unnumbered_item(ll: LLine, stack: list[Node], root: Node, title: str | None, labelled: bool) -> Node | None:
    """A paragraph without a number that carries its own clause, after a finished item, is an
    item too (some notices list tasks under a heading without numbers, or under none at all).  Before
    any item (``labelled``) the clause must start with a label ("（牵头单位：…）"): a sentence of the
    preamble may end "…。县商务局牵头，各部门配合。"."""
    plain = strip_marks(ll.text)
    if not depth_profile_ok(plain):
        return None
    clauses = find_inline_clauses(ll.text)[1]
    if not clauses or (labelled and not any(is_clause_line(c) for c in clauses)):
        return None
    parent = open_parent(stack, root)
    node = Node(UNNUMBERED_LEVEL, "", _next_unnumbered(parent), None, ll, [ll], parent=parent, title_before=title,
                closed=True)
    add_child(parent, node)
    return node


def _next_unnumbered(parent: Node) -> str:
    """The marker of the next item without a number under ``parent``: p1, p2 …"""
    prev = parent.last_by_level.get(UNNUMBERED_LEVEL)
    k = 1 + (int(prev.marker[1:]) if prev is not None and prev.marker.startswith("p") and prev.marker[1:].isdigit() else 0)
    return f"p{k}"


def _decimal_number(plain: str, stack: list[Node]) -> tuple[int, str, str, int | None] | None:
    """"1.1推进…" under item 1 ("1." or "一、"): decimal numbering, a level under the item whose number
    it starts with; a list starts at .1."""
    m = P.DECIMAL_ITEM.match(plain)
    if m is None:
        return None
    major, minor = int(m.group("major")), int(m.group("minor"))
    outer = [n for n in stack if n.level > 0 and not is_decimal(n.marker)]
    if outer and outer[-1].value == major and outer[-1].level < 5:
        parent, level = outer[-1], outer[-1].level + 1
    elif not outer or outer[-1].level < 3:
        # no item `major` above ("1 总体要求" printed as a title): the decimal items stand as items
        parent, level = (outer[-1] if outer else stack[0]), 3
    else:
        return None
    prev = parent.last_by_level.get(level)
    if minor != 1 and (prev is None or not is_decimal(prev.marker)):
        return None  # a decimal list starts at .1 (the sequence inside an open item: _plausible)
    return level, f"{major}.{minor}", m.group(0), minor


@functools.lru_cache(maxsize=1024)
def is_decimal(marker: str) -> bool:
    """Is this item number a decimal one ("1.1")?"""
    return P.DECIMAL_ITEM.match(marker + " ") is not None  # (a marker alone has no text after it)


def _glued_number(plain: str, stack: list[Node]) -> tuple[int, str, str, int | None] | None:
    """"146.65岁及以上…" after item 145: an item number glued to a number of its text (read as a
    decimal) — taken as the number only when it is exactly the next one of its level."""
    m = P.GLUED_DECIMAL_START.match(plain)
    if m is None:
        return None
    value = int(m.group(1))
    parent = next((n for n in reversed(stack) if n.level < 3), stack[0])
    prev = parent.last_by_level.get(3)
    if prev is None or prev.value is None or prev.value + 1 != value:
        return None
    return 3, str(value), m.group(0), value


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
    node.depth = depth_after(node.depth, node.lines[-1].text)
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
    node.closed = bool(text) and text[-1] in P.CLOSE and clause_ends_at(text, len(text))


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
    last_unit = _LIST_SEPS.split(p)[-1]
    return bool(last_unit) and not P.has_unit_suffix(last_unit.rstrip("等）)"))
