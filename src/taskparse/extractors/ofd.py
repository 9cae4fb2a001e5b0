"""OFD (GB/T 33190, the national fixed-layout format): a zip of XML read with lxml, laid out by the
same pipeline as PDF text (_layout.py).

``OFD.xml`` -> ``DocBody/DocRoot`` (Document.xml) -> ``Pages/Page`` in order -> each page's
``Content/Layer`` objects (and those of its page templates) -> ``TextObject``/``TextCode`` with
``X``, ``Y``, ``DeltaX``/``DeltaY`` (``g N v`` repeats), ``CTM`` and ``Boundary`` -> characters
with boxes; ``PathObject`` strokes -> table rules.  Fonts come from the resource files
(PublicRes.xml, DocumentRes.xml, PageRes): a 黑体/Bold font name, ``Bold="true"``, a ``Weight`` of
600 or more, or text filled and stroked counts as bold.  Signatures, annotations and attachments
are ignored; so are images, except on a page that has nothing else (a scanned page): with the OCR
extra its images (``ImageObject`` -> ``MultiMedia``/``MediaFile``) are put on a white page at their
places and recognised (ocr.py).  What the file gives is charged to the per-file Budget as it is
read.  OFD units are millimetres with y downwards; the layout works in points with y upwards, as
PDF does.
"""
from __future__ import annotations

import io
import math
import posixpath
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..document import Document
from ..errors import CorruptFile, EmptyDocument, NeedsOCR, TooLarge, UnsupportedFormat
from ..limits import MAX_PDF_PAGES
from . import ocr
from ._common import Budget
from ._layout import Char, Page, add_rule, assemble, bold_font, merge_rules, number_items, ruled_tables, visual_lines
from ._zip import Kind, ZipPackage

__all__ = ["extract"]

PT_PER_MM = 72 / 25.4
MAX_OBJECT_DEPTH = 32  # nested PageBlock/CompositeObject levels read
MAX_CHARS_PER_PAGE = 200_000  # characters taken from one page (more is not a notice page)
MAX_PATH_COMMANDS = 20_000  # path operators read per page for table rules
BOLD_WEIGHT = 600  # TextObject Weight at or above this is bold
WIDE_ADVANCE_EM = 1.0  # box width of a CJK (wide) character, in font sizes
NARROW_ADVANCE_EM = 0.5  # ...and of a Latin letter or digit
STACK_BASELINE_EM = 0.25  # text objects whose baselines differ less than this share a line (see _unstack)
STACK_TOLERANCE_EM = 0.5  # ...and one that starts this far inside the previous one is drawn over it
RELAY_FIT = (0.7, 1.4)  # a stacked line is fitted to its box when that scales its advances by this much at most
DEFAULT_PAGE_MM = (210.0, 297.0)  # A4, when neither the page nor the document gives a PhysicalBox
MAX_IMAGES_PER_PAGE = 64  # images put on one scanned page for recognition (a scan has one, or one per strip)
CORRUPT_HINT = "download the file again or re-save it from the original program"
OFD = Kind("OFD", CORRUPT_HINT, "save a copy without protection", "an OFD writer", ratio_min_bytes=1024 * 1024)

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class _Font:
    name: str
    bold: bool


@dataclass
class _Run:
    """The characters of one TextObject, in page millimetres (y down), before conversion."""

    chars: list[tuple[str, float, float, float]] = field(default_factory=list)  # (ch, x, baseline y, advance)
    size: float = 0.0
    bold: bool = False
    right: float | None = None  # right edge of the object's Boundary, when it has one


