"""Web pages (.html/.htm, Word's "save as web page", and .mht/.mhtml web archives).

Decoding trusts bytes over declarations: a page whose bytes are valid UTF-8 is UTF-8 whatever its
meta tag says, and a declared charset is used only when the bytes decode cleanly in it (government
pages often declare UTF-8 and send GBK, or name a charset no codec knows).  Block elements become
lines, inline ones are joined, bold comes from b/strong/headings and from font-weight or a 黑体
face in a style attribute, and data tables become :class:`Table` blocks.
"""
from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass
from typing import Any

from ..document import Cell, Document, Line, Table
from ..errors import CorruptFile, EmptyDocument, TooLarge
from ..limits import MAX_TABLE_COLUMNS
from ._common import TOO_LARGE_HINT, Budget, Grid, is_hei
from ._numbering import BULLET
from ._runs import RunBuffer

HEAD_SCAN_BYTES = 8192  # a meta charset must sit in the first 8 KiB (HTML5 says 1 KiB; old pages run long)
MAX_SPAN = 1000  # colspan/rowspan above this are clamped (HTML caps colspan at 1000)
MAX_DEPTH = 400  # tables deeper than this are read as lines (the walk itself has no depth limit)
# libxml2 error types that mean it stopped reading or dropped part of the page
_TRUNCATING_ERRORS = frozenset({"ERR_RESOURCE_LIMIT", "ERR_NO_MEMORY", "ERR_INTERNAL_ERROR"})
_TRUNCATING_WORDS = ("excessive depth", "huge", "memory", "too long", "limit")
DATA_TABLE_MIN_ROWS = 2
DATA_TABLE_MIN_COLS = 2
CORRUPT_HINT = "save the page again from the browser, or copy its text into a .txt file"

# a declared name -> the codec that reads what sites really send under it
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                    "cp936": "gb18030", "windows-936": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs",
                    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "unicode": "utf-16", "utf8": "utf-8"}
_SKIP_TAGS = frozenset({"script", "style", "noscript", "nav", "header", "footer", "form", "iframe", "head", "title",
                        "template", "svg", "math", "object", "embed", "select", "button", "textarea", "canvas",
                        "audio", "video", "map"})
_BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                         "td", "th", "table", "thead", "tbody", "tfoot", "caption", "section", "article", "aside",
                         "main", "blockquote", "pre", "center", "address", "hr", "body", "html", "figure",
                         "figcaption", "fieldset", "legend", "details", "summary", "menu", "dir", "frameset",
                         "frame", "listing", "xmp", "plaintext", "option"})
_BOLD_TAGS = frozenset({"b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"})
_SPACE = " \t\n\r\f\v\xa0\u200b"  # collapsible whitespace (&nbsp; included: it is layout, not content)


# ---------------------------------------------------------------- entry point

def extract(data: bytes, path: str | None = None) -> Document:
    """Read a web page or web archive into lines and tables (``line`` = source line of the block)."""
    import lxml.html
    from lxml import etree

    if _is_mht(data):
        data, declared = _mht_html(data, path)
    else:
        declared = None
    text, encoding = decode(data, declared)
    text = _clean(text)
    if not text.strip():
        raise EmptyDocument("the page holds no text", path, "save the page again once it has loaded")
    # huge_tree lifts libxml2's depth (256) and text-node (10 MB) limits, which otherwise cut a page
    # silently (tag soup of unclosed <font>, an inline base64 image); the input size limit and the
    # document budget stand in for them, and any limit libxml2 still hits is reported, not ignored
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise CorruptFile(f"cannot parse the page as HTML ({exc})", path, CORRUPT_HINT) from None
    _check_log(parser.error_log, path)
    walker = _Walker(Budget(path, len(data)))
    body = root.find("body")
    walker.walk(body if body is not None else root, _Style(), 0)
    walker.flush()
    if not walker.blocks:
        raise EmptyDocument("the page holds no text outside scripts, menus and footers", path,
                            "save the page again once it has loaded, or copy its text into a .txt file")
    return Document(blocks=walker.blocks, format="html", path=path, encoding=encoding, has_bold=True)


