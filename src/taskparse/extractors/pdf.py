"""Born-digital PDF through pypdfium2: characters with boxes and font names -> visual lines ->
paragraphs.

Per page the characters are grouped into lines by baseline, sorted by x and joined without
spaces between CJK characters (justified 公文 text spreads its letters); page numbers and
header/footer bands that repeat across pages are dropped; wrapped lines are joined back into
paragraphs.  Bold comes from the font name (Bold, 黑体, SimHei, Heiti...) and from fake bold
(the same glyph drawn twice a hair apart).
"""
from __future__ import annotations

import _ctypes
import ctypes
import functools
import re
from typing import Any, NamedTuple

from ..document import Document
from ._layout import (Char, Page, add_rule, assemble, bold_font, collector_paused, merge_rules, number_items,
                      ruled_tables, visual_lines)
from ..errors import CorruptFile, EmptyDocument, EncryptedFile, NeedsOCR, TooLarge
from ..limits import MAX_PDF_INFLATED_BYTES, MAX_PDF_PAGES, MAX_PDF_STREAM_BYTES

__all__ = ["extract"]

MAP_CHECK_CHARS = 200  # characters per page checked for a missing Unicode map (a per-character call)
UNREADABLE_SHARE = 0.3  # share of private-use / replacement characters that makes a page unreadable
MAX_PATH_SEGMENTS = 20_000  # per page: bigger vector drawings are not searched for table rules
MAX_PAGE_CHARS = 200_000  # characters on one page (a dense A4 page of 仿宋 holds about 1,500)
MAX_PDF_CHARS = 3_000_000  # characters held for all pages (each keeps its position for the table finders)
FORCE_BOLD_FLAG = 1 << 18  # PDF font descriptor flag ForceBold
_SKIP_CODES = frozenset((0, 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000))  # whitespace: spacing is rebuilt from boxes


def extract(data: bytes, path: str | None = None) -> Document:
    """Read a born-digital PDF into a Document of paragraph Lines (page and line of each
    paragraph's first visual line)."""
    with collector_paused():  # the pages' characters and lines are freed before the collector resumes
        return _extract(data, path)


def _extract(data: bytes, path: str | None) -> Document:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    _check_streams(data, path)
    pdf = _open(pdfium, raw, data, path)
    try:
        count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise TooLarge(f"{count} pages, over the {MAX_PDF_PAGES}-page limit", path,
                           "split the PDF or extract the pages with the task list")
        held = [0]  # characters held in memory so far, all pages (each page is closed once read)
        pages = [_read_page(pdf, raw, i, path, held) for i in range(count)]
        from . import ocr  # scanned pages: recognised when the OCR extra is installed (--ocr)

        scanned = ocr.pdf_pages(pdf, pages, path)
    finally:
        pdf.close()
    warnings = _check_text_layer(pages, path)
    blocks = assemble(pages)
    return Document(blocks=list(blocks), format="pdf", path=path, has_bold=not scanned, warnings=warnings)


# ---------------------------------------------------------------- opening and reading

_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/Fl(?:ateDecode)?(?![A-Za-z0-9])")
STREAM_DICT_WINDOW = 4096  # bytes before a stream searched for its dictionary
INFLATE_CHUNK = 64 * 1024
MAX_FILTER_PASSES = 4  # [/FlateDecode /FlateDecode ...]: more passes than this are not inflated here


def _check_streams(data: bytes, path: str | None) -> None:
    """Inflate every Flate stream that PDFium may inflate while reading text (content, object
    and font streams; images are not decoded for text) with a running cap, before PDFium does it
    unbounded: a 1 MB stream of zeros inflates to gigabytes."""
    total = 0
    for m in _STREAM_START.finditer(data):
        head = data[max(0, m.start() - STREAM_DICT_WINDOW):m.start()]
        head = head[head.rfind(b"obj") + 1:]
        passes = len(_FLATE.findall(head))
        if not passes or b"/Image" in head:
            continue
        size = _inflated_size(data, m.end(), min(passes, MAX_FILTER_PASSES), MAX_PDF_STREAM_BYTES + 1)
        total += size
        if size > MAX_PDF_STREAM_BYTES or total > MAX_PDF_INFLATED_BYTES:
            what = "one stream" if size > MAX_PDF_STREAM_BYTES else "its streams"
            limit = MAX_PDF_STREAM_BYTES if size > MAX_PDF_STREAM_BYTES else MAX_PDF_INFLATED_BYTES
            raise TooLarge(f"{what} inflate{'s' if what == 'one stream' else ''} to over "
                           f"{limit // (1024 * 1024)} MB (a decompression bomb)", path,
                           "the file was crafted or damaged; print it to a new PDF")


