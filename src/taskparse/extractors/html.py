"""Web pages (.html/.htm, Word's "save as web page", and .mht/.mhtml web archives).

Decoding trusts bytes over declarations: a page whose bytes are valid UTF-8 is UTF-8 whatever its
meta tag says, and a declared charset is used only when the bytes decode cleanly in it (government
pages often declare UTF-8 and send GBK, or name a charset no codec knows).  Block elements become
lines, inline ones are joined, bold comes from b/strong/headings and from font-weight or a 黑体
face in a style attribute, list items start with the marker a browser draws (● for <ul>, the number
for <ol>), and data tables become :class:`Table` blocks.
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
from ..parser.lines import marker_of  # the parser's one grammar of item numbers
from ..parser.patterns import DECIMAL_ITEM
from ._common import TOO_LARGE_HINT, Budget, Grid, is_hei
from ._numbering import BULLET, cn_count, format_number
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


@dataclass(frozen=True)
class _Item:
    """What a list item's line starts with: ``label`` as the browser draws it ("1. ", "一、", "● ", or
    nothing), the parser level that label reads at (0: none it reads), and whether a number the item
    already prints itself ("1．推进…") stands instead of the label."""
    label: str
    level: int
    numbered: bool


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
        self.pending: tuple[_Item, bool, int | None] | None = None  # the open <li>'s label, its bold and line
        self.levels: list[int] = []  # the parser level of each open <li>'s number (0: none)

    def flush(self) -> None:
        runs, line = self.buf.take()
        text = runs.text()
        if not text:
            return
        if self.pending is not None:  # the first line of a list item: its label goes in front
            text, line = self._put_label(runs, text, line)
        self.ordinal += 1
        if self.in_cell:
            self.budget.text(len(text))
        else:
            self.budget.line(len(text))
        self.blocks.append(runs.line(line if line is not None else self.ordinal))

    def _put_label(self, runs: RunBuffer, text: str, line: int | None) -> tuple[str, int | None]:
        """Put the open list item's label in front of its first line, unless the item prints a
        number of its own (then that number's level is the item's)."""
        assert self.pending is not None
        item, bold, li_line = self.pending
        self.pending = None
        if item.numbered:
            own = _own_number_level(text)
            if own:
                self.levels[-1] = own
                return text, line
        if not item.label:
            return text, line
        runs.prepend(item.label, bold)
        return runs.text(), li_line if li_line is not None else line

    def _enter_item(self, li: Any, item: _Item | None, bold: bool) -> None:
        outer = self.levels[-1] if self.levels else 0
        self.levels.append(item.level if item is not None and item.level else outer)
        self.pending = (item, bold, li.sourceline) if item is not None else None

    def _leave_item(self) -> None:
        if self.levels:
            self.levels.pop()
        self.pending = None

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
        todo: list[tuple[int, Any, _Style, int, _Item | None]] = [(_ENTER, top, style, depth, None)]
        while todo:
            op, el, style, depth, item = todo.pop()
            if op == _TAIL:
                self.text(el.tail, style, el.sourceline)  # text after a child is the parent's
                continue
            if op == _EXIT:
                self.flush()
                if el.tag.lower() == "li":
                    self._leave_item()
                continue
            tag = el.tag.lower() if isinstance(el.tag, str) else ""
            if tag in _SKIP_TAGS or _invisible(el):
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
            if tag == "li":
                self._enter_item(el, item, style.bold)
            self.text(el.text, style, el.sourceline)
            if block:
                todo.append((_EXIT, el, style, depth, None))
            items = _list_items(el, tag, self.levels[-1] if self.levels else 0) if tag in _LIST_TAGS else None
            children = list(el)
            for i in range(len(children) - 1, -1, -1):
                child = children[i]
                todo.append((_TAIL, child, style, depth + 1, None))
                todo.append((_ENTER, child, style, depth + 1, items[i] if items else None))


_ENTER, _TAIL, _EXIT = 0, 1, 2


def _invisible(el: Any) -> bool:
    """Not drawn at all: ``hidden`` or ``display: none``."""
    return el.get("hidden") is not None or _hidden(el)


def _hidden(el: Any) -> bool:
    style = el.get("style")
    if not style or "none" not in style.lower():
        return False
    decls = _declarations(style)
    return decls.get("display") == "none"


# ---------------------------------------------------------------- lists

_LIST_TAGS = frozenset({"ol", "ul", "menu"})
# CSS list-style-type -> the number format (as _numbering names it) and the suffix a browser draws after it
_COUNTER_STYLES = {
    "decimal": ("decimal", ". "), "decimal-leading-zero": ("decimalZero", ". "),
    "lower-alpha": ("lowerLetter", ". "), "lower-latin": ("lowerLetter", ". "),
    "upper-alpha": ("upperLetter", ". "), "upper-latin": ("upperLetter", ". "),
    "lower-roman": ("lowerRoman", ". "), "upper-roman": ("upperRoman", ". "),
    "cjk-decimal": ("ideographDigital", "、"), "cjk-ideographic": ("chineseCounting", "、"),
    "simp-chinese-informal": ("chineseCounting", "、"), "trad-chinese-informal": ("chineseCounting", "、"),
    "simp-chinese-formal": ("chineseLegalSimplified", "、"),
    "cjk-heavenly-stem": ("ideographTraditional", "、"), "cjk-earthly-branch": ("ideographZodiac", "、"),
}
_BULLET_STYLES = frozenset({"disc", "circle", "square", "disclosure-open", "disclosure-closed"})
_INHERITING = frozenset({"inherit", "unset", "revert", "revert-layer"})  # the value of the element around
# the type attribute (HTML's presentational hints): numbers on <ol> and <li>, bullets on <ul> and <li>
_OL_TYPES = {"1": "decimal", "a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}
_UL_TYPES = frozenset({"disc", "circle", "square", "none"})
# the level the parser reads a label at (patterns.MARKER): 一、 is 1, （一） 2, 1. 3, （1） 4, ① 5
_FORMAT_LEVEL = {"decimal": 3, "decimalZero": 3, "chineseCounting": 1, "ideographDigital": 1}
DEEPEST_LEVEL = 5  # ①, the last level patterns.MARKER reads


def _list_items(lst: Any, tag: str, outer: int) -> list[_Item | None]:
    """The label of each child of a list that is a shown <li> (None for the other children).

    Numbers count as a browser counts them: from ``start`` (down from the number of items when
    ``reversed``), an item's ``value`` setting its own and those after it.  A list inside a numbered
    item (``outer``: that item's parser level) whose labels would not read deeper than it (a browser
    draws "1." at every depth) is numbered in the next level's form, so that the items under an item
    stay under it: "1." items hold "（1）" items, which hold "①" items."""
    children = [(c, isinstance(c.tag, str) and c.tag.lower() == "li" and not _invisible(c)) for c in lst]
    ordered = tag == "ol"
    backwards = ordered and lst.get("reversed") is not None
    start = _integer(lst.get("start")) if ordered else None
    if start is None:
        start = sum(1 for _, shown in children if shown) if backwards else 1
    kind = _own_list_style(lst, tag) or ("decimal" if ordered else "disc")
    links = all(_is_link(c) for c, shown in children if shown)
    out: list[_Item | None] = []
    n = start
    for child, shown in children:
        if not shown:
            out.append(None)
            continue
        value = _integer(child.get("value"))
        n = value if value is not None else n
        item = _label_of(_own_list_style(child, "li") or kind, n, outer)
        out.append(_Item("", 0, True) if links and item.numbered else item)
        n += -1 if backwards else 1
    return out


def _is_link(li: Any) -> bool:
    """Does the item start with a link ("<li><a href=…>标题</a> 2024-01-05</li>")?  A list of such items is
    a menu or a list of related pages, around the notice but not part of it: numbered, its links would
    read as items of the notice's last heading."""
    if li.text and li.text.strip(_SPACE):
        return False
    first = next((c for c in li if isinstance(c.tag, str)), None)
    return (first is not None and first.tag.lower() == "a" and first.get("href") is not None
            and bool((first.text or "").strip(_SPACE) or len(first)))


