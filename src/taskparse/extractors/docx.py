"""Word 2007+ (.docx, also OOXML saved by WPS): body paragraphs and tables in document order.

The package is read with :mod:`zipfile` and its parts with lxml directly (python-docx leaves out
what this genre needs: list numbers, bold inherited through styles, the East-Asian font that marks
the lead unit in 黑体, merged cells).  Every part is parsed without DTDs, entities or network
access, and the zip is checked for bombs before anything is inflated.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..document import Cell, Document, Line, Table
from ..errors import CorruptFile, EmptyDocument, NeedsOCR
from ..limits import MAX_LIST_START, MAX_TABLE_COLUMNS
from ._common import Budget, Grid, is_hei, merged_copy, table_blocks
from ._numbering import BULLET, format_number
from ._runs import RunBuffer, joined
from ._zip import Kind, ZipPackage

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


MAX_TABLE_DEPTH = 16  # nested tables deeper than this are read as text of their outer cell
MAX_LIST_LEVELS = 9  # w:ilvl 0..8
CORRUPT_HINT = "download the file again or re-save it in Word/WPS"
DOCX = Kind(".docx", CORRUPT_HINT, "remove the password in Word/WPS and save again", "Word",
            ratio_min_bytes=10 * 1024 * 1024)

# subtrees whose text is not body text of the paragraph they sit in
_SKIP = {_w(t) for t in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText", "delInstrText", "drawing",
                         "pict", "object", "footnoteReference", "endnoteReference", "commentReference")}
_SKIP.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")
_CHAR = {_w("tab"): "\t", _w("ptab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}


# ---------------------------------------------------------------- entry point

def extract(data: bytes, path: str | None = None) -> Document:
    """Read a .docx: one :class:`Line` per non-empty body paragraph (``line`` = 1-based paragraph
    number, list numbers rebuilt and prefixed), one :class:`Table` per body table."""
    from lxml import etree

    package = _Package(data, path, etree)
    budget = Budget(path, len(data))
    root = package.xml(package.main)
    body = root.find(_w("body"))
    if body is None:
        raise CorruptFile("word/document.xml has no w:body", path, CORRUPT_HINT)
    styles = _Styles(package)
    numbering = _Numbering(package, styles)
    walker = _Walker(styles, numbering, budget)
    blocks = walker.body(body)
    if not blocks:
        if any(name.startswith("word/media/") for name in package.names):
            raise NeedsOCR("the .docx holds pictures but no text", path, "run OCR on the pictures first")
        raise EmptyDocument("the .docx holds no text", path, "check that this is the right file")
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    return Document(blocks=blocks, format="docx", path=path, encoding=encoding.lower(), has_bold=True)


# ---------------------------------------------------------------- package and safe XML

class _Package(ZipPackage):
    def __init__(self, data: bytes, path: str | None, etree: Any):
        super().__init__(data, path, etree, DOCX)
        self.names = self.members
        self.main = "word/document.xml"
        if self.main not in self.names:
            raise CorruptFile("the .docx has no word/document.xml", path, CORRUPT_HINT)
        self.rels = self._rels(self.main)

    def _rels(self, part: str) -> dict[str, str]:
        """Relationship type suffix -> part name, for ``part``."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        out: dict[str, str] = {}
        if rels_name not in self.names:
            return out
        for rel in self.xml(rels_name).iter(f"{{{REL}}}Relationship"):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not kind.startswith(RTYPE):
                continue
            out.setdefault(kind[len(RTYPE):], posixpath.normpath(posixpath.join(folder, target)).lstrip("/"))
        return out

    def part(self, kind: str, default: str) -> Any | None:
        """The parsed part related to the main document by ``kind`` (or the usual name), if any."""
        name = self.rels.get(kind, default)
        if name not in self.names:
            name = default
        return self.xml(name) if name in self.names else None

    def xml(self, name: str) -> Any:
        return self.member_xml(name)


