"""Why the PDF reader is pypdfium2 and the Word reader is lxml: the figures behind README "Dependencies".

Needs the libraries taskparse does not depend on: ``pip install pdfplumber python-docx``.

    python bench/bench_readers.py [--repeat 5]

PDF: time to get the text of samples/004_…_table.pdf (best of N) with pdfplumber's extract_text(),
with raw pypdfium2 get_text_range(), and with taskparse's extractor (characters, boxes, fonts, lines).
Word: what python-docx gives for the same .docx files — the text of ``paragraph.text`` parsed by
taskparse (automatic list numbers are not in it) and the bold runs it reports (bold set through a
style or the 黑体 font is ``None`` there) — against taskparse's own reader.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PDF = SAMPLES / "004_4ed748fdf1ac17b6_table.pdf"
AUTONUM = SAMPLES / "000_2795aed58e8eed1f_autonum.docx"
BOLDLEAD = SAMPLES / "004_4ed748fdf1ac17b6_boldlead.docx"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pdf(repeat: int) -> None:
    import pdfplumber
    import pypdfium2

    from taskparse.extractors import extract

    def plumber() -> None:
        with pdfplumber.open(PDF) as doc:
            for page in doc.pages:
                page.extract_text()

    def pdfium() -> None:
        doc = pypdfium2.PdfDocument(str(PDF))
        for i in range(len(doc)):
            doc[i].get_textpage().get_text_range()
        doc.close()

    pages = len(pypdfium2.PdfDocument(str(PDF)))
    for name, fn in (("pdfplumber extract_text", plumber), ("pypdfium2 get_text_range", pdfium),
                     ("taskparse pdf extractor", lambda: extract(PDF))):
        s = best(fn, repeat)
        print(f"{PDF.name} ({pages} pages): {name}: {s * 1000:.0f} ms")


DIRECT_BOLD = ('<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" '
               'w:eastAsia="SimHei"/><w:b/>')
LEAD_STYLE = ('<w:style w:type="character" w:customStyle="1" w:styleId="LeadUnit"><w:name w:val="Lead Unit"/>'
              '<w:rPr><w:rFonts w:eastAsia="SimHei"/><w:b/></w:rPr></w:style>')


def styled_bold(dest: Path) -> Path:
    """BOLDLEAD with its bold lead units set through a character style instead of on each run (as
    Word does when a clerk applies a style)."""
    import zipfile

    with zipfile.ZipFile(BOLDLEAD) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert DIRECT_BOLD in text
                data = text.replace(DIRECT_BOLD, '<w:rStyle w:val="LeadUnit"/>').encode("utf-8")
            elif item.filename == "word/styles.xml":
                data = data.decode("utf-8").replace("</w:styles>", LEAD_STYLE + "</w:styles>").encode("utf-8")
            out.writestr(item, data)
    return dest


def word() -> None:
    import tempfile

    import docx

    import taskparse

    styled = styled_bold(Path(tempfile.mkdtemp()) / "004_boldlead_styled.docx")
    for path in (AUTONUM, BOLDLEAD, styled):
        d = docx.Document(str(path))
        text = "\n".join(p.text for p in d.paragraphs)
        via_docx = taskparse.parse_text(text)
        ours = taskparse.parse_file(path)
        print(f"{path.name}: tasks from python-docx paragraph.text: {len(via_docx.tasks)}; "
              f"from taskparse's reader: {len(ours.tasks)}")
        leads_docx = sum(1 for t in via_docx.tasks if t.lead_units)
        leads_ours = sum(1 for t in ours.tasks if t.lead_units)
        runs = [r for p in d.paragraphs for r in p.runs if r.text.strip()]
        print(f"  runs: {len(runs)}, bold=True {sum(r.bold is True for r in runs)}, bold=None "
              f"{sum(r.bold is None for r in runs)}; tasks with a lead unit: python-docx text {leads_docx}, "
              f"taskparse {leads_ours}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    pdf(args.repeat)
    word()


if __name__ == "__main__":
    main()
