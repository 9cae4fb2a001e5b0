"""Rich Text Format: a one-pass tokenizer that keeps body text, bold and tables.

Text in ``\\'xx`` bytes is decoded in the code page of its font (``\\fcharset134`` -> GBK) or of
the document (``\\ansicpg936``); ``\\uN`` is taken with its ``\\ucN`` fallback skipped.  Bold is
``\\b``/``\\b0`` or text set in a 黑体 face (``\\f`` or the East-Asian ``\\dbch\\af``).  Paragraphs
(``\\par``) become lines, ``\\line`` a line break inside one, ``\\cell``/``\\row`` a :class:`Table`.
Destinations that are not body text (font and colour tables, styles, headers, footers, pictures,
field instructions, ``{\\*...}``) are skipped.  Every token is read once; group nesting deeper than
:data:`MAX_GROUP_DEPTH` shares its parent's state, so memory stays bounded.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from ..document import Cell, Document, Line, Table
from ..errors import CorruptFile, EmptyDocument
from ..limits import MAX_TABLE_COLUMNS
from ._common import Budget, Grid, is_hei, merged_copy, table_blocks
from ._runs import RunBuffer, joined

MAX_GROUP_DEPTH = 256  # deeper groups share their parent's formatting state
MAX_CELLS_PER_ROW = 256  # more \cellx in one row definition are ignored
CORRUPT_HINT = "re-save the file in Word/WPS as .docx"

# control word (letters, optional signed number, optional space), \'hh, control symbol, brace, text, newline
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+|\\",
                    re.DOTALL)
_CHARSET_CODEPAGE = {0: None, 1: None, 2: None, 77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab",
                     134: "gb18030", 136: "big5hkscs", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255",
                     178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874", 238: "cp1250", 255: "cp437"}
_CODEPAGE_NAMES = {936: "gb18030", 950: "big5hkscs", 20936: "gb18030", 54936: "gb18030", 65001: "utf-8"}
_SKIP_DESTINATIONS = frozenset(
    b"colortbl stylesheet info pict header headerl headerr headerf footer footerl footerr footerf footnote "
    b"annotation object objdata shp shpinst shprslt nonshppict themedata colorschememapping datastore latentstyles "
    b"listtable listoverridetable rsidtbl generator xmlnstbl fldinst filetbl revtbl bkmkstart bkmkend pgdsctbl "
    b"do txe xe tc template userprops mmathPr atnid atnauthor atndate atnref comment private fchars lchars "
    b"author operator title subject keywords company doccomm sp sn sv ftnsep ftnsepc ftncn aftnsep aftnsepc "
    b"aftncn pnseclvl pntxta pntxtb falt panose fname blipuid".split())
_SYMBOLS = {b"emdash": "—", b"endash": "–", b"bullet": "•", b"lquote": "‘", b"rquote": "’", b"ldblquote": "“",
            b"rdblquote": "”", b"tab": "\t", b"emspace": " ", b"enspace": " ", b"qmspace": " ", b"line": "\n",
            b"lbr": "\n", b"chpgn": ""}
_CONTROL_SYMBOLS = {b"~": " ", b"_": "-", b"-": "", b"\\": "\\", b"{": "{", b"}": "}", b"\n": None, b"\r": None}


@dataclass(slots=True)
class _State:
    bold: bool = False
    font: int | None = None
    dbfont: int | None = None  # East-Asian face chosen by \dbch\afN
    mode: bytes = b""  # \loch / \hich / \dbch / \rtlch: which face an \af sets
    uc: int = 1
    skip: bool = False
    fonttbl: bool = False
    in_table: bool = False  # \intbl, a paragraph property: group-scoped like the others

    def clone(self) -> "_State":
        return _State(self.bold, self.font, self.dbfont, self.mode, self.uc, self.skip, self.fonttbl, self.in_table)


@dataclass
class _Font:
    name: list[bytes] = field(default_factory=list)
    charset: int | None = None
    cpg: int | None = None
    hei: bool | None = None  # cached is_hei of the decoded name


@dataclass
class _CellDef:
    right: int = 0
    hmerge: bool = False  # \clmrg: continues the cell to its left
    vmerge: bool = False  # \clvmrg: continues the cell above


def extract(data: bytes, path: str | None = None) -> Document:
    """Read an RTF file: one :class:`Line` per non-empty paragraph (``line`` = 1-based paragraph
    number), one :class:`Table` per run of table rows."""
    start = data.find(b"{\\rtf")
    if start < 0 or start > 16:
        raise CorruptFile("not an RTF file (no {\\rtf header)", path, CORRUPT_HINT)
    reader = _Reader(data, start, Budget(path, len(data)))
    reader.run()
    if not reader.blocks:
        raise EmptyDocument("the RTF file holds no text", path, "check that this is the right file")
    return Document(blocks=reader.blocks, format="rtf", path=path, encoding=reader.encoding_name(), has_bold=True)


class _Reader:
    def __init__(self, data: bytes, start: int, budget: Budget):
        self.budget = budget
        self.data = data
        self.pos = start
        self.state = _State()
        self.stack: list[_State] = []
        self.overflow = 0  # groups opened past MAX_GROUP_DEPTH
        self.group_start = False  # the next token is the first of a group
        self.codepage = "cp1252"
        self.default_font: int | None = None
        self.fonts: dict[int, _Font] = {}
        self.font_entry: _Font | None = None
        self.pending = bytearray()
        self.pending_look: tuple[str, bool] = ("cp1252", False)
        self.high_surrogate: int | None = None
        self.skip_chars = 0
        self.para = RunBuffer()
        self.para_no = 0
        self.blocks: list[Line | Table] = []
        # tables
        self.cell_lines: list[RunBuffer] = []
        self.row: list[Cell] = []
        self.row_defs: list[_CellDef] = []
        self.next_def = _CellDef()
        self.rows: list[tuple[list[Cell], list[_CellDef]]] = []
        self.widest = 0  # cells or cell definitions of the widest row so far
        self.table_line: int | None = None

    def encoding_name(self) -> str:
        return "gbk" if self.codepage == "gb18030" else self.codepage

    # ------------------------------------------------------------ token loop

    def run(self) -> None:
        data, n = self.data, len(self.data)
        match = _TOKEN.match
        while self.pos < n:
            m = match(data, self.pos)
            if m is None:  # cannot happen: the last alternative takes any lone backslash
                self.pos += 1
                continue
            self.pos = m.end()
            word, num, hexbyte, symbol, brace, text = m.groups()
            if brace is not None:
                self._brace(brace)
                continue
            first = self.group_start
            self.group_start = False
            if self.skip_chars and (word is not None or hexbyte is not None or symbol is not None or text):
                if text and len(text) > self.skip_chars:
                    text = text[self.skip_chars:]
                    self.skip_chars = 0
                else:
                    self.skip_chars -= 1 if not text else min(len(text), self.skip_chars)
                    continue
            if word is not None:
                self._word(word, int(num) if num is not None else None, first)
            elif hexbyte is not None:
                self._bytes(bytes((int(hexbyte, 16),)))
            elif symbol is not None:
                self._symbol(symbol, first)
            elif text:
                self._bytes(text)
        self._end_paragraph(final=True)
        self._finish_table()

    def _brace(self, brace: bytes) -> None:
        self.skip_chars = 0
        if brace == b"{":
            self._flush()
            if len(self.stack) >= MAX_GROUP_DEPTH:
                self.overflow += 1
            else:
                self.stack.append(self.state)
                self.state = self.state.clone()
            self.group_start = True
            return
        self._flush()
        self.group_start = False
        if self.overflow:
            self.overflow -= 1
        elif self.stack:
            if self.state.fonttbl and self.font_entry is not None and not self.stack[-1].fonttbl:
                self.font_entry = None
            self.state = self.stack.pop()

    # ------------------------------------------------------------ text

    def _look(self) -> tuple[str, bool]:
        font = self.fonts.get(self.state.font) if self.state.font is not None else None
        codepage = self.codepage
        if font is not None:
            if font.cpg is not None:
                codepage = _codepage(font.cpg) or codepage
            elif font.charset is not None and _CHARSET_CODEPAGE.get(font.charset):
                codepage = _CHARSET_CODEPAGE[font.charset] or codepage
        return codepage, self.state.bold

    def _bytes(self, raw: bytes) -> None:
        if self.state.skip:
            return
        if self.state.fonttbl:
            if self.font_entry is not None:
                self.font_entry.name.append(raw)
                self.font_entry.hei = None
            return
        look = self._look()
        if self.pending and look != self.pending_look:
            self._flush()
        self.pending_look = look
        self.pending.extend(raw)

    def _flush(self) -> None:
        if not self.pending:
            return
        codepage, bold = self.pending_look
        text = bytes(self.pending).decode(codepage, "replace")
        self.pending.clear()
        self._emit(text, bold)

    def _emit(self, text: str, bold: bool) -> None:
        """Add decoded text to the paragraph, bold when set bold or in a 黑体 face."""
        if not text:
            return
        hei = self._hei(text)
        self.para.add(text, bold or hei)

    def _hei(self, text: str = "") -> bool:
        if self._font_is_hei(self.state.font):
            return True
        return self._font_is_hei(self.state.dbfont)  # digits inside a 黑体 run belong to it

    def _font_is_hei(self, index: int | None) -> bool:
        font = self.fonts.get(index) if index is not None else None
        if font is None:
            return False
        if font.hei is None:
            font.hei = is_hei(_font_name(font))
        return font.hei

    def _unicode(self, code: int) -> None:
        self.skip_chars = self.state.uc
        if self.state.skip or self.state.fonttbl:
            return
        self._flush()
        code &= 0xFFFF
        if 0xD800 <= code <= 0xDBFF:
            self.high_surrogate = code
            return
        if 0xDC00 <= code <= 0xDFFF:
            if self.high_surrogate is None:
                return
            code = 0x10000 + ((self.high_surrogate - 0xD800) << 10) + (code - 0xDC00)
        self.high_surrogate = None
        if code in (0xAD, 0xFEFF):
            return
        self.para.add(" " if code == 0xA0 else chr(code), self.state.bold or self._hei(chr(code)))

    # ------------------------------------------------------------ control words

    def _symbol(self, symbol: bytes, first: bool) -> None:
        if symbol == b"*":
            if first:
                self.state.skip = True
            return
        if symbol in (b"\n", b"\r"):  # a backslash before a line end is a \par
            self._word(b"par", None, False)
            return
        out = _CONTROL_SYMBOLS.get(symbol)
        if out is not None and not self.state.skip and not self.state.fonttbl:
            self._flush()
            if out:
                self.para.add(out, self.state.bold)
        elif out is not None and self.state.fonttbl and out:
            self._bytes(out.encode("latin-1", "replace"))

    def _word(self, word: bytes, num: int | None, first: bool) -> None:
        state = self.state
        if first and word in _SKIP_DESTINATIONS:
            state.skip = True
            return
        if word == b"bin":  # binary data: skip its bytes unread
            self.pos += max(num or 0, 0)
            return
        if word == b"uc":
            state.uc = max(0, min(num or 0, 16))
            return
        if word == b"u" and num is not None:
            self._unicode(num)
            return
        if state.skip:
            return
        if word == b"fonttbl":
            state.fonttbl = True
            return
        if state.fonttbl:
            self._font_word(word, num)
            return
        if self._char_format(word, num):
            return
        self._structure(word, num)

    def _font_word(self, word: bytes, num: int | None) -> None:
        if word == b"f" and num is not None:
            self.font_entry = self.fonts.setdefault(num, _Font())
        elif word == b"fcharset" and self.font_entry is not None:
            self.font_entry.charset, self.font_entry.hei = num, None
        elif word == b"cpg" and self.font_entry is not None:
            self.font_entry.cpg, self.font_entry.hei = num, None

    def _char_format(self, word: bytes, num: int | None) -> bool:
        state = self.state
        if word == b"b":
            self._flush()
            state.bold = num is None or num != 0
        elif word == b"plain":
            self._flush()
            state.bold, state.font, state.dbfont, state.mode = False, self.default_font, None, b""
        elif word == b"f" and num is not None:
            self._flush()
            state.font = num
        elif word == b"af" and num is not None:
            if state.mode == b"dbch":
                self._flush()
                state.dbfont = num
        elif word in (b"loch", b"hich", b"dbch", b"rtlch", b"ltrch"):
            state.mode = word
        elif word == b"ansicpg" and num is not None:
            self.codepage = _codepage(num) or self.codepage
        elif word == b"deff" and num is not None:
            self.default_font = num
            if state.font is None:
                state.font = num
        elif word in (b"mac", b"pc", b"pca"):
            self.codepage = {b"mac": "mac_roman", b"pc": "cp437", b"pca": "cp850"}[word]
        else:
            return False
        return True

    def _structure(self, word: bytes, num: int | None) -> None:
        if word in (b"par", b"sect"):
            self._end_paragraph()
        elif word == b"pard":
            self._flush()
            self.state.in_table = False
        elif word == b"intbl":
            self.state.in_table = True
        elif word == b"cell":
            self._end_cell()
        elif word == b"row":
            self._end_row()
        elif word == b"nestcell":
            self._flush()
            self.para.add("\t", False)
        elif word == b"nestrow":
            self._flush()
            self.para.add("\n", False)
        elif word == b"trowd":
            self.row_defs, self.next_def = [], _CellDef()
        elif word in (b"clmrg", b"clvmrg"):
            setattr(self.next_def, "hmerge" if word == b"clmrg" else "vmerge", True)
        elif word == b"cellx" and num is not None:
            if len(self.row_defs) < MAX_CELLS_PER_ROW:
                self.next_def.right = num
                self.row_defs.append(self.next_def)
            self.next_def = _CellDef()
        elif word in _SYMBOLS:
            self._flush()
            if _SYMBOLS[word]:
                self.para.add(_SYMBOLS[word], self.state.bold)

    # ------------------------------------------------------------ paragraphs and tables

    def _end_paragraph(self, final: bool = False) -> None:
        self._flush()
        para, self.para = self.para, RunBuffer()
        text = para.text()
        if final and not text.strip():
            return
        self.para_no += 1
        if self.state.in_table:
            if self.table_line is None:
                self.table_line = self.para_no
            self.cell_lines.append(para)
            return
        self._finish_table()
        if text.strip():
            self.budget.line(len(text))
            self.blocks.append(para.line(self.para_no))

    def _end_cell(self) -> None:
        self._flush()
        para, self.para = self.para, RunBuffer()
        self.para_no += 1
        if self.table_line is None:
            self.table_line = self.para_no
        lines = self.cell_lines + [para]
        self.cell_lines = []
        while lines and not lines[-1].text().strip():
            lines.pop()
        cell = joined(lines).cell()
        self.budget.cell()
        self.budget.text(len(cell.text))
        self.row.append(cell)
        self.state.in_table = True

    def _end_row(self) -> None:
        self._flush()
        self.para.clear()
        if self.row:
            self.rows.append((self.row, list(self.row_defs)))
            self.widest = max(self.widest, len(self.row), len(self.row_defs))
            if self.widest <= MAX_TABLE_COLUMNS:  # check as rows come, not after a million of them
                self.budget.check_grid(len(self.rows), self.widest)
        self.row = []
        self.cell_lines = []
        self.state.in_table = True

    def _finish_table(self) -> None:
        if self.row:
            self.rows.append((self.row, list(self.row_defs)))
            self.row = []
        if self.rows:
            self.blocks.extend(table_blocks(_grid(self.rows, self.budget), self.table_line, self.budget, charged=True))
        self.rows = []
        self.widest = 0
        self.table_line = None


def _codepage(number: int) -> str | None:
    name = _CODEPAGE_NAMES.get(number, f"cp{number}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _font_name(font: _Font) -> str:
    raw = b"".join(font.name).split(b";")[0].strip()
    codepage = _codepage(font.cpg) if font.cpg is not None else _CHARSET_CODEPAGE.get(font.charset or 0)
    return raw.decode(codepage or "cp1252", "replace")


def _grid(rows: list[tuple[list[Cell], list[_CellDef]]], budget: Budget) -> list[list[Cell]]:
    """Lay rows out on the columns their \\cellx boundaries define and resolve merged cells."""
    bounds = sorted({d.right for _, defs in rows for d in defs})
    if len(bounds) > MAX_TABLE_COLUMNS:
        bounds = []  # boundaries that disagree this much: lay cells out in order instead
    index = {b: i for i, b in enumerate(bounds)}
    width = len(bounds)
    budget.grid(len(rows), max(width, max((len(cells) for cells, _ in rows), default=0)))  # before laying out
    grid = Grid()
    for cells, defs in rows:
        grid.row()
        aligned = len(defs) == len(cells) and width > 0
        grid.pad(width if aligned else len(cells))  # a row defined on the table's columns spans them all
        col = 0
        for i, cell in enumerate(cells):
            d = defs[i] if i < len(defs) else _CellDef()
            end = index[d.right] + 1 if aligned else col + 1
            left, above = grid.at(col - 1), grid.above(col)
            if d.hmerge and left is not None:
                cell = merged_copy(left)
            elif d.vmerge and above is not None:
                cell = merged_copy(above)
            col = grid.put(cell, col, max(end - col, 1))
    return grid.cells()