# ---------------------------------------------------------------- styles, fonts, bold

def _on(el: Any) -> bool:
    """An OOXML on/off property element: present means on unless w:val says otherwise."""
    return el.get(_w("val"), "true").lower() not in ("false", "0", "off", "none")


@dataclass
class _Style:
    kind: str
    based_on: str | None
    bold: bool | None
    fonts: dict[str, str]  # eastAsia / ascii / eastAsiaTheme / asciiTheme
    num: tuple[str | None, int | None] | None  # (numId, ilvl) from w:pPr/w:numPr


def _rfonts(rpr: Any) -> dict[str, str]:
    if rpr is None:
        return {}
    fonts = rpr.find(_w("rFonts"))
    if fonts is None:
        return {}
    out = {}
    for key in ("eastAsia", "ascii", "eastAsiaTheme", "asciiTheme"):
        value = fonts.get(_w(key))
        if value:
            out[key] = value
    return out


def _bold(rpr: Any) -> bool | None:
    if rpr is None:
        return None
    b = rpr.find(_w("b"))
    return None if b is None else _on(b)


def _numpr(ppr: Any) -> tuple[str | None, int | None] | None:
    numpr = ppr.find(_w("numPr")) if ppr is not None else None
    if numpr is None:
        return None
    num_id = numpr.find(_w("numId"))
    ilvl = numpr.find(_w("ilvl"))
    return (num_id.get(_w("val")) if num_id is not None else None, _int(ilvl.get(_w("val")) if ilvl is not None
                                                                       else None))


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


class _Styles:
    """Style chains (w:basedOn), document defaults and the theme's East-Asian fonts."""

    def __init__(self, package: _Package):
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_char: str | None = None
        self.doc_bold: bool | None = None
        self.doc_fonts: dict[str, str] = {}
        self.theme: dict[str, str] = {}
        root = package.part("styles", "word/styles.xml")
        if root is not None:
            self._read(root)
        theme = package.part("theme", "word/theme/theme1.xml")
        if theme is not None:
            self._read_theme(theme)
        self._chains: dict[str, list[_Style]] = {}

    def _read(self, root: Any) -> None:
        rpr = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.doc_bold = _bold(rpr)
        self.doc_fonts = _rfonts(rpr)
        for st in root.iter(_w("style")):
            sid = st.get(_w("styleId"))
            if not sid:
                continue
            kind = st.get(_w("type"), "paragraph")
            based = st.find(_w("basedOn"))
            srpr = st.find(_w("rPr"))
            self.styles[sid] = _Style(kind, based.get(_w("val")) if based is not None else None, _bold(srpr),
                                      _rfonts(srpr), _numpr(st.find(_w("pPr"))))
            if st.get(_w("default")) in ("1", "true", "on"):
                if kind == "paragraph":
                    self.default_para = sid
                elif kind == "character":
                    self.default_char = sid

    def _read_theme(self, theme: Any) -> None:
        for which in ("major", "minor"):
            font = theme.find(f".//{{{A}}}{which}Font")
            if font is None:
                continue
            ea = font.find(f"{{{A}}}ea")
            name = ea.get("typeface", "") if ea is not None else ""
            for alt in font.iter(f"{{{A}}}font"):  # with no ea face, the one for Simplified Chinese
                if not name and alt.get("script") == "Hans":
                    name = alt.get("typeface", "")
            latin = font.find(f"{{{A}}}latin")
            self.theme[f"{which}EastAsia"] = name or ""
            self.theme[f"{which}Ascii"] = latin.get("typeface", "") if latin is not None else ""

    def chain(self, sid: str | None) -> list[_Style]:
        """The style and its ancestors, nearest first (cycles and missing ids end the chain)."""
        if not sid:
            return []
        cached = self._chains.get(sid)
        if cached is not None:
            return cached
        out: list[_Style] = []
        seen: set[str] = set()
        cur: str | None = sid
        while cur and cur not in seen and cur in self.styles and len(seen) < len(self.styles):
            seen.add(cur)
            out.append(self.styles[cur])
            cur = self.styles[cur].based_on
        self._chains[sid] = out
        return out

    def chain_bold(self, sid: str | None) -> bool | None:
        for st in self.chain(sid):
            if st.bold is not None:
                return st.bold
        return None

    def chain_num(self, sid: str | None) -> tuple[str | None, int | None] | None:
        for st in self.chain(sid):
            if st.num is not None:
                return st.num
        return None


