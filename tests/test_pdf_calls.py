"""The PDF reader calls PDFium without ctypes argument conversion (extractors/pdf.py ``_Fast``): the
characters it reads must be the ones pypdfium2's declared API gives, value for value, and the page
objects it sorts must be the ones their types say."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from taskparse.extractors import pdf

pdfium = pytest.importorskip("pypdfium2")
raw = pytest.importorskip("pypdfium2.raw")

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# rules and fill+stroke text (notice, tables), turned pages, an image (mixed_scan), unreadable text (pua, cid)
FILES = [FIXTURES / "notice.pdf", FIXTURES / "rotated90.pdf", FIXTURES / "rotated270.pdf", FIXTURES / "mixed_scan.pdf",
         FIXTURES / "pua.pdf", FIXTURES / "cid.pdf", SAMPLES / "004_4ed748fdf1ac17b6_boldlead.pdf",
         SAMPLES / "002_ce67ead115768d45_table.pdf"]


def _declared_chars(textpage, rotation: int, width: float, height: float) -> list[tuple]:
    """Every readable character through pypdfium2.raw with its declared argument types."""
    out = []
    box = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    tp = textpage.raw
    checked = 0  # the first MAP_CHECK_CHARS characters are checked for a missing Unicode map
    for i in range(raw.FPDFText_CountChars(tp)):
        code = raw.FPDFText_GetUnicode(tp, i)
        if code in (0, 0x09, 0x0A, 0x0D, 0x20, 0xA0, 0x3000):
            continue
        checked += 1
        if not (0x20 <= code < 0xE000 or 0xF8FF < code < 0xF0000) or code == 0xFFFD \
                or checked <= pdf.MAP_CHECK_CHARS and raw.FPDFText_HasUnicodeMapError(tp, i):
            continue
        raw.FPDFText_GetLooseCharBox(tp, i, box)
        raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
        raw.FPDFText_GetFontInfo(tp, i, buf, 256, flags)
        size = raw.FPDFText_GetFontSize(tp, i)
        name = pdf._font_name(buf.value)
        bold = pdf.bold_font(name) or bool(flags.value & pdf.FORCE_BOLD_FLAG)
        geometry = (box.left, box.right, box.bottom, box.top, ox.value, oy.value)
        c = pdf._rotated(chr(code), rotation, width, height, geometry, size, bold) if rotation else \
            pdf.Char(chr(code), box.left, box.right, oy.value, size, bold)
        out.append((c.ch, c.x0, c.x1, c.y, c.size, c.bold))
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_characters_match_the_declared_api(path):
    doc = pdfium.PdfDocument(str(path))
    try:
        seen = 0
        for page in doc:
            geometry = pdf._geometry(page)
            textpage = page.get_textpage()
            chars, _ = pdf._chars(raw, textpage.raw, geometry)
            expected = _declared_chars(textpage, *geometry)
            textpage.close()
            page.close()
            assert [(c.ch, c.x0, c.x1, c.y, c.size, c.bold) for c in chars] == expected
            seen += len(chars)
        assert seen > 0 or path.name in ("pua.pdf", "cid.pdf")
    finally:
        doc.close()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_page_objects_sorted_by_their_types(path):
    doc = pdfium.PdfDocument(str(path))
    try:
        for page in doc:
            handle = page.raw
            found = pdf._objects(raw, handle)
            types = [raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(handle, i))
                     for i in range(raw.FPDFPage_CountObjects(handle))]
            stroked = sum(1 for i, t in enumerate(types) if t == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetTextRenderMode(
                raw.FPDFPage_GetObject(handle, i)) == raw.FPDF_TEXTRENDERMODE_FILL_STROKE)
            assert found.total == len(types)
            assert len(found.paths) == types.count(raw.FPDF_PAGEOBJ_PATH)
            assert found.images == types.count(raw.FPDF_PAGEOBJ_IMAGE) + types.count(raw.FPDF_PAGEOBJ_FORM)
            assert len(found.stroked_text) == stroked
            page.close()
    finally:
        doc.close()
