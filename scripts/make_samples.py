#!/usr/bin/env python3
"""Regenerate the realistic sample files in samples/ from the five seed notices.

Every file derived here comes from samples/NNN_xxx.txt (the seed text, never modified) and
the hand-checked results in the expected-JSON folder (default ../shared/seeds/expected):

  NNN_xxx.docx / .doc / .pdf / .html   the notice in government layout (GB/T 9704 style)
  000_xxx_autonum.docx                 item numbers as automatic Word list numbering
  004_xxx_boldlead.docx / .doc / .pdf  first 承办单位 unit of every clause set in 黑体 (= lead)
  004_xxx.wps, 002_xxx_rtf.doc, 000_xxx_web.doc   real files under misleading names
  scanned_notice.pdf, encrypted_notice.pdf        image-only and password-protected PDFs
  NNN_xxx_table*.{docx,doc,pdf,html}   the task list as a table (序号|重点任务|牵头领导|…)
  NNN_xxx_table_{3line,rows,noborder,middle}.pdf   the same without vertical rules: 三线表,
                                       rules between rows only, no rules, no rules + cells centred
  expected/*.json, expected/index.json expected results and the file -> expected map

Needs (generator only, never the product): LibreOffice (`soffice`, Debian package
libreoffice-writer-nogui), fonts-noto-cjk and qpdf.  Run: ``python scripts/make_samples.py``.
"""
from __future__ import annotations

import argparse
import copy
import datetime
import io
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEFAULT_EXPECTED = ROOT.parent / "shared" / "seeds" / "expected"

MAX_SAMPLE_BYTES = 300 * 1024  # every committed sample stays small
MAX_FOLDER_BYTES = 5 * 1024 * 1024
SCAN_DPI = 100  # resolution of the image-only sample

