"""The fixed-layout pipeline shared by the PDF, OFD and OCR readers: characters with boxes ->
visual lines -> paragraphs, ruled tables from rules, borderless tables from column gaps
(_pdf_grid.py), page furniture and tables across pages.

A reader lays out each page as a :class:`Page` (characters grouped into :class:`VLine` by baseline,
tables found with :func:`ruled_tables`, items numbered with :func:`number_items`) in display
coordinates with y growing upwards (PDF points), then :func:`assemble` turns the pages into blocks.
"""
from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from ..document import Cell, Line, Table
from ._common import bold_spans
from ._pdf_grid import Carry, find_tables

LINE_Y_TOLERANCE_PT = 2.0  # baselines closer than this (or 25 % of the font size) share a line
LINE_Y_TOLERANCE_EM = 0.25
FAKE_BOLD_OVERLAP_PT = 1.0  # the same glyph again within this distance is fake bold, not text
LATIN_SPACE_GAP_EM = 0.15  # a gap wider than this between Latin letters/digits is a word space
WIDE_GAP_EM = 1.5  # a gap wider than this between any two characters becomes a space (columns, tabs)...
SPREAD_GAP_FACTOR = 3.0  # ...when it is also this many times the line's median gap
RIGHT_MARGIN_TOLERANCE_EM = 1.6  # a line ending this close to the right margin is a wrapped line
RAGGED_MARGIN_EM = 4.0  # ...or this close, when it ends mid-sentence (unjustified text, kept words)
INDENT_MIN_EM = 1.0  # a line starting this far right of the left margin opens a paragraph
PARAGRAPH_GAP_EM = 2.2  # a vertical step larger than this many font sizes separates paragraphs
BAND_FRACTION = 0.09  # top and bottom 9 % of the page height hold headers and footers
REPEAT_PAGE_SHARE = 0.5  # a band line on at least this share of pages is a running header/footer
MARGIN_CLUSTER_PT = 2.0  # line starts/ends within this distance count as one margin
RULING_MIN_PT = 6.0  # shorter strokes are not table rules
RULING_AXIS_PT = 1.0  # a rule deviates at most this much from horizontal/vertical
RULING_MERGE_PT = 2.0  # rules this close on one line join; rule ends this close meet
MAX_RULING_PAIRS = 250_000  # per page: horizontal x vertical rules compared when finding tables
MAX_GRID_CELLS = 20_000  # per ruled table on a page: a denser grid is a drawing, its text read as lines
SENTENCE_END = set("。！？：；）)」”’.!?:;")
# FZHTK/FZDHTK: PostScript names of 方正黑体 / 方正大黑
BOLD_FONT_MARKS = ("bold", "black", "heavy", "hei", "黑", "fzht", "fzdht")
NOT_BOLD_FONT_MARKS = ("yahei", "雅黑")  # a UI font often used for whole documents
_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~～_]+\d{1,4}[—–\-－~～_]+|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|\d{1,4}/\d{1,4}"
    r"|[-－—]?\d{1,4}[-－—]?)$")
_NUMBERED_START = re.compile(
    r"^(?:\d{1,3}(?:[.．](?!\d)|、)|[(（][一二三四五六七八九十百\d]{1,4}[)）]|[一二三四五六七八九十百]{1,4}、"
    r"|[①-⑳]|第[一二三四五六七八九十百\d]{1,4}[条章节部分])")


# ---------------------------------------------------------------- characters, lines and pages

@dataclass(slots=True)  # a page holds hundreds: slots make them quicker to build, read and free
class Char:
    """One character with its box: x0/x1 across, the baseline y (upwards), the font size."""

    ch: str
    x0: float
    x1: float
    y: float  # baseline
    size: float
    bold: bool


@dataclass
class VLine:
    """A visual line on a page."""

    page: int
    number: int  # 1-based within the page
    y: float
    x0: float
    x1: float
    size: float
    text: str
    bold: list[bool]
    tabular: bool = False  # has wide gaps: table cells or tab-separated parts
    band: str = ""  # "top" / "bottom" when inside a header/footer band
    cols: int = 1  # parts separated by wide gaps
    chars: list[Char] = field(default_factory=list)  # sorted by x (borderless tables need the positions)


@dataclass
class PTable:
    """A ruled table on a page, placed among the page's lines by its top edge."""

    page: int
    number: int
    y: float  # top edge
    rows: tuple[tuple[Cell, ...], ...]


