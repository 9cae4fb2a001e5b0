"""OFD files for testing and measuring the OFD reader.

    python scripts/make_ofd.py --handmade tests/fixtures/ofd/handmade.ofd
        one small OFD written by hand from the structure of GB/T 33190 (committed as a fixture)
    python scripts/make_ofd.py --easyofd OUTDIR [PDF ...]
        the sample PDFs converted by an independent writer, easyofd's PDF->OFD
        (pip install easyofd — a dev-only dependency, never needed by taskparse)
    python scripts/make_ofd.py --scanned OUTDIR [PDF ...]
        scanned OFDs: each page of the PDFs (default: the seed samples) scanned as make_scans.py's
        plain150 style and stored as one JPEG ImageObject covering the page, no text (needs OCR)

The hand-made file exercises what the standard allows and converters vary in: the standard's
namespace, a page template with a running head and a rule, DeltaX with ``g`` repeats, a CTM that
scales a text object, a TextObject of two TextCodes, fonts in
PublicRes.xml (仿宋 and 黑体), ``Weight="700"``, a ruled table drawn as PathObjects with
AbbreviatedData, an annotation and a signature entry (ignored), and two pages.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
SEEDS = ["000_2795aed58e8eed1f", "001_c7910ee8fea0e822", "002_ce67ead115768d45", "003_605f38698d05405f",
         "004_4ed748fdf1ac17b6", "002_ce67ead115768d45_table", "004_4ed748fdf1ac17b6_table"]

OFD_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD {NS} Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo><ofd:DocID>6f1c2a9e0b7d4c1f9e3a5b7c9d1e3f50</ofd:DocID><ofd:Title>重点工作任务分解</ofd:Title>
      <ofd:CreationDate>2024-01-05</ofd:CreationDate></ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>
    <ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>
  </ofd:DocBody>
</ofd:OFD>
"""

DOCUMENT_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document {NS}>
  <ofd:CommonData>
    <ofd:MaxUnitID>99</ofd:MaxUnitID>
    <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
    <ofd:PublicRes>PublicRes.xml</ofd:PublicRes>
    <ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/>
  </ofd:CommonData>
  <ofd:Pages>
    <ofd:Page ID="10" BaseLoc="Pages/Page_0/Content.xml"/>
    <ofd:Page ID="11" BaseLoc="Pages/Page_1/Content.xml"/>
  </ofd:Pages>
  <ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>
</ofd:Document>
"""

PUBLIC_RES = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res {NS} BaseLoc="Res">
  <ofd:Fonts>
    <ofd:Font ID="3" FontName="仿宋_GB2312" FamilyName="仿宋_GB2312"/>
    <ofd:Font ID="4" FontName="黑体" FamilyName="黑体"/>
    <ofd:Font ID="5" FontName="方正小标宋简体" FamilyName="方正小标宋简体"/>
  </ofd:Fonts>
</ofd:Res>
"""

# the template: a running head at the top (repeats on every page: page furniture) and a red rule
TEMPLATE = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page {NS}>
  <ofd:Content>
    <ofd:Layer ID="20" Type="Background">
      <ofd:TextObject ID="21" Boundary="80 8 60 6" Font="3" Size="3.7">
        <ofd:TextCode X="0" Y="4" DeltaX="g 8 3.7">某县人民政府办公室</ofd:TextCode>
      </ofd:TextObject>
    </ofd:Layer>
  </ofd:Content>
