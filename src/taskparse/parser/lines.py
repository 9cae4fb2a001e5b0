"""Line cleanup: document lines -> logical lines (debris, glued items, one-line documents, markers).

A logical line is one unit the tree builder classifies: a numbered item's start, a clause line,
a heading or a plain line.  Everything here is a linear scan over one line.
"""
from __future__ import annotations

import regex

from ..document import Line
from ..limits import MAX_LINE_CHARS
from . import patterns as P
from .clauses import find_inline_clauses
from .text import clean, cn_number, cn_numeral, group_ending_at, no_private_use, outside_brackets, strip_marks, \
    unwrap, with_bold_marks
from .tree import UNNUMBERED_LEVEL, LLine

ONE_LINE_MIN_CHARS = 1500  # a line this long with many inner item numbers is a whole document on one line
ONE_LINE_MIN_MARKERS = 3
ONE_LINE_SHORT_CHARS = 150  # a short letter on one line needs one more item number to count
PAGE_NUMBER_MAX_CHARS = 40  # longer than any line patterns.PAGE_NUMBER_LINE takes ("第 1 页，共 9 页")
HEADING_MAX_CHARS = 60  # an unnumbered line longer than this is prose, not a title
_LEVEL_OF_GROUP = {"l1": 1, "l2": 2, "l3": 3, "l3c": 3, "l4": 4, "l4b": 4, "l5": 5, "l5c": 5, "l5d": 5}  # (MARKER's groups)
Marker = tuple[int, str, str, "int | None"]  # (level, number, marker as printed, numeric value)
_HAN = regex.compile(r"\p{Han}")
_SPACES = regex.compile(r"\s+")


def block_lines(block: Line) -> list[LLine]:
    raw = block.text
    if "<" in raw or "&" in raw:
        raw = P.MARKUP.sub(" ", raw)  # tags that leaked into the text are not text
    if "【" in raw:
        raw = P.BRACKET_LABEL.sub(r"\1：", raw)  # "【牵头单位】县财政局" is the clause "牵头单位：县财政局"
    raw = no_private_use(raw)  # the parser uses private-use characters as marks
    if block.bold_spans and not block.bold:
        raw = with_bold_marks(raw, block.bold_spans)
    pieces = [raw[i:i + MAX_LINE_CHARS] for i in range(0, len(raw), MAX_LINE_CHARS)] if len(raw) > MAX_LINE_CHARS else [raw]
    out: list[LLine] = []
    for piece in pieces:
        for sub in piece.splitlines() or [""]:
            if _one_line_document(sub):
                parts = _SPACES.split(P.SPACED_INNER_MARKER.sub(r"\1\2", sub))
            else:
                parts = _split_dense(sub) if len(sub) >= DENSE_MIN_CHARS else [sub]
            for part in parts:
                bullet = P.BULLET_START.match(part)
                if (" " in part or "\u3000" in part) and _colons(part) is not None:
                    part = _join_spaced_labels(part)
                if (" " in part or "\t" in part or "\u3000" in part) and _has_label(part):
                    part = P.SPACE_BETWEEN_UNITS.sub("、", part)
                for j, (text, mk) in enumerate(_split_run_on(_split_glued(_split_inline_labels(_fix_spaced_marker(part))))):
                    if j == 0 and mk is None and bullet is not None:
                        mk = (UNNUMBERED_LEVEL, "", bullet.group().strip(), None)  # an item without a number
                    # the marker is read before spaces go: "146. 65岁" must not become "146.65岁"
                    plain = strip_marks(text).strip()
                    if len(plain) <= PAGE_NUMBER_MAX_CHARS and P.PAGE_NUMBER_LINE.match(plain):
                        continue  # GB/T 9704 page numbers (— 3 —) are furniture, not text
                    text = clean(P.INLINE_PAGE_NUMBER.sub("", text)) if "—" in text or "－" in text else clean(text)
                    if text.strip(P.MARKS):
                        out.append(LLine(text, block.line, block.page, block.bold, mk=mk))
    return out


def _colons(s: str) -> tuple[int, int] | None:
    """The first and last colon of ``s`` (full or half width), or None: a label ends at one of them."""
    full, half = s.find("："), s.find(":")
    if full < 0 and half < 0:
        return None
    first = half if full < 0 or 0 <= half < full else full
    return first, max(s.rfind("："), s.rfind(":"))