@dataclass
class _RunLook:
    """What decides whether one run reads as bold: w:b and the faces of its text."""

    bold: bool
    ea_font: str | None
    ascii_font: str | None


class _Fonts:
    """Resolves bold and fonts of a run: direct -> character style -> paragraph style -> defaults."""

    def __init__(self, styles: _Styles):
        self.s = styles

    def look(self, rpr: Any, para_style: str | None) -> _RunLook:
        s = self.s
        char_style = None
        if rpr is not None:
            rs = rpr.find(_w("rStyle"))
            char_style = rs.get(_w("val")) if rs is not None else None
        char_style = char_style or s.default_char
        direct = _bold(rpr)
        if direct is not None:
            bold = direct
        else:
            # w:b is a toggle property: a paragraph style and a character style that both set it cancel
            p, c = s.chain_bold(para_style), s.chain_bold(char_style)
            bold = (bool(p) != bool(c)) if (p is not None or c is not None) else bool(s.doc_bold)
        fonts = _rfonts(rpr)
        return _RunLook(bold, self._font(fonts, char_style, para_style, "eastAsia"),
                        self._font(fonts, char_style, para_style, "ascii"))

    def _font(self, direct: dict[str, str], char_style: str | None, para_style: str | None, key: str) -> str | None:
        theme_key = key + "Theme"
        layers: list[dict[str, str]] = [direct]
        layers += [st.fonts for st in self.s.chain(char_style)]
        layers += [st.fonts for st in self.s.chain(para_style)]
        layers.append(self.s.doc_fonts)
        for fonts in layers:
            if theme_key in fonts:  # a theme reference wins over a name at the same level
                return self.s.theme.get(fonts[theme_key]) or fonts.get(key)
            if key in fonts:
                return fonts[key]
        return None


# ---------------------------------------------------------------- list numbering

@dataclass
class _Lvl:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    suff: str = "tab"
    legal: bool = False
    pstyle: str | None = None
    bold: bool | None = None  # w:lvl/w:rPr: how the number itself is set
    fonts: dict[str, str] = field(default_factory=dict)


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, _Lvl] = field(default_factory=dict)  # ilvl -> replacing w:lvl


def _start(value: int | None) -> int:
    """A list start value as Word shows it: 1 when absent, else clamped to 0..32767."""
    return 1 if value is None else min(max(value, 0), MAX_LIST_START)


def _read_lvl(el: Any) -> _Lvl:
    lvl = _Lvl()

    def val(tag: str) -> str | None:
        sub = el.find(_w(tag))
        return sub.get(_w("val")) if sub is not None else None

    lvl.fmt = val("numFmt") or "decimal"
    text = el.find(_w("lvlText"))
    lvl.text = text.get(_w("val"), "") if text is not None else ""
    lvl.start = _start(_int(val("start")))
    lvl.restart = _int(val("lvlRestart"))
    lvl.suff = val("suff") or "tab"
    legal = el.find(_w("isLgl"))
    lvl.legal = legal is not None and _on(legal)
    lvl.pstyle = val("pStyle")
    rpr = el.find(_w("rPr"))
    lvl.bold, lvl.fonts = _bold(rpr), _rfonts(rpr)
    return lvl