def _inflated_size(data: bytes, start: int, passes: int, cap: int) -> int:
    """Bytes the Flate stream at ``start`` inflates to through ``passes`` filters, counting no
    further than ``cap`` (a damaged stream counts what inflated before the damage)."""
    import zlib

    chunks: list[bytes] = []
    source: Any = (data[i:i + INFLATE_CHUNK] for i in range(start, len(data), INFLATE_CHUNK))
    for n in range(passes):
        last = n == passes - 1
        inflater = zlib.decompressobj()
        out = 0
        chunks = []
        try:
            for chunk in source:
                while chunk and not inflater.eof and out <= cap:
                    piece = inflater.decompress(chunk, INFLATE_CHUNK)
                    out += len(piece)
                    if not last:
                        chunks.append(piece)
                    chunk = inflater.unconsumed_tail
                if inflater.eof or out > cap:
                    break
        except zlib.error:
            pass
        if out > cap or last:
            return out
        source = iter(chunks)
    return 0

def _open(pdfium: Any, raw: Any, data: bytes, path: str | None) -> Any:
    try:
        return pdfium.PdfDocument(data)
    except Exception as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            raise EncryptedFile("password-protected PDF", path,
                                "open it with the password and print/save it as a PDF without one") from None
        if code == raw.FPDF_ERR_SECURITY:
            raise EncryptedFile("PDF protected by an unsupported security handler", path,
                                "save a copy without protection") from None
        raise CorruptFile(f"damaged or truncated PDF ({str(exc).splitlines()[0][:120]})", path,
                          "download the file again or re-save it from the original program") from None


def _read_page(pdf: Any, raw: Any, index: int, path: str | None, held: list[int]) -> Page:
    try:
        page = pdf[index]
    except Exception as exc:
        raise CorruptFile(f"page {index + 1} cannot be read ({str(exc)[:100]})", path,
                          "download the file again or re-save it from the original program") from None
    try:
        height = page.get_height()
        result = Page(number=index + 1, height=height)
        textpage = page.get_textpage()
        count = max(raw.FPDFText_CountChars(textpage.raw), 0)
        held[0] += count
        if count > MAX_PAGE_CHARS or held[0] > MAX_PDF_CHARS:
            textpage.close()
            what = f"page {index + 1} has {count:,} characters" if count > MAX_PAGE_CHARS else \
                f"over {MAX_PDF_CHARS:,} characters by page {index + 1}"
            raise TooLarge(what, path, "the file was crafted or damaged; print the pages with the tasks to a new PDF")
        geometry = _geometry(page)
        try:
            chars, odd = _chars(raw, textpage.raw, geometry)
        finally:
            textpage.close()
        if odd > UNREADABLE_SHARE * (len(chars) + odd):
            result.unreadable = True
            return result
        objects = _objects(raw, page.raw)
        if not chars:
            result.empty = True
            result.has_image, result.has_drawing = objects.images > 0, objects.total > 0
            return result
        _mark_stroked_bold(raw, objects.stroked_text, geometry, chars)
        hs, vs = _rulings(raw, objects.paths, geometry)
        tables, chars, result.hrules = ruled_tables(chars, hs, vs, index + 1)
        result.lines = visual_lines(chars, index + 1, height)
        result.tables = tables
        number_items(result)
        return result
    finally:
        page.close()


# ---------------------------------------------------------------- PDFium calls
#
# A page of 公文 text is about 500 characters in 230 text objects, and each needs a few calls into
# PDFium.  Through pypdfium2.raw every call converts its arguments by the declared argument types,
# which costs two to three times the call itself; the functions below are the same C functions
# without declared argument types, so the arguments must already be what C expects: handles as
# returned by PDFium, ``ctypes.byref`` for pointers, Python ints only for ``int`` parameters.
# They also keep the GIL (as ``ctypes.pythonapi`` functions do): releasing and taking it back costs
# more than these getters take, and none of them calls back into Python.