def _check_log(log: Any, path: str | None) -> None:
    """Raise :class:`TooLarge` when libxml2 says it stopped short (a limit, memory): the page
    would otherwise come out with its end missing and no word said."""
    for entry in log:
        kind = getattr(entry, "type_name", "")
        message = (getattr(entry, "message", "") or "").split(", use XML_PARSE_HUGE")[0].strip()
        if kind in _TRUNCATING_ERRORS or (kind.startswith("ERR_") and any(w in message.lower() for w in _TRUNCATING_WORDS)
                                          and "mismatch" not in message.lower()):
            raise TooLarge(f"the page is beyond what the HTML parser reads whole (line {entry.line}: {message[:80]})",
                           path, TOO_LARGE_HINT)


# ---------------------------------------------------------------- bytes -> text

def _is_mht(data: bytes) -> bool:
    head = data[:HEAD_SCAN_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] == b"<":
        return False
    low = head.lower()
    return b"mime-version:" in low and b"content-type:" in low


def _mht_html(data: bytes, path: str | None) -> tuple[bytes, str | None]:
    """The bytes of the first text/html part of a MIME web archive, and its declared charset."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload, part.get_content_charset()
    raise CorruptFile("the web archive (.mht) holds no text/html part", path, CORRUPT_HINT)


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset name, or None when no codec knows it."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # base64, hex, rot13, uu, zlib are codecs but not text encodings; "undefined" refuses everything
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        return None
    return info.name


def _meta_charset(data: bytes) -> str | None:
    """The charset named by <meta charset> or <meta http-equiv content="...; charset=..."> in the head."""
    head = data[:HEAD_SCAN_BYTES].lower()
    pos = 0
    while True:
        start = head.find(b"<meta", pos)
        if start < 0:
            return None
        end = head.find(b">", start)
        if end < 0:
            return None
        tag = head[start:end]
        pos = end
        at = tag.find(b"charset")
        if at < 0:
            continue
        rest = tag[at + 7:].lstrip(b" \t\r\n")
        if not rest.startswith(b"="):
            continue
        rest = rest[1:].lstrip(b" \t\r\n\"'")
        name = bytearray()
        for byte in rest:
            if chr(byte).isalnum() or byte in b"-_.:":
                name.append(byte)
            else:
                break
        if name:
            return name.decode("ascii", "replace")


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes, returning (text, encoding name).

    Order: byte order mark; UTF-8 when the bytes are valid UTF-8; the declared charset (``declared``
    or the meta tag) when the bytes decode cleanly in it; GB18030; then the best guess with
    replacement characters.
    """
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", "replace"), "utf-16-le"
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", "replace"), "utf-16-be"
    codec = _codec(declared) or _codec(_meta_charset(data))
    try:
        text = data.decode("utf-8")
        if codec is None or codec == "utf-8" or not text.isascii():
            return text, "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in (codec or "", "gb18030"):
        if enc and enc not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc), enc
            except (UnicodeError, LookupError):  # a codec that is not a text encoding after all
                continue
    return data.decode("gb18030", "replace"), "gb18030"


def _clean(text: str) -> str:
    """Drop what libxml2 refuses in a string (NUL, other C0 controls) and an XML declaration."""
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("<?xml"):
        end = text.find("?>")
        text = text[end + 2:] if end >= 0 else text
    return text.translate(_CONTROLS)


_CONTROLS: dict[int, str | None] = {c: None for c in range(32) if chr(c) not in "\t\n\r"}
_CONTROLS[0x0C] = " "


# ---------------------------------------------------------------- styles

@dataclass(frozen=True)
class _Style:
    bold: bool = False
    pre: bool = False