# Chinese characters spaced out right before a colon ("牵 头 单 位：", a PDF's letter-spacing): a label, maybe
_SPACED_WORD = regex.compile(r"(?:\p{Han}[ \u3000]{1,3}){1,7}\p{Han}(?=[ \u3000]{0,3}[：:])")


def _join_spaced_labels(s: str) -> str:
    """"…。牵 头 单 位：县市场监管局" -> "…。牵头单位：县市场监管局": a label spaced out letter by letter is read as
    a label (the longest run of its last characters that is one; the words before it keep their spaces)."""
    def join(m: regex.Match) -> str:
        run = m.group()
        chars = run.replace(" ", "").replace("\u3000", "")
        for k in range(len(chars) - 1):
            if P.LABEL.fullmatch(chars[k:] + "："):
                cut = [i for i, c in enumerate(run) if c not in " \u3000"][k]  # where the label starts in the run
                return run[:cut] + chars[k:]
        return run
    return _SPACED_WORD.sub(join, s)


def _has_label(s: str) -> bool:
    """Does a label with its colon stand anywhere in ``s``?  (Only from the first colon less the longest label
    to the last colon: a match elsewhere has no colon to end at.)"""
    colons = _colons(s)
    return colons is not None and P.LABEL.search(s, max(0, colons[0] - P.MAX_LABEL_CHARS), colons[1] + 1) is not None


def _split_dense(s: str) -> list[str]:
    """A long line holding many items with no line breaks at all (a crawler copy, an OCR'd page):
    cut before every item number that follows a sentence, a bracket or a role verb and continues the
    numbering of its level; a heading glued to its first item ("一、经济发展1.推进…") is cut too.
    Only when at least DENSE_MIN_CUTS numbers prove the pattern."""
    last: dict[int, int] = {}
    cuts: list[int] = []
    for m in P.DENSE_CANDIDATE.finditer(s):
        i = m.start("n")
        if i == 0:
            mk = marker_of(s[:12])
            if mk is not None and mk[3] is not None:
                last[mk[0]] = mk[3]
            continue
        mk = marker_of(s[i:i + 12])
        if mk is None or mk[3] is None or mk[0] == 5:
            continue
        level, value = mk[0], mk[3]
        if not _dense_boundary(s, i, cuts[-1] if cuts else 0) and not (value == 1 and _after_title(s, i)):
            continue
        if value != last.get(level, 0) + 1 and value != 1:
            continue
        cuts.append(i)
        last[level] = value
        glued = _glued_first_child(s, i + len(mk[2]), level)
        if glued is not None:
            cuts.append(glued[0])
            last[glued[1]] = 1
    if len(cuts) < DENSE_MIN_CUTS:
        return [s]
    bounds = [0] + cuts + [len(s)]
    return [s[a:b] for a, b in zip(bounds, bounds[1:]) if s[a:b]]


def _dense_boundary(s: str, i: int, since: int) -> bool:
    """Can an item end right before ``s[i]``: after a stop or bracket, a role verb ("…配合"), or a
    labelled clause's last unit ("责任单位：县财政局2.…")?"""
    back = s[max(0, i - RUN_ON_LOOKBACK):i]
    if _item_may_end(back, _DENSE_ENDS):
        return True
    return P.has_unit_suffix(back) and P.LABEL.search(s, max(since, i - DENSE_CLAUSE_LOOKBACK), i) is not None


def _item_may_end(before: str, ends: frozenset[str]) -> bool:
    """Does ``before`` end the way an item ends: a stop or bracket of ``ends``, or a role verb ("…配合")?"""
    last = before[-1:]
    return bool(last) and (last in ends or (last in P.DUTY_LAST_CHARS and P.DUTY_TAIL.search(before) is not None))


def _after_title(s: str, i: int) -> bool:
    """"…（此件公开发布）政府工作报告2022年重点工作责任分解一、…": a short title ends right before ``s[i]``."""
    back = s[max(0, i - HEADING_MAX_CHARS):i]
    cut = max(back.rfind(c) for c in "。；;）)】〕")
    title = back[cut + 1:]
    return 4 <= len(title) < HEADING_MAX_CHARS and not any(c in title for c in "，,：:") and cut >= 0