class _Fast:
    """The PDFium functions read per character or per page object, called without argument
    conversion and without releasing the GIL (restype as pypdfium2 declares it, except where noted)."""

    def __init__(self, raw: Any) -> None:
        def same(name: str, restype: Any = None) -> Any:
            fn = getattr(raw, name)
            # the same C function and calling convention, with the GIL kept (as PYFUNCTYPE does)
            bare = type("Bare", (_ctypes.CFuncPtr,), {"_flags_": type(fn)._flags_ | _ctypes.FUNCFLAG_PYTHONAPI,
                                                      "_restype_": fn.restype if restype is None else restype})
            return bare(ctypes.cast(fn, ctypes.c_void_p).value)

        self.loose_box = same("FPDFText_GetLooseCharBox")  # advance-wide, not ink-tight
        self.origin = same("FPDFText_GetCharOrigin")
        self.font_size = same("FPDFText_GetFontSize")
        self.font_info = same("FPDFText_GetFontInfo")
        self.object_font = same("FPDFTextObj_GetFont", ctypes.c_void_p) if hasattr(raw, "FPDFTextObj_GetFont") else None
        self.map_error = same("FPDFText_HasUnicodeMapError")
        # the handle as a plain int (comparable, no wrapper object per call); None: PDFium lacks it
        self.text_object = same("FPDFText_GetTextObject", ctypes.c_void_p) \
            if hasattr(raw, "FPDFText_GetTextObject") else None
        self.count_objects = same("FPDFPage_CountObjects")
        self.get_object = same("FPDFPage_GetObject")
        self.object_type = same("FPDFPageObj_GetType")
        self.render_mode = same("FPDFTextObj_GetTextRenderMode")
        self.bounds = same("FPDFPageObj_GetBounds")
        self.matrix = same("FPDFPageObj_GetMatrix")
        self.count_segments = same("FPDFPath_CountSegments")
        self.segment = same("FPDFPath_GetPathSegment")
        self.point = same("FPDFPathSegment_GetPoint")
        self.segment_type = same("FPDFPathSegment_GetType")
        self.closes = same("FPDFPathSegment_GetClose")


@functools.cache
def _fast(raw: Any) -> _Fast:
    return _Fast(raw)


class _Geometry(NamedTuple):
    """A page's /Rotate (0, 90, 180, 270) and media box right+left and top+bottom: display
    coordinates of a rotated page are computed from them whatever the box's origin."""

    rotation: int
    width: float
    height: float


def _geometry(page: Any) -> _Geometry:
    rotation = page.get_rotation() % 360
    mx0, my0, mx1, my1 = page.get_mediabox()
    return _Geometry(rotation, mx0 + mx1, my0 + my1)


class _Objects(NamedTuple):
    """What one pass over a page's objects finds: the number of objects, of images and forms,
    text objects drawn filled and stroked, and path objects (handles as PDFium returns them)."""

    total: int
    images: int
    stroked_text: list[Any]
    paths: list[Any]


def _objects(raw: Any, handle: Any) -> _Objects:
    fast = _fast(raw)
    get, kind, mode = fast.get_object, fast.object_type, fast.render_mode
    path_type = raw.FPDF_PAGEOBJ_PATH
    image_types = (raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM)
    fill_stroke = raw.FPDF_TEXTRENDERMODE_FILL_STROKE
    n = max(fast.count_objects(handle), 0)
    images = 0
    stroked: list[Any] = []
    paths: list[Any] = []
    for i in range(n):
        obj = get(handle, i)
        m = mode(obj)  # FPDF_TEXTRENDERMODE_UNKNOWN (-1) for anything but text: one call for most objects
        if m == fill_stroke:
            stroked.append(obj)
        elif m < 0:
            t = kind(obj)
            if t == path_type:
                paths.append(obj)
            elif t in image_types:
                images += 1
    return _Objects(n, images, stroked, paths)


