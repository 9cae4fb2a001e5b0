"""Where every task came from: offsets into the extracted text of a notice.

The parser works on cleaned lines and does not keep offsets; this module aligns its result
back onto the document afterwards, so the parser stays as it is.

**The extracted text** (:func:`extracted`) is the document's blocks joined with ``\\n``: a
line or paragraph is its text; a table is its rows joined with ``\\n``, each row its cells
joined with ``\\t``, a merged cell's text written once (in its first grid position; covered
positions are empty).  Page breaks are not characters: ``pages`` lists ``(offset, page)``
where each page starts.

**Spans** are ``[start, end)`` offsets into that text.  For each task: ``number`` (the
number as printed, e.g. ``（一）`` or ``3.``; the 序号 cell of a table row), ``text``
(one span, or several where the parser cut something out: an inline clause, a page number,
the seam between two task columns) and ``clause`` (the clause text; for a table row the role
cells), and one :class:`~taskparse.models.RoleSpan` per leader, lead unit, unit and deadline:
where the name was read, with ``inherited`` set when it lies outside the task (a heading, the
shared clause of a group, a merged table cell).

**Exactness** — what a test checks for every task of every sample (:func:`rebuilds`): with
whitespace removed (``squeeze``: every ``str.isspace`` character, zero-width characters,
private-use characters), the text of the spans, concatenated, equals the field, except that
between two spans the field may hold one joining character the parser put there (``；``
``、`` ``：``) — and, in a clause, the labels the parser writes when it builds the clause of a
table row from its cells (``牵头单位：`` …, :data:`TABLE_LABELS`).  Nothing else may differ.

Alignment searches forward from the previous task, in bounded windows, with ``str.find`` on
the squeezed text: linear in the text for a well-formed notice, bounded by the window sizes
for any input.
"""
from __future__ import annotations

import bisect
import gc
import re
from dataclasses import dataclass, field

import regex

from .document import Document, Line
from .models import Result, RoleSpan, Task, TaskSpans

TASK_WINDOW_CHARS = 60_000  # how far past the previous task a task's text is looked for
GAP_CHARS = 2_000  # longest run the parser cut out of one field (inline clause, page-number line)
CLAUSE_WINDOW_CHARS = 6_000  # how far past the task's text its clause is looked for
INHERIT_BACK_CHARS = 30_000  # how far back a heading (or merged cell) that gave a role is looked for
INHERIT_FWD_CHARS = 4_000  # how far ahead the shared clause of a group of items is looked for
NUMBER_BACK_CHARS = 12  # the number sits just before the text
MIN_ANCHOR_CHARS = 4  # a match shorter than this never wins over a longer one further away
NAME_TRIES = 20  # occurrences of a name looked at before the first one is taken

TABLE_LABELS = ("牵头领导", "牵头单位", "责任单位", "分工", "完成时限")  # the labels the parser writes for table rows
_GLUE = regex.compile(r"[；、：]")
_LABEL_GLUE = regex.compile(r"；?(?:" + "|".join(TABLE_LABELS) + r")：|[；、：]")
_MARKER_CHARS = frozenset("（(〔【[［）)〕】]］、.．﹒。:：|｜是*＊")  # 是: run-in 一是…; *: a 序号 cell "1*" (a note mark)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"  # one character each: 1. .. 20.
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_CN_DIGITS = frozenset("一二三四五六七八九十百零〇两")
_NAME_END = frozenset("、，,；;：:。.）)】］]等\t\n|｜ ")

Span = tuple[int, int]


# stdlib re: its \s is exactly str.isspace()
_IGNORABLE = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\ue000-\uf8ff]+")
_KEPT_RUN = re.compile("[^\\s\u200b\u200c\u200d\u2060\ufeff\u00ad\ue000-\uf8ff]+")


def squeeze(s: str | None) -> str:
    """``s`` without whitespace, zero-width and private-use characters (see the module doc)."""
    return _IGNORABLE.sub("", s or "")


# --- the extracted text ---------------------------------------------------------------------------