def _label_of(kind: str, n: int, outer: int) -> _Item:
    if kind == "none":
        return _Item("", 0, True)
    if kind in _BULLET_STYLES:
        return _Item(BULLET + " ", 0, False)  # as Word's bullets read
    fmt, suffix = _COUNTER_STYLES.get(kind, ("decimal", ". "))  # CSS: an unknown counter style is decimal
    level = _FORMAT_LEVEL.get(fmt, 0)
    if outer and level <= outer:
        level = min(outer + 1, DEEPEST_LEVEL)
        return _Item(_level_label(level, n), level, True)
    return _Item(format_number(n, fmt) + suffix, level, True)


def _level_label(level: int, n: int) -> str:
    """Item number ``n`` in the form the parser reads at ``level``."""
    if level == 1:
        return f"{cn_count(n)}、"
    if level == 2:
        return f"（{cn_count(n)}）"
    if level == 3:
        return f"{n}. "
    if level == 5 and 1 <= n <= 20:
        return format_number(n, "decimalEnclosedCircle")
    return f"（{n}）"


def _own_list_style(el: Any, tag: str) -> str | None:
    """The list-style-type ``el`` sets itself (its style attribute, then its type attribute), or None."""
    style = el.get("style")
    if style and "list-style" in style.lower():
        kind = _style_list_type(_declarations(style))
        if kind is not None:
            return kind
    given = (el.get("type") or "").strip()
    if tag in ("ol", "li") and given in _OL_TYPES:
        return _OL_TYPES[given]
    if tag != "ol" and given.lower() in _UL_TYPES:
        return given.lower()
    return None


