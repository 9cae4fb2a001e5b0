"""Borderless tables on a PDF page, rebuilt from where the text stands.

A task table printed without vertical rules (a 三线表, a table with rules between rows only, or
none at all, as Word tables with hidden borders and Excel sheets print) leaves only its text:
visual lines whose characters keep out of a few vertical *corridors* — the gaps between columns.

The search works on the visual lines of one page, top to bottom:

1. A line split into three or more parts by wide gaps seeds a region.  The header lines around
   it (wrapped or vertically centred header cells stand on lines of their own) fix the columns:
   their gaps must stay open while the region grows; a gap that opens later becomes a column once
   one line has text on both sides of it.  A line that closes a column gap is a heading across the
   table (``一、…``, a leader row) when the line after it fits again; otherwise the region ends.
2. The header must name the work and who does it (任务 …, 单位/领导 …); without one the region is
   only taken as a table when it continues the previous page's table.
3. Rows are cut at horizontal rules when the body has them between rows; otherwise at the lines
   where the first column starts a new cell (top-aligned cells), or — when those lines sit in the
   middle of their row, as with vertically centred cells — at the line between two such anchors
   where every column has ended its paragraph, nearest to centring the anchor in its row.
4. What the next page needs (columns, row mode, a row that goes on) is handed over as a Carry.

Everything here works on duck-typed lines (``y``, ``size``, ``text``, ``cols`` and ``chars`` with
``x0``/``x1``/``ch``) and returns indices and character groups; _layout.py turns them into cells.
Every loop is bounded: intervals per projection, growth steps per page.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..parser.vocabulary import HEADER_DUTY_WORDS, HEADER_TASK_WORDS

CORRIDOR_MIN_PT = 3.0  # a gap between columns is at least this wide…
CORRIDOR_MIN_EM = 0.3  # …and this many font sizes (cell paddings; punctuation may hang into them)
SPREAD_GAP_FACTOR = 3.0  # in a letter-spread line (序  号) only gaps this many times its median gap split it…
SPREAD_CAP_EM = 1.5  # …but a gap of this many font sizes always does
ROW_GAP_MAX_EM = 4.0  # a table's lines follow each other at most this many font sizes apart
LINE_PITCH_MAX_EM = 1.8  # lines of one cell paragraph are at most this many font sizes apart
TEXT_COLUMN_EM = 10.0  # a column whose widest line is this many font sizes holds running text
CELL_END_EM = 2.0  # a cell's last line on a page this much narrower than its column's widest ends its paragraph
FIT_MARGIN_EM = 0.1  # the next line's first word must fit with this much to spare (widths are estimates)
RULE_SPAN_SHARE = 0.5  # a horizontal rule across this share of the table's width separates rows
RULE_ROWS_MIN = 2  # rules between body lines needed to take rules as the row boundaries
HEADER_MAX_LINES = 3  # visual lines a header may take (wrapped and vertically centred header cells)
HEADER_CELL_MAX_CHARS = 12
HEADER_FRAGMENT_CHARS = 3  # a wrapped header cell's last line, once the header names its columns
HEADER_WORDS_MIN = 2  # header cells that must name a task-table field
SPAN_MAX_LINES = 3  # consecutive lines across the table (headings, wrapped or one under another)
SPAN_MAX_CHARS = 60  # a spanning row is a heading, not a paragraph
MAX_INTERVALS = 40  # a projection with more pieces than this is not a table
WORK_PER_LINE = 6  # growth steps allowed per line of a page (regions that fail are retried from the next line)

TASK_WORDS = HEADER_TASK_WORDS  # a header names the work… (parser/vocabulary.py)
DUTY_WORDS = HEADER_DUTY_WORDS  # …and who does it
HEADER_WORDS = TASK_WORDS + DUTY_WORDS + ("序号", "编号", "时限", "时间", "期限", "进度", "进展", "备注")
SENTENCE_END = frozenset("。；！？;!?")
NO_LINE_START = frozenset("。，、；：！？）》」』”’,.;:!?)%")
HANGING = frozenset("。，、；：！？")  # may hang past a cell's text edge (Word's 允许标点溢出边界)
HANG_GAP_PT = 1.0  # …and then still leaves this much white before the next column
NO_LINE_END = frozenset("（《「『“‘([")
QUOTES = frozenset("“”‘’\"'")  # Unicode line breaking keeps quotation marks with both neighbours
_NUMBER = re.compile(r"^(?:[（(]?\d{1,4}[）)]?|[（(]?[一二三四五六七八九十]{1,4}[）)]?)[、.．]?$")  # a 序号 cell
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|第[一二三四五六七八九十]{1,3}[部分章节条])")

Interval = tuple[float, float]


@dataclass
class Carry:
    """The columns of a table that reached the bottom of a page."""

    projection: list[Interval]
    ncols: int
    size: float
    by_rules: bool = False  # rows were cut at horizontal rules…
    middle: bool = False  # …or at anchors in the middle of their rows (cells centred vertically)
    goes_on: bool = False  # its last row continues overleaf
    headless: bool = False  # …and has no first-column text yet (centred cells: the 序号 comes overleaf)
    col0_open: bool = False  # …or its first-column cell goes on (a table without 序号)
    table: Any = None  # the extractor's table object, for joining that row


@dataclass
class GridTable:
    """A table found on a page: the indices of its lines and its rows.

    A row is either ``("span", [line indices])`` — one text across the table — or
    ``("cells", [chars of column 0, chars of column 1, …])``."""

    members: list[int]
    rows: list[tuple[str, list[Any]]]
    columns: Carry  # what the next page needs to continue the table
    header_rows: int = 0
    joins_previous: bool = False  # the first body row completes the previous page's last row

    @property
    def ncols(self) -> int:
        return self.columns.ncols


def find_tables(lines: Sequence[Any], hrules: Sequence[tuple[float, float, float]],
                carry: Carry | None) -> list[GridTable]:
    """Borderless tables among a page's visual lines (top to bottom, furniture removed)."""
    if not lines or (carry is None and not any(ln.cols >= 3 for ln in lines)):
        return []
    budget = WORK_PER_LINE * len(lines) + 50
    found: list[GridTable] = []
    i, taken = 0, 0  # lines before ``taken`` belong to a found table
    while i < len(lines) and budget > 0:
        start_carry = carry if (i == 0 and carry is not None) else None
        if start_carry is None and lines[i].cols < 3:
            i += 1
            continue
        grown = _grow(lines, i, start_carry, taken)
        budget -= len(grown[0]) if grown else 1
        table = _build(lines, grown, hrules, start_carry) if grown else None
        if table is None:
            i += 1
            continue
        found.append(table)
        taken = i = table.members[-1] + 1
    return found