def _glued_first_child(s: str, start: int, level: int) -> tuple[int, int] | None:
    """"一、经济发展1.推进…": where the first item of a deeper level starts right after a short heading."""
    window = s[start:start + HEADING_MAX_CHARS]
    for m in P.DENSE_FIRST_CHILD.finditer(window):
        if "。" in window[:m.start()]:
            return None
        mk = marker_of(window[m.start():m.start() + 12])
        if mk is not None and mk[0] <= level:
            return None  # the next item of this level (or an outer one) comes first: no child glued here
        if mk is not None and mk[3] == 1 and m.start() >= 2:
            return start + m.start(), mk[0]
    return None


_DENSE_ENDS = frozenset("。；;！？!?）)】〕”：:")
DENSE_CLAUSE_LOOKBACK = 300  # how far back a clause label is looked for before a unit-name boundary
DENSE_MIN_CHARS = 300  # a line this long may hold several items run together without breaks
DENSE_MIN_CUTS = 3


def _one_line_document(s: str) -> bool:
    """A scraped page whose line breaks became spaces: long, with many item numbers after spaces."""
    if len(s) < ONE_LINE_SHORT_CHARS:
        return False
    found = len(P.INNER_MARKER.findall(s, overlapped=False))
    return (found >= ONE_LINE_MIN_MARKERS * 2 or (len(s) >= ONE_LINE_MIN_CHARS and found >= ONE_LINE_MIN_MARKERS)
            or (found >= ONE_LINE_MIN_MARKERS + 1 and len(s) >= ONE_LINE_SHORT_CHARS))


SPACED_MARKER_REACH = 5  # SPACED_NUMBER and SPACED_CN_MARKER have their first space or tab within this many characters


def _fix_spaced_marker(s: str) -> str:
    """PDF debris at a line start: '1 3 . x' -> '13.x', '30 .x' -> '30.x', '一 、' -> '一、'."""
    t = s.lstrip(" \t\u3000·" + P.BULLET_CHARS)  # the bullet is not text (BULLET_START has read it)
    if not t or not (t[0].isdigit() or t[0] in P.CN_DIGITS):
        return t
    head = t[:SPACED_MARKER_REACH]
    if " " not in head and "\t" not in head:
        return t
    m = P.SPACED_NUMBER.match(t)
    if m and (" " in m.group(0) or "\t" in m.group(0)):
        return m.group(1).replace(" ", "").replace("\t", "") + m.group(2) + " " + t[m.end():]
    m = P.SPACED_CN_MARKER.match(t)
    if m:
        return m.group(1) + "、" + t[m.end():]
    return t


def _split_glued(pieces: list[str]) -> list[str]:
    """'…（责任单位：A局）2.乙…' on one line: cut after a clause that is followed by an item number."""
    out = []
    for s in pieces:
        if not ("）" in s or ")" in s or "】" in s or "〕" in s):  # (patterns.GLUE_CLOSE)
            out.append(s)
            continue
        cuts = [m.end() for m in P.GLUE_CLOSE.finditer(s) if P.GLUED_NEXT.match(s, m.end()) and clause_ends_at(s, m.end())]
        bounds = [0] + cuts + [len(s)]
        out += [s[a:b] for a, b in zip(bounds, bounds[1:]) if s[a:b]]
    return out


def _split_run_on(pieces: list[str]) -> list[tuple[str, Marker | None]]:
    """Items run together on one line: "（三）发展经济。…县财政局配合(四)做好服务。" — cut before the next
    number of the line's own level (the sequence proves it), where a sentence, bracket or role verb ends.
    Each piece comes with its item number (as :func:`marker_of` reads it)."""
    out: list[tuple[str, Marker | None]] = []
    for s in pieces:
        mk = marker_of(s)
        if mk is None or mk[3] is None or mk[0] == 5 or len(s) <= RUN_ON_MIN_CHARS:
            out.append((s, mk))
            continue
        level, expected, cuts, pos = mk[0], mk[3] + 1, [], 1
        while True:
            cut = _next_marker_at(s, pos, level, expected)
            if cut < 0:
                break
            before = strip_marks(s[max(0, cut - RUN_ON_LOOKBACK):cut]).rstrip()
            if _item_may_end(before, _RUN_ON_ENDS):
                cuts.append(cut)
                expected += 1
            pos = cut + 1
        if not cuts:
            out.append((s, mk))
            continue
        bounds = [0] + cuts + [len(s)]
        out += [(s[a:b], marker_of(s[a:b])) for a, b in zip(bounds, bounds[1:]) if s[a:b]]
    return out