def _style_list_type(decls: dict[str, str]) -> str | None:
    """list-style-type from ``list-style-type`` or the ``list-style`` shorthand (which sets it to
    disc when it names none; an image drawn instead of the marker reads as a bullet)."""
    value = decls.get("list-style-type", "").replace("!important", "").strip()
    if value:
        if value in _INHERITING or not _IDENT.fullmatch(value):
            return None  # var(), a string: not read
        return "disc" if value == "initial" else value
    words = decls.get("list-style", "").replace("!important", " ").split()
    if not words or any(w in _INHERITING for w in words):
        return None
    if any(w.startswith("url(") for w in words):
        return "disc"
    kinds = [w for w in words if w not in ("inside", "outside", "initial", "none") and _IDENT.fullmatch(w)]
    return kinds[0] if kinds else ("none" if "none" in words else "disc")


_IDENT = re.compile(r"[a-z][a-z0-9-]{0,40}")  # a counter style's name


def _integer(value: str | None) -> int | None:
    """An HTML integer attribute (``start``, ``value``): optional sign and digits, else None."""
    value = (value or "").strip(_SPACE)[:12]
    sign = -1 if value[:1] == "-" else 1
    digits = value[1:] if value[:1] in "+-" else value
    end = 0
    while end < len(digits) and "0" <= digits[end] <= "9":  # not isdigit(): "²" is a digit to it
        end += 1
    return sign * int(digits[:end]) if end else None


def _own_number_level(text: str) -> int:
    """The parser level of the number a line starts with ("1．推进…" 3, "（一）…" 2), 0 when none."""
    head = text.lstrip(_SPACE + "\u3000")[:MAX_LABEL_PROBE]
    mark = marker_of(head)
    if mark is not None:
        return mark[0]
    return 4 if DECIMAL_ITEM.match(head) else 0  # "1.1推进…": one level under "1."


MAX_LABEL_PROBE = 40  # characters of a line enough to see whether it starts with its own number


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
