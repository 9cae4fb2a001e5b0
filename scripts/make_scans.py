"""Scanned versions of sample PDFs, for measuring OCR (and a few small test fixtures).

Each page is rendered with pypdfium2 and degraded the way a desk scanner or a fax does it, then
saved without any text layer: an image-only PDF, a multi-page TIFF, or one JPEG per page.

    python scripts/make_scans.py OUTDIR [PDF ...]          # default: the paragraph and table seeds
    python scripts/make_scans.py OUTDIR --styles plain150,skew300
    python scripts/make_scans.py --fixtures     # the small committed scans in tests/fixtures/scan/

Styles (name: resolution, rotation, blur, container):
    plain150  150 dpi, straight, no blur, image-only PDF
    skew300   300 dpi, rotated 1.0 degree, Gaussian blur 1.0 px, image-only PDF
    skew150   150 dpi, rotated -0.8 degree, blur 0.6 px, JPEG-compressed pages in a PDF
    tiff200   200 dpi, rotated 0.5 degree, grey, multi-page TIFF (deflate)
    jpg150    150 dpi, straight, blur 0.5 px, one JPEG per page (NAME_pN.jpg)
    fax200    200 dpi, rotated 0.5 degree, black and white (threshold), multi-page TIFF (CCITT G4)

Deterministic: the same input gives the same files (no randomness, fixed encoder settings).
Needs pypdfium2 and Pillow (both installed with taskparse).
"""
from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ["000_2795aed58e8eed1f", "001_c7910ee8fea0e822", "002_ce67ead115768d45", "003_605f38698d05405f",
         "004_4ed748fdf1ac17b6", "002_ce67ead115768d45_table", "004_4ed748fdf1ac17b6_table"]


@dataclass(frozen=True)
class Style:
    dpi: int
    angle: float  # degrees, counter-clockwise
    blur: float  # Gaussian radius in pixels
    container: str  # pdf, jpegpdf, tiff, jpg


STYLES = {
    "plain150": Style(150, 0.0, 0.0, "pdf"),
    "skew300": Style(300, 1.0, 1.0, "pdf"),
    "skew150": Style(150, -0.8, 0.6, "jpegpdf"),
    "tiff200": Style(200, 0.5, 0.0, "tiff"),
    "jpg150": Style(150, 0.0, 0.5, "jpg"),
    "fax200": Style(200, 0.5, 0.0, "g4tiff"),
}
FIXED_DATES = {"creationDate": time.strptime("2024-01-05", "%Y-%m-%d"),  # the same bytes every run
               "modDate": time.strptime("2024-01-05", "%Y-%m-%d")}
FIXTURE_SOURCE = ROOT / "tests" / "fixtures" / "pdf" / "notice.pdf"
FIXTURES = ROOT / "tests" / "fixtures" / "scan"


def pages(pdf_path: Path, style: Style, first: int = 0, last: int | None = None) -> list:
    """The pages of a PDF as degraded greyscale images."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf = pdfium.PdfDocument(str(pdf_path))
    out = []
    try:
        for i in range(first, min(len(pdf), last if last is not None else len(pdf))):
            img = pdf[i].render(scale=style.dpi / 72, grayscale=True).to_pil().convert("L")
            if style.angle:
                img = img.rotate(style.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
            if style.blur:
                img = img.filter(ImageFilter.GaussianBlur(style.blur))
            out.append(img)
    finally:
        pdf.close()
    return out


def save(images: list, style: Style, dest: Path) -> list[Path]:
    """Write the images in the style's container; returns the files written."""
    from PIL import Image

    dest.parent.mkdir(parents=True, exist_ok=True)
    if style.container == "pdf":
        images[0].save(dest.with_suffix(".pdf"), save_all=True, append_images=images[1:], resolution=style.dpi,
                      **FIXED_DATES)
        return [dest.with_suffix(".pdf")]
    if style.container == "jpegpdf":  # pages re-encoded as JPEG first, as scanners do
        jpegs = []
        for img in images:
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=70)
            jpegs.append(Image.open(io.BytesIO(buf.getvalue())))
        jpegs[0].save(dest.with_suffix(".pdf"), save_all=True, append_images=jpegs[1:], resolution=style.dpi,
                      **FIXED_DATES)
        return [dest.with_suffix(".pdf")]
    if style.container == "g4tiff":  # black and white, as fax machines and cheap scanners send
        bw = [img.point(lambda v: 255 if v > 150 else 0).convert("1") for img in images]
        bw[0].save(dest.with_suffix(".tif"), save_all=True, append_images=bw[1:], compression="group4",
                   dpi=(style.dpi, style.dpi))
        return [dest.with_suffix(".tif")]
    if style.container == "tiff":
        images[0].save(dest.with_suffix(".tif"), save_all=True, append_images=images[1:], compression="tiff_deflate",
                       dpi=(style.dpi, style.dpi))
        return [dest.with_suffix(".tif")]
    written = []
    for n, img in enumerate(images, 1):
        name = dest.with_name(f"{dest.name}_p{n}.jpg")
        img.save(name, "JPEG", quality=80, dpi=(style.dpi, style.dpi))
        written.append(name)
    return written


def make_fixtures() -> None:
    """tests/fixtures/scan/: tests/fixtures/pdf/notice.pdf (two pages, hand-checked lines) scanned
    three ways — each file well under 300 KB."""
    for style_name, name, first, last in (("skew150", "notice_scan", 0, None), ("fax200", "notice_fax", 0, None),
                                          ("jpg150", "notice_page2", 1, 2)):
        style = STYLES[style_name]
        for f in save(pages(FIXTURE_SOURCE, style, first, last), style, FIXTURES / name):
            if f.name.endswith("_p1.jpg"):  # one page: no page suffix
                f = f.replace(f.with_name(f.name[:-len("_p1.jpg")] + ".jpg"))
            print(f, f.stat().st_size, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", type=Path, nargs="?")
    ap.add_argument("--fixtures", action="store_true", help="write the committed test scans instead")
    ap.add_argument("pdfs", nargs="*", type=Path, help="PDFs to scan (default: the seed samples)")
    ap.add_argument("--styles", default="plain150,skew300", help="comma-separated: " + ", ".join(STYLES))
    ap.add_argument("--pages", default=None, help="FIRST:LAST page range, 0-based, LAST exclusive (e.g. 0:2)")
    args = ap.parse_args(argv)
    if args.fixtures:
        make_fixtures()
        return 0
    if args.outdir is None:
        ap.error("give OUTDIR (or --fixtures)")
    pdfs = args.pdfs or [ROOT / "samples" / f"{s}.pdf" for s in SEEDS]
    first, last = 0, None
    if args.pages:
        a, _, b = args.pages.partition(":")
        first, last = int(a or 0), (int(b) if b else None)
    for name in args.styles.split(","):
        style = STYLES[name]
        for pdf in pdfs:
            for f in save(pages(pdf, style, first, last), style, args.outdir / f"{pdf.stem}_{name}"):
                print(f, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