def _declarations(style: str) -> dict[str, str]:
    out = {}
    for decl in style.split(";"):
        name, _, value = decl.partition(":")
        if value:
            out[name.strip().lower()] = value.strip().strip("'\"").lower()
    return out


def _bold_of(el: Any, inherited: bool) -> bool:
    bold = inherited or el.tag in _BOLD_TAGS
    if el.tag == "font" and is_hei(el.get("face")):
        bold = True
    style = el.get("style")
    if style:
        decls = _declarations(style)
        weight = decls.get("font-weight", "").replace("!important", "").strip()
        number = int(weight) if weight.isascii() and weight.isdigit() else None  # "²".isdigit() is True too
        if weight in ("bold", "bolder") or (number is not None and number >= 600):
            bold = True
        elif weight in ("normal", "lighter") or (number is not None and number < 600):
            bold = False
        for key in ("font-family", "mso-fareast-font-family", "font"):
            if is_hei(decls.get(key)):
                bold = True
    return bold


# ---------------------------------------------------------------- tree -> lines and tables

class _Buffer:
    """The text of the block being read, white space collapsed as a browser does."""

    def __init__(self) -> None:
        self.runs = RunBuffer()
        self.line: int | None = None

    def add(self, text: str, bold: bool, pre: bool, line: int | None) -> None:
        text = (_PRE_SPACE_RUN if pre else _SPACE_RUN).sub(" ", text)
        if text[:1] == " " and (not self.runs or self.runs.endswith(" ")):
            text = text[1:]  # collapse runs, drop leading space
        if not text:
            return
        if self.line is None and text.strip(" "):
            self.line = line
        self.runs.add(text, bold)

    def take(self) -> tuple[RunBuffer, int | None]:
        self.runs.rstrip(" ")
        out = (self.runs, self.line)
        self.runs, self.line = RunBuffer(), None
        return out


_SPACE_RUN = re.compile(f"[{_SPACE}]+")  # one space for a run of white space
_PRE_SPACE_RUN = re.compile(f"[{_SPACE.replace(chr(9), '')}]+")  # a tab in <pre> stays a tab


class _Walker:
    def __init__(self, budget: Budget, in_cell: bool = False) -> None:
        self.budget = budget
        self.in_cell = in_cell  # lines of one table cell: characters are charged, lines are not blocks
        self.blocks: list[Line | Table] = []
        self.buf = _Buffer()
        self.ordinal = 0

    def flush(self) -> None:
        runs, line = self.buf.take()
        text = runs.text()
        if not text:
            return
        self.ordinal += 1
        if self.in_cell:
            self.budget.text(len(text))
        else:
            self.budget.line(len(text))
        self.blocks.append(runs.line(line if line is not None else self.ordinal))

    def text(self, s: str | None, style: _Style, line: int | None) -> None:
        if not s:
            return
        if style.pre and "\n" in s:
            parts = s.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.flush()
                self.buf.add(part, style.bold, True, line)
        else:
            self.buf.add(s, style.bold, style.pre, line)

    def walk(self, top: Any, style: _Style, depth: int) -> None:
        """Lines and tables of ``top``'s subtree, in document order.  Iterative: tag soup nests
        thousands of levels deep (every unclosed <font> opens one), deeper than Python recursion."""
        todo: list[tuple[int, Any, _Style, int]] = [(_ENTER, top, style, depth)]
        while todo:
            op, el, style, depth = todo.pop()
            if op == _TAIL:
                self.text(el.tail, style, el.sourceline)  # text after a child is the parent's
                continue
            if op == _EXIT:
                self.flush()
                continue
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in _SKIP_TAGS or el.get("hidden") is not None or _hidden(el):
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table" and depth < MAX_DEPTH:
                table = _data_table(el, depth, self.budget)
                if table is not None:
                    self.flush()
                    self.blocks.append(table)
                    continue
            block = tag in _BLOCK_TAGS
            if block:
                self.flush()
            style = _Style(_bold_of(el, style.bold), style.pre or tag in ("pre", "textarea", "listing", "xmp"))
            if tag == "li" and _in_bulleted_list(el):
                self.text(BULLET + " ", style, el.sourceline)  # as a browser draws it, and as Word's bullets read
            self.text(el.text, style, el.sourceline)
            if block:
                todo.append((_EXIT, el, style, depth))
            for child in reversed(el):
                todo.append((_TAIL, child, style, depth + 1))
                todo.append((_ENTER, child, style, depth + 1))