def _mark_stroked_bold(raw: Any, stroked: list[Any], geometry: _Geometry, chars: list[Char]) -> None:
    """Text drawn filled and stroked is synthetic bold (CJK fonts have no bold face, so office
    programs embolden 仿宋 that way): mark the characters inside such text objects bold."""
    if not stroked:
        return
    bounds = _fast(raw).bounds
    rotation, width, height = geometry
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, bottom, right, top)]
    boxes = []
    for obj in stroked:
        bounds(obj, *refs)
        (ax, ay), (bx, by) = (_display_point(rotation, width, height, x, y)
                              for x, y in ((left.value, bottom.value), (right.value, top.value)))
        boxes.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    for c in chars:
        if c.bold:
            continue
        cx, cy = (c.x0 + c.x1) / 2, c.y + 0.3 * c.size
        c.bold = any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in boxes)


def _chars(raw: Any, tp: Any, geometry: _Geometry) -> tuple[list[Char], int]:
    """Characters of a text page (its raw handle) in display coordinates (generated spaces and
    line breaks skipped) and the count of unreadable ones (private use, replacement, control).

    The text comes in one call; per character only the loose box (left and right: the advance)
    and the origin (the baseline) are asked for, and which text object it belongs to; per text
    object its size and font (all its characters share them), the font's name and flags (bold)
    only for a font not met before on the page."""
    fast = _fast(raw)
    get_box, get_origin, text_object = fast.loose_box, fast.origin, fast.text_object
    get_size, get_font, map_error, object_font = fast.font_size, fast.font_info, fast.map_error, fast.object_font
    c_void_p = ctypes.c_void_p  # a handle back to PDFium: a plain int would pass as a 32-bit C int
    rotation, width, height = geometry
    checked = 0
    box = raw.FS_RECTF()
    r_box = ctypes.byref(box)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    r_ox, r_oy = ctypes.byref(ox), ctypes.byref(oy)
    buf = ctypes.create_string_buffer(256)
    buf_len = ctypes.c_ulong(256)
    flags = ctypes.c_int()
    flags_ref = ctypes.byref(flags)
    bold_of: dict[tuple[bytes, int], bool] = {}  # (font name, flags) -> bold
    bold_by_font: dict[int | None, bool] = {}  # font handle -> bold (no entry for None)
    out: list[Char] = []
    append = out.append
    odd = 0
    last_obj: int | None = -1
    size, bold = 0.0, False
    for i, code in enumerate(_codes(raw, tp)):
        if code in _SKIP_CODES:  # also every character PDFium generates (spaces, line breaks)
            continue
        # private use, replacement, control and plane 15-16 characters are unreadable
        if not (0x20 <= code < 0xE000 or 0xF8FF < code < 0xF0000 and code != 0xFFFD) or (
                checked < MAP_CHECK_CHARS and map_error(tp, i)):
            odd += 1
            checked += 1
            continue
        checked += 1
        get_box(tp, i, r_box)
        get_origin(tp, i, r_ox, r_oy)
        obj = text_object(tp, i) if text_object is not None else None
        if obj != last_obj or obj is None:
            last_obj = obj
            font = object_font(c_void_p(obj)) if obj is not None and object_font is not None else None
            known = bold_by_font.get(font)
            if known is None:
                get_font(tp, i, buf, buf_len, flags_ref)
                key = (buf.value, flags.value)
                known = bold_of.get(key)
                if known is None:
                    known = bold_font(_font_name(key[0])) or bool(key[1] & FORCE_BOLD_FLAG)
                    bold_of[key] = known
                if font is not None:
                    bold_by_font[font] = known
            bold = known
            size = get_size(tp, i)
        if rotation:
            append(_rotated(chr(code), rotation, width, height, (box.left, box.right, box.bottom, box.top,
                                                                 ox.value, oy.value), size, bold))
        else:
            append(Char(chr(code), box.left, box.right, oy.value, size, bold))
    return out, odd


def _codes(raw: Any, tp: Any) -> list[int]:
    """The code points of a text page, in one call when the page has no characters beyond the
    BMP (then each UTF-16 unit is one character index); else one call per character."""
    n = max(raw.FPDFText_CountChars(tp), 0)
    if not n:
        return []
    units = (ctypes.c_ushort * (n + 1))()
    if raw.FPDFText_GetText(tp, 0, n, units) == n + 1:
        try:  # a surrogate pair decodes to one character, a lone surrogate fails
            whole = ctypes.string_at(units, 2 * n).decode("utf-16-le")
        except UnicodeDecodeError:
            whole = ""
        if len(whole) == n:  # no UTF-16 unit in D800-DFFF
            return units[:n]
    return [raw.FPDFText_GetUnicode(tp, i) for i in range(n)]


