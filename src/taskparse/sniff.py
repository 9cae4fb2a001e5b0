"""Content sniffing: magic bytes first, suffix last.  Returns a format name that is also
the name of the extractor module (``taskparse.extractors.<format>``)."""
from __future__ import annotations

import io
import zipfile

from .errors import CorruptFile, UnsupportedFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 1024  # the PDF header may sit anywhere in the first KiB

FORMATS = ("txt", "docx", "doc", "pdf", "html", "rtf", "ofd", "image")
# raster images (scans and photographed pages; read by OCR): magic bytes -> kind
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF
# suffixes a batch run picks up from a folder
SUFFIXES = {".txt": "txt", ".text": "txt", ".csv": "txt", ".tsv": "txt", ".docx": "docx", ".doc": "doc", ".wps": "doc",
            ".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".mht": "html", ".mhtml": "html",
            ".xhtml": "html", ".rtf": "rtf", ".wpt": "doc", ".dot": "doc", ".docm": "docx", ".ofd": "ofd",
            ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image"}


def _strip_bom(head: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return head[len(bom):]
    return head


def _looks_html(head: bytes) -> bool:
    h = _strip_bom(head)
    if h[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(h) > 1 and h[1:2] == b"\x00"):
        try:  # UTF-16 pages exist
            h = head.decode("utf-16").encode("ascii", "ignore")
        except UnicodeDecodeError:
            return False
    low = h.lstrip().lower()
    if low.startswith(b"mime-version:") or (low.startswith((b"from:", b"subject:", b"date:", b"content-"))
                                            and b"mime-version:" in low[:SNIFF_BYTES]):
        return True  # .mht: browsers start with "From: <Saved by Blink>"
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) and (b"<html" in h.lower() or b"<!doctype html" in low):
        return True
    start = low[:1]
    return start == b"<" and (b"<html" in low or b"<body" in low or b"<head" in low)


def sniff(data: bytes, path: str | None = None) -> str:
    """Return the format of ``data``: pdf, docx, doc, ofd, rtf, html, image or txt.

    Raises :class:`UnsupportedFormat` for containers that are not documents (a zip without
    ``word/document.xml``) and :class:`CorruptFile` for a damaged zip.
    """
    head = data[:SNIFF_BYTES]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"  # the doc extractor tells Word 97+ from Word 95, encrypted OOXML, others
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except NotImplementedError as exc:
            raise UnsupportedFormat(f"a zip variant this reader cannot open ({exc})", path,
                                    "re-save the document in Word/WPS as .docx") from None
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise CorruptFile(f"damaged or truncated zip/.docx ({exc})", path,
                              "download the file again or re-save it in Word/WPS") from None
        if "word/document.xml" in names:
            return "docx"
        if "OFD.xml" in names or "/OFD.xml" in names:
            return "ofd"
        if any(n.startswith("xl/") for n in names):
            raise UnsupportedFormat("an Excel workbook, not a notice", path, "export the sheet as .csv/.txt first")
        raise UnsupportedFormat("a zip archive that is not a Word document", path, "unpack it and run on the files inside")
    if head.startswith(IMAGE_MAGIC):
        return "image"
    if _strip_bom(head).lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if _looks_html(head):
        return "html"
    return "txt"