@dataclass
class Cell:
    start: int
    end: int
    origin: tuple[int, int] | None = None  # (row, col) of the cell whose text a merged position repeats


@dataclass
class Block:
    kind: str  # "line" | "table"
    start: int
    end: int
    line: int | None = None
    page: int | None = None
    bold: bool | None = None
    cells: list[list[Cell]] = field(default_factory=list)  # tables only
    row_pages: list[int | None] = field(default_factory=list)


@dataclass
class Extracted:
    """The extracted text of a document and where its blocks, cells and pages are."""

    text: str
    blocks: list[Block]
    pages: list[tuple[int, int]]  # (offset, page) where each page starts


def extracted(doc: Document) -> Extracted:
    """The text the spans point into (defined in the module doc)."""
    parts: list[str] = []
    blocks: list[Block] = []
    pages: list[tuple[int, int]] = []
    pos = 0

    def put(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    def page_at(page: int | None) -> None:
        if page is not None and (not pages or pages[-1][1] != page):
            pages.append((pos, page))

    for b in doc.blocks:
        if blocks:
            put("\n")
        if isinstance(b, Line):
            page_at(b.page)
            start = pos
            put(b.text)
            blocks.append(Block("line", start, pos, b.line, b.page, b.bold))
            continue
        block = Block("table", pos, pos, b.line, b.page)
        for r, row in enumerate(b.rows):
            if r:
                put("\n")
            rp = b.row_pages[r] if r < len(b.row_pages) else b.page
            block.row_pages.append(rp)
            page_at(rp)
            cells: list[Cell] = []
            for c, cell in enumerate(row):
                if c:
                    put("\t")
                origin = _merge_origin(b.rows, block.cells, cells, r, c) if cell.merged else None
                if origin is not None:
                    cells.append(Cell(pos, pos, origin))
                    continue
                start = pos
                put(cell.text)
                cells.append(Cell(start, pos))
            block.cells.append(cells)
        block.end = pos
        blocks.append(block)
    return Extracted("".join(parts), blocks, pages)


def _merge_origin(rows, done: list[list[Cell]], current: list[Cell], r: int, c: int) -> tuple[int, int] | None:
    """The grid position a covered cell repeats: left if the left cell has its text, else above."""
    text = rows[r][c].text
    if c and rows[r][c - 1].text == text:
        left = current[c - 1]
        return left.origin or (r, c - 1)
    if r and c < len(rows[r - 1]) and rows[r - 1][c].text == text:
        above = done[r - 1][c]
        return above.origin or (r - 1, c)
    return None


# --- the squeezed view ------------------------------------------------------------------------------

class _View:
    """The extracted text without ignorable characters, with the map back to offsets."""

    def __init__(self, ex: Extracted):
        self.ex = ex
        self.at: list[int] = []  # squeezed index -> text offset
        runs = []
        for m in _KEPT_RUN.finditer(ex.text):
            self.at.extend(range(m.start(), m.end()))
            runs.append(m.group())
        self.ns = "".join(runs)
        self._rows: list[tuple[Block, int]] = []  # every table row, in text order
        self._row_starts: list[int] = []
        for b in ex.blocks:
            for r, cells in enumerate(b.cells):
                if cells:
                    self._rows.append((b, r))
                    self._row_starts.append(cells[0].start)

    def to_text(self, a: int, b: int) -> Span:
        return (self.at[a], self.at[b - 1] + 1)

    def to_ns(self, offset: int) -> int:
        """The squeezed index of the first kept character at or after ``offset``."""
        return bisect.bisect_left(self.at, offset)

    def table_row_at(self, offset: int) -> tuple[Block, int] | None:
        """The table row whose text holds ``offset`` (None outside tables)."""
        k = bisect.bisect_right(self._row_starts, offset) - 1
        if k < 0:
            return None
        block, r = self._rows[k]
        return (block, r) if offset <= block.cells[r][-1].end else None


def _common(t: str, ns: str, i: int, j: int) -> int:
    """Length of the common prefix of t[i:] and ns[j:]."""
    n = 0
    while i + n < len(t) and j + n < len(ns) and t[i + n] == ns[j + n]:
        n += 1
    return n


def _locate(t: str, i: int, ns: str, lo: int, hi: int) -> tuple[int, int] | None:
    """(position, length) of the longest prefix of t[i:] found in ns[lo:hi] (earliest position)."""
    if i >= len(t) or lo >= hi:
        return None
    rest = t[i:]
    idx = ns.find(rest, lo, hi)
    if idx >= 0:
        return idx, len(rest)
    if ns.find(rest[0], lo, hi) < 0:
        return None
    good, bad = 1, len(rest)  # prefix of length good is found, of length bad is not
    while bad - good > 1:
        mid = (good + bad) // 2
        if ns.find(rest[:mid], lo, hi) >= 0:
            good = mid
        else:
            bad = mid
    idx = ns.find(rest[:good], lo, hi)
    return idx, _common(t, ns, i, idx)


def _align(t: str, ns: str, lo: int, hi: int, glue: regex.Pattern, first_glue: bool = False) -> list[Span] | None:
    """Pieces of ``ns`` whose concatenation is ``t`` up to glue between pieces; None if not found."""
    out: list[Span] = []
    i, q = 0, lo
    while i < len(t):
        window = hi if not out else min(len(ns), q + GAP_CHARS)
        cands = []
        m = glue.match(t, i) if (out or first_glue) else None
        if m is not None:
            if m.end() == len(t):
                break  # a trailing separator (the parser's own) — nothing left to find
            c = _locate(t, m.end(), ns, q, window)
            if c is not None:
                cands.append((c, m.end()))
        c = _locate(t, i, ns, q, window)
        if c is not None:
            cands.append((c, i))
        if not cands:
            return None
        (idx, n), start = _pick(cands, len(t))
        out.append((idx, idx + n))
        i, q = start + n, idx + n
    return out


def _pick(cands, size):
    long_enough = [c for c in cands if c[0][1] >= min(MIN_ANCHOR_CHARS, size - c[1])]
    if long_enough:
        return min(long_enough, key=lambda c: (c[0][0], -c[0][1]))
    return max(cands, key=lambda c: c[0][1])


# --- per task -----------------------------------------------------------------------------------------

def number_forms(number: str) -> list[str]:
    """How the number of a task may be printed: as is, full-width, circled (①), with its stop (⒈)."""
    forms = [number]
    if number.isdigit():
        forms.append(number.translate(_FULL_WIDTH_DIGITS))
        n = int(number)
        if 1 <= n <= len(_CIRCLED):
            forms.append(_CIRCLED[n - 1])
        if 1 <= n <= len(_FULLSTOP):
            forms.append(_FULLSTOP[n - 1])
    return forms


def _number_span(view: _View, number: str, text_start: int) -> Span | None:
    """The printed number just before the text: 3. / 3、 / （三） / ③ / a 序号 cell."""
    if not number:
        return None
    ns = view.ns
    lo = max(0, text_start - NUMBER_BACK_CHARS)
    forms = number_forms(number)
    best = None
    for form in forms:
        r = ns.rfind(form, lo, text_start)
        while r >= 0:
            between = ns[r + len(form):text_start]
            before = ns[r - 1] if r else ""
            clash = before.isdigit() if form.isdigit() else before in _CN_DIGITS
            if all(ch in _MARKER_CHARS for ch in between) and not clash:
                if best is None or r > best:
                    best = r
                break
            r = ns.rfind(form, lo, r)
    if best is None:
        return None
    start = best - 1 if best and ns[best - 1] in "（(〔【[［" else best
    end = text_start
    while end > best and ns[end - 1] in "|｜:：":  # a text-table bar belongs to no field
        end -= 1
    return start, end


def _find_name(view: _View, name: str, ranges: list[Span]) -> Span | None:
    """First occurrence of ``name`` in the ranges, preferring one that ends at a separator."""
    if not name:
        return None
    ns = view.ns
    first = None
    for a, b in ranges:
        i = ns.find(name, a, b)
        tries = 0
        while i >= 0 and tries < NAME_TRIES:
            end = i + len(name)
            if end >= b or ns[end] in _NAME_END or ns.startswith(("牵头", "负责", "配合"), end):
                return i, end
            first = first or (i, end)
            i = ns.find(name, i + 1, b)
            tries += 1
    return first


def _rfind_name(view: _View, name: str, lo: int, hi: int) -> Span | None:
    if not name or lo >= hi:
        return None
    i = view.ns.rfind(name, max(0, lo), hi)
    return (i, i + len(name)) if i >= 0 else None


@dataclass
class _Cursor:
    pos: int = 0


def _task_spans(view: _View, task: Task, cur: _Cursor) -> TaskSpans:
    ns = view.ns
    text = squeeze(task.text)
    pieces = _align(text, ns, cur.pos, min(len(ns), cur.pos + TASK_WINDOW_CHARS), _GLUE) if text else None
    if pieces is None and text:  # a task text repeated by a merged table cell above
        back = ns.rfind(text, max(0, cur.pos - INHERIT_BACK_CHARS), cur.pos)
        pieces = [(back, back + len(text))] if back >= 0 else None
    if not pieces or not _joins(text, [ns[a:b] for a, b in pieces], False):
        return TaskSpans()  # no place rather than a wrong one
    cur.pos = max(cur.pos, pieces[-1][1])
    number = _number_span(view, squeeze(task.number), pieces[0][0])
    in_table = view.table_row_at(view.at[pieces[0][0]]) is not None
    region_lo = number[0] if number else pieces[0][0]
    clause_pieces: list[Span] = []
    clause_hi = min(len(ns), pieces[-1][1] + CLAUSE_WINDOW_CHARS)
    if task.clause and in_table:
        clause_pieces = _table_clause(view, squeeze(task.clause), pieces)
    elif task.clause:
        clause_pieces = (_align(squeeze(task.clause), ns, region_lo, clause_hi, _GLUE)
                         # a table pasted as text, one cell per line: the parser wrote the labels
                         or _labelled_parts(view, squeeze(task.clause), [(pieces[-1][1], clause_hi)]))
        if clause_pieces:
            cur.pos = max(cur.pos, clause_pieces[-1][1])
    if not _joins(squeeze(task.clause), [ns[a:b] for a, b in clause_pieces], True):
        clause_pieces = []
    region_hi = max([b for _, b in pieces + clause_pieces])
    roles = _role_spans(view, task, pieces, clause_pieces, region_lo, region_hi)
    return TaskSpans(number=[view.to_text(*number)] if number else [],
                     text=[view.to_text(a, b) for a, b in pieces],
                     clause=[view.to_text(a, b) for a, b in clause_pieces],
                     roles=roles)


_TABLE_PART = regex.compile(r"(?:^|；)(?:" + "|".join(TABLE_LABELS) + r")：")  # where a written label starts


def _table_clause(view: _View, clause: str, pieces: list[Span]) -> list[Span]:
    """A table row's clause is ``label：cells；label：cells`` written by the parser: each value
    is found in the row, else in the cell a merged position of the row repeats."""
    found = view.table_row_at(view.at[pieces[0][0]])
    if found is None:
        return []
    block, r = found
    row_end = view.to_ns(block.cells[r][-1].end)
    row_lo = view.to_ns(block.cells[r][0].start)
    return _labelled_parts(view, clause, [(row_lo, row_end)] + _covered_origins(view, pieces[0][0]))


def _labelled_parts(view: _View, clause: str, ranges: list[Span]) -> list[Span]:
    """Each value of a ``label：value；label：value`` clause, looked for in the ranges in turn."""
    starts = [m.end() for m in _TABLE_PART.finditer(clause)]
    if not starts:
        return []
    ends = [m.start() for m in _TABLE_PART.finditer(clause)][1:] + [len(clause)]
    out: list[Span] = []
    for a, b in zip(starts, ends):
        value = clause[a:b]
        got = None
        for lo, hi in ranges:
            got = _align(value, view.ns, lo, hi, _GLUE)
            if got is not None:
                break
        if got is None:
            return []
        out += got
    return out


def _role_spans(view: _View, task: Task, pieces, clause_pieces, lo: int, hi: int) -> list[RoleSpan]:
    out = []
    row_origins = _covered_origins(view, pieces[0][0])
    section_lo = _section_start(view, task, lo)
    for role, names in (("leader", task.leaders), ("lead", task.lead_units), ("unit", task.units),
                        ("deadline", [task.deadline] if task.deadline else [])):
        for name in names:
            key = squeeze(name)
            span = _find_name(view, key, clause_pieces) or _find_name(view, key, [(lo, hi)])
            if span is None:
                span = (_find_name(view, key, row_origins) or _rfind_name(view, key, section_lo, lo)
                        or (_find_name(view, key, [(hi, min(len(view.ns), hi + INHERIT_FWD_CHARS))])
                            if not task.clause else None)
                        or _rfind_name(view, key, lo - INHERIT_BACK_CHARS, lo))
            out.append(RoleSpan(role=role, name=name, span=view.to_text(*span) if span else None,
                                inherited=span is not None and not (lo <= span[0] and span[1] <= hi)))
    return out


def _covered_origins(view: _View, ns_pos: int) -> list[Span]:
    """Squeezed ranges of the cells that the merged positions of this table row repeat."""
    found = view.table_row_at(view.at[ns_pos])
    if found is None:
        return []
    block, r = found
    out = []
    for cell in block.cells[r]:
        if cell.origin is not None:
            o = block.cells[cell.origin[0]][cell.origin[1]]
            if o.end > o.start:
                out.append((view.to_ns(o.start), view.to_ns(o.end)))
    return out


def _section_start(view: _View, task: Task, lo: int) -> int:
    """Where the outermost heading of the task's section starts (bounded look-back)."""
    start = lo
    for heading in reversed(task.section):
        key = squeeze(heading)[:24]
        if not key:
            continue
        i = view.ns.rfind(key, max(0, start - INHERIT_BACK_CHARS), start)
        if i < 0:
            break
        start = i
    return start


def annotate(doc: Document, result: Result) -> tuple[Extracted, Result]:
    """The extracted text of ``doc`` and ``result`` with ``spans`` set on every task."""
    # many small objects and no cycles: the cyclic collector made long inputs superlinear
    enabled = gc.isenabled()
    gc.disable()
    try:
        ex = extracted(doc)
        view = _View(ex)
        cur = _Cursor()
        tasks = [t.model_copy(update={"spans": _task_spans(view, t, cur)}) for t in result.tasks]
        return ex, result.model_copy(update={"tasks": tasks})
    finally:
        if enabled:
            gc.enable()


# --- exactness ------------------------------------------------------------------------------------

def rebuilds(text: str, spans: list[Span], target: str | None, labels: bool = False) -> bool:
    """Do ``spans`` cut from ``text`` give back ``target``, as defined in the module doc?"""
    return _joins(squeeze(target), [squeeze(text[a:b]) for a, b in spans], labels)


def _joins(want: str, pieces: list[str], labels: bool) -> bool:
    """Is ``want`` the pieces concatenated, with at most one separator (or written label) between two?"""
    if not pieces:
        return not want
    i = 0
    for k, piece in enumerate(pieces):
        if not piece:
            return False
        starts = [i]
        if k and want[i:i + 1] and _GLUE.match(want, i):
            starts.append(i + 1)
        m = _LABEL_GLUE.match(want, i) if labels else None
        if m is not None:
            starts.append(m.end())
        at = next((j for j in starts if want.startswith(piece, j)), None)
        if at is None:
            return False
        i = at + len(piece)
    return i == len(want) or _GLUE.fullmatch(want, i) is not None  # a separator the parser left at the end