@dataclass
class Page:
    """One page as a reader lays it out; the flags tell a reader's checks why a page has no lines."""

    number: int
    height: float
    lines: list[VLine] = field(default_factory=list)
    tables: list[PTable] = field(default_factory=list)
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1) outside ruled tables
    empty: bool = False  # no characters at all
    has_image: bool = False
    has_drawing: bool = False  # paths count too: text drawn as outlines needs OCR as well
    unreadable: bool = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a reader lays out its pages: they hold tens of
    thousands of characters and lines until the document is assembled, and the collector would walk
    them again in each generation as they pile up (about a tenth of a 30-page PDF's extraction time).
    They hold no reference cycles, nor does OCR: reference counting frees them, so nothing waits
    for the collector when it resumes."""
    if not gc.isenabled():  # paused already (a reader inside a reader, or the caller's choice)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def bold_font(name: str) -> bool:
    """True for a font name that prints bold (…Bold, 黑体, SimHei, 方正黑体), not for 微软雅黑."""
    low = name.lower()
    if "+" in low[:8]:
        low = low.split("+", 1)[1]  # subset prefix ABCDEF+
    if any(m in low for m in NOT_BOLD_FONT_MARKS):
        return False
    return any(m in low for m in BOLD_FONT_MARKS)


# ---------------------------------------------------------------- characters -> visual lines

def visual_lines(chars: list[Char], page: int, height: float) -> list[VLine]:
    """Characters grouped into lines by baseline, top to bottom; lines in the top and bottom bands
    of a page ``height`` high are marked as possible page furniture."""
    order = sorted(chars, key=_minus_y)
    groups: list[list[Char]] = []
    anchor = None
    for c in order:
        tol = LINE_Y_TOLERANCE_EM * c.size
        if not tol > LINE_Y_TOLERANCE_PT:  # max(LINE_Y_TOLERANCE_PT, tol), as max() picks on a tie or NaN
            tol = LINE_Y_TOLERANCE_PT
        if anchor is None or anchor - c.y > tol:
            group = [c]
            groups.append(group)
            anchor = c.y
        else:
            group.append(c)
    lines = []
    top, bottom = height * (1 - BAND_FRACTION), height * BAND_FRACTION
    for number, group in enumerate(groups, 1):
        line = _join(group, page, number)
        if line is not None:
            if line.y > top:
                line.band = "top"
            elif line.y < bottom:
                line.band = "bottom"
            lines.append(line)
    return lines


def _minus_y(c: Char) -> float:
    return -c.y


_x0 = attrgetter("x0")


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or ch in ".,;:%)(-/"


def _join(group: list[Char], page: int, number: int) -> VLine | None:
    group.sort(key=_x0)
    kept: list[Char] = []
    last: Char | None = None
    for c in group:
        if last is not None and c.ch == last.ch and abs(c.x0 - last.x0) < FAKE_BOLD_OVERLAP_PT \
                and abs(c.y - last.y) < FAKE_BOLD_OVERLAP_PT:
            last.bold = True  # drawn twice with an offset: fake bold
            continue
        kept.append(c)
        last = c
    if not kept:
        return None
    n = len(kept)
    sizes = sorted([c.size for c in kept])
    size = sizes[n // 2] or 1.0
    x1s = [c.x1 for c in kept]
    steps = [c.x0 - x1 for c, x1 in zip(kept[1:], x1s)]  # the gap before each character but the first
    gaps = sorted(steps)
    # a letter-spread line (justified, or stretched before a manual break) has evenly wide gaps;
    # a column gap is wide next to the line's usual gap
    wide = max(WIDE_GAP_EM * size, SPREAD_GAP_FACTOR * gaps[len(gaps) // 2]) if gaps else 0.0
    latin_gap = LATIN_SPACE_GAP_EM * size
    chs = [c.ch for c in kept]
    bold = [c.bold for c in kept]
    spaces = [k for k, gap in enumerate(steps, 1)
              if gap > wide or gap > latin_gap and _is_latin(chs[k - 1]) and _is_latin(chs[k])]
    cols = 1
    if spaces:
        cols += sum(1 for k in spaces if steps[k - 1] > wide)
        for k in reversed(spaces):
            chs.insert(k, " ")
            bold.insert(k, False)
    y = sorted([c.y for c in kept])[n // 2]
    return VLine(page=page, number=number, y=y, x0=kept[0].x0, x1=max(x1s), size=size,
                 text="".join(chs), bold=bold, tabular=cols > 1, cols=cols, chars=kept)


# ---------------------------------------------------------------- page furniture

def squash(text: str) -> str:
    return "".join(text.split())


def _drop_furniture(pages: list[Page]) -> None:
    """Drop page numbers and header/footer lines that repeat across pages."""
    with_text = [p for p in pages if p.lines]
    counts: Counter[str] = Counter()
    for p in with_text:
        keys = {_band_key(ln) for ln in p.lines if ln.band}
        counts.update(keys)
    threshold = max(2, REPEAT_PAGE_SHARE * len(with_text))
    for p in with_text:
        kept = []
        for ln in p.lines:
            squashed = squash(ln.text)
            if _PAGE_NUMBER.match(squashed) and (ln.band or not squashed.isdigit()):
                continue
            if ln.band and counts[_band_key(ln)] >= threshold:
                continue
            kept.append(ln)
        p.lines = kept


def _band_key(line: VLine) -> str:
    return line.band + ":" + "".join("#" if ch.isdigit() else ch for ch in squash(line.text))


# ---------------------------------------------------------------- visual lines -> paragraphs

def assemble(pages: list[Page]) -> list[Line | Table]:
    """The blocks of a document from its laid-out pages: page furniture dropped, borderless tables
    found (their columns carried from page to page), lines joined into paragraphs, tables that
    run over a page break joined."""
    _drop_furniture(pages)
    carry: Carry | None = None
    for p in pages:
        carry = _borderless(p, carry)
    return _join_split_tables(_paragraphs([item for p in pages for item in _items(p)]))


def _margins(lines: list[VLine]) -> tuple[float, float]:
    """Left and right text margins: the leftmost start and rightmost end shared by several lines."""
    def cluster(values: list[float], pick_max: bool) -> float:
        values = sorted(values, reverse=pick_max)
        for i, v in enumerate(values[:-1]):
            if abs(values[i + 1] - v) <= MARGIN_CLUSTER_PT:
                return v
        return values[0]

    body = [ln for ln in lines if not ln.tabular] or lines
    return cluster([ln.x0 for ln in body], False), cluster([ln.x1 for ln in body], True)


def _items(page: Page) -> list[VLine | PTable]:
    """Lines and tables of a page in reading order."""
    if not page.tables:
        return list(page.lines)
    items: list[VLine | PTable] = [*page.lines, *page.tables]
    items.sort(key=lambda it: it.number)
    return items


def number_items(page: Page) -> None:
    """Number lines and tables top to bottom (a table takes one number)."""
    if not page.tables:
        return
    items: list[VLine | PTable] = [*page.lines, *page.tables]
    items.sort(key=lambda it: -it.y)
    for number, item in enumerate(items, 1):
        item.number = number


def _paragraphs(items: list[VLine | PTable]) -> list[Line | Table]:
    lines = [it for it in items if isinstance(it, VLine)]
    left, right = _margins(lines) if lines else (0.0, 0.0)
    out: list[Line | Table] = []
    cur: list[VLine] = []
    for it in items:
        if isinstance(it, PTable):
            if cur:
                out.append(_paragraph(cur))
                cur = []
            out.append(Table(rows=it.rows, line=it.number, page=it.page, row_pages=(it.page,) * len(it.rows)))
            continue
        if cur and _continues(cur[-1], it, left, right):
            cur.append(it)
            continue
        if cur:
            out.append(_paragraph(cur))
        cur = [it]
    if cur:
        out.append(_paragraph(cur))
    return out


def _continues(prev: VLine, ln: VLine, left: float, right: float) -> bool:
    if prev.tabular or ln.tabular:
        return False
    size = max(prev.size, ln.size)
    short_by = right - prev.x1
    if short_by > RAGGED_MARGIN_EM * size or (short_by > RIGHT_MARGIN_TOLERANCE_EM * size
                                              and prev.text[-1:] in SENTENCE_END):
        return False  # the previous line ended short: its paragraph ended
    if ln.x0 - left > INDENT_MIN_EM * size:
        return False  # indented first line of a new paragraph
    if abs(prev.size - ln.size) > 0.2 * size:
        return False
    if ln.page == prev.page and prev.y - ln.y > PARAGRAPH_GAP_EM * size:
        return False
    if ln.page != prev.page and ln.page != prev.page + 1:
        return False
    return not _NUMBERED_START.match(squash(ln.text))


def _paragraph(parts: list[VLine]) -> Line:
    pieces: list[str] = []
    bold: list[bool] = []
    for p in parts:
        if pieces and pieces[-1][-1:].isascii() and pieces[-1][-1:].isalnum() and p.text[:1].isascii() \
                and p.text[:1].isalnum():
            pieces.append(" ")  # a Latin word wrapped at the line end
            bold.append(False)
        pieces.append(p.text)
        bold.extend(p.bold)
    text = "".join(pieces)
    spans, whole = bold_spans(text, bold) if any(bold) else ((), False)
    return Line(text, line=parts[0].number, page=parts[0].page, bold=whole, bold_spans=spans)


# ---------------------------------------------------------------- ruled tables

def ruled_tables(chars: list[Char], hs: list[tuple[float, float, float]], vs: list[tuple[float, float, float]],
                 number: int) -> tuple[list[PTable], list[Char], list[tuple[float, float, float]]]:
    """Find tables drawn with rules (horizontal (y, x0, x1) and vertical (x, y0, y1), merged); return
    them, the characters outside them and the page's horizontal rules (row separators of tables
    without vertical rules)."""
    if len(hs) < 2 or len(vs) < 2 or len(hs) * len(vs) > MAX_RULING_PAIRS:
        return [], chars, hs
    tables: list[PTable] = []
    for comp_h, comp_v in _components(hs, vs):
        grid = _grid(comp_h, comp_v)
        if grid is None:
            continue
        xs, ys = grid
        if (len(xs) - 1) * (len(ys) - 1) > MAX_GRID_CELLS:
            continue  # graph paper, not a task table: its characters stay lines
        inside, chars = _split_chars(chars, xs, ys)
        rows = _cells(inside, xs, ys, comp_h, comp_v, number)
        if any(c.text for row in rows for c in row):
            tables.append(PTable(page=number, number=0, y=ys[0], rows=rows))
    return tables, chars, hs


def add_rule(p: tuple[float, float], q: tuple[float, float], hs: list[tuple[float, float, float]],
              vs: list[tuple[float, float, float]]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= RULING_AXIS_PT and abs(x1 - x0) >= RULING_MIN_PT:
        hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= RULING_AXIS_PT and abs(y1 - y0) >= RULING_MIN_PT:
        vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def merge_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join rules on one line (within RULING_MERGE_PT) whose extents touch or overlap."""
    out: list[tuple[float, float, float]] = []
    rules = sorted(rules)
    i = 0
    while i < len(rules):
        j = i
        while j + 1 < len(rules) and rules[j + 1][0] - rules[i][0] <= RULING_MERGE_PT:
            j += 1
        pos = sum(r[0] for r in rules[i:j + 1]) / (j + 1 - i)
        spans = sorted((r[1], r[2]) for r in rules[i:j + 1])
        lo, hi = spans[0]
        for s0, s1 in spans[1:]:
            if s0 <= hi + RULING_MERGE_PT:
                hi = max(hi, s1)
            else:
                out.append((pos, lo, hi))
                lo, hi = s0, s1
        out.append((pos, lo, hi))
        i = j + 1
    return out