def _next_marker_at(s: str, pos: int, level: int, value: int) -> int:
    """Where the item number ``value`` of ``level`` is next printed in ``s`` from ``pos`` (-1: nowhere)."""
    forms: tuple[str, ...]
    if level in (1, 2):
        cn = cn_numeral(value)
        if not cn:
            return -1
        forms = (f"{cn}、", f"{cn}．") if level == 1 else (f"（{cn}）", f"({cn})", f"〔{cn}〕")
    elif level == 3:
        forms = (f"{value}.", f"{value}．", f"{value}、", f"{value}﹒")
    else:
        forms = (f"（{value}）", f"({value})", f"{value}）", f"{value})")
    if s.find(cn if level in (1, 2) else str(value), pos) < 0:
        return -1  # (every form holds the numeral)
    while True:
        found = [i for i in (s.find(f, pos) for f in forms) if i >= 0]
        if not found:
            return -1
        i = min(found)
        if level >= 3 and i > 0 and s[i - 1].isdigit():
            pos = i + 1  # "12." inside "112."
            continue
        nxt = marker_of(s[i:i + 12])
        if nxt is not None and nxt[0] == level and nxt[3] == value:
            return i
        pos = i + 1


_RUN_ON_ENDS = frozenset("。；;）)】〕")
RUN_ON_LOOKBACK = 24  # characters before a run-on number that show how the previous item ended


RUN_ON_MIN_CHARS = 12  # a line shorter than this holds no second item
GLUED_CLAUSE_MAX_CHARS = 600  # how far back a clause bracket is looked for


def clause_ends_at(s: str, end: int) -> bool:
    """Is s[:end] closed by a bracket group that is a responsibility clause?"""
    i = group_ending_at(s, end, GLUED_CLAUSE_MAX_CHARS - 1)
    if i is None:
        return False
    group = s[i:end]
    if P.CLAUSE_START.match(strip_marks(unwrap(group)).lstrip(P.MARKS)):
        return True  # a group that opens with a label: a clause (find_inline_clauses takes it first)
    return bool(find_inline_clauses(group)[1])


def _split_inline_labels(s: str) -> list[str]:
    """'……缩小。 责任单位:县发改局' -> two lines, so that a label clause in running text is seen."""
    colons = _colons(s)  # (the bold marks are no colons)
    if colons is None:
        return [s]
    # a label ends at a colon: none starts before the first colon less the longest label, none ends after the last
    since = max(1, colons[0] - P.MAX_LABEL_CHARS)
    cut = [m.start() for m in P.INLINE_LABEL.finditer(s, since, colons[1] + 1)]
    if not cut:
        return [s]
    ok = outside_brackets(s, cut)  # never cut inside brackets
    if not ok:
        return [s]
    bounds = [0] + ok + [len(s)]
    return [s[a:b] for a, b in zip(bounds, bounds[1:]) if s[a:b].strip()]


# --- classification ------------------------------------------------------------------------------

def marker_of(text: str) -> Marker | None:
    """(level, number, marker as printed, numeric value) of a numbered line, or None."""
    plain = strip_marks(text)
    m = P.MARKER.match(plain)
    if not m:
        return None
    name = m.lastgroup  # each alternative of MARKER has one named group
    val = m.group(name)
    level = _LEVEL_OF_GROUP[name]
    if name in ("l5c", "l5d"):
        # "第一，推进…" / "任务一：推进…": numbered in words, the innermost level (under whatever heading is open)
        num = int(val) if val.isdigit() else cn_number(val)
        return None if num is None else (5, val, clean(m.group(0)), num)
    if name == "l3c":
        val = str(P.FULLSTOP_NUMBERS.index(val) + 1)
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
    if P.DOC_NUMBER.fullmatch(plain):
        return False  # 国办发〔2018〕117号
    return bool(_HAN.search(plain)) and not plain.endswith((".doc", ".pdf", ".docx", ".wps"))


