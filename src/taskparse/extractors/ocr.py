"""OCR of scanned pages with the optional ``taskparse[ocr]`` extra (RapidOCR: PP-OCR Chinese
detection and recognition on onnxruntime, CPU only; the models ship inside its wheel, so nothing is
downloaded and no network is used).

A page image is straightened (the skew of a hand-fed scan, found from the rows of ink), its ruled
lines are found with morphology (long thin runs of ink), the text lines are recognised, and each
recognised line becomes characters with boxes spread over the line's box — so scans go through the
same layout pipeline as PDF text (_layout.py): lines, paragraphs, ruled and borderless tables,
page furniture.  A long line with a bare closing quote is read a second time in pieces, which may
only add the punctuation marks the first reading dropped.  Recognised text gets a light clean-up
(half-width brackets and colons between Chinese characters, 文号 brackets).

The mode is ``never`` / ``auto`` (pages without a usable text layer; the default) / ``always``;
the command line sets it through ``TASKPARSE_OCR`` so that worker processes see it too.
"""
from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import OCRNotInstalled, TooLarge
from ._common import Budget
from ._layout import Char, Page, add_rule, merge_rules, number_items, ruled_tables, visual_lines

MODES = ("never", "auto", "always")
MODE_ENV = "TASKPARSE_OCR"
THREADS_ENV = "TASKPARSE_OCR_THREADS"  # threads per recognising process (default: all cores)
INSTALL_HINT = "install the OCR extra: pip install 'taskparse[ocr]'"

RENDER_DPI = 200  # PDF pages are rendered at this resolution for recognition (see README: 150/200/300 measured)
MAX_SIDE_PX = 2600  # RapidOCR shrinks images with a longer side than this before detection
SKEW_MAX_DEG = 3.0  # scans are straightened by up to this many degrees…
SKEW_STEP_DEG = 0.1  # …in steps of this size
SKEW_SAMPLE_PX = 1000  # the skew search works on a copy this wide
SKEW_MIN_DEG = 0.05  # a smaller skew is left alone
RULE_MIN_IN = 0.25  # an ink run at least this long (inches) and…
RULE_MAX_THICK_IN = 0.03  # …at most this thick is a ruled line
INK_LEVEL = 160  # grey values below this are ink
BOX_HEIGHT_EM = 0.95  # a detected text box is this many font sizes high (measured: 42 px for 16 pt at 200 dpi)
BASELINE_EM = 0.38  # the baseline lies this many font sizes below the box's middle
NARROW_EM = 0.5  # a Latin letter or digit is this wide, a CJK character 1 em
MAX_STEP_EM = 1.5  # a font size is at most this many times a box's character pitch
ROW_SNAP_SHARE = 0.4  # boxes whose middles differ by less than this share of their height share a row
VERTICAL_RATIO = 1.5  # a box this many times taller than wide holds a column of characters
MIN_SCORE = 0.5  # recognised lines scored below this are dropped (RapidOCR's own default)
SECOND_READ_RATIO = 12.0  # a text line with a closing quote, longer than this many times its height, is read a
PIECE_RATIO = 12.0  # second time in pieces this many heights long at most, cut in white gaps between characters
MAX_IMAGE_PIXELS = 60_000_000  # one page image larger than this is refused (decompression bombs)

# progress(page_done, pages_total, path) — set by the command line to draw progress on a terminal
progress: Callable[[int, int, str | None], None] | None = None


def mode() -> str:
    value = os.environ.get(MODE_ENV, "auto").strip().lower()
    return value if value in MODES else "auto"


@functools.cache
def available() -> bool:
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def missing(path: str | None, what: str) -> OCRNotInstalled:
    """The one-line error for a scan met without the OCR extra."""
    return OCRNotInstalled(f"{what}; OCR is not installed", path, INSTALL_HINT)


@functools.cache
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    threads = os.environ.get(THREADS_ENV, "")
    extra = {"intra_op_num_threads": int(threads)} if threads.isdigit() and int(threads) > 0 else {}
    return RapidOCR(max_side_len=MAX_SIDE_PX, print_verbose=False, **extra)