Rule = tuple[float, float, float]  # (y, x0, x1) horizontal or (x, y0, y1) vertical, display coordinates


def _components(hs: list[Rule], vs: list[Rule]) -> list[tuple[list[Rule], list[Rule]]]:
    """Groups of horizontal and vertical rules that cross or meet each other."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tol = RULING_MERGE_PT + 1.0
    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > RULING_MERGE_PT:
            out.append(v)
    return out


def _grid(hs: list[tuple[float, float, float]], vs: list[tuple[float, float, float]]) -> tuple[list[float], list[float]] | None:
    xs = _cluster([v[0] for v in vs])
    ys = _cluster([h[0] for h in hs])[::-1]  # top to bottom
    if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) < 2:
        return None  # a single box (a framed paragraph) is not a table
    return xs, ys


def _split_chars(chars: list[Char], xs: list[float], ys: list[float]) -> tuple[list[Char], list[Char]]:
    inside, outside = [], []
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, c.y + 0.3 * c.size
        if xs[0] <= cx <= xs[-1] and ys[-1] <= cy <= ys[0]:
            inside.append(c)
        else:
            outside.append(c)
    return inside, outside


def _covered(rules: list[tuple[float, float, float]], at: list[float], pos: float, mid: float) -> bool:
    """Whether a rule at ``pos`` (rules sorted by position, ``at`` their positions) passes ``mid``:
    only the rules near ``pos`` are looked at, so a grid costs cells x log(rules)."""
    tol = RULING_MERGE_PT + 1.0
    i = bisect_left(at, pos - tol)
    while i < len(rules) and at[i] <= pos + tol:
        r = rules[i]
        if r[1] - 1.0 <= mid <= r[2] + 1.0:
            return True
        i += 1
    return False


def _cells(chars: list[Char], xs: list[float], ys: list[float], hs: list[tuple[float, float, float]],
           vs: list[tuple[float, float, float]], page: int) -> tuple[tuple[Cell, ...], ...]:
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    hs, vs = sorted(hs), sorted(vs)
    h_at, v_at = [h[0] for h in hs], [v[0] for v in vs]
    owner = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]  # top-left grid position of each region
    for r in range(n_rows):
        for c in range(n_cols):
            top_left = owner[r][c]
            if c + 1 < n_cols and not _covered(vs, v_at, xs[c + 1], (ys[r] + ys[r + 1]) / 2):
                owner[r][c + 1] = top_left  # no rule between: merged across
            if r + 1 < n_rows and not _covered(hs, h_at, ys[r + 1], (xs[c] + xs[c + 1]) / 2):
                owner[r + 1][c] = top_left  # merged down
    by_region: dict[tuple[int, int], list[Char]] = {}
    neg_ys = [-y for y in ys]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, ch.y + 0.3 * ch.size
        col = min(max(bisect_right(xs, cx) - 1, 0), n_cols - 1)
        r = min(max(bisect_right(neg_ys, -cy) - 1, 0), n_rows - 1)
        by_region.setdefault(owner[r][col], []).append(ch)
    texts = {key: _cell_of(group, page) for key, group in by_region.items()}
    rows: list[tuple[Cell, ...]] = []
    for r in range(n_rows):
        cells: list[Cell] = []
        for c in range(n_cols):
            key = owner[r][c]
            cell = texts.get(key, Cell(""))
            cells.append(cell if key == (r, c) else Cell(cell.text, cell.bold, cell.bold_spans, merged=True))
        rows.append(tuple(cells))
    return tuple(rows)


def _cell_of(chars: list[Char], page: int) -> Cell:
    lines = visual_lines(chars, page, 0.0)
    line = _paragraph(lines) if lines else Line("")
    return Cell(line.text, line.bold, line.bold_spans)


# ---------------------------------------------------------------- borderless tables

def _borderless(page: Page, carry: Carry | None) -> Carry | None:
    """Replace the lines of tables printed without vertical rules by tables; the columns of a
    table that reaches the page bottom, for the next page."""
    found = find_tables(page.lines, page.hrules, carry)
    if not found:
        return None
    lines = page.lines
    taken: set[int] = set()
    made: list[PTable] = []
    for grid in found:
        first = lines[grid.members[0]]
        rows = tuple(_grid_row(kind, parts, lines, grid.ncols, page.number) for kind, parts in grid.rows)
        made.append(PTable(page=page.number, number=first.number, y=first.y, rows=rows))
        taken.update(grid.members)
    if carry is not None and isinstance(carry.table, PTable) and found[0].members[0] == 0:
        _join_overleaf(carry.table, made[0], found[0].header_rows, found[0].joins_previous, carry.headless)
    page.tables += made
    page.lines = [ln for k, ln in enumerate(lines) if k not in taken]
    last = found[-1]
    if last.members[-1] != len(lines) - 1:
        return None
    last.columns.table = made[-1]
    return last.columns


def _join_overleaf(prev: PTable, table: PTable, header_rows: int, tail: bool, headless: bool) -> None:
    """The first row overleaf completes the previous page's last row: it is that row's tail, or
    the row's cells are centred and its 序号 landed on the second part (``headless``)."""
    if len(table.rows) <= header_rows or not prev.rows:
        return
    first = table.rows[header_rows]
    if len(first) != len(prev.rows[-1]) or first[0].merged:
        return
    if not tail and not (headless and first[0].text):
        return
    prev.rows = prev.rows[:-1] + (tuple(_join_cells(a, b) for a, b in zip(prev.rows[-1], first)),)
    table.rows = table.rows[:header_rows] + table.rows[header_rows + 1:]