# ---------------------------------------------------------------- intervals and corridors

def _cmin(size: float) -> float:
    return max(CORRIDOR_MIN_PT, CORRIDOR_MIN_EM * size)


def _intervals(line: Any) -> list[Interval]:
    """The x-extents of a line's text pieces, split where a corridor could pass."""
    chars = line.chars
    if not chars:
        return []
    gaps = sorted(b.x0 - a.x1 for a, b in zip(chars, chars[1:]))
    # letter-spread text has no corridor inside a word, but a gap this wide always is one
    spread = min(SPREAD_GAP_FACTOR * gaps[(len(gaps) - 1) // 2], SPREAD_CAP_EM * line.size) if gaps else 0.0
    split = max(_cmin(line.size), spread)
    # a piece ending in closing punctuation ends where its ink does: 。 may hang into the cell
    # padding, up to the next column
    out: list[Interval] = []
    lo, hi = chars[0].x0, chars[0].x1
    prev = chars[0]
    for c in chars[1:]:
        end = _ink_end(prev) if prev.ch in HANGING and prev.x1 >= hi else hi
        if c.x0 - hi >= split or (c.x0 - hi >= HANG_GAP_PT and c.x0 - end >= split):
            out.append((lo, end))
            lo = c.x0
        hi = max(hi, c.x1)
        prev = c
    out.append((lo, _ink_end(prev) if prev.ch in HANGING and prev.x1 >= hi else hi))
    return out


def _ink_end(c: Any) -> float:
    return c.x0 + 0.5 * (c.x1 - c.x0)  # full-width closing punctuation is drawn in its left half


def _union(a: list[Interval], b: list[Interval], cmin: float) -> list[Interval]:
    """Union of two sorted interval lists; pieces closer than ``cmin`` merge."""
    out: list[Interval] = []
    for lo, hi in sorted(a + b):
        if out and lo - out[-1][1] < cmin:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _gaps(proj: list[Interval]) -> list[Interval]:
    return [(a[1], b[0]) for a, b in zip(proj, proj[1:])]


def _fits(required: list[Interval], new: list[Interval]) -> bool:
    """``new`` (a projection with a line added) keeps a corridor open inside every required gap;
    other corridors may open and close."""
    hit = [False] * len(required)
    j = 0
    for g0, g1 in _gaps(new):
        mid = (g0 + g1) / 2
        while j < len(required) and required[j][1] < mid:
            j += 1
        if j < len(required) and required[j][0] <= mid:
            hit[j] = True
    return all(hit)


def _confirm(required: list[Interval], new: list[Interval], line: list[Interval]) -> list[Interval]:
    """A corridor becomes required once a line has text on both sides of it, in the pieces of the
    projection next to it (a 序号 beside its task text), not merely somewhere right and left (a
    short cell beside a centred header word)."""
    added = []
    for idx, (g0, g1) in enumerate(_gaps(new)):
        if any(r0 <= g0 and g1 <= r1 for r0, r1 in required):
            continue
        left, right = new[idx], new[idx + 1]
        if any(a < left[1] and b > left[0] for a, b in line) and any(a < right[1] and b > right[0] for a, b in line):
            added.append((g0, g1))
    return sorted(required + added) if added else required


# ---------------------------------------------------------------- growing a region

def _grow(lines: Sequence[Any], i: int, carry: Carry | None, floor: int) -> tuple[list[int], list[int], list[Interval]] | None:
    """Member line indices, the spanning ones among them, and the final projection."""
    seed = lines[i]
    size = carry.size if carry else seed.size
    cmin = _cmin(size)
    members: list[int] = []
    spans: list[int] = []
    # before[j]: the projection before members[j] was added; before[-1]: the current one
    if carry:  # the columns are known: even the first line may be a heading across them
        proj, k = carry.projection, i
        before = [proj]
        fixed = 0
    else:
        proj = _intervals(seed)
        if not 3 <= len(proj) <= MAX_INTERVALS:
            return None
        # the header: wrapped or vertically centred header cells stand on lines above and below
        # the seed; every gap between header cells is a column
        up = i - 1
        while up >= floor and i - up < HEADER_MAX_LINES and _header_part(lines, up, lines[up + 1], seed, cmin, proj):
            proj = _union(proj, _intervals(lines[up]), cmin)
            up -= 1
        members = list(range(up + 1, i + 1))
        k = i + 1
        while k < len(lines) and len(members) < HEADER_MAX_LINES and _header_part(lines, k, lines[k - 1], seed, cmin, proj):
            proj = _union(proj, _intervals(lines[k]), cmin)
            members.append(k)
            k += 1
        before = [[]] * len(members) + [proj]
        fixed = len(members)  # header lines never become headings across the table
    # the corridors that must stay open: the header's gaps (or the previous page's columns), and
    # those a later line confirms by having text on both sides
    required = _gaps(proj)
    while k < len(lines):
        ln = lines[k]
        if members and lines[members[-1]].y - ln.y > ROW_GAP_MAX_EM * max(lines[members[-1]].size, ln.size):
            break
        pieces = _intervals(ln)
        new = _union(proj, pieces, cmin)
        if len(new) <= MAX_INTERVALS and _fits(required, new):
            required = _confirm(required, new, pieces)
            proj = new
            members.append(k)
            before.append(proj)
            k += 1
            continue
        crossing = _headings_across(lines, members, spans, before, k, required, cmin, fixed)
        if crossing is None:
            break
        back, pending = crossing
        spans += members[len(members) - back:] + pending
        proj = before[-1 - back]
        before[-1] = proj
        members += pending
        before += [proj] * len(pending)
        k += len(pending)
    return (members, spans, _columns(proj, required)) if members else None


def _columns(proj: list[Interval], required: list[Interval]) -> list[Interval]:
    """The projection with only the column gaps left open: the widest gap inside each required
    one; gaps nothing confirmed are filled."""
    keep = set()
    for r0, r1 in required:
        inside = [(g1 - g0, idx) for idx, (g0, g1) in enumerate(_gaps(proj)) if r0 <= g0 and g1 <= r1]
        if inside:
            keep.add(max(inside)[1])
    out = [proj[0]]
    for idx, piece in enumerate(proj[1:]):
        if idx in keep:
            out.append(piece)
        else:
            out[-1] = (out[-1][0], piece[1])
    return out


def _header_part(lines: Sequence[Any], k: int, near: Any, seed: Any, cmin: float, proj: list[Interval]) -> bool:
    """Line ``k`` holds more of the header: within a line's pitch of the header line ``near``,
    short labels or their wrapped ends, set like the seed (bold under a bold seed), keeping its
    gaps.  (A title above the table stands further off.)"""
    ln = lines[k]
    if abs(ln.y - near.y) > LINE_PITCH_MAX_EM * max(ln.size, near.size):
        return False
    if all(c.bold for c in seed.chars) and not all(c.bold for c in ln.chars):
        return False
    pieces = _intervals(ln)
    texts = ["".join(c.ch for c in ln.chars if a <= c.x0 and c.x1 <= b + 0.01) for a, b in pieces]
    if not _labels_not_values(texts) or not all(_label(t) for t in texts):
        return False
    return _fits(_gaps(proj), _union(proj, pieces, cmin))


def _fits_line(required: list[Interval], proj: list[Interval], line: Any, cmin: float) -> bool:
    new = _union(proj, _intervals(line), cmin)
    return len(new) <= MAX_INTERVALS and _fits(required, new)


def _headings_across(lines: Sequence[Any], members: list[int], spans: list[int], before: list[list[Interval]],
                     k: int, required: list[Interval], cmin: float, fixed: int) -> tuple[int, list[int]] | None:
    """Line ``k`` does not fit: find the heading rows across the table around it.  They are the
    last ``back`` members (a heading may only have narrowed the wide corridors under a centred
    header) and/or ``pending`` lines from ``k`` on, such that the line after them fits the
    projection as it was before them.  None when there are none: the region ends."""
    for back in range(SPAN_MAX_LINES):
        if back and (len(members) - back < max(fixed, 1) or members[-back] in spans):
            return None
        base = before[-1 - back]
        taken = members[len(members) - back:]
        pending: list[int] = []
        nxt = k
        while nxt < len(lines) and back + len(pending) < SPAN_MAX_LINES and not _fits_line(required, base, lines[nxt], cmin):
            pending.append(nxt)
            nxt += 1
        if nxt >= len(lines):  # headings at the foot of the page: the table goes on overleaf
            if pending and back == 0 and _heading_like(lines, pending):
                return 0, pending
            continue
        if not pending and back == 0 or not _fits_line(required, base, lines[nxt], cmin):
            continue
        last = lines[(pending or taken)[-1]]
        if last.y - lines[nxt].y <= ROW_GAP_MAX_EM * lines[nxt].size and _heading_like(lines, taken + pending):
            return back, pending
    return None


def _all_bold(line: Any) -> bool:
    return all(c.bold for c in line.chars)


def _heading_like(lines: Sequence[Any], idx: list[int]) -> bool:
    """Rows across a table are section or leader headings: each bold, numbered like a heading, or
    naming who leads (（一）王宏副市长牵头重点工作); a heading may wrap."""
    if not idx:
        return False
    for group in _span_groups(lines, idx):
        text = "".join(lines[k].text for k in group).strip()
        if not text or len(text) > SPAN_MAX_CHARS:
            return False
        if not (all(_all_bold(lines[k]) for k in group) or _HEADING.match(text)
                or ("牵头" in text and text[-1] not in SENTENCE_END)):
            return False
    return True


def _span_groups(lines: Sequence[Any], idx: list[int]) -> list[list[int]]:
    """Spanning lines grouped into headings: a line numbered like a heading, or one after a
    line that ends a sentence, starts a new one."""
    groups: list[list[int]] = []
    for k in idx:
        text = lines[k].text.strip()
        if groups and not _HEADING.match(text) and lines[groups[-1][-1]].text.rstrip()[-1:] not in SENTENCE_END:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


# ---------------------------------------------------------------- rows and cells

@dataclass
class Region:
    """A grown region of a page's visual lines on its way to a table: the facts every step of
    :func:`_build` reads, and (``header``, ``body``, ``spans``, ``right``) what the steps found."""

    lines: Sequence[Any]
    hrules: Sequence[tuple[float, float, float]]
    carry: Carry | None
    members: list[int]
    spans: set[int]  # lines across the table (headings); lone headings in the first column join later
    proj: list[Interval]  # the columns' x-extents
    ncols: int
    size: float  # the body's font size
    split: dict[int, list[list[Any]]]  # line -> its characters per column (lines across the table: none)
    width: Interval  # the table's left and right edges
    header: list[int] = field(default_factory=list)
    body: list[int] = field(default_factory=list)
    right: list[float] = field(default_factory=list)  # the widest line of each column

    def rows_of(self, seg: list[int]) -> list[list[Any]]:
        """The characters of each column over the lines ``seg``: one row of cells."""
        return [[c for k in seg for c in self.split[k][col]] for col in range(self.ncols)]


Segment = tuple[str, list[int]]  # ("span", lines across the table) or ("lines", lines of rows)


def _build(lines: Sequence[Any], grown: tuple[list[int], list[int], list[Interval]],
           hrules: Sequence[tuple[float, float, float]], carry: Carry | None) -> GridTable | None:
    """A grown region as a table: header, body rows, and what the next page needs; None when the
    region is not a task table after all.  The steps read as the module doc's 2 to 4."""
    r = _region(lines, grown, hrules, carry)
    r.header = _header(r)
    if not r.header and carry is None:
        return None
    r.body = [k for k in r.members if k not in r.header]
    r.right = _widest(r)
    numbered = _numbered(r.body, r.split)
    if not numbered:  # a heading inside the first (task) column crosses no gap: known by its looks
        r.spans |= _lone_headings(r)
    rule_cuts = _rule_cuts(r)
    by_rules = len(rule_cuts) >= RULE_ROWS_MIN or bool(carry and carry.by_rules and rule_cuts)
    segments = _segments(r)
    opens = {n: _open_columns(lines, seg, r.split, r.right, r.size) for n, (kind, seg) in enumerate(segments)
             if kind == "lines"}
    middle = _centred([(seg, opens[n]) for n, (kind, seg) in enumerate(segments) if kind == "lines"], r.split,
                      r.right, r.size, carry.middle if carry else None)
    # the anchors are 序号 cells; without them the first column holds the tallest cell (the task),
    # which starts its row even when the cells are centred
    body_rows, joins = _body_rows(r, segments, opens, rule_cuts if by_rules else None, middle and numbered)
    rows = ([("cells", r.rows_of(r.header))] if r.header else []) + body_rows
    if not _is_table(r, rows, joins):
        return None
    return GridTable(r.members, rows, _carry_out(r, rows, by_rules, middle), header_rows=1 if r.header else 0,
                     joins_previous=joins)


def _region(lines: Sequence[Any], grown: tuple[list[int], list[int], list[Interval]],
            hrules: Sequence[tuple[float, float, float]], carry: Carry | None) -> Region:
    """Given the grown lines, the spanning ones and the projection: the columns, and each line's
    characters split between them."""
    members, spans, proj = grown
    span_set = set(spans)
    bounds = [(a[1] + b[0]) / 2 for a, b in zip(proj, proj[1:])]  # column boundaries
    size = carry.size if carry else sorted(lines[k].size for k in members)[len(members) // 2]
    split = {k: _split_line(lines[k], bounds) for k in members if k not in span_set}
    return Region(lines, hrules, carry, members, span_set, proj, len(bounds) + 1, size, split,
                  (proj[0][0], proj[-1][1]))


def _header(r: Region) -> list[int]:
    """Given a region: its header lines (short labels at the top that name the work and who does
    it), or none."""
    header: list[int] = []
    for k in r.members[:HEADER_MAX_LINES]:
        if k in r.spans or not _header_line(r.split[k]):
            break
        if header and (_rule_between(r.hrules, r.lines[header[-1]], r.lines[k], r.width)
                       or _all_bold(r.lines[header[0]]) and not _all_bold(r.lines[k])):
            break  # a rule under the header, or a plain line under a bold header: the body starts
        if _header_words(header, r.split, r.ncols) and not _header_tail(r.split[k]):
            break  # the header is complete and this line is not the rest of a wrapped header cell
        header.append(k)
    return header if header and _header_words(header, r.split, r.ncols) else []


def _widest(r: Region) -> list[float]:
    """Given the body: the width of the widest line of each column."""
    return [max((chars[-1].x1 - chars[0].x0 for k in r.body if k in r.split for chars in (r.split[k][col],) if chars),
                default=0.0) for col in range(r.ncols)]


def _lone_headings(r: Region) -> set[int]:
    """Given the body of a table without 序号: its lines that are headings inside the first
    column (numbered like one, or bold in a plain body)."""
    plain = any(not c.bold for k in r.body if k in r.split for col in r.split[k] for c in col)
    return {k for k in r.body if k not in r.spans and _lone_heading(r.split[k], plain)}


def _rule_cuts(r: Region) -> set[int]:
    """Given the body: the lines with a horizontal rule right above them (between two row lines)."""
    return {k for a, k in zip(r.body, r.body[1:])
            if a not in r.spans and k not in r.spans and _rule_between(r.hrules, r.lines[a], r.lines[k], r.width)}


def _segments(r: Region) -> list[Segment]:
    """Given the body: its runs of row lines between the rows across the table."""
    segments: list[Segment] = []
    for k in r.body:
        kind = "span" if k in r.spans else "lines"
        if segments and segments[-1][0] == kind:
            segments[-1][1].append(k)
        else:
            segments.append((kind, [k]))
    return segments


def _body_rows(r: Region, segments: list[Segment], opens: dict[int, list[int]], rule_cuts: set[int] | None,
               cut_middle: bool) -> tuple[list[tuple[str, list[Any]]], bool]:
    """Given the segments (and for each run of row lines its open-column counts): the body rows,
    cut at the rules (``rule_cuts``, when rows are ruled) or at the anchors; and whether the first
    row completes the previous page's last one."""
    carry = r.carry
    rows: list[tuple[str, list[Any]]] = []
    joins = False
    for n, (kind, seg) in enumerate(segments):
        if kind == "span":
            rows += [("span", group) for group in _span_groups(r.lines, seg)]
            continue
        tail = n == 0 and carry is not None and carry.goes_on  # the page opens inside a row
        if rule_cuts is not None:
            cuts = [i for i, k in enumerate(seg) if i and k in rule_cuts]
            band = seg[:cuts[0]] if cuts else seg  # up to the first rule
            joins = joins or (tail and (not any(r.split[k][0] for k in band) or bool(carry and carry.col0_open)))
        else:
            cuts, first_is_tail = _anchor_cuts(r.lines, seg, opens[n], r.split, r.right, r.size, cut_middle, tail,
                                               bool(carry and carry.col0_open))
            joins = joins or first_is_tail
        for a, b in zip([0] + cuts, cuts + [len(seg)]):
            if a < b:
                rows.append(("cells", r.rows_of(seg[a:b])))
    return rows, joins


def _is_table(r: Region, rows: list[tuple[str, list[Any]]], joins: bool) -> bool:
    """Given the rows: is this a table?  Rows beyond the header, and (with no header) either the
    previous page's last row going on or lines with text in two columns."""
    if len(rows) <= (1 if r.header else 0):
        return False
    # without: lines that only happen to fit the previous page's columns (a title overleaf)
    return bool(r.header) or joins or any(len([c for c in r.split[k] if c]) >= 2 for k in r.body if k in r.split)


def _carry_out(r: Region, rows: list[tuple[str, list[Any]]], by_rules: bool, middle: bool) -> Carry:
    """Given the rows: what the next page needs to go on with the table."""
    columns = Carry(r.proj, r.ncols, r.size, by_rules, middle)
    kind, last = rows[-1]
    if kind == "cells" and len(rows) > (1 if r.header else 0):
        columns.goes_on = _row_goes_on(last, r.right, r.size)
        columns.headless = not last[0]
        columns.col0_open = bool(last[0]) and not _ended(_last_line(last[0]), r.right[0], r.size)
    return columns


def _numbered(body: list[int], split: dict[int, list[list[Any]]]) -> bool:
    """The first column holds 序号: most of its cells are numbers."""
    firsts = [_text(split[k][0]) for k in body if k in split and split[k][0]]
    return bool(firsts) and 2 * sum(1 for t in firsts if _NUMBER.match(t)) > len(firsts)


def _lone_heading(cols: list[list[Any]], plain_body: bool) -> bool:
    """A line with text in the first column only, numbered like a heading (四、… / （一）…) or
    bold in a plain body."""
    if not cols[0] or any(cols[1:]):
        return False
    text = _text(cols[0])
    if _HEADING.match(text) and len(text) <= SPAN_MAX_CHARS and text[-1] not in SENTENCE_END:
        return True
    return plain_body and all(c.bold for c in cols[0]) and len(text) <= SPAN_MAX_CHARS


def _split_line(line: Any, bounds: list[float]) -> list[list[Any]]:
    cols: list[list[Any]] = [[] for _ in range(len(bounds) + 1)]
    col = 0
    for c in line.chars:  # sorted by x
        mid = (c.x0 + c.x1) / 2
        while col < len(bounds) and mid > bounds[col]:
            col += 1
        cols[col].append(c)
    return cols


def _text(chars: list[Any]) -> str:
    return "".join(c.ch for c in chars)


def _header_line(cols: list[list[Any]]) -> bool:
    """Short labels: not a number, not ``牵头单位：县发改局`` (a clause laid out with tabs)."""
    texts = [_text(c) for c in cols]
    return any(texts) and all(len(t) <= HEADER_CELL_MAX_CHARS for t in texts) and _labels_not_values(texts)


def _labels_not_values(texts: list[str]) -> bool:
    """No ``label：value`` cell and no number where the 序号 would stand."""
    return not any(ch in t for t in texts for ch in "：:") and not (texts and _NUMBER.match(texts[0]))


def _header_tail(cols: list[list[Any]]) -> bool:
    """The wrapped end of header cells (限, 单位, 领导): fragments or header words only."""
    texts = [_text(c) for c in cols]
    return all(_label(t) for t in texts)


def _label(text: str) -> bool:
    """A header label (责任单位) or the wrapped end of one (限); not a heading (三、工作重点)."""
    if len(text) <= HEADER_FRAGMENT_CHARS:
        return True
    return (len(text) <= HEADER_CELL_MAX_CHARS and any(w in text for w in HEADER_WORDS)
            and _HEADING.match(text) is None)


def _header_words(header: list[int], split: dict[int, list[list[Any]]], ncols: int) -> bool:
    """The header names the work in one column and who does it in another, as a task table's does."""
    texts = ["".join(_text(split[k][col]) for k in header) for col in range(ncols)]
    work = {col for col, t in enumerate(texts) if any(w in t for w in TASK_WORDS)}
    duty = {col for col, t in enumerate(texts) if any(w in t for w in DUTY_WORDS)}
    return bool(work) and bool(duty) and len(work | duty) >= HEADER_WORDS_MIN


def _rule_between(hrules: Sequence[tuple[float, float, float]], above: Any, below: Any,
                  width: Interval) -> bool:
    lo, hi = below.y + 0.6 * below.size, above.y - 0.1 * above.size
    need = RULE_SPAN_SHARE * (width[1] - width[0])
    return any(lo < y < hi and min(x1, width[1]) - max(x0, width[0]) >= need for y, x0, x1 in hrules)


def _ended(chars: list[Any], widest: float, size: float, following: list[Any] | None = None) -> bool:
    """A cell line that ends its paragraph: at a sentence end, a number (序号), or — lines break
    greedily — when the start of the column's next line would have fitted on it.  Without a next
    line: narrower than the column's widest line by more than CELL_END_EM."""
    if not chars or chars[-1].ch in SENTENCE_END:
        return True
    if _NUMBER.match("".join(c.ch for c in chars)):
        return True
    width = chars[-1].x1 - chars[0].x0
    if following:
        return width + _lead_width(following) <= widest - FIT_MARGIN_EM * size
    return width < widest - CELL_END_EM * size


def _lead_width(chars: list[Any]) -> float:
    """Width of what a line break cannot split at the start of a line: opening brackets with
    what follows them, a Latin word or number, closing punctuation that may not begin a line."""
    end = 1
    while end < len(chars) and chars[end - 1].ch in NO_LINE_END:  # an opening bracket goes with what follows
        end += 1
    if chars[end - 1].ch.isascii() and chars[end - 1].ch.isalnum():
        while end < len(chars) and chars[end].ch.isascii() and (chars[end].ch.isalnum() or chars[end].ch in ".%"):
            end += 1
    while end < len(chars) and chars[end].ch in NO_LINE_START:
        end += 1
    while end + 1 < len(chars) and chars[end].ch in QUOTES:  # no break at quotation marks either side
        end += 2
    return chars[end - 1].x1 - chars[0].x0


def _open_columns(lines: Sequence[Any], seg: list[int], split: dict[int, list[list[Any]]], right: list[float],
                  size: float) -> list[int]:
    """For each line of a segment: how many columns' paragraphs go on past it?  A column's text
    goes on when its last line did not end and its next line follows at a line's distance."""
    ncols = len(right)
    nxt: list[list[int | None]] = [[None] * ncols for _ in seg]  # next line with text, per column
    ahead: list[int | None] = [None] * ncols
    for i in range(len(seg) - 1, -1, -1):
        nxt[i] = list(ahead)
        for col in range(ncols):
            if split[seg[i]][col]:
                ahead[col] = i
    last: list[int | None] = [None] * ncols
    out = []
    for i, k in enumerate(seg):
        for col in range(ncols):
            if split[k][col]:
                last[col] = i
        going = 0
        for col in range(ncols):
            j, n = last[col], nxt[i][col]
            if j is None or n is None or _ended(split[seg[j]][col], right[col], size, split[seg[n]][col]):
                continue
            if lines[seg[j]].y - lines[seg[n]].y <= LINE_PITCH_MAX_EM * size:
                going += 1
        out.append(going)
    return out


def _anchors(seg: list[int], split: dict[int, list[list[Any]]], right: list[float], size: float,
             open0: bool = False) -> list[int]:
    """Positions in the segment where the first column starts a new cell (``open0``: its cell
    from the previous page goes on)."""
    out = []
    texts = [i for i, k in enumerate(seg) if split[k][0]]
    for n, i in enumerate(texts):
        if not open0:
            out.append(i)
        following = split[seg[texts[n + 1]]][0] if n + 1 < len(texts) else None
        open0 = not _ended(split[seg[i]][0], right[0], size, following)
    return out


def _centred(segments: list[tuple[list[int], list[int]]], split: dict[int, list[list[Any]]],
             right: list[float], size: float, before: bool | None) -> bool:
    """Anchors sit inside their rows (cells centred vertically) rather than on the rows' first
    lines.  ``segments``: each with its open-column counts.  Too few anchors on a page to tell:
    as on the previous page (``before``)."""
    inside = total = 0
    for seg, open_after in segments:
        for i in _anchors(seg, split, right, size):
            if i:
                total += 1
                inside += open_after[i - 1] > 0
    if total < 2 and before is not None:
        return before
    return total >= 2 and inside * 2 > total


def _anchor_cuts(lines: Sequence[Any], seg: list[int], open_after: list[int], split: dict[int, list[list[Any]]],
                 right: list[float], size: float, middle: bool, tail: bool, open0: bool) -> tuple[list[int], bool]:
    """Row starts inside a segment (positions > 0), and whether the first row is the tail of the
    previous page's last row.  ``open_after``: the segment's open-column counts; ``tail``: the
    segment opens the page and that row went on; ``open0``: its first-column cell went on too."""
    anchors = _anchors(seg, split, right, size, open0 and tail)
    if not middle or not anchors:
        return [i for i in anchors if i], tail and (not anchors or anchors[0] > 0)
    free = [i for i in range(1, len(seg)) if not open_after[i - 1]]  # every column closed before line i
    cuts: list[int] = []
    start = 0
    if tail:
        before = [i for i in free if i <= anchors[0]]
        if before:
            start = before[0]
            cuts.append(start)
    tail_row = start > 0

    def centring(row_start: int, cut: int, anchor: int) -> float:
        return abs((lines[seg[row_start]].y + lines[seg[cut - 1]].y) / 2 - lines[seg[anchor]].y)

    for n, a in enumerate(anchors):
        b = anchors[n + 1] if n + 1 < len(anchors) else None
        if b is None:  # the last row may stop before the page ends: the next row starts overleaf
            options = [i for i in free if i > a] + [len(seg)]
        else:  # where the fewest cells go on (none, unless a cell's last line happened to be full)
            options = list(range(a + 1, b + 1))
            fewest = min(open_after[i - 1] for i in options)
            options = [i for i in options if open_after[i - 1] == fewest]
        cut = min(options, key=lambda i: centring(start, i, a))
        cuts.append(cut)
        start = cut
    return sorted({c for c in cuts if 0 < c < len(seg)}), tail_row


def _row_goes_on(row: list[list[Any]], right: list[float], size: float) -> bool:
    """The last row of a page does not end there: the last line of a text column (not one of
    short names, where a full line may well be the whole cell) did not end its paragraph."""
    return any(chars and right[col] >= TEXT_COLUMN_EM * size and not _ended(_last_line(chars), right[col], size)
               for col, chars in enumerate(row))


def _last_line(chars: list[Any]) -> list[Any]:
    low = min(c.y for c in chars)
    return sorted((c for c in chars if c.y - low < 1.0), key=lambda c: c.x0)
