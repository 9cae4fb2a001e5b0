"""Page images (.png, .jpg, .tif — multi-page TIFF too): scans and photographed pages, recognised
with the optional OCR extra (ocr.py) and laid out like PDF text."""
from __future__ import annotations

import io
from typing import Any

from ..document import Document
from ..errors import CorruptFile, EmptyDocument, NeedsOCR, TooLarge
from ..limits import MAX_PDF_PAGES
from . import ocr
from ._common import Budget
from ._layout import assemble

__all__ = ["extract"]

A4_WIDTH_IN = 8.27  # an image without a plausible resolution is taken as an A4-wide page
DPI_RANGE = (50, 1200)  # resolutions outside this are not believed


def extract(data: bytes, path: str | None = None) -> Document:
    """Recognise every page of an image file into a Document of paragraph Lines and Tables."""
    if ocr.mode() == "never":
        raise NeedsOCR("an image of a page: its text can only be read by OCR", path, "run again with --ocr auto")
    if not ocr.available():
        raise ocr.missing(path, "an image of a page")
    from PIL import Image, ImageSequence, UnidentifiedImageError

    pages = []
    budget = Budget(path, len(data))
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        if image.width * image.height > ocr.MAX_IMAGE_PIXELS:
            raise TooLarge(f"a {image.width}x{image.height} image, too large to recognise", path,
                           "scan at 300 dpi or less")
        count = getattr(image, "n_frames", 1)
        if count > MAX_PDF_PAGES:
            raise TooLarge(f"{count} pages in one image file, over the {MAX_PDF_PAGES}-page limit", path,
                           "split the file")
        for n, frame in enumerate(ImageSequence.Iterator(image), 1):  # one page in memory at a time
            frame.load()
            pages.append(ocr.recognise(frame, n, _dpi(frame), path, budget))
            if ocr.progress is not None:
                ocr.progress(n, count, path)
    except Image.DecompressionBombError as exc:
        raise TooLarge(f"the image is too large to recognise ({exc})", path, "scan at 300 dpi or less") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptFile(f"damaged or truncated image ({str(exc)[:120]})", path, "scan or download the page again") from None
    blocks = assemble(pages)
    if not blocks:
        raise EmptyDocument("no text was recognised in the image", path, "check that this is a page of the notice")
    return Document(blocks=blocks, format="image", path=path, has_bold=False)


def _dpi(frame: Any) -> float:  # a PIL image (Pillow comes with the OCR extra, imported late)
    info = getattr(frame, "info", {}) or {}
    dpi = info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if DPI_RANGE[0] <= value <= DPI_RANGE[1]:
        return value
    return float(frame.width) / A4_WIDTH_IN