</ofd:Page>
"""


def _text(oid: int, x: float, y: float, text: str, font: int = 3, size: float = 5.6, extra: str = "",
          delta: str | None = None) -> str:
    """One TextObject with one TextCode at (x, y) page mm (baseline), characters size apart."""
    n = len(text)
    dx = delta if delta is not None else (f"g {n - 1} {size}" if n > 1 else "")
    dx_attr = f' DeltaX="{dx}"' if dx else ""
    return (f'      <ofd:TextObject ID="{oid}" Boundary="{x} {y - size} {n * size + 2} {size * 1.5}" Font="{font}" '
            f'Size="{size}"{extra}>\n'
            f'        <ofd:TextCode X="0" Y="{size}"{dx_attr}>{text}</ofd:TextCode>\n'
            f'      </ofd:TextObject>\n')


def _rules(oid: int, xs: list[float], ys: list[float]) -> str:
    """A ruled grid as one PathObject: a horizontal rule at every y and a vertical one at every x."""
    x0, x1, y0, y1 = xs[0], xs[-1], ys[0], ys[-1]
    parts = [f"M {x0 - x0} {y - y0} L {x1 - x0} {y - y0}" for y in ys]
    parts += [f"M {x - x0} 0 L {x - x0} {y1 - y0}" for x in xs]
    return (f'      <ofd:PathObject ID="{oid}" Boundary="{x0} {y0} {x1 - x0 + 1} {y1 - y0 + 1}" LineWidth="0.25">\n'
            f'        <ofd:AbbreviatedData>{" ".join(parts)}</ofd:AbbreviatedData>\n'
            f'      </ofd:PathObject>\n')


def _page(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {NS}>\n  <ofd:Template TemplateID="2" '
            f'ZOrder="Background"/>\n  <ofd:Content>\n    <ofd:Layer ID="30" Type="Body">\n{body}'
            f'    </ofd:Layer>\n  </ofd:Content>\n</ofd:Page>\n')


def handmade_parts() -> dict[str, str]:
    """The parts of the hand-made OFD (name -> XML)."""
    left, step = 26.0, 5.6  # 公文: 28 characters of 三号 (5.6 mm) per 156 mm line
    p0 = ""
    # 文号 with the year in a narrower font run and spacing given per character (no g)
    p0 += _text(40, 78, 40, "某政办发〔2024〕1号", delta="5.6 5.6 5.6 5.6 5.6 2.8 2.8 2.8 2.8 5.6 2.8")
    # the title, set in 方正小标宋 at 二号 (7.7 mm), scaled by a CTM (0.5 of an 15.4 mm em)
    p0 += ('      <ofd:TextObject ID="41" Boundary="40 55 140 12" Font="5" Size="15.4" CTM="0.5 0 0 0.5 0 0">\n'
           '        <ofd:TextCode X="0" Y="15.4" DeltaX="g 14 15.4">关于分解落实重点工作任务的通知</ofd:TextCode>\n'
           '      </ofd:TextObject>\n')
    p0 += _text(42, left, 80, "各乡镇人民政府，县政府各部门：")
    p0 += _text(43, left + 2 * step, 90, "现将重点工作任务分解如下，请认真抓好落实。")
    p0 += _text(44, left + 2 * step, 100, "一、稳定经济增长", font=4)
    # item 1: its first line is two TextCodes of one TextObject
    p0 += ('      <ofd:TextObject ID="45" Boundary="{0} 104.4 160 8" Font="3" Size="5.6">\n'
           '        <ofd:TextCode X="0" Y="5.6" DeltaX="g 6 5.6">1．扩大投资，</ofd:TextCode>\n'
           '        <ofd:TextCode X="39.2" Y="5.6" DeltaX="g 18 5.6">加快重点项目建设。（牵头领导：张三。</ofd:TextCode>\n'
           '      </ofd:TextObject>\n').format(left + 2 * step)
    p0 += _text(46, left, 120, "责任单位：")
    p0 += _text(47, left + 5 * step, 120, "县发展改革局", font=4)  # the lead unit, in 黑体
    p0 += _text(48, left + 11 * step, 120, "、县财政局。黑体为主办单位，其他为")
    p0 += _text(49, left, 130, "协办单位，下同）")
    p0 += _text(50, left + 2 * step, 140, "2．促进消费升级，培育新型消费。（牵头领导：李四。")
    p0 += _text(51, left, 150, "责任单位：")
    p0 += _text(52, left + 5 * step, 150, "县商务局", font=3, extra=' Weight="700"')  # bold by weight
    p0 += _text(53, left + 9 * step, 150, "、县市场监管局）")
    p0 += _text(54, left + 2 * step, 160, "二、保障改善民生", font=4)
    # a ruled table: 序号 | 任务 | 责任单位
    xs, ys = [left, left + 20, left + 110, left + 156], [166.0, 176.0, 186.0, 196.0]
    p0 += _rules(55, xs, ys)
    rows = [("序号", "任务", "责任单位"), ("3", "开展职业技能培训", "县人社局"), ("4", "做好高校毕业生就业", "县教育局")]
    oid = 56
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            p0 += _text(oid, xs[c] + 2, ys[r] + 7.5, cell, size=4.5)
            oid += 1
    p0 += _text(70, 96, 285, "— 1 —", size=4.9, delta="g 4 2.45")  # the page number, dropped
    p1 = ""
    p1 += _text(80, left + 2 * step, 30, "5．加强社会保障，健全社保体系。（牵头领导：王五。")
    p1 += _text(87, left, 40, "责任单位：县医保局）")
    # text filled and stroked: synthetic bold
    p1 += _text(81, left + 2 * step, 50, "6．做好第二页的任务。（责任单位：")
    p1 += _text(82, left + 2 * step + 17 * step, 50, "县民政局", extra=' Stroke="true"')  # filled and stroked: bold
    p1 += _text(86, left + 2 * step + 21 * step, 50, "）")
    p1 += _text(83, 130, 80, "县人民政府")
    p1 += _text(84, 126, 90, "2024年1月5日", delta="2.8 2.8 2.8 2.8 5.6 2.8 5.6 2.8")
    p1 += _text(85, 96, 285, "— 2 —", size=4.9, delta="g 4 2.45")
    annots = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Annotations {NS}>\n'
              f'  <ofd:Page PageID="10"><ofd:FileLoc>Page_0/Annot_0.xml</ofd:FileLoc></ofd:Page>\n</ofd:Annotations>\n')
    annot0 = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:PageAnnot {NS}>\n  <ofd:Annot ID="90" Type="Stamp">'
              f'<ofd:Appearance Boundary="120 240 40 40"><ofd:TextObject ID="91" Boundary="0 0 40 10" Font="3" '
              f'Size="5"><ofd:TextCode X="0" Y="5">批注不是正文</ofd:TextCode></ofd:TextObject></ofd:Appearance>'
              f'</ofd:Annot>\n</ofd:PageAnnot>\n')
    signs = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Signatures {NS}>\n  <ofd:MaxSignId>1</ofd:MaxSignId>\n'
             f'</ofd:Signatures>\n')
    return {"OFD.xml": OFD_XML, "Doc_0/Document.xml": DOCUMENT_XML, "Doc_0/PublicRes.xml": PUBLIC_RES,
            "Doc_0/Tpls/Tpl_0/Content.xml": TEMPLATE, "Doc_0/Pages/Page_0/Content.xml": _page(p0),
            "Doc_0/Pages/Page_1/Content.xml": _page(p1), "Doc_0/Annots/Annotations.xml": annots,
            "Doc_0/Annots/Page_0/Annot_0.xml": annot0, "Doc_0/Signs/Signatures.xml": signs}


def scanned_parts(pages: list[bytes], box: tuple[float, float, float, float] = (0, 0, 210, 297),
                  places: list[tuple[float, float, float, float]] | None = None,
                  text_page: str | None = None) -> dict[str, str | bytes]:
    """The parts of a scanned OFD: page N is the image ``pages[N]`` (JPEG or PNG bytes) as one
    ImageObject, drawn over ``places[N]`` (x, y, width, height in mm; default: the whole page)
    through a CTM that maps the image's unit square onto it, as OFD scanners write them.  The
    images are MultiMedia resources of DocumentRes.xml (BaseLoc Res).  ``text_page``: the body of
    one more page, first, with text (a TextObject of font 3)."""
    page_box = " ".join(f"{v:g}" for v in box)
    bodies = []
    if text_page is not None:
        bodies.append(text_page)
    media = []
    for n, image in enumerate(pages):
        x, y, w, h = (places or [])[n] if places and n < len(places) else box
        rid = 100 + n
        kind = "png" if image[:4] == b"\x89PNG" else "jpg"
        media.append((rid, f"image_{n}.{kind}", image))
        bodies.append(f'      <ofd:ImageObject ID="{200 + n}" Boundary="{x:g} {y:g} {w:g} {h:g}" '
                      f'CTM="{w:g} 0 0 {h:g} 0 0" ResourceID="{rid}"/>\n')
    page_refs = "".join(f'    <ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>\n' for i in range(len(bodies)))
    document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document {NS}>\n  <ofd:CommonData>\n'
                f'    <ofd:MaxUnitID>999</ofd:MaxUnitID>\n    <ofd:PageArea><ofd:PhysicalBox>{page_box}</ofd:PhysicalBox>'
                f'</ofd:PageArea>\n    <ofd:PublicRes>PublicRes.xml</ofd:PublicRes>\n'
                f'    <ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>\n  </ofd:CommonData>\n'
                f'  <ofd:Pages>\n{page_refs}  </ofd:Pages>\n</ofd:Document>\n')
    res = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res {NS} BaseLoc="Res">\n  <ofd:MultiMedias>\n'
           + "".join(f'    <ofd:MultiMedia ID="{rid}" Type="Image"><ofd:MediaFile>{name}</ofd:MediaFile>'
                     f'</ofd:MultiMedia>\n' for rid, name, _ in media)
           + '  </ofd:MultiMedias>\n</ofd:Res>\n')
    parts: dict[str, str | bytes] = {"OFD.xml": OFD_XML.replace(
        "    <ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>\n", ""),
        "Doc_0/Document.xml": document, "Doc_0/PublicRes.xml": PUBLIC_RES, "Doc_0/DocumentRes.xml": res}
    for i, body in enumerate(bodies):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page {NS}>\n  <ofd:Content>\n'
            f'    <ofd:Layer ID="{30 + i}" Type="Body">\n{body}    </ofd:Layer>\n  </ofd:Content>\n</ofd:Page>\n')
    for _, name, image in media:
        parts[f"Doc_0/Res/{name}"] = image
    return parts


def scanned(pdfs: list[Path], outdir: Path) -> None:
    """Each PDF scanned (make_scans.py's plain150 style: 150 dpi greyscale, stored as JPEG) into
    an OFD whose pages are only images."""
    import io

    sys.path.insert(0, str(ROOT / "scripts"))
    import make_scans  # type: ignore[import-not-found]

    style = make_scans.STYLES["plain150"]
    for pdf in pdfs:
        jpegs = []
        for img in make_scans.pages(pdf, style):
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85, dpi=(style.dpi, style.dpi))
            jpegs.append(buf.getvalue())
        dest = outdir / f"{pdf.stem}_scan.ofd"
        write_zip(dest, scanned_parts(jpegs))
        print(dest, file=sys.stderr)


def write_zip(dest: Path, parts: dict[str, str] | dict[str, str | bytes]) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 5, 0, 0, 0))  # fixed: the same bytes every run
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8") if isinstance(text, str) else text)


def easyofd(pdfs: list[Path], outdir: Path) -> None:
    """Convert with easyofd (text kept as text).  It writes a scratch folder ./test in the current
    directory, so it runs inside a temporary one."""
    from easyofd.ofd import OFD  # type: ignore[import-untyped]

    outdir = outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    here = os.getcwd()
    for pdf in pdfs:
        data = pdf.resolve().read_bytes()
        with tempfile.TemporaryDirectory() as scratch:
            os.chdir(scratch)
            try:
                ofd_bytes = OFD().pdf2ofd(data, optional_text=True)
            finally:
                os.chdir(here)
        (outdir / f"{pdf.stem}.ofd").write_bytes(ofd_bytes)
        print(outdir / f"{pdf.stem}.ofd", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--handmade", type=Path, help="write the hand-made OFD here")
    ap.add_argument("--easyofd", type=Path, metavar="OUTDIR", help="convert PDFs with easyofd into OUTDIR")
    ap.add_argument("--scanned", type=Path, metavar="OUTDIR", help="write scanned (image-only) OFDs into OUTDIR")
    ap.add_argument("pdfs", nargs="*", type=Path,
                    help="PDFs for --easyofd (default: samples/0*.pdf) or --scanned (default: the seed samples)")
    args = ap.parse_args(argv)
    if not args.handmade and not args.easyofd and not args.scanned:
        ap.error("give --handmade FILE, --easyofd OUTDIR and/or --scanned OUTDIR")
    if args.handmade:
        write_zip(args.handmade, handmade_parts())
    if args.easyofd:
        easyofd(args.pdfs or sorted((ROOT / "samples").glob("0*.pdf")), args.easyofd)
    if args.scanned:
        scanned(args.pdfs or [ROOT / "samples" / f"{s}.pdf" for s in SEEDS], args.scanned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