def extract(data: bytes, path: str | None = None) -> Document:
    """Read an OFD file into a Document of paragraph Lines and Tables (page and line of each
    paragraph's first visual line)."""
    from lxml import etree

    package = _Package(data, path, etree)
    budget = Budget(path, len(data))
    doc_path = package.doc_root()
    doc = package.xml(doc_path)
    base = posixpath.dirname(doc_path)
    fonts = package.fonts(doc, base)
    default_box = _box(_first(doc, "CommonData", "PageArea", "PhysicalBox")) or (0.0, 0.0, *DEFAULT_PAGE_MM)
    templates = {t.get("ID"): package.resolve(base, t.get("BaseLoc"))
                 for t in _children(_first(doc, "CommonData"), "TemplatePage")}
    page_refs = [package.resolve(base, p.get("BaseLoc")) for p in _children(_first(doc, "Pages"), "Page")]
    if len(page_refs) > MAX_PDF_PAGES:
        raise TooLarge(f"{len(page_refs)} pages, over the {MAX_PDF_PAGES}-page limit", path,
                       "split the document or extract the pages with the task list")
    pages = [_read_page(package, ref, number, fonts, templates, default_box, budget)
             for number, ref in enumerate(page_refs, 1)]
    recognised = _recognise_scans(package, pages, path, budget)
    if not any(p.lines or p.tables for p in pages):
        if any(p.has_image for p in pages):
            if ocr.mode() != "never" and not ocr.available():
                raise ocr.missing(path, "scanned OFD: its pages are images without text")
            raise NeedsOCR("scanned OFD: its pages are images without text", path, "run again with --ocr auto")
        raise EmptyDocument("the OFD has no text on its pages", path, "check that this is the right file")
    scans = [p.number for p in pages if p.empty and p.has_image]
    warnings: list[tuple[str, str, int | None, int | None]] = []
    if scans:
        shown = ", ".join(str(n) for n in scans[:20]) + (", ..." if len(scans) > 20 else "")
        warnings.append(("needs_ocr", f"page{'s' if len(scans) > 1 else ''} {shown} "
                                      f"{'have' if len(scans) > 1 else 'has'} no text layer", None, scans[0]))
    # bold is known from the fonts of text pages; recognised pages have none
    return Document(blocks=assemble(pages), format="ofd", path=path, has_bold=recognised < len(pages),
                    warnings=warnings)


def _recognise_scans(package: "_Package", pages: list[Page], path: str | None, budget: Budget) -> int:
    """Recognise, in place, the pages that are only images (scans), when the OCR mode allows it and
    the extra is installed: the page's images are drawn on a white page at their places, at the
    resolution PDF pages are rendered at, and that picture is recognised.  Returns how many pages
    were recognised."""
    targets = [i for i, p in enumerate(pages) if isinstance(p, _ScanPage) and p.empty and p.images]
    if not targets or ocr.mode() == "never" or not ocr.available():
        return 0
    done = 0
    for n, i in enumerate(targets, 1):
        page = pages[i]
        assert isinstance(page, _ScanPage)
        picture = _compose(package, page, path)
        if picture is not None:
            image, dpi = picture
            pages[i] = ocr.recognise(image, page.number, dpi, path, budget)
            done += 1
        if ocr.progress is not None:
            ocr.progress(n, len(targets), path)
    return done