def _rotated(ch: str, rotation: int, width: float, height: float, geometry: tuple[float, ...], size: float,
             bold: bool) -> Char:
    """A character of a page with /Rotate, in the coordinates of the page as displayed
    (``width``/``height`` are the media box's right+left and top+bottom, so any origin works)."""
    left, right, bottom, top, ox, oy = geometry
    if rotation == 90:
        return Char(ch, bottom, top, width - ox, size, bold)
    if rotation == 180:
        return Char(ch, width - right, width - left, height - oy, size, bold)
    return Char(ch, height - top, height - bottom, ox, size, bold)  # 270


def _font_name(raw_name: bytes) -> str:
    try:
        return raw_name.decode("utf-8")
    except UnicodeDecodeError:  # Chinese font names are often stored in GBK (黑体 = BA DA CC E5)
        return raw_name.decode("gb18030", "replace")


# ---------------------------------------------------------------- characters -> visual lines


# ---------------------------------------------------------------- checks and page furniture

def _check_text_layer(pages: list[Page], path: str | None) -> list[tuple[str, str, int | None, int | None]]:
    scans = [p.number for p in pages if p.empty and p.has_image]
    garbled = [p.number for p in pages if p.unreadable]
    readable = [p for p in pages if p.lines or any(any(c.text.strip() for r in t.rows for c in r) for t in p.tables)]
    # a page that is only a ruled table (an attachment that is just the 分工表) has text: in its cells
    if not readable:
        if garbled:
            raise NeedsOCR("the PDF's fonts have no Unicode map (text extracts as unmapped or private-use codes)", path,
                           "run OCR first, or get a text copy of the notice")
        if any(p.has_drawing for p in pages):
            raise NeedsOCR("scanned PDF: no text layer", path, "run OCR first")
        raise EmptyDocument("the PDF has no text and nothing drawn on its pages", path,
                            "check that this is the right file")
    warnings: list[tuple[str, str, int | None, int | None]] = []
    if scans:
        warnings.append(("needs_ocr", f"{_pages_phrase(scans)} no text layer", None, scans[0]))
    if garbled:
        warnings.append(("needs_ocr", f"{_pages_phrase(garbled)} unreadable text (fonts without a Unicode map)",
                         None, garbled[0]))
    return warnings


def _pages_phrase(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:20]) + (", ..." if len(numbers) > 20 else "")
    return f"page {shown} has" if len(numbers) == 1 else f"pages {shown} have"


# ---------------------------------------------------------------- visual lines -> paragraphs


# ---------------------------------------------------------------- ruled tables

def _rulings(raw: Any, paths: list[Any], geometry: _Geometry
             ) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) straight strokes and thin rectangle edges of
    the page's path objects, in display coordinates."""
    fast = _fast(raw)
    rotation, width, height = geometry
    moveto, lineto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
    matrix = raw.FS_MATRIX()
    r_matrix = ctypes.byref(matrix)
    px, py = ctypes.c_float(), ctypes.c_float()
    r_px, r_py = ctypes.byref(px), ctypes.byref(py)
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    budget = MAX_PATH_SEGMENTS
    for obj in paths:
        count = fast.count_segments(obj)
        if count <= 0:
            continue
        budget -= count
        if budget < 0:
            break
        fast.matrix(obj, r_matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = prev = None
        for k in range(count):
            seg = fast.segment(obj, k)
            fast.point(seg, r_px, r_py)
            x, y = a * px.value + c * py.value + e, b * px.value + d * py.value + f
            pt = _display_point(rotation, width, height, x, y)
            kind = fast.segment_type(seg)
            if kind == moveto or prev is None:
                start = prev = pt
                continue
            if kind == lineto:
                add_rule(prev, pt, hs, vs)
            prev = pt
            if fast.closes(seg) and start is not None:
                add_rule(pt, start, hs, vs)
                prev = start
    return merge_rules(hs), merge_rules(vs)


def _display_point(rotation: int, width: float, height: float, x: float, y: float) -> tuple[float, float]:
    if rotation == 90:
        return y, width - x
    if rotation == 180:
        return width - x, height - y
    if rotation == 270:
        return height - y, x
    return x, y


# ---------------------------------------------------------------- borderless tables