def recognise(image: Any, number: int, dpi: float, path: str | None = None, budget: Budget | None = None) -> Page:
    """Recognise one page image (a PIL image) as page ``number``; ``dpi`` maps pixels to points.
    The recognised characters are charged to ``budget`` (the file's) when one is given."""
    import numpy as np

    if image.width * image.height > MAX_IMAGE_PIXELS:
        raise TooLarge(f"page {number} is a {image.width}x{image.height} image, too large to recognise", path,
                       "scan at 300 dpi or less")
    gray = image.convert("L")
    angle = _skew(gray)
    if abs(angle) >= SKEW_MIN_DEG:
        gray = gray.rotate(angle, resample=_bicubic(), expand=False, fillcolor=255)
    pixels = np.asarray(gray)
    scale = 72.0 / dpi
    height_pt = gray.height * scale
    result = Page(number=number, height=height_pt)
    # no angle classifier: pages are upright once straightened, and it turns lines thick with quotes
    # (“群长+链长”“九个一”) upside down, which then read as garbage
    rgb = np.dstack([pixels] * 3)
    try:
        found, _ = _engine()(rgb, text_score=MIN_SCORE, use_cls=False)
        found = _second_read(rgb, found or [])
    except MemoryError:
        raise _out_of_memory(number, path) from None
    except Exception as exc:  # onnxruntime reports a failed allocation as its own error
        if "bad_alloc" in str(exc):
            raise _out_of_memory(number, path) from None
        raise
    boxes = _boxes(found)
    _snap_rows(boxes)
    chars = [c for box in boxes for c in _box_chars(box, scale, height_pt)]
    if budget is not None:
        budget.text(len(chars))
    if not chars:
        result.empty = True
        result.has_image = True
        return result
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    for p, q in _rules(pixels, dpi):
        add_rule((p[0] * scale, height_pt - p[1] * scale), (q[0] * scale, height_pt - q[1] * scale), hs, vs)
    tables, chars, result.hrules = ruled_tables(chars, merge_rules(hs), merge_rules(vs), number)
    result.lines = visual_lines(chars, number, height_pt)
    result.tables = tables
    number_items(result)
    return result


def _out_of_memory(number: int, path: str | None) -> TooLarge:
    """Recognising a page needs about 2.5 GB of address space (measured: a 200 dpi A4 page fails
    under a 2048 MB limit, passes under 2560 MB)."""
    return TooLarge(f"page {number}: not enough memory to recognise the page", path,
                    "OCR needs about 2.5 GB per process: in a folder run give --memory 3072 (or 0: no limit)")


def _bicubic() -> Any:
    from PIL import Image

    return Image.Resampling.BICUBIC


# ---------------------------------------------------------------- a second read of long lines

# marks the recogniser drops on a long line more than on a short one (the ， after a closing quote:
# “枫桥经验”，进一步; one of two quotes: “群长+链长”“九个一”)
_MARKS = frozenset("，。、；：？！“”‘’《》（）—…·")
# a closing quote not followed by a mark: where a mark may have been dropped
_BARE_CLOSE_QUOTE = re.compile(r"[”’](?![，。、；：？！）》…—])")


def _second_read(rgb: Any, found: list) -> list:
    """Read every long text line again in pieces, and add to the first reading the punctuation
    marks that only the pieces show.  On a long line the recogniser drops a small mark next to
    another (a ， after ”); read in shorter pieces it sees it — but it also drops a mark at a
    piece's edge, so the pieces only ever add marks, never replace characters (measured on the
    seed scans; see README)."""
    import numpy as np

    lines = []
    for n, (quad, text, _score) in enumerate(found):
        pts = np.asarray(quad, dtype=np.float32)
        width = max(float(np.linalg.norm(pts[0] - pts[1])), float(np.linalg.norm(pts[2] - pts[3])))
        height = max(float(np.linalg.norm(pts[0] - pts[3])), float(np.linalg.norm(pts[1] - pts[2])))
        if height > 0 and width > SECOND_READ_RATIO * height and _BARE_CLOSE_QUOTE.search(text):
            lines.append((n, _pieces(_crop(rgb, pts, round(width), round(height)), PIECE_RATIO)))
    if not lines:
        return found
    out = [list(f) for f in found]
    for n, pieces in lines:
        out[n][1] = add_marks(out[n][1], "".join(_read(piece) for piece in pieces))
    return out


def _read(crop: Any) -> str:
    """The recogniser alone on one line image (no detection), in a batch of its own: in a batch
    every image is padded to the widest, and the padding changes what is read at a piece's end."""
    result, _ = _engine().text_rec([crop])
    return str(result[0][0]) if result else ""


def _crop(rgb: Any, pts: Any, width: int, height: int) -> Any:
    """A text line's image, straightened from its quadrilateral as RapidOCR crops it."""
    import cv2
    import numpy as np

    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(pts, target)
    return cv2.warpPerspective(rgb, m, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)


