#!/usr/bin/env python3
"""Borderless task tables written by another PDF writer (ReportLab), for measuring only.

    pip install reportlab          # generator only (with the project installed); taskparse never needs it
    python scripts/make_reportlab_tables.py OUTDIR

Writes, from the hand-checked seed results in samples/expected/, landscape PDFs whose task table has
no vertical rules: ReportLab Paragraph cells (CJK wrapping, a CID font without embedding), the header
repeated on every page, headings as rows spanning the table, and for each table a PAIRS line
(``OUT.json<TAB>EXPECTED.json``) in OUTDIR/pairs for ``compare.py --pairs`` after running taskparse
on each PDF (output next to it as NAME.out.json).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import HEADER, SAMPLES, TableSpec, table_rows  # noqa: E402  the rows the Word tables get

EXPECTED = SAMPLES / "expected"
WIDTHS = (30, 330, 60, 80, 180, 60)  # points, landscape A4
CASES = [  # (seed, vertical alignment, rules)
    ("004", "TOP", "three-line"),
    ("002", "MIDDLE", "none"),
    ("000", "TOP", "none"),
    ("001", "MIDDLE", "three-line"),
    ("003", "TOP", "none"),
]


def build(expected: Path, dest: Path, valign: str, rules: str) -> None:
    exp = json.loads(expected.read_text(encoding="utf-8"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=14, wordWrap="CJK")
    centre = ParagraphStyle("centre", parent=body, alignment=1)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), style)

    rows: list[list[object]] = [[para(h, centre) for h in HEADER]]
    style: list[tuple] = [("VALIGN", (0, 0), (-1, -1), valign)]
    for kind, cells in table_rows(TableSpec(dest.stem, ""), exp["tasks"]):  # as the Word tables
        if kind == "section":
            rows.append([para(cells[0])] + [""] * (len(HEADER) - 1))
            style.append(("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)))
        else:
            rows.append([para(text) for text in cells])
    if rules == "three-line":
        style += [("LINEABOVE", (0, 0), (-1, 0), 1.2, "black"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, "black"),
                  ("LINEBELOW", (0, -1), (-1, -1), 1.2, "black")]
    table = Table(rows, colWidths=WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(style))
    doc = SimpleDocTemplate(str(dest), pagesize=landscape(A4))
    doc.build([para("附件"), para("重点工作任务分解表", centre), Spacer(1, 12), table])


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pairs = []
    for seed, valign, rules in CASES:
        expected = next(EXPECTED.glob(f"{seed}_????????????????.json"))
        dest = out / f"reportlab_{seed}_{valign.lower()}_{rules}.pdf"
        build(expected, dest, valign, rules)
        pairs.append(f"{dest.with_suffix('.out.json')}\t{expected}")
        print(dest, file=sys.stderr)
    (out / "pairs").write_text("\n".join(pairs) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