def _grid_row(kind: str, parts: list[Any], lines: list[VLine], ncols: int, page: int) -> tuple[Cell, ...]:
    if kind == "span":  # one text across the table, as a merged cell gives it
        line = _paragraph([lines[k] for k in parts])
        cell = Cell(line.text, line.bold, line.bold_spans)
        return (cell,) + tuple(Cell(cell.text, cell.bold, cell.bold_spans, merged=True) for _ in range(ncols - 1))
    return tuple(_cell_of(list(chars), page) if chars else Cell("") for chars in parts)


# ---------------------------------------------------------------- tables across pages

def _join_split_tables(blocks: list[Line | Table]) -> list[Line | Table]:
    """A table that ends one page and starts the next is one table: drop the repeated header row
    and rejoin a row the page break cut in two (its continuation has an empty first cell)."""
    out: list[Line | Table] = []
    for block in blocks:
        prev = out[-1] if out else None
        if not (isinstance(block, Table) and isinstance(prev, Table) and block.rows and prev.rows
                and block.page == ((prev.row_pages[-1] if prev.row_pages else prev.page) or 0) + 1
                and len(block.rows[0]) == len(prev.rows[0])):
            out.append(block)
            continue
        rows, pages = list(block.rows), list(block.row_pages)
        if _row_texts(rows[0]) == _row_texts(prev.rows[0]):
            rows, pages = rows[1:], pages[1:]  # header repeated on every page
        head = list(prev.rows)
        if rows and not rows[0][0].text.strip() and head[-1][0].text.strip() and any(c.text for c in rows[0]):
            head[-1] = tuple(_join_cells(a, b) for a, b in zip(head[-1], rows[0]))
            rows, pages = rows[1:], pages[1:]
            rows = _fill_merged_from(head[-1], rows)  # regions that hung off the cut row
        elif rows:
            rows = _continue_merges(head[-1], rows)
        out[-1] = Table(rows=tuple(head) + tuple(rows), line=prev.line, page=prev.page,
                        row_pages=tuple(prev.row_pages) + tuple(pages))
    return out