def _pieces(line: Any, ratio: float) -> list:
    """A long line image cut into pieces of about ``ratio`` heights, each cut in the middle of the
    widest run of blank columns within one height of the even cut point (between characters)."""
    import numpy as np

    height, width = line.shape[:2]
    count = int(np.ceil(width / (ratio * height)))
    ink = (line[:, :, 0] < INK_LEVEL).sum(axis=0)
    cuts = [0]
    for k in range(1, count):
        lo = max(cuts[-1] + height, k * width // count - height)
        hi = min(width - height, k * width // count + height)
        if hi <= lo:
            continue
        best, best_len, run = lo + int(np.argmin(ink[lo:hi])), 0, 0
        for i in range(lo, hi):
            run = run + 1 if ink[i] == 0 else 0
            if run > best_len:
                best, best_len = i - run // 2, run
        cuts.append(best)
    cuts.append(width)
    return [line[:, a:b] for a, b in zip(cuts, cuts[1:]) if b - a > 2]


def add_marks(first: str, second: str) -> str:
    """``first`` with the punctuation marks that only ``second`` has, where ``second`` has them
    (everything else of ``first`` kept)."""
    import difflib

    if first == second:
        return first
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        out.append(first[i1:i2])
        if op == "insert" and all(ch in _MARKS for ch in second[j1:j2]):
            out.append(second[j1:j2])
    return "".join(out)


# ---------------------------------------------------------------- straightening and rules

def _skew(gray: Any) -> float:
    """The angle (degrees, counter-clockwise) that makes the rows of text horizontal: the one whose
    row profile of ink is sharpest (text rows and the white between them)."""
    import numpy as np
    from PIL import Image

    small = gray.resize((SKEW_SAMPLE_PX, max(1, round(gray.height * SKEW_SAMPLE_PX / gray.width))),
                        Image.Resampling.BILINEAR) if gray.width > SKEW_SAMPLE_PX else gray
    ink = small.point(lambda v: 255 if v < INK_LEVEL else 0)
    best, best_score = 0.0, -1.0
    steps = round(SKEW_MAX_DEG / SKEW_STEP_DEG)
    for k in range(-steps, steps + 1):
        angle = k * SKEW_STEP_DEG
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def _rules(pixels: Any, dpi: float) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Long thin runs of ink, horizontal and vertical, as segments in pixels."""
    import cv2
    import numpy as np

    ink = (pixels < INK_LEVEL).astype(np.uint8)
    length = max(8, round(RULE_MIN_IN * dpi))
    thick = max(2, round(RULE_MAX_THICK_IN * dpi))
    out: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        for x, y, w, h, _area in stats[1:count]:
            if horizontal and w >= length and h <= thick * 3:
                out.append(((float(x), y + h / 2), (float(x + w), y + h / 2)))
            elif not horizontal and h >= length and w <= thick * 3:
                out.append(((x + w / 2, float(y)), (x + w / 2, float(y + h))))
    return out


# ---------------------------------------------------------------- recognised lines -> characters

def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass
class _Box:
    """One recognised piece of text: its axis-aligned box in pixels (y down)."""

    text: str
    left: float
    right: float
    top: float
    bottom: float
    baseline: float = 0.0  # pixels, set per row
    size: float = 0.0


def _boxes(found: Any) -> list[_Box]:
    out = []
    for quad, text, _score in found or ():
        text = "".join(ch for ch in clean(text) if not ch.isspace() or ch == " ").strip()
        if not text:
            continue
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        out.append(_Box(text, min(xs), max(xs), min(ys), max(ys)))
    return out


def _vertical(box: _Box) -> bool:
    """A tall box of several characters: a column of text (numbers stacked in a 序号 column that the
    detector took as one box, or text set vertically) — read top to bottom."""
    return len(box.text) > 1 and box.bottom - box.top > VERTICAL_RATIO * (box.right - box.left)


def _snap_rows(boxes: list[_Box]) -> None:
    """Give the boxes of one text row one baseline and size: the detector's boxes of one row differ
    by a few pixels (a box ending in ）or 。 sits lower), which would split the row in two."""
    rows: list[list[_Box]] = []
    for box in sorted((b for b in boxes if not _vertical(b)), key=lambda b: (b.top + b.bottom) / 2):
        mid, height = (box.top + box.bottom) / 2, box.bottom - box.top
        if rows:
            row = rows[-1]
            rmid = sum((b.top + b.bottom) / 2 for b in row) / len(row)
            rheight = min(b.bottom - b.top for b in row)
            if abs(mid - rmid) <= ROW_SNAP_SHARE * min(height, rheight):
                row.append(box)
                continue
        rows.append([box])
    for row in rows:
        sizes = sorted(_size(b) for b in row)
        size = sizes[len(sizes) // 2]
        mids = sorted((b.top + b.bottom) / 2 for b in row)
        baseline = mids[len(mids) // 2] + BASELINE_EM * size
        for b in row:
            b.size, b.baseline = size, baseline


def _size(box: _Box) -> float:
    """The font size of a box: from its height, but no more than its character pitch (a box of a
    few characters such as 局） is often drawn taller than its row)."""
    units = sum(1.0 if _wide(ch) else NARROW_EM for ch in box.text)
    return min((box.bottom - box.top) / BOX_HEIGHT_EM, (box.right - box.left) / units)


def _box_chars(box: _Box, scale: float, height_pt: float) -> list[Char]:
    """Characters spread over a box, in points (y up).  Along a row each takes its share of the
    width by its nominal width (CJK 1, Latin 0.5) and is at most one font size wide, so a box of
    letter-spaced text keeps its gaps as a PDF of it would; a vertical box stacks them."""
    units = [1.0 if _wide(ch) else NARROW_EM for ch in box.text]
    out = []
    if _vertical(box):
        step = (box.bottom - box.top) / len(box.text)
        size = min(step, box.right - box.left) / BOX_HEIGHT_EM
        for i, (ch, u) in enumerate(zip(box.text, units)):
            if ch.isspace():
                continue
            mid = box.top + (i + 0.5) * step
            x0 = (box.left + box.right - u * size) / 2
            out.append(Char(ch, x0 * scale, (x0 + u * size) * scale, height_pt - (mid + BASELINE_EM * size) * scale,
                            size * scale, False))
        return out
    step = (box.right - box.left) / sum(units)
    size = min(box.size, step * MAX_STEP_EM)
    baseline = height_pt - box.baseline * scale
    x = box.left
    for ch, u in zip(box.text, units):
        if not ch.isspace():
            out.append(Char(ch, x * scale, (x + u * min(size, step)) * scale, baseline, size * scale, False))
        x += u * step
    return out


# ---------------------------------------------------------------- clean-up of recognised text

_CJK = r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]"
_HALF_OPEN = re.compile(rf"\((?=[^()]{{0,40}}{_CJK})|(?<={_CJK})\(")
_HALF_CLOSE = re.compile(rf"(?<={_CJK})\)|\)(?={_CJK})")
_HALF_COLON = re.compile(rf"(?<={_CJK}):")
_HALF_SEMI = re.compile(rf"(?<={_CJK});")
_HALF_COMMA = re.compile(rf"(?<={_CJK}),(?={_CJK})")
# 文号: 济政发[2021]1号, 济政发(2021)1号, 济政发【2021】1号 -> 济政发〔2021〕1号
_LONE_BRACKET = re.compile(rf"(?<={_CJK})[\[\]](?=[{_CJK[1:-1]}\d])")
_PAGE_NUMBER_DASHES = re.compile(r"^[一—–\-－]\s?(\d{1,4})\s?[一—–\-－]$")  # — 2 — read as 一2一
_DOC_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])[\[\(（【［〔]\s?((?:19|20)\d{2})\s?[\]\)）】］〕]\s?(?=\d{1,4}\s?号)")


def clean(text: str) -> str:
    """Light, genre-aware clean-up of one recognised line."""
    if ("[" in text) != ("]" in text):  # a lone bracket the recogniser adds after 引 (引[才, 引[5000)
        text = _LONE_BRACKET.sub("", text)
    text = _PAGE_NUMBER_DASHES.sub(r"—\1—", text)
    text = _DOC_NUMBER.sub(r"〔\1〕", text)
    text = _HALF_OPEN.sub("（", text)
    text = _HALF_CLOSE.sub("）", text)
    text = _HALF_COLON.sub("：", text)
    text = _HALF_SEMI.sub("；", text)
    return _HALF_COMMA.sub("，", text)



# ---------------------------------------------------------------- PDF pages

def pdf_pages(pdf: Any, pages: list[Page], path: str | None) -> bool:
    """Recognise, in place, the pages of an open pypdfium2 document that need it under the current
    mode (``auto``: pages without text but with something drawn, and pages whose text is
    unreadable; ``always``: every page).  True when every page was recognised (no bold is known)."""
    how = mode()
    if how == "never":
        return False
    targets = [i for i, p in enumerate(pages)
               if how == "always" or p.unreadable or (p.empty and (p.has_image or p.has_drawing))]
    if not targets:
        return False
    if not available():
        if len(targets) == len(pages):
            raise missing(path, "scanned PDF: no text layer")
        return False  # the other pages still convert; the needs_ocr warning names the rest
    for done, i in enumerate(targets):
        page = pdf[i]
        try:
            image = page.render(scale=RENDER_DPI / 72).to_pil()
        finally:
            page.close()
        pages[i] = recognise(image, i + 1, RENDER_DPI, path)
        if progress is not None:
            progress(done + 1, len(targets), path)
    return len(targets) == len(pages)