# Fonts as a government office writes them (east-Asian names); the PDF rendering maps them
# onto the Noto CJK faces installed by fonts-noto-cjk (see FONTCONFIG below).
FONT_BODY = "FangSong"  # 仿宋
FONT_HEI = "SimHei"  # 黑体
FONT_KAI = "KaiTi"  # 楷体
FONT_TITLE = "方正小标宋简体"
FONT_LATIN = "Times New Roman"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 11
FOOTER_PT = 14  # 四号
LINE_PT = 28  # fixed line pitch of the 公文 grid
INDENT_PT = 2 * BODY_PT  # first-line indent of two characters

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>FangSong</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>KaiTi</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
"""

CN_NUM = "一二三四五六七八九十"
RE_H1 = re.compile(r"^[一二三四五六七八九十]{1,3}\s*、")
RE_H2 = re.compile(r"^[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]")
RE_ITEM = re.compile(r"^\d{1,3}\s*[.、．]")
RE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
RE_SIGN = re.compile(r"^[^，。,、：:（）()]{2,30}(人民政府|办公室|委员会)$")
RE_ATTACH = re.compile(r"^[^，。,；;：:]{6,40}(责任分工|责任分解)$")
RE_DOCNUM = re.compile(r"^(.{1,12}〔\d{4}〕\d{1,4}号)")
ENDS_PARA = tuple("。；）):：")


# ---------------------------------------------------------------------------------------
# Seed text -> logical paragraphs
# ---------------------------------------------------------------------------------------

@dataclass
class Para:
    role: str  # docnum title addressee body h1 h2 sign date note attach cc
    text: str
    runs: list[tuple[str, str]] = field(default_factory=list)  # (text, style) overrides
    num: tuple[int, int] | None = None  # (numId, ilvl) for automatic numbering


@dataclass
class Notice:
    seed: str  # NNN_xxx
    docnum: str
    title: list[str]
    body: list[str]
    expected: dict

    @property
    def key(self) -> str:
        return self.seed[:3]


def _is_cjkish(ch: str) -> bool:
    return ord(ch) > 0x2E7F or unicodedata.east_asian_width(ch) in ("W", "F")


def squeeze(text: str, all_spaces: bool = False) -> str:
    """Drop whitespace that extraction left next to Chinese characters (or all of it except
    between two Latin letters when ``all_spaces``), keeping the space after a leading item
    number ("146. 65岁" must stay item 146)."""
    text = text.replace("\u3000", " ").replace("\xa0", " ").strip()
    lead = ""
    m = re.match(r"^(\d{1,3}\s*\.)\s+(?=\d)", text) or re.match(r"^(\d{1,3}\.)\s(?=\S)", text)
    if m and not all_spaces:
        lead, text = m.group(1) + " ", text[m.end():]
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if ch != " ":
            out.append(ch)
            continue
        prev = out[-1] if out else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if not prev or not nxt or nxt == " ":
            continue
        if all_spaces:
            keep = prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha()
        else:
            keep = not (_is_cjkish(prev) or _is_cjkish(nxt))
        if keep:
            out.append(ch)
    return lead + "".join(out)


def _lines(path: Path) -> list[str]:
    return [ln.rstrip() for ln in path.read_text(encoding="utf-8").split("\n")]


def _join_broken(lines: list[str]) -> list[str]:
    """Rejoin paragraphs broken across lines and pages (PDF reflow): a line continues the
    previous one when that does not end a sentence, clause or heading."""
    out: list[str] = []
    for ln in lines:
        starts_new = bool(RE_H1.match(ln) or RE_H2.match(ln) or RE_ITEM.match(ln))
        prev = out[-1] if out else ""
        prev_whole = bool(RE_H1.match(prev) or RE_DATE.match(prev) or RE_SIGN.match(prev)
                          or RE_ATTACH.match(prev) or prev.endswith(ENDS_PARA))
        if prev and not starts_new and not prev_whole:
            out[-1] = prev + ln
        else:
            out.append(ln)
    return out


def load_000(path: Path) -> tuple[str, list[str], list[str]]:
    lines = _lines(path)
    start = next(i for i, ln in enumerate(lines) if ln.startswith("金政发〔2021〕1号关于"))
    docnum = RE_DOCNUM.match(lines[start]).group(1)
    title = "金乡县人民政府" + lines[start][len(docnum):]
    body = []
    for ln in lines[start + 1:]:
        s = ln.strip()
        if s.endswith((".doc", ".pdf")):
            break
        if s and s != "分享":
            body.append(squeeze(s))
    return docnum, [title], body


def load_001(path: Path) -> tuple[str, list[str], list[str]]:
    lines = [ln.strip() for ln in _lines(path) if ln.strip()]
    docnum, title = lines[0], squeeze(lines[1], all_spaces=True)
    body = _join_broken([squeeze(ln) for ln in lines[2:]])
    return docnum, [title], body


def load_002(path: Path) -> tuple[str, list[str], list[str]]:
    lines = _lines(path)
    title = squeeze(lines[0], all_spaces=True)
    docnum = next(ln.split("文号:", 1)[1].strip() for ln in lines if "文号:" in ln)
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("各乡镇人民政府"))
    body = []
    for ln in lines[start:]:
        s = squeeze(ln, all_spaces=True)
        if not s:
            continue
        body.append(s)
        if RE_DATE.match(s):
            break
    return docnum, [title], body


def load_003(path: Path) -> tuple[str, list[str], list[str]]:
    lines = _lines(path)
    docnum = lines[1].split("|")[1].strip()
    title = lines[3].strip(" |")
    # the whole notice is on one line: every former line break became one space
    body = [squeeze(s) for s in lines[7].strip(" |").split(" ") if s.strip()]
    return docnum, [title], body


def load_004(path: Path) -> tuple[str, list[str], list[str]]:
    lines = [ln.strip() for ln in _lines(path)]
    lines = [ln for ln in lines if ln and not set(ln) <= set("—-_")]
    docnum = lines[0]
    addr = next(i for i, ln in enumerate(lines) if ln.endswith("："))
    title = lines[1:addr]
    body: list[str] = []
    for ln in lines[addr:]:
        if ln.endswith("印发"):  # 印发机关 and 印发日期 sit on one line, apart
            ln = re.sub(r"\s+", "\t", ln)
        else:
            ln = squeeze(ln)
        if body and body[-1].startswith("抄送") and not body[-1].endswith("。"):
            body[-1] += ln
        else:
            body.append(ln)
    return docnum, title, body


LOADERS = {"000": load_000, "001": load_001, "002": load_002, "003": load_003, "004": load_004}


def assign_roles(n: Notice) -> list[Para]:
    paras = [Para("docnum", n.docnum)] + [Para("title", t) for t in n.title]
    seen_addressee = False
    prev_note = False
    for i, ln in enumerate(n.body):
        nxt = n.body[i + 1] if i + 1 < len(n.body) else ""
        if not seen_addressee and ln.endswith(("：", ":")):
            role, seen_addressee = "addressee", True
        elif RE_DATE.match(ln):
            role = "date"
        elif RE_SIGN.match(ln) and RE_DATE.match(nxt):
            role = "sign"
        elif RE_SIGN.match(ln) and nxt.endswith("印发"):
            role = "cc"
        elif ln.strip("（）()") == "此件公开发布":
            role = "note"
        elif ln.startswith("抄送") or ln.endswith("印发"):
            role = "cc"
        elif RE_H1.match(ln):
            role = "h1"
        elif RE_H2.match(ln):
            role = "h2"
        elif RE_ATTACH.match(ln) or (prev_note and len(ln) < 40 and not re.search(r"[，。；]", ln)):
            role = "attach"
        else:
            role = "body"
        prev_note = role == "note"
        paras.append(Para(role, ln))
    return paras


# ---------------------------------------------------------------------------------------
# python-docx writing
# ---------------------------------------------------------------------------------------

# For the PDF rendering only, the office font names are replaced by installed faces.
# LibreOffice 7.4 embeds the CFF-based Noto CJK faces as Type 1 subsets that do not compress
# (a 20-page notice came to 450 KB); TrueType faces embed as compressible TrueType subsets,
# so AR PL UMing (宋/仿宋 stand-in) and WenQuanYi Zen Hei (黑体) are used when installed.
SERIF_TTF, HEI_TTF = "Droid Sans Fallback", "WenQuanYi Zen Hei"
SERIF_OTF, HEI_OTF = "Noto Serif CJK SC", "Noto Sans CJK SC"


def render_fonts() -> dict[str, str]:
    have = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    serif = SERIF_TTF if SERIF_TTF in have else SERIF_OTF
    hei = HEI_TTF if HEI_TTF in have else HEI_OTF
    # Latin text stays in Times New Roman (LibreOffice substitutes Liberation Serif): the
    # CJK faces lack or mis-draw Latin glyphs and quotes, and glyph fallback would reorder them
    return {FONT_BODY: serif, FONT_KAI: serif, FONT_TITLE: serif, FONT_HEI: hei, "SimSun": serif}


RENDER_FONTS: dict[str, str] = {}
_render = False


def set_fonts(run_or_style, east: str, latin: str = FONT_LATIN, size: float | None = None,
              bold: bool | None = None) -> None:
    if _render:
        east, latin = RENDER_FONTS.get(east, east), RENDER_FONTS.get(latin, latin)
    font = run_or_style.font
    font.name = latin
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east)


# Characters the CJK render faces lack: LibreOffice would draw them by glyph fallback after
# the rest of the line, so text extraction would see them out of order.  In the PDF source
# they get a face that has them.
RE_NO_CJK_GLYPH = re.compile(r"([“”‘’—–…·\u2160-\u217f]+)")
FALLBACK_FACE = "DejaVu Sans"


def add_runs(p, text: str, east: str, size: float | None, bold: bool | None) -> None:
    pieces = RE_NO_CJK_GLYPH.split(text) if _render else [text]
    for k, piece in enumerate(pieces):
        if not piece:
            continue
        r = p.add_run(piece)
        if k % 2:
            set_fonts(r, FALLBACK_FACE, latin=FALLBACK_FACE, size=size, bold=bold)
        else:
            set_fonts(r, east, size=size, bold=bold)


def _add_page_number_footer(section) -> None:
    """GB/T 9704: page numbers are centred '— N —' in the footer, via a PAGE field."""
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for el in list(p._p):
        if el.tag != qn("w:pPr"):
            p._p.remove(el)
    r = p.add_run("— ")
    set_fonts(r, "SimSun", size=FOOTER_PT)
    fld = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="{FOOTER_PT * 2}"/>'
                    f'</w:rPr><w:t>1</w:t></w:r></w:fldSimple>')
    p._p.append(fld)
    r = p.add_run(" —")
    set_fonts(r, "SimSun", size=FOOTER_PT)


ZIP_TIME = (2021, 1, 1, 0, 0, 0)
FIXED_DATE = datetime.datetime(2021, 1, 1, tzinfo=datetime.timezone.utc)


def save(doc, dest: Path) -> None:
    """Save with fixed dates (core properties and zip members): a rerun gives the same bytes."""
    doc.core_properties.created = doc.core_properties.modified = FIXED_DATE
    doc.core_properties.last_printed = FIXED_DATE
    buf = io.BytesIO()
    doc.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(member, zin.read(info.filename))
    dest.write_bytes(out.getvalue())


def new_document(landscape: bool = False):
    doc = new_docx()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    sec.footer_distance = Cm(2.5)
    if landscape:
        _landscape(sec)
    normal = doc.styles["Normal"]
    set_fonts(normal, FONT_BODY, size=BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    _add_page_number_footer(sec)
    core = doc.core_properties
    core.author, core.title, core.comments = "", "", ""
    return doc


def _landscape(sec) -> None:
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    sec.top_margin, sec.bottom_margin = Cm(2.6), Cm(2.4)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)


STYLE_FONTS = {  # role -> (east-Asian font, size, alignment, first-line indent?)
    "docnum": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.CENTER, False),
    "title": (FONT_TITLE, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, False),
    "attach": (FONT_TITLE, TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, False),
    "addressee": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, False),
    "body": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, True),
    "h1": (FONT_HEI, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, True),
    "h2": (FONT_KAI, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, True),
    "sign": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, False),
    "date": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT, False),
    "note": (FONT_BODY, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, True),
    "cc": (FONT_BODY, 14, WD_ALIGN_PARAGRAPH.JUSTIFY, False),
}
RUN_FONTS = {"": None, "hei_bold": (FONT_HEI, True), "kai": (FONT_KAI, None), "body": (FONT_BODY, None)}


def add_para(doc, para: Para) -> None:
    east, size, align, indent = STYLE_FONTS[para.role]
    p = doc.add_paragraph()
    p.alignment = align
    pf = p.paragraph_format
    if indent:
        pf.first_line_indent = Pt(INDENT_PT)
    if para.role in ("title", "attach"):
        pf.line_spacing = Pt(TITLE_PT * 1.6)
        pf.space_after = Pt(BODY_PT / 2)
    if para.role == "sign":
        pf.space_before = Pt(BODY_PT * 2)
    if para.role == "sign" or para.role == "date":
        pf.right_indent = Pt(BODY_PT * 4)
    if para.role == "docnum":
        pf.space_after = Pt(BODY_PT)
    if para.num:
        num_id, ilvl = para.num
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    runs = para.runs or [(para.text, "")]
    for text, style in runs:
        parts = text.split("\t")
        f_east, bold = (east, None) if not style else RUN_FONTS[style]
        for j, part in enumerate(parts):
            add_runs(p, part, f_east, size, bold)
            if j + 1 < len(parts):
                p.add_run().add_tab()


def split_h2(para: Para) -> None:
    """'（一）狠抓落实。 正文…': the heading sentence in 楷体, the rest in 仿宋."""
    if para.role != "h2" or para.runs:
        return
    cut = para.text.find("。")
    if 0 < cut < len(para.text) - 1:
        para.runs = [(para.text[:cut + 1], "kai"), (para.text[cut + 1:], "body")]


def rendered(write, *args, dest: Path, pdf_dest: Path | None) -> None:
    """Write a docx with office font names to ``dest`` and, when asked, the same document
    with installed font names to ``pdf_dest`` (the source of the PDF)."""
    global _render
    write(*args, dest)
    if pdf_dest:
        if not RENDER_FONTS:
            RENDER_FONTS.update(render_fonts())
        _render = True
        try:
            write(*args, pdf_dest)
        finally:
            _render = False


def write_notice_docx(paras: list[Para], dest: Path, numbering_xml: list[tuple[str, str]] | None = None) -> None:
    doc = new_document()
    if numbering_xml:
        install_numbering(doc, numbering_xml)
    for para in paras:
        split_h2(para)
        add_para(doc, para)
    save(doc, dest)


# ---------------------------------------------------------------------------------------
# Automatic list numbering (python-docx has no API: write the numbering part ourselves)
# ---------------------------------------------------------------------------------------

HEADING_NUM_ID, ITEM_NUM_ID = 90, 91
# 一、 > (一) share one multilevel list, so (一) restarts under every 一、; the items 1. 2. …
# are a list of their own and run on across sections (both Word and LibreOffice agree on
# this; LibreOffice 7.4 ignores w:lvlRestart, so it is not relied on).
HEADING_LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "(%2)")]
ITEM_LEVELS = [("decimal", "%1.")]


def _abstract_num(num_id: int, levels: list[tuple[str, str]]) -> str:
    lvls = []
    for ilvl, (fmt, text) in enumerate(levels):
        lvls.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="0" w:firstLine="{INDENT_PT * 20}"/></w:pPr></w:lvl>')
    kind = "multilevel" if len(levels) > 1 else "singleLevel"
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
            f'<w:multiLevelType w:val="{kind}"/>{"".join(lvls)}</w:abstractNum>')


def autonum_xml() -> list[tuple[str, str]]:
    out = []
    for num_id, levels in ((HEADING_NUM_ID, HEADING_LEVELS), (ITEM_NUM_ID, ITEM_LEVELS)):
        num = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
        out.append((_abstract_num(num_id, levels), num))
    return out


def install_numbering(doc, parts: list[tuple[str, str]]) -> None:
    numbering = doc.part.numbering_part.element
    for abstract, num in parts:  # every w:abstractNum must precede the first w:num
        first_num = numbering.find(qn("w:num"))
        abstract_el = parse_xml(abstract)
        if first_num is not None:
            first_num.addprevious(abstract_el)
        else:
            numbering.append(abstract_el)
        numbering.append(parse_xml(num))


def cn_numeral(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + (CN_NUM[n - 11] if n > 10 else "")
    return CN_NUM[n // 10 - 1] + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


def apply_autonum(paras: list[Para]) -> tuple[list[Para], int]:
    """Move printed numbers into list numbering where the counters Word would produce
    match the printed numbers exactly; returns the new paragraphs and how many moved."""
    counters = [0, 0, 0]
    out, moved = [], 0
    started = False
    for para in paras:
        para = copy.deepcopy(para)
        pats = [(0, re.compile(r"^([一二三四五六七八九十]{1,3})、"), lambda k: cn_numeral(k)),
                (1, re.compile(r"^\(([一二三四五六七八九十]{1,3})\)"), lambda k: cn_numeral(k)),
                (2, re.compile(r"^(\d{1,3})\."), str)]
        for ilvl, pat, fmt in pats:
            m = pat.match(para.text) if para.role in ("h1", "h2", "body") else None
            if not m:
                continue
            if ilvl == 0:
                started = True
            want = counters[ilvl] + 1
            if started and m.group(1) == fmt(want):
                counters[ilvl] = want
                if ilvl == 0:
                    counters[1] = 0  # (一) restarts under each 一、
                para.text = para.text[m.end():]
                para.num = (ITEM_NUM_ID, 0) if ilvl == 2 else (HEADING_NUM_ID, ilvl)
                moved += 1
            break
        out.append(para)
    return out, moved


# ---------------------------------------------------------------------------------------
# Bold lead units (004): the first 承办单位 unit in 黑体
# ---------------------------------------------------------------------------------------

RE_CLAUSE = re.compile(r"（(?:牵头|责任)领导：[^。]{1,40}。承办单位：")


def boldlead(paras: list[Para], expected: dict) -> tuple[list[Para], dict, list[tuple[str, str]]]:
    """Return the paragraphs with the first unit of every clause as a separate 黑体 run,
    the matching expected result (lead_units=[A]) and (number, A) pairs for checking."""
    by_number = {t["number"]: t for t in expected["tasks"]}
    new_tasks = {}
    out, checked = [], []
    for para in paras:
        para = copy.deepcopy(para)
        m = RE_ITEM.match(para.text)
        c = RE_CLAUSE.search(para.text) if m else None
        if c:
            number = re.match(r"\d+", para.text).group(0)
            task = by_number[number]
            lead = task["units"][0]
            start = c.end()
            after = para.text[start + len(lead): start + len(lead) + 1]
            if not para.text.startswith(lead, start) or after not in "、，等。）":
                raise SystemExit(f"004 item {number}: clause does not start with {lead!r}")
            para.runs = [(para.text[:start], ""), (lead, "hei_bold"), (para.text[start + len(lead):], "")]
            t2 = dict(task, lead_units=[lead], units=task["units"][1:])
            new_tasks[number] = t2
            checked.append((number, lead))
        out.append(para)
    missing = set(by_number) - set(new_tasks)
    if missing:
        raise SystemExit(f"004: no clause found for items {sorted(missing)}")
    exp = dict(expected, tasks=[new_tasks[t["number"]] for t in expected["tasks"]])
    exp["format_notes"] = ("Word file: the first 承办单位 unit of every clause is set in 黑体 (bold), which the note "
                           "'黑体为主办单位，其他为协办单位' makes the lead: lead_units=[that unit], units=the rest. "
                           "Otherwise as " + expected["doc"] + ".")
    return out, exp, checked


# ---------------------------------------------------------------------------------------
# HTML pages
# ---------------------------------------------------------------------------------------

INDEX_NO = {"000": "jnsjxx/2021-00428", "002": "005253533/2021-00070", "003": "113304240025561412/2022-69894"}
GBK_PAGES = {"000", "002"}  # served as GB2312 like the originals; the others UTF-8

PAGE_CSS = """body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333}
.top{background:#b60000;color:#fff;padding:12px 40px;font-size:22px}.nav a{color:#fff;margin-right:18px}
.crumb{width:1000px;margin:10px auto;color:#666}.xxgk{width:1000px;margin:0 auto;border-collapse:collapse}
.xxgk td{border:1px solid #ddd;padding:6px 10px}.xxgk td.t{background:#f5f5f5;width:90px}
.article{width:1000px;margin:20px auto}.article h1{text-align:center;font-size:24px;color:#b60000}
#zoom p{line-height:2;text-indent:2em;margin:0}#zoom p.c{text-align:center;text-indent:0}
#zoom p.r{text-align:right}.tools{width:1000px;margin:10px auto;color:#999}
.foot{background:#eee;padding:20px;text-align:center;color:#666;margin-top:30px}"""


def _meta_table(n: Notice, issuer: str) -> str:
    e = n.expected
    rows = [("索 引 号", INDEX_NO.get(n.key, f"sample-{n.key}/{e['date'][:4]}"), "主题分类", "综合政务"),
            ("发布机构", issuer, "成文日期", e["date"]),
            ("文　　号", e["doc_number"], "发布日期", e["date"]),
            ("名　　称", "".join(n.title), "", "")]
    out = ['<table class="xxgk">']
    for a, b, c, d in rows:
        if c:
            out.append(f'<tr><td class="t">{a}</td><td>{html.escape(b)}</td><td class="t">{c}</td>'
                       f'<td>{html.escape(d)}</td></tr>')
        else:
            out.append(f'<tr><td class="t">{a}</td><td colspan="3">{html.escape(b)}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def page_html(n: Notice, body_html: str, charset: str) -> str:
    e = n.expected
    issuer = e["issuer"]
    site = issuer.replace("办公室", "")
    title = html.escape("".join(n.title))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}_{html.escape(site)}门户网站</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="{e['date']} 09:00">
<style>{PAGE_CSS}</style>
<script>var _hmt = _hmt || [];</script>
</head>
<body>
<div class="top">{html.escape(site)}<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a>
<a href="/zwfw/">政务服务</a><a href="/hdjl/">互动交流</a><a href="/zjxx/">走进本地</a></div></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt;
<a href="/zwgk/fdzdgknr/">法定主动公开内容</a> &gt; <a href="/zwgk/zcwj/">政策文件</a> &gt; 政府文件</div>
{_meta_table(n, issuer)}
<div class="article">
<h1>{title}</h1>
<div class="info">发布时间：{e['date']}　来源：{html.escape(issuer)}　浏览次数：<span id="hits">1024</span>
　字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]</div>
<div id="zoom">
{body_html}
</div>
</div>
<div class="tools">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a>　
<a href="javascript:window.print()">【打印本页】</a>　<a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="foot">主办：{html.escape(issuer)}　网站标识码：0000000000<br>
ICP备案号：示例ICP备00000000号　政府网站找错</div>
<script>document.getElementById("hits").innerHTML = "1025";</script>
</body>
</html>
"""


def paras_html(paras: list[Para]) -> str:
    out = []
    for p in paras:
        t = html.escape(p.text).replace("\t", "　　")
        if p.role in ("title",):
            continue  # the page shows the title as <h1>
        if p.role in ("docnum", "attach"):
            out.append(f'<p class="c">{t}</p>')
        elif p.role in ("sign", "date"):
            out.append(f'<p class="r">{t}</p>')
        elif p.role == "h1":
            out.append(f"<p><strong>{t}</strong></p>")
        else:
            out.append(f"<p>{t}</p>")
    return "\n".join(out)


def encode_page(text: str, key: str) -> bytes:
    if key in GBK_PAGES:
        data = text.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
        return data.encode("gbk")  # browsers read gb2312 as GBK; raises if a character is outside GBK
    return text.encode("utf-8")


# ---------------------------------------------------------------------------------------
# Table-form versions
# ---------------------------------------------------------------------------------------

HEADER = ["序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限"]
WIDTHS_CM = [1.3, 10.0, 2.3, 3.3, 5.4, 2.0]
PROGRESS = ["已完成", "按序时推进", "正在推进，年底前完成", "已启动前期工作"]


@dataclass
class TableSpec:
    name: str  # file stem
    key: str  # seed key
    vmerge: bool = False
    repeat_header: bool = False
    progress: bool = False
    part1_only: bool = False
    borders: str = "grid"  # grid | three-line (三线表) | rows (horizontal rules only) | none
    middle: bool = False  # cells centred vertically (as Excel and many WPS tables print)
    pdf_only: bool = False  # only the PDF is a new case: the Word files keep their rules in the XML
    pt: float = TABLE_PT  # body text size
    centre_all: bool = False  # every cell centred horizontally too
    widths: tuple[float, ...] = ()  # column widths in cm (default WIDTHS_CM)
    header: tuple[str, ...] = ()  # other header words for the same six columns (default HEADER)
    justify: bool = False  # body cells justified, as Word users often set them
    plain_header: bool = False  # header in the body font, not bold
    no_number: bool = False  # no 序号 column

    def columns(self) -> list[int]:
        """Which of the six task columns (+ 进展情况) the table shows."""
        cols = list(range(len(HEADER) + (1 if self.progress else 0)))
        return cols[1:] if self.no_number else cols


TABLES = [
    TableSpec("002_ce67ead115768d45_table", "002"),
    TableSpec("004_4ed748fdf1ac17b6_table", "004"),
    TableSpec("004_4ed748fdf1ac17b6_table_vmerge", "004", vmerge=True),
    TableSpec("002_ce67ead115768d45_table_hdr", "002", repeat_header=True),
    TableSpec("003_605f38698d05405f_table_progress", "003", part1_only=True, progress=True),
    # borderless tables: in a PDF only the text positions (and any horizontal rules) are left
    TableSpec("004_4ed748fdf1ac17b6_table_3line", "004", borders="three-line", pdf_only=True),
    TableSpec("002_ce67ead115768d45_table_noborder", "002", borders="none", repeat_header=True, pdf_only=True),
    TableSpec("003_605f38698d05405f_table_middle", "003", part1_only=True, progress=True, borders="none",
              middle=True, pdf_only=True),
    TableSpec("000_2795aed58e8eed1f_table_rows", "000", borders="rows", pdf_only=True),
]

# More borderless variants for measuring, never committed (``--variants DIR``): other seeds, other
# rule sets, centred cells, 9 pt centred text in other column widths.
VARIANTS = [
    TableSpec("001_c7910ee8fea0e822_v_none_middle", "001", borders="none", middle=True, pdf_only=True),
    TableSpec("002_ce67ead115768d45_v_3line_middle", "002", borders="three-line", middle=True, pdf_only=True),
    TableSpec("004_4ed748fdf1ac17b6_v_rows_middle", "004", borders="rows", middle=True, pdf_only=True, progress=True),
    TableSpec("000_2795aed58e8eed1f_v_none", "000", borders="none", pdf_only=True, progress=True),
    TableSpec("001_c7910ee8fea0e822_v_3line_hdr", "001", borders="three-line", pdf_only=True, repeat_header=True),
    TableSpec("003_605f38698d05405f_v_rows", "003", part1_only=True, borders="rows", pdf_only=True),
    TableSpec("001_c7910ee8fea0e822_v_none_middle_9pt", "001", borders="none", middle=True, pdf_only=True, pt=9,
              centre_all=True, widths=(1.0, 12.0, 2.0, 3.0, 5.0, 2.0)),
    TableSpec("004_4ed748fdf1ac17b6_v_3line_9pt", "004", borders="three-line", pdf_only=True, pt=9, centre_all=True,
              widths=(1.0, 12.0, 2.0, 3.0, 5.0, 2.0)),
    TableSpec("002_ce67ead115768d45_v_rows_9pt", "002", borders="rows", pdf_only=True, repeat_header=True, pt=9,
              centre_all=True, widths=(1.0, 12.0, 2.0, 3.0, 5.0, 2.0)),
    TableSpec("004_4ed748fdf1ac17b6_v_none_justified_other_header", "004", borders="none", pdf_only=True,
              justify=True, plain_header=True, header=("编号", "工作任务", "责任领导", "主办单位", "协办单位", "时间节点")),
    TableSpec("001_c7910ee8fea0e822_v_3line_no_number", "001", borders="three-line", pdf_only=True, no_number=True,
              justify=True),
    TableSpec("003_605f38698d05405f_v_none_middle_no_number", "003", part1_only=True, borders="none", middle=True,
              pdf_only=True, no_number=True, progress=True),
]

BORDER_SETS = {  # table-level borders: (edge, width in eighths of a point) drawn; every other edge none
    "three-line": (("top", 12), ("bottom", 12)),
    "rows": (("top", 8), ("bottom", 8), ("insideH", 4)),
    "none": (),
}


def _table_borders(table, spec: TableSpec) -> None:
    """Replace the grid of "Table Grid" by the spec's border set (a 三线表 also rules the header)."""
    if spec.borders == "grid":
        return
    drawn = dict(BORDER_SETS[spec.borders])
    edges = "".join(f'<w:{e} w:val="single" w:sz="{drawn[e]}" w:space="0" w:color="000000"/>' if e in drawn
                    else f'<w:{e} w:val="nil"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblBorders")):
        tblpr.remove(old)
    tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{edges}</w:tblBorders>'))
    if spec.borders == "three-line":
        for cell in table.rows[0].cells:
            tcpr = cell._tc.get_or_add_tcPr()
            tcpr.append(parse_xml(f'<w:tcBorders {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="0" '
                                  f'w:color="000000"/></w:tcBorders>'))


def table_tasks(spec: TableSpec, expected: dict) -> list[dict]:
    tasks = expected["tasks"]
    if spec.part1_only:
        tasks = [t for t in tasks if t["section"] and RE_H1.match(t["section"][0]) and "牵头重点工作" in t["section"][0]]
    return tasks


def table_rows(spec: TableSpec, tasks: list[dict]) -> list[tuple[str, list[str]]]:
    """('section', [heading]) or ('task', cells) in order."""
    rows: list[tuple[str, list[str]]] = []
    last_section: list[str] = []
    for i, t in enumerate(tasks):
        sec = list(t["section"])
        same = 0
        while same < min(len(sec), len(last_section)) and sec[same] == last_section[same]:
            same += 1
        for heading in sec[same:]:  # every heading level that changes gets its row
            rows.append(("section", [heading]))
        last_section = sec
        cells = [t["number"], t["text"], "、".join(t["leaders"]), "、".join(t["lead_units"]),
                 "、".join(t["units"]), t["deadline"] or ""]
        if spec.progress:
            cells.append(PROGRESS[i % len(PROGRESS)])
        rows.append(("task", cells))
    return rows


def _cell_text(cell, text: str, size: float, bold: bool = False, center: bool = False, justify: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY if justify
                   else WD_ALIGN_PARAGRAPH.LEFT)
    add_runs(p, text, FONT_HEI if bold else FONT_BODY, size, bold or None)


def _set_width(cell, cm: float) -> None:
    cell.width = Cm(cm)


def write_table_docx(spec: TableSpec, head: list[Para], rows, dest: Path) -> None:
    doc = new_document()
    for para in head:
        if para.role != "attach":
            add_para(doc, para)
    sec = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(sec)
    for para in head:  # the attachment title heads the landscape pages of the table
        if para.role == "attach":
            add_para(doc, para)
    header = list(spec.header or HEADER) + (["进展情况"] if spec.progress else [])
    widths = list(spec.widths or WIDTHS_CM)
    if spec.progress:
        widths[1] -= 3.0
        widths.append(3.0)
    shown = spec.columns()
    if spec.no_number:
        widths[1] += widths[0]
    header, widths = [header[j] for j in shown], [widths[j] for j in shown]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, h in enumerate(header):
        _cell_text(table.rows[0].cells[j], h, spec.pt + 1, bold=not spec.plain_header, center=True)
        _set_width(table.rows[0].cells[j], widths[j])
    if spec.repeat_header:
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    leader_run: list[tuple[int, str]] = []  # (row index, leaders) of the current run of equal leaders

    def close_run() -> None:
        if spec.vmerge and len(leader_run) > 1:
            top = table.cell(leader_run[0][0], 2)
            merged = top.merge(table.cell(leader_run[-1][0], 2))
            for p in merged.paragraphs[1:]:
                p._p.getparent().remove(p._p)
            for r in merged.paragraphs[0].runs[1:]:
                r._r.getparent().remove(r._r)
        leader_run.clear()

    for kind, cells in rows:
        row = table.add_row()
        if kind == "section":
            close_run()
            merged = row.cells[0].merge(row.cells[-1])
            _cell_text(merged, cells[0], spec.pt + 1, bold=True)
            continue
        for j, col in enumerate(shown):
            _cell_text(row.cells[j], cells[col], spec.pt, center=spec.centre_all or col in (0, 2, 5),
                       justify=spec.justify)
            _set_width(row.cells[j], widths[j])
        idx = len(table.rows) - 1
        if leader_run and leader_run[-1][1] != cells[2]:
            close_run()
        leader_run.append((idx, cells[2]))
    close_run()
    _table_borders(table, spec)
    if spec.middle:
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    grid = table._tbl.tblGrid
    for col, cm in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(cm * 567)))  # twips per cm
    table.autofit = False
    doc.add_paragraph()  # a section ends with a paragraph, not a table
    save(doc, dest)


def write_table_html(spec: TableSpec, n: Notice, head: list[Para], rows, dest: Path) -> None:
    header = HEADER + (["进展情况"] if spec.progress else [])
    ncol = len(header)
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse;width:100%">',
           "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>", "<tbody>"]
    # rowspans for equal consecutive leaders (vmerge variant)
    spans: dict[int, int] = {}
    if spec.vmerge:
        i = 0
        while i < len(rows):
            if rows[i][0] != "task":
                i += 1
                continue
            j = i
            while j + 1 < len(rows) and rows[j + 1][0] == "task" and rows[j + 1][1][2] == rows[i][1][2]:
                j += 1
            spans[i] = j - i + 1
            for k in range(i + 1, j + 1):
                spans[k] = 0
            i = j + 1
    for i, (kind, cells) in enumerate(rows):
        if kind == "section":
            out.append(f'<tr><td colspan="{ncol}"><b>{html.escape(cells[0])}</b></td></tr>')
            continue
        tds = []
        for j, text in enumerate(cells):
            if j == 2 and spec.vmerge:
                if spans.get(i, 1) == 0:
                    continue
                if spans.get(i, 1) > 1:
                    tds.append(f'<td rowspan="{spans[i]}">{html.escape(text)}</td>')
                    continue
            tds.append(f"<td>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    body = paras_html(head) + "\n" + "\n".join(out)
    dest.write_bytes(page_html(n, body, "utf-8").encode("utf-8"))


def table_head(paras: list[Para]) -> list[Para]:
    """The notice head (文号, title, 主送, opening text, signature, date, 此件公开发布) and the
    attachment title, without the numbered body the table replaces."""
    head: list[Para] = []
    for p in paras:
        if p.role in ("h1", "h2", "attach") or (p.role == "body" and RE_ITEM.match(p.text)):
            break
        head.append(p)
    if not any(p.role == "date" for p in head):
        head += [p for p in paras if p.role in ("sign", "date", "note")]
    head += [p for p in paras if p.role == "attach"][:1]
    return head


# ---------------------------------------------------------------------------------------
# LibreOffice, checks
# ---------------------------------------------------------------------------------------

class Office:
    def __init__(self, work: Path):
        self.profile = work / "lo_profile"
        fc = work / "fonts.conf"
        fc.write_text(FONTCONFIG, encoding="utf-8")
        self.env = dict(os.environ, FONTCONFIG_FILE=str(fc), HOME=str(work))
        if not shutil.which("soffice"):
            raise SystemExit("soffice not found: apt-get install libreoffice-writer-nogui fonts-noto-cjk qpdf")

    def convert(self, files: list[Path], target: str, outdir: Path) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = ["soffice", f"-env:UserInstallation=file://{self.profile}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        subprocess.run(cmd, check=True, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=900)


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = "".join(ch for ch in s if not ch.isspace())
    return s.replace("“", '"').replace("”", '"').rstrip("。；;，,.")


def check_paragraphs(seed: str, paras: list[Para], expected: dict) -> list[str]:
    """Every expected task text and unit must be in the paragraphs (whitespace-insensitive)."""
    texts = [norm(p.text) for p in paras]
    whole = "".join(texts)
    problems = []
    for t in expected["tasks"]:
        tx = norm(t["text"])
        if tx not in whole:
            problems.append(f"{seed} item {t['number']}: task text not found")
        for u in t["units"] + t["lead_units"] + t["leaders"]:
            if norm(u) not in whole:
                problems.append(f"{seed} item {t['number']}: {u!r} not found")
    return problems


def split_paragraph_tasks(paras: list[Para], expected: dict) -> int:
    texts = [norm(p.text) for p in paras]
    return sum(1 for t in expected["tasks"] if not any(norm(t["text"]) in x for x in texts))


def verify_outputs(out: Path, office: Office, work: Path, problems: list[str]) -> list[str]:
    """Open every output; a file that does not open or shows no text is added to ``problems``."""
    import docx
    import pypdfium2 as pdfium

    report = []
    for f in sorted(out.glob("*.docx")):
        d = docx.Document(str(f))
        report.append(f"docx {f.name}: {len(d.paragraphs)} paragraphs, {len(d.tables)} tables")
    for f in sorted(out.glob("*.pdf")):
        try:
            pdf = pdfium.PdfDocument(str(f))
        except pdfium.PdfiumError as exc:
            report.append(f"pdf {f.name}: does not open without a password ({exc})")
            if f.name != "encrypted_notice.pdf":
                problems.append(f"{f.name} does not open")
            continue
        text = pdf[0].get_textpage().get_text_range()
        if not text.strip() and f.name != "scanned_notice.pdf":
            problems.append(f"{f.name}: no text on page 1")
        report.append(f"pdf {f.name}: {len(pdf)} pages, page 1: {norm(text)[:60]!r}")
    docs = [f for f in sorted(out.glob("*.doc")) + sorted(out.glob("*.wps"))]
    txt_dir = work / "roundtrip"
    copies = []
    for f in docs:  # soffice names the txt after the input stem: copy .wps under a unique name
        c = work / "rt_in" / (f.name.replace(".", "_") + f.suffix)
        c.parent.mkdir(exist_ok=True)
        shutil.copyfile(f, c)
        copies.append(c)
    office.convert(copies, "txt:Text (encoded):UTF8", txt_dir)
    for f, c in zip(docs, copies):
        t = txt_dir / (c.stem + ".txt")
        text = t.read_text(encoding="utf-8", errors="replace") if t.exists() else ""
        if len(norm(text)) < 1000:
            problems.append(f"{f.name}: LibreOffice round trip gave {len(norm(text))} characters")
        report.append(f"doc {f.name}: round trip {len(norm(text))} chars, {norm(text)[:40]!r}")
    return report


# ---------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------

def table_expected(spec: TableSpec, n: Notice, tasks: list[dict]) -> dict:
    """The seed's hand-checked result, restricted to the tasks the table holds."""
    exp = dict(n.expected, tasks=tasks, doc=f"{spec.name}.docx")
    exp["format_notes"] = ("Table form of " + n.expected["doc"] + ": one row per task (序号 | 重点任务 | 牵头领导 | "
                           "牵头单位 | 责任单位 | 完成时限" + (" | 进展情况" if spec.progress else "") +
                           "), section headings as rows spanning the table"
                           + ("; equal consecutive 牵头领导 cells merged vertically" if spec.vmerge else "")
                           + ("; header row repeated on every page" if spec.repeat_header else "")
                           + ("; only part 1 (政府工作报告重点工作)" if spec.part1_only else "")
                           + {"grid": "", "three-line": "; 三线表: rules above and below the table and under"
                              " the header only", "rows": "; horizontal rules between rows, no vertical rules",
                              "none": "; no rules at all"}[spec.borders]
                           + ("; cells centred vertically" if spec.middle else "")
                           + ". Tasks, units and leaders as in the seed's expected result.")
    return exp


def write_variants(notices: dict[str, Notice], dest: Path) -> None:
    """The borderless VARIANTS as PDFs with their expected JSON in ``dest`` (for measuring)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="make_variants_") as tmp:
        work = Path(tmp)
        src, pdfsrc, build = work / "src", work / "pdfsrc", work / "build"
        for d in (src, pdfsrc, build):
            d.mkdir()
        for spec in VARIANTS:
            n = notices[spec.key]
            paras = assign_roles(n)
            tasks = table_tasks(spec, n.expected)
            rendered(write_table_docx, spec, table_head(paras), table_rows(spec, tasks), dest=src / f"{spec.name}.docx",
                     pdf_dest=pdfsrc / f"{spec.name}.docx")
            (dest / f"{spec.name}.json").write_text(
                json.dumps(table_expected(spec, n, tasks), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        Office(work).convert(sorted(pdfsrc.glob("*.docx")), "pdf:writer_pdf_Export", build)
        for f in sorted(build.glob("*.pdf")):
            shutil.copyfile(f, dest / f.name)
            print(f"{dest / f.name}\t{dest / f.stem}.json", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED,
                    help="folder of the seed expected JSON (default: ../shared/seeds/expected from the repo root;"
                         " falls back to samples/expected)")
    ap.add_argument("--out", type=Path, default=SAMPLES, help="output folder (default samples/)")
    ap.add_argument("--no-verify", action="store_true", help="skip opening every generated file")
    ap.add_argument("--variants", type=Path, metavar="DIR",
                    help="write only the borderless table variants (PDFs + expected JSON) to DIR, for measuring")
    args = ap.parse_args(argv)

    exp_dir = args.expected if args.expected.is_dir() else SAMPLES / "expected"
    out = args.out
    if not args.variants:
        (out / "expected").mkdir(parents=True, exist_ok=True)
    seeds = sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))
    notices: dict[str, Notice] = {}
    index: dict[str, object] = {}
    problems: list[str] = []
    for s in seeds:
        key = s.name[:3]
        expected = json.loads((exp_dir / (s.stem + ".json")).read_text(encoding="utf-8"))
        if not args.variants and (out / "expected" / (s.stem + ".json")).resolve() != (exp_dir / (s.stem + ".json")).resolve():
            shutil.copyfile(exp_dir / (s.stem + ".json"), out / "expected" / (s.stem + ".json"))
        docnum, title, body = LOADERS[key](s)
        notices[key] = Notice(s.stem, docnum, title, body, expected)
        index[s.name] = s.stem + ".json"

    if args.variants:
        write_variants(notices, args.variants)
        return 0

    with tempfile.TemporaryDirectory(prefix="make_samples_") as tmp:
        work = Path(tmp)
        build = work / "build"
        build.mkdir()
        pdfsrc = work / "pdfsrc"
        pdfsrc.mkdir()
        office = Office(work)
        to_doc: list[Path] = []
        to_pdf: list[Path] = []

        for key, n in notices.items():
            paras = assign_roles(n)
            problems += check_paragraphs(n.seed, paras, n.expected)
            split = split_paragraph_tasks(paras, n.expected)
            print(f"{n.seed}: {len(paras)} paragraphs, {len(n.expected['tasks'])} tasks"
                  f" ({split} spread over two paragraphs)", file=sys.stderr)
            f = build / f"{n.seed}.docx"
            rendered(write_notice_docx, paras, dest=f, pdf_dest=pdfsrc / f.name)
            to_doc.append(f)
            to_pdf.append(pdfsrc / f.name)
            for ext in ("docx", "doc", "pdf", "html"):
                index[f"{n.seed}.{ext}"] = n.seed + ".json"
            charset = "gb2312" if key in GBK_PAGES else "utf-8"
            page = page_html(n, paras_html(paras), "utf-8")
            (build / f"{n.seed}.html").write_bytes(encode_page(page, key) if charset != "utf-8" else page.encode())
            if key == "000":
                auto, moved = apply_autonum(paras)
                write_notice_docx(auto, build / f"{n.seed}_autonum.docx", autonum_xml())
                index[f"{n.seed}_autonum.docx"] = n.seed + ".json"
                print(f"  autonum: {moved} numbers moved into list numbering", file=sys.stderr)
                shutil.copyfile(build / f"{n.seed}.html", build / f"{n.seed}_web.doc")
                index[f"{n.seed}_web.doc"] = n.seed + ".json"
            if key == "004":
                bl, exp_bl, checked = boldlead(paras, n.expected)
                stem = f"{n.seed}_boldlead"
                exp_bl["doc"] = stem + ".docx"
                (out / "expected" / (stem + ".json")).write_text(
                    json.dumps(exp_bl, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                rendered(write_notice_docx, bl, dest=build / f"{stem}.docx", pdf_dest=pdfsrc / f"{stem}.docx")
                to_doc.append(build / f"{stem}.docx")
                to_pdf.append(pdfsrc / f"{stem}.docx")
                for ext in ("docx", "doc", "pdf"):
                    index[f"{stem}.{ext}"] = stem + ".json"
                index[f"{n.seed}.wps"] = n.seed + ".json"
                print("  boldlead: " + "; ".join(f"{a}={b}" for a, b in checked[:6]) + " …", file=sys.stderr)
            if key == "002":
                index[f"{n.seed}_rtf.doc"] = n.seed + ".json"

        for spec in TABLES:
            n = notices[spec.key]
            paras = assign_roles(n)
            tasks = table_tasks(spec, n.expected)
            rows = table_rows(spec, tasks)
            head = table_head(paras)
            f = (work / "pdf_only" if spec.pdf_only else build) / f"{spec.name}.docx"
            f.parent.mkdir(exist_ok=True)
            rendered(write_table_docx, spec, head, rows, dest=f, pdf_dest=pdfsrc / f.name)
            if not (spec.repeat_header or spec.pdf_only):  # a repeated header row is a page property
                write_table_html(spec, n, head, rows, build / f"{spec.name}.html")
            if not spec.pdf_only:
                to_doc.append(f)
            to_pdf.append(pdfsrc / f.name)
            exp = table_expected(spec, n, tasks)
            (out / "expected" / f"{spec.name}.json").write_text(
                json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            exts = ("pdf",) if spec.pdf_only else ("docx", "doc", "pdf") + (() if spec.repeat_header else ("html",))
            for ext in exts:
                index[f"{spec.name}.{ext}"] = spec.name + ".json"

        print(f"converting {len(to_doc)} files with LibreOffice …", file=sys.stderr)
        office.convert(to_doc, "doc:MS Word 97", build)
        office.convert(to_pdf, "pdf:writer_pdf_Export", build)
        for f in build.glob("*.pdf"):  # PDFs in object streams with maximal compression
            subprocess.run(["qpdf", "--object-streams=generate", "--recompress-flate", "--compression-level=9",
                            "--replace-input", str(f)], check=True)
        n002 = notices["002"].seed
        rtf_dir = work / "rtf"
        office.convert([build / f"{n002}.docx"], "rtf", rtf_dir)
        shutil.copyfile(rtf_dir / f"{n002}.rtf", build / f"{n002}_rtf.doc")
        n004 = notices["004"].seed
        shutil.copyfile(build / f"{n004}.doc", build / f"{n004}.wps")
        make_scanned(build / f"{notices['000'].seed}.pdf", build / "scanned_notice.pdf")
        index["scanned_notice.pdf"] = {"error": "needs-ocr"}
        subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", str(build / f"{n002}.pdf"),
                        str(build / "encrypted_notice.pdf")], check=True)
        index["encrypted_notice.pdf"] = {"error": "encrypted"}

        for f in sorted(build.iterdir()):
            if f.is_file():
                shutil.copyfile(f, out / f.name)
        (out / "expected" / "index.json").write_text(
            json.dumps(dict(sorted(index.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        missing = [name for name in index if not (out / name).exists() and not (SAMPLES / name).exists()]
        if missing:
            problems.append(f"index names files that were not made: {missing}")
        if not args.no_verify:
            for line in verify_outputs(out, office, work, problems):
                print(line, file=sys.stderr)

    total = 0
    for f in sorted(out.rglob("*")):
        if f.is_file():
            total += f.stat().st_size
            if f.stat().st_size > MAX_SAMPLE_BYTES:
                problems.append(f"{f.name} is {f.stat().st_size // 1024} KB (limit {MAX_SAMPLE_BYTES // 1024} KB)")
    if total > MAX_FOLDER_BYTES:
        problems.append(f"samples/ is {total // 1024} KB (limit {MAX_FOLDER_BYTES // 1024} KB)")
    print(f"samples/: {total // 1024} KB in total", file=sys.stderr)
    for p in problems:
        print("PROBLEM: " + p, file=sys.stderr)
    return 1 if problems else 0


def make_scanned(src_pdf: Path, dest: Path) -> None:
    """Page 1 rendered to a greyscale image and wrapped as an image-only PDF (a scan)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src_pdf))
    image = pdf[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L")
    when = time.gmtime(FIXED_DATE.timestamp())  # Pillow wants a struct_time
    image.save(dest, "PDF", resolution=float(SCAN_DPI), quality=50, creationDate=when, modDate=when)


if __name__ == "__main__":
    sys.exit(main())