def _compose(package: "_Package", page: "_ScanPage", path: str | None) -> tuple[Any, float] | None:
    """The page's images drawn on a white page (greyscale, PIL) and its resolution, or None when
    none of its images can be found in the package."""
    from PIL import Image, UnidentifiedImageError

    x0, y0, w_mm, h_mm = page.box
    area_in = (w_mm / 25.4) * (h_mm / 25.4)
    dpi = min(float(ocr.RENDER_DPI), math.sqrt(ocr.MAX_IMAGE_PIXELS / area_in) if area_in > 0 else 0.0)
    width, height = round(w_mm / 25.4 * dpi), round(h_mm / 25.4 * dpi)
    if width < 1 or height < 1:
        return None
    canvas = None
    for member, m in page.images[:MAX_IMAGES_PER_PAGE]:
        if member is None or not package.has(member):
            continue
        try:
            stored = Image.open(io.BytesIO(package.inflate(package.names[member])))  # reads the header only
            if stored.width * stored.height > ocr.MAX_IMAGE_PIXELS:
                raise TooLarge(f"an image of {stored.width}x{stored.height} on page {page.number}, too large to "
                               f"recognise", path, "scan at 300 dpi or less")
            image = stored.convert("L")
        except Image.DecompressionBombError as exc:
            raise TooLarge(f"an image on page {page.number} is too large to recognise ({exc})", path,
                           "scan at 300 dpi or less") from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptFile(f"a damaged image on page {page.number} ({str(exc)[:120]})", path,
                              CORRUPT_HINT) from None
        corners = [_apply(m, u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))]
        left = (min(c[0] for c in corners) - x0) / 25.4 * dpi
        top = (min(c[1] for c in corners) - y0) / 25.4 * dpi
        right = (max(c[0] for c in corners) - x0) / 25.4 * dpi
        bottom = (max(c[1] for c in corners) - y0) / 25.4 * dpi
        # only the part on the page is drawn (and never more pixels than the page has)
        w, h = round(min(right, width) - max(left, 0)), round(min(bottom, height) - max(top, 0))
        if w < 1 or h < 1 or right - left < 1 or bottom - top < 1:
            continue
        if m[0] < 0:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if m[3] < 0:
            image = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        sx, sy = image.width / (right - left), image.height / (bottom - top)
        crop = (max(0.0, -left) * sx, max(0.0, -top) * sy, (min(right, width) - left) * sx,
                (min(bottom, height) - top) * sy)
        image = image.resize((w, h), Image.Resampling.LANCZOS, box=crop)
        if canvas is None:
            canvas = Image.new("L", (width, height), 255)
        canvas.paste(image, (round(max(left, 0)), round(max(top, 0))))
    return (canvas, dpi) if canvas is not None else None


# ---------------------------------------------------------------- package and safe XML