_ENTER, _TAIL, _EXIT = 0, 1, 2


def _in_bulleted_list(li: Any) -> bool:
    """Is this <li> an item of a <ul> (or <menu>) whose bullets are shown?"""
    parent = li.getparent()
    if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() not in ("ul", "menu"):
        return False
    styles = " ".join(s for s in (parent.get("style"), li.get("style")) if s).lower()
    return "list-style" not in styles or "none" not in styles


def _hidden(el: Any) -> bool:
    style = el.get("style")
    if not style or "none" not in style.lower():
        return False
    decls = _declarations(style)
    return decls.get("display") == "none"


# ---------------------------------------------------------------- tables

def _rows(table: Any) -> list[Any]:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if isinstance(c.tag, str) and c.tag.lower() == "tr")
    return rows


def _span(el: Any, attr: str) -> int:
    value = (el.get(attr) or "1").strip()
    digits = "".join(ch for ch in value[:6] if "0" <= ch <= "9")  # not isdigit(): "²" is a digit to it
    return max(1, min(int(digits) if digits else 1, MAX_SPAN))


def _data_table(table: Any, depth: int, budget: Budget) -> Table | None:
    """A Table block for a table that holds data (>= 2 rows with >= 2 cells); None for a layout
    table, whose contents are then read as lines."""
    rows = _rows(table)
    cells_per_row = [[c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")] for tr in rows]
    wide_rows = sum(1 for cells in cells_per_row if len(cells) >= DATA_TABLE_MIN_COLS)
    if len(rows) < DATA_TABLE_MIN_ROWS or wide_rows < DATA_TABLE_MIN_ROWS:
        return None
    if any(c.find(".//table") is not None for cells in cells_per_row for c in cells):
        return None  # tables inside cells: page layout
    grid = Grid()
    positions = 2 * MAX_TABLE_COLUMNS * len(rows)  # grid positions written, overlapping spans included
    for r, cells in enumerate(cells_per_row):
        grid.row()
        col = 0
        for td in cells:
            col = grid.free(col)
            colspan = _span(td, "colspan")
            rowspan = min(_span(td, "rowspan"), len(rows) - r)
            positions -= colspan * rowspan
            if col + colspan > MAX_TABLE_COLUMNS or positions < 0:
                return None  # too wide for a data table: read its text as lines
            budget.check_grid(len(rows), col + colspan)  # every row will be padded to the widest
            cell = _cell(td, depth, budget)
            for _ in range(colspan * rowspan):
                budget.cell()
            col = grid.put(cell, col, colspan, rowspan)
    budget.grid(len(rows), grid.width())  # before the rows are padded to the widest
    return Table(rows=tuple(tuple(row) for row in grid.cells()), line=table.sourceline)


def _cell(td: Any, depth: int, budget: Budget) -> Cell:
    walker = _Walker(budget, in_cell=True)
    style = _Style(_bold_of(td, False))
    walker.text(td.text, style, td.sourceline)
    for child in td:
        walker.walk(child, style, depth + 2)
        walker.text(child.tail, style, child.sourceline)
    walker.flush()
    buf = RunBuffer()
    for i, b in enumerate(b for b in walker.blocks if isinstance(b, Line)):
        if i:
            buf.add("\n", False)
        buf.add_spans(b.text, b.bold, b.bold_spans)
    return buf.cell()