def _continue_merges(last: tuple[Cell, ...], rows: list[tuple[Cell, ...]]) -> list[tuple[Cell, ...]]:
    """Carry a vertically merged cell over the page break: the part on the new page is drawn
    empty.  Only where the merge is visible on one side (a merged copy above the break, or an
    empty region spanning rows below it), so a cell that is merely empty stays empty."""
    if not rows[0][0].text.strip() or all(c.merged for c in last[1:]) and len({c.text for c in last}) == 1:
        return rows  # a row across the whole table (a heading) merges nothing downwards
    grid = [list(r) for r in rows]
    for c in range(1, len(last)):
        above = last[c]
        spans_below = len(grid) > 1 and grid[1][c].merged and not grid[1][c].text
        if grid[0][c].text or not above.text or not (above.merged or spans_below):
            continue
        for r in range(len(grid)):
            if r and not (grid[r][c].merged and not grid[r][c].text):
                break
            grid[r][c] = Cell(above.text, above.bold, above.bold_spans, merged=True)
    return [tuple(r) for r in grid]


def _fill_merged_from(last: tuple[Cell, ...], rows: list[tuple[Cell, ...]]) -> list[tuple[Cell, ...]]:
    """Merged copies at the top of the continuation whose region started in the cut row take
    that row's text."""
    grid = [list(r) for r in rows]
    for c in range(min(len(last), len(grid[0]) if grid else 0)):
        for r in range(len(grid)):
            if not (grid[r][c].merged and not grid[r][c].text) or not last[c].text:
                break
            grid[r][c] = Cell(last[c].text, last[c].bold, last[c].bold_spans, merged=True)
    return [tuple(r) for r in grid]


def _row_texts(row: tuple[Cell, ...]) -> list[str]:
    return [squash(c.text) for c in row]


def _join_cells(a: Cell, b: Cell) -> Cell:
    if not b.text:
        return a
    if not a.text:
        return b
    sep = " " if a.text[-1:].isascii() and a.text[-1:].isalnum() and b.text[:1].isascii() and b.text[:1].isalnum() else ""
    shift = len(a.text) + len(sep)
    spans = a.bold_spans + tuple((s + shift, e + shift) for s, e in b.bold_spans)
    return Cell(a.text + sep + b.text, bool(a.bold and b.bold), spans, a.merged)