class _Package(ZipPackage):
    def __init__(self, data: bytes, path: str | None, etree: Any):
        super().__init__(data, path, etree, OFD)
        self.names = {m.lstrip("/"): m for m in self.members}  # part name -> member as stored
        self.cache: dict[str, Any] = {}
        self.media: dict[str, str] = {}  # MultiMedia ID -> part name, from the document's resource files

    def resolve(self, base: str, loc: str | None) -> str:
        """A part name from a location: absolute from the package root when it starts with /,
        else relative to ``base`` (the folder of the file that names it)."""
        if not loc:
            raise CorruptFile("a page or resource without BaseLoc", self.path, CORRUPT_HINT)
        loc = loc.replace("\\", "/")
        name = posixpath.normpath(loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc))
        if name not in self.names and loc.lstrip("/") in self.names:
            name = loc.lstrip("/")  # some writers give package-root paths without the leading /
        return name.lstrip("/")

    def has(self, name: str) -> bool:
        return name in self.names

    def xml(self, name: str) -> Any:
        if name not in self.cache:
            if name not in self.names:
                raise CorruptFile(f"the OFD names {name}, which is missing", self.path, CORRUPT_HINT)
            self.cache[name] = self.member_xml(self.names[name], name)
        return self.cache[name]

    def doc_root(self) -> str:
        if "OFD.xml" not in self.names:
            raise UnsupportedFormat("a zip archive without OFD.xml", self.path, "unpack it and run on the files inside")
        root = self.xml("OFD.xml")
        loc = _text(_first(root, "DocBody", "DocRoot"))
        if not loc:
            raise CorruptFile("OFD.xml names no document (DocBody/DocRoot)", self.path, CORRUPT_HINT)
        return self.resolve("", loc)

    def fonts(self, doc: Any, base: str) -> dict[str, _Font]:
        """Fonts by ID from every resource file the document names (and its images, in ``media``)."""
        out: dict[str, _Font] = {}
        common = _first(doc, "CommonData")
        for tag in ("PublicRes", "DocumentRes"):
            for el in _children(common, tag):
                name = self.resolve(base, _text(el))
                if self.has(name):
                    out.update(_fonts_of(self.xml(name)))
                    self.media.update(self.media_of(name))
        return out

    def media_of(self, res_name: str) -> dict[str, str]:
        """Image files by MultiMedia ID in one resource file: MediaFile is relative to the folder the
        Res element's BaseLoc names (relative to the resource file's own folder)."""
        res = self.xml(res_name)
        folder = posixpath.dirname(res_name)
        if res.get("BaseLoc"):
            folder = self.resolve(folder, res.get("BaseLoc"))
        out = {}
        for group in _children(res, "MultiMedias"):
            for mm in _children(group, "MultiMedia"):
                loc = _text(_first(mm, "MediaFile"))
                if loc:
                    out[mm.get("ID", "")] = self.resolve(folder, loc)
        return out


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Child elements by local name: writers use the standard namespace, others, or none."""
    if el is None:
        return
    for child in el:
        if _local(child.tag) == tag:
            yield child


def _first(el: Any, *tags: str) -> Any:
    for tag in tags:
        el = next(_children(el, tag), None)
        if el is None:
            return None
    return el


def _text(el: Any) -> str:
    return (el.text or "").strip() if el is not None else ""


def _floats(value: str | None) -> list[float]:
    out = []
    for tok in (value or "").replace(",", " ").split():
        try:
            v = float(tok)
        except ValueError:
            continue
        if math.isfinite(v):
            out.append(v)
    return out


def _box(el: Any) -> tuple[float, float, float, float] | None:
    v = _floats(_text(el)) if el is not None else []
    return (v[0], v[1], v[2], v[3]) if len(v) == 4 and v[2] > 0 and v[3] > 0 else None


def _fonts_of(res: Any) -> dict[str, _Font]:
    out = {}
    for fonts in _children(res, "Fonts"):
        for f in _children(fonts, "Font"):
            name = f.get("FontName") or f.get("FamilyName") or ""
            out[f.get("ID", "")] = _Font(name, bold_font(name) or f.get("Bold") == "true")
    return out


# ---------------------------------------------------------------- pages

@dataclass
class _ScanPage(Page):
    """A page as read, with what a scanned page needs for recognition: its box (mm) and its images
    (part name, unit square -> page mm)."""

    box: tuple[float, float, float, float] = (0.0, 0.0, *DEFAULT_PAGE_MM)
    images: list[tuple[str | None, Matrix]] = field(default_factory=list)


def _read_page(package: _Package, ref: str, number: int, fonts: dict[str, _Font], templates: dict[str | None, str],
               default_box: tuple[float, float, float, float], budget: Budget) -> Page:
    root = package.xml(ref)
    base = posixpath.dirname(ref)
    fonts = dict(fonts)
    media = dict(package.media)
    for res in _children(root, "PageRes"):
        name = package.resolve(base, _text(res))
        if package.has(name):
            fonts.update(_fonts_of(package.xml(name)))
            media.update(package.media_of(name))
    box = _box(_first(root, "Area", "PhysicalBox")) or default_box
    layers: list[Any] = []
    for tpl in _children(root, "Template"):  # page templates: running heads, rules, page frames
        tref = templates.get(tpl.get("TemplateID"))
        if tref and package.has(tref):
            layers += list(_children(_first(package.xml(tref), "Content"), "Layer"))
    layers += list(_children(_first(root, "Content"), "Layer"))
    reader = _ObjectReader(fonts, budget)
    for layer in layers:
        reader.objects(layer, IDENTITY, 0)
    result = _ScanPage(number=number, height=box[3] * PT_PER_MM, box=box)
    chars = _to_chars(reader.runs, box)
    if not chars:
        result.empty = True
        result.has_image = reader.images > 0
        result.images = [(media.get(rid), m) for rid, m in reader.placed]
        return result
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    for p, q in reader.segments:
        add_rule(_pt(p, box), _pt(q, box), hs, vs)
    tables, chars, result.hrules = ruled_tables(chars, merge_rules(hs), merge_rules(vs), number)
    result.lines = visual_lines(chars, number, result.height)
    result.tables = tables
    number_items(result)
    return result


def _pt(p: tuple[float, float], box: tuple[float, float, float, float]) -> tuple[float, float]:
    """Page millimetres (y down, from the PhysicalBox origin) -> points (y up)."""
    return (p[0] - box[0]) * PT_PER_MM, (box[3] - (p[1] - box[1])) * PT_PER_MM


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (row vectors: [x y 1] · m · n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _matrix(value: str | None) -> Matrix:
    v = _floats(value)
    return (v[0], v[1], v[2], v[3], v[4], v[5]) if len(v) == 6 else IDENTITY


class _ObjectReader:
    """Walks a layer's objects, collecting text runs, stroke segments and a count of images."""

    def __init__(self, fonts: dict[str, _Font], budget: Budget):
        self.fonts = fonts
        self.budget = budget
        self.runs: list[_Run] = []
        self.segments: list[tuple[tuple[float, float], tuple[float, float]]] = []
        self.images = 0
        self.placed: list[tuple[str, Matrix]] = []  # ImageObjects: resource ID, unit square -> page mm
        self.char_budget = MAX_CHARS_PER_PAGE
        self.path_budget = MAX_PATH_COMMANDS

    def objects(self, parent: Any, outer: Matrix, depth: int) -> None:
        if depth > MAX_OBJECT_DEPTH:
            return
        for el in parent:
            kind = _local(el.tag)
            if kind == "TextObject":
                self.text(el, outer)
            elif kind == "PathObject":
                self.path(el, outer)
            elif kind == "ImageObject":
                self.images += 1
                if len(self.placed) < MAX_IMAGES_PER_PAGE:
                    self.placed.append((el.get("ResourceID", ""), self._placement(el, outer)))
            elif kind == "PageBlock":
                self.objects(el, outer, depth + 1)
            elif kind == "CompositeObject":
                self.images += 1  # a reusable drawing (a seal, a logo); its text is not the notice's

    def _placement(self, el: Any, outer: Matrix) -> Matrix:
        """Object space -> page millimetres: CTM, then the Boundary's origin, then any enclosing block."""
        bx, by = (_floats(el.get("Boundary")) + [0.0, 0.0])[:2]
        return _mul(_mul(_matrix(el.get("CTM")), (1.0, 0.0, 0.0, 1.0, bx, by)), outer)

    def text(self, el: Any, outer: Matrix) -> None:
        if self.char_budget <= 0:
            return
        m = self._placement(el, outer)
        font = self.fonts.get(el.get("Font", ""), _Font("", False))
        size = (_floats(el.get("Size") or el.get("size")) or [0.0])[0]
        if size <= 0:  # Size is required; a writer that leaves it out still gives the Boundary height
            size = ((_floats(el.get("Boundary")) + [0.0] * 4)[3]) or 3.5
        weight = (_floats(el.get("Weight")) or [400.0])[0]
        stroked = el.get("Stroke") == "true" and el.get("Fill", "true") != "false"
        run = _Run(size=size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])) or size,
                   bold=font.bold or weight >= BOLD_WEIGHT or stroked)
        bound = _floats(el.get("Boundary"))
        if len(bound) == 4 and bound[2] > 0:
            run.right = _apply(outer, bound[0] + bound[2], bound[1])[0]
        x = y = 0.0
        for code in _children(el, "TextCode"):
            text = code.text or ""
            if not text:
                continue
            self.budget.text(len(text))  # before the characters are made
            x = _num(code.get("X"), x)
            y = _num(code.get("Y"), y)
            dx = _deltas(code.get("DeltaX"), len(text) - 1)
            dy = _deltas(code.get("DeltaY"), len(text) - 1)
            for i, ch in enumerate(text):
                advance = dx[i] if i < len(dx) else _advance(ch, size)
                px, py = _apply(m, x, y)
                run.chars.append((ch, px, py, advance * (m[0] if m[0] > 0 else 1.0)))
                x += advance
                if i < len(dy):
                    y += dy[i]
            self.char_budget -= len(text)
        if run.chars:
            self.runs.append(run)

    def path(self, el: Any, outer: Matrix) -> None:
        if el.get("Stroke") == "false" and el.get("Fill") != "true":
            return
        m = self._placement(el, outer)
        data = _first(el, "AbbreviatedData")
        tokens = _text(data).split()
        self.path_budget -= len(tokens)
        if self.path_budget < 0:
            return
        start = cur = None
        i = 0
        arity = {"M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "Z": 0, "C": 0, "S": 2}
        while i < len(tokens):
            op = tokens[i]
            n = arity.get(op)
            if n is None:
                i += 1
                continue
            v = _floats(" ".join(tokens[i + 1:i + 1 + n]))
            i += 1 + n
            if len(v) < n:
                break
            if op in ("M", "S"):
                start = cur = _apply(m, v[0], v[1])
            elif op == "L" and cur is not None:
                nxt = _apply(m, v[0], v[1])
                self.segments.append((cur, nxt))
                cur = nxt
            elif op == "Z" and cur is not None and start is not None:
                self.segments.append((cur, start))
                cur = start
            elif n:
                cur = _apply(m, v[-2], v[-1])  # curves and arcs end somewhere; they are not rules


def _num(value: str | None, default: float) -> float:
    v = _floats(value)
    return v[0] if v else default


def _deltas(value: str | None, need: int) -> list[float]:
    """DeltaX/DeltaY values with ``g N v`` (N times v) expanded, at most ``need`` of them."""
    out: list[float] = []
    toks = (value or "").split()
    i = 0
    while i < len(toks) and len(out) < need:
        if toks[i] == "g" and i + 2 < len(toks):
            n, v = _floats(toks[i + 1]), _floats(toks[i + 2])
            if n and v:
                out += [v[0]] * max(0, min(int(n[0]), need - len(out)))
            i += 3
            continue
        v = _floats(toks[i])
        if v:
            out.append(v[0])
        i += 1
    if out and len(out) < need:  # too few values: the last spacing goes on
        out += [out[-1]] * (need - len(out))
    return out


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _advance(ch: str, size: float) -> float:
    return size * (WIDE_ADVANCE_EM if _wide(ch) else NARROW_ADVANCE_EM)


def _to_chars(runs: list[_Run], box: tuple[float, float, float, float]) -> list[Char]:
    """Runs -> layout characters in points, y up; a character's box is its nominal width, or its
    advance when that is narrower (the spacing of justified text stays a gap, as PDF's loose boxes
    give it)."""
    _unstack(runs)
    out: list[Char] = []
    for run in runs:
        size = run.size * PT_PER_MM
        for ch, x, y, advance in run.chars:
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            px, py = _pt((x, y), box)
            width = min(_advance(ch, size), advance * PT_PER_MM) if advance > 0 else _advance(ch, size)
            out.append(Char(ch, px, px + width, py, size, run.bold))
    return out


def _unstack(runs: list[_Run]) -> None:
    """Text objects of one line drawn over each other (a writer that puts every span of a line at
    the line's start, each spread over the whole width) are laid end to end in the order they
    come: drawn as written they would be unreadable.  A copy of the same text a hair off (fake bold) is left alone."""
    group: list[_Run] = []
    start = end = 0.0  # the extent the runs of the group were drawn across
    for run in runs:
        if not run.chars:
            continue
        r0 = run.chars[0][1]
        r1 = max(run.chars[-1][1] + _advance(run.chars[-1][0], run.size), run.right or 0.0)
        prev = group[-1] if group else None
        tol = STACK_TOLERANCE_EM * run.size
        if prev is not None and abs(prev.chars[0][2] - run.chars[0][2]) <= STACK_BASELINE_EM * run.size \
                and start - tol <= r0 < end - tol and _plain(run) != _plain(prev):
            group.append(run)
            end = max(end, r1)
            continue
        _relay(group, start, end)
        group, start, end = [run], r0, r1
    _relay(group, start, end)


def _plain(run: _Run) -> str:
    return "".join(c[0] for c in run.chars)


def _relay(group: list[_Run], start: float, end: float) -> None:
    """Lay a stacked group end to end from its start, at nominal advances scaled to fill the width
    the group was drawn across (the line's box) when that is close: the real advances are lost,
    and a cell's text must not run into the next column."""
    if len(group) < 2:
        return
    natural = sum(_advance(ch, run.size) for run in group for ch, *_ in run.chars)
    factor = (end - start) / natural if natural > 0 else 1.0
    if not RELAY_FIT[0] <= factor <= RELAY_FIT[1]:
        factor = 1.0
    x = start
    for run in group:
        placed = []
        for ch, _, y, _adv in run.chars:
            w = _advance(ch, run.size) * factor
            placed.append((ch, x, y, w))
            x += w
        run.chars = placed