class _Numbering:
    """Word's automatic list numbers, counted in document order.

    Counters live per abstract list: a second w:num on the same abstractNum continues its numbers
    unless it carries a w:startOverride (which is how Word writes "restart at 1")."""

    def __init__(self, package: _Package, styles: _Styles):
        self.styles = styles
        self.abstract: dict[str, dict[int, _Lvl]] = {}
        self.style_link: dict[str, str] = {}  # abstractNum id -> numStyleLink style id
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.applied: set[tuple[str, int]] = set()
        root = package.part("numbering", "word/numbering.xml")
        if root is not None:
            self._read(root)

    def _read(self, root: Any) -> None:
        for an in root.iter(_w("abstractNum")):
            aid = an.get(_w("abstractNumId"))
            if aid is None:
                continue
            levels = {}
            for lvl in an.iter(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")))
                if ilvl is not None and 0 <= ilvl < MAX_LIST_LEVELS:
                    levels[ilvl] = _read_lvl(lvl)
            self.abstract[aid] = levels
            link = an.find(_w("numStyleLink"))
            if link is not None and link.get(_w("val")):
                self.style_link[aid] = link.get(_w("val"))
        for num in root.iter(_w("num")):
            nid, ref = num.get(_w("numId")), num.find(_w("abstractNumId"))
            if nid is None or ref is None or ref.get(_w("val")) is None:
                continue
            entry = _Num(ref.get(_w("val")))
            for ov in num.iter(_w("lvlOverride")):
                ilvl = _int(ov.get(_w("ilvl")))
                if ilvl is None or not 0 <= ilvl < MAX_LIST_LEVELS:
                    continue
                start = ov.find(_w("startOverride"))
                if start is not None and _int(start.get(_w("val"))) is not None:
                    entry.overrides[ilvl] = _start(_int(start.get(_w("val"))))
                lvl = ov.find(_w("lvl"))
                if lvl is not None:
                    entry.levels[ilvl] = _read_lvl(lvl)
            self.nums[nid] = entry

    def _abstract_of(self, num: _Num) -> str:
        aid = num.abstract
        link = self.style_link.get(aid)
        if link:  # the list is defined by a numbering style: follow it to the real abstractNum
            target = self.styles.chain_num(link)
            if target and target[0] in self.nums:
                aid = self.nums[target[0]].abstract
        return aid

    def label(self, num_id: str | None, ilvl: int | None, para_style: str | None) -> tuple[str, _Lvl]:
        """The number text of one list paragraph (and advance the counters), '' for none, and the
        level it was drawn from."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", _Lvl()
        num = self.nums[num_id]
        aid = self._abstract_of(num)
        levels = dict(self.abstract.get(aid, {}))
        levels.update(num.levels)
        if not levels:
            return "", _Lvl()
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if para_style and lv.pstyle == para_style), 0)
        ilvl = min(max(ilvl, 0), MAX_LIST_LEVELS - 1)
        counts = self.counters.setdefault(aid, [None] * MAX_LIST_LEVELS)
        level = levels.get(ilvl, _Lvl())
        seen = counts[ilvl]
        if ilvl in num.overrides and (num_id, ilvl) not in self.applied:
            self.applied.add((num_id, ilvl))
            counts[ilvl] = num.overrides[ilvl]
        elif seen is None:
            counts[ilvl] = level.start
        else:
            counts[ilvl] = seen + 1
        for deeper in range(ilvl + 1, MAX_LIST_LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart == 0 or (restart is not None and ilvl + 1 > restart):
                continue
            counts[deeper] = None
        if level.fmt in ("bullet", "none") and "%" not in level.text:
            # a bullet, whatever glyph or symbol font it is drawn with, reads as one: "●" (the parser's
            # bulleted items); an unnumbered level prints its text
            return self._suffixed(BULLET if level.fmt == "bullet" else level.text, level), level
        return self._suffixed(self._expand(level, levels, counts, num), level), level

    def _expand(self, level: _Lvl, levels: dict[int, _Lvl], counts: list[int | None], num: _Num) -> str:
        out: list[str] = []
        text, i = level.text, 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1] in "123456789":
                k = int(text[i + 1]) - 1
                ref = levels.get(k, _Lvl())
                n = counts[k]
                if n is None:
                    n = num.overrides.get(k, ref.start)
                out.append(str(n) if (level.legal and ref.fmt != "decimal") else format_number(n, ref.fmt))
                i += 2
                continue
            if not 0xE000 <= ord(ch) <= 0xF8FF:  # symbol-font bullets are private-use codes
                out.append(ch)
            i += 1
        return "".join(out)

    @staticmethod
    def _suffixed(text: str, level: _Lvl) -> str:
        return text + (" " if text and level.suff in ("tab", "space") else "")


# ---------------------------------------------------------------- body walk

def _run_bold(look: _RunLook, text: str) -> bool:
    """Bold, or set in 黑体: the East-Asian face decides for the whole run (digits and Latin letters
    inside a 黑体 unit name belong to it); the Latin face only for a run of Latin text alone."""
    if look.bold or is_hei(look.ea_font):
        return True
    return text.isascii() and is_hei(look.ascii_font)


class _Walker:
    def __init__(self, styles: _Styles, numbering: _Numbering, budget: Budget):
        self.budget = budget
        self.styles = styles
        self.fonts = _Fonts(styles)
        self.numbering = numbering
        self.para_no = 0

    def body(self, body: Any) -> list[Line | Table]:
        blocks: list[Line | Table] = []
        for el in _block_children(body):
            if el.tag == _w("p"):
                para = self.paragraph(el)
                text = para.text()
                if text.strip():
                    self.budget.line(len(text))
                    blocks.append(para.line(self.para_no))
            else:
                first = self.para_no + 1
                blocks.extend(table_blocks(self.table(el, 0), first, self.budget))
        return blocks

    def paragraph(self, p: Any) -> RunBuffer:
        self.para_no += 1
        para = RunBuffer()
        ppr = p.find(_w("pPr"))
        style = None
        if ppr is not None:
            ps = ppr.find(_w("pStyle"))
            style = ps.get(_w("val")) if ps is not None else None
        style = style or self.styles.default_para
        num = _numpr(ppr)
        if num is None or num[0] is None:
            from_style = self.styles.chain_num(style)
            if from_style is not None:
                num = (from_style[0], num[1] if num and num[1] is not None else from_style[1])
        if num is not None and num[0]:
            label, level = self.numbering.label(num[0], num[1], style)
            if label and _has_text(p):
                mark = ppr.find(_w("rPr")) if ppr is not None else None  # the number takes the mark's look
                look = self.fonts.look(mark, style)
                if level.bold is not None:  # ... as changed by the list level's own run properties
                    look.bold = level.bold
                look.ea_font = level.fonts.get("eastAsia", look.ea_font)
                look.ascii_font = level.fonts.get("ascii", look.ascii_font)
                para.add(label, _run_bold(look, label))
        for r in _runs(p):
            rpr = r.find(_w("rPr"))
            if rpr is not None:
                vanish = rpr.find(_w("vanish"))
                if vanish is not None and _on(vanish):
                    continue
            text = _run_text(r)
            if text:
                para.add(text, _run_bold(self.fonts.look(rpr, style), text))
        return para

    def table(self, tbl: Any, depth: int) -> list[list[Cell]]:
        """The rows of a table with merged cells repeated."""
        grid = Grid()
        open_merge: dict[int, Cell] = {}  # grid column -> the cell a vMerge continues
        widest = 0
        for tr in _children(tbl, "tr"):
            if widest <= MAX_TABLE_COLUMNS:  # a wider table becomes lines, never padded
                self.budget.check_grid(len(grid.rows) + 1, widest)
            grid.row()
            grid.pad(min(_int(_val(tr.find(_w("trPr")), "gridBefore")) or 0, 64))
            for tc in _children(tr, "tc"):
                tcpr = tc.find(_w("tcPr"))
                span = max(1, min(_int(_val(tcpr, "gridSpan")) or 1, 64)) if tcpr is not None else 1
                vmerge = tcpr.find(_w("vMerge")) if tcpr is not None else None
                col = grid.end()
                if vmerge is not None and vmerge.get(_w("val"), "continue") != "restart" and col in open_merge:
                    self._skip_cell(tc)
                    cell = merged_copy(open_merge[col])
                else:
                    cell = self.cell(tc, depth)
                    for covered in range(col, col + span):
                        open_merge.pop(covered, None)
                    if vmerge is not None:
                        open_merge[col] = cell
                grid.put(cell, col, span)
                for _ in range(span):
                    self.budget.cell()
                self.budget.text(len(cell.text))
            widest = max(widest, grid.end())
        return grid.cells()

    def _skip_cell(self, tc: Any) -> None:
        """A covered cell of a vertical merge: count its paragraphs, keep none of its text."""
        for el in tc.iter(_w("p")):
            self.para_no += 1

    def cell(self, tc: Any, depth: int) -> Cell:
        parts: list[RunBuffer] = []
        for el in _block_children(tc):
            if el.tag == _w("p"):
                parts.append(self.paragraph(el))
            elif depth < MAX_TABLE_DEPTH:
                for row in self.table(el, depth + 1):  # a nested table: its rows become lines of the cell
                    line = RunBuffer()
                    for i, c in enumerate(c for c in row if not c.merged and c.text.strip()):
                        if i:
                            line.add("\t", False)
                        line.add_spans(c.text, c.bold, c.bold_spans)
                    parts.append(line)
            else:
                self._skip_cell(el)
        while parts and not parts[-1].text().strip():
            parts.pop()
        return joined(parts).cell()


def _val(parent: Any, tag: str) -> str | None:
    if parent is None:
        return None
    el = parent.find(_w(tag))
    return el.get(_w("val")) if el is not None else None


_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml"), _w("smartTag"), _w("ins"), _w("moveTo")}


def _block_children(parent: Any) -> Iterator[Any]:
    """w:p and w:tbl under a body or cell, looking through content controls and custom XML."""
    stack = [iter(parent)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _w("p") or tag == _w("tbl"):
                yield el
            elif tag in _WRAPPERS:
                stack.append(iter(el))
                break
        else:
            stack.pop()


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Rows of a table / cells of a row, looking through content controls and custom XML."""
    want = _w(tag)
    stack = [iter(parent)]
    while stack:
        for el in stack[-1]:
            if el.tag == want:
                yield el
            elif el.tag in _WRAPPERS:
                stack.append(iter(el))
                break
        else:
            stack.pop()


def _runs(p: Any) -> Iterator[Any]:
    """The w:r of a paragraph in order, through hyperlinks, fields, insertions and smart tags, but
    not deleted text or text boxes."""
    stack = [iter(p)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _w("r"):
                yield el
            elif isinstance(tag, str) and tag not in _SKIP:
                stack.append(iter(el))
                break
        else:
            stack.pop()


def _has_text(p: Any) -> bool:
    """Whether a paragraph has visible text besides its list number (a lone number is left out)."""
    return any(_run_text(r).strip() for r in _runs(p))


def _run_text(r: Any) -> str:
    out: list[str] = []
    for el in r:
        tag = el.tag
        if tag == _w("t"):
            out.append(el.text or "")
        elif tag in _CHAR:
            out.append(_CHAR[tag])
        elif tag == _w("sym"):
            code = _int_hex(el.get(_w("char")))
            if code is not None and not 0xE000 <= code <= 0xF8FF:
                out.append(chr(code))
    return "".join(out).replace("\u00ad", "")


def _int_hex(value: str | None) -> int | None:
    if not value:
        return None
    try:
        code = int(value, 16)
    except ValueError:
        return None
    return code if 0 < code < 0x110000 else None
