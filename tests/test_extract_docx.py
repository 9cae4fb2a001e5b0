"""The .docx extractor on documents built here with python-docx (plus hand-written parts where
python-docx has no API: numbering.xml, East-Asian fonts, fields), and on hostile packages."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

import taskparse
from taskparse.document import Table
from taskparse.errors import CorruptFile, EmptyDocument, EncryptedFile, NeedsOCR, TooLarge, UnsupportedFormat
from taskparse.extractors import extract_bytes
from taskparse.extractors.docx import extract, format_number
from conftest import SAMPLES

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEED_004 = SAMPLES / "004_4ed748fdf1ac17b6.txt"  # the committed copy of the seed
BAD = Path(__file__).resolve().parent / "bad_inputs"


# ---------------------------------------------------------------- helpers

def _save(doc, replace: dict[str, bytes] | None = None) -> bytes:
    """The .docx bytes of ``doc``, with some package parts replaced."""
    buf = io.BytesIO()
    doc.save(buf)
    if not replace:
        return buf.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in replace.items():
            if name not in src.namelist():
                dst.writestr(name, data)
    return out.getvalue()


def _add(doc, xml: str) -> None:
    """Append a body element written as WordprocessingML (w: prefix) before the section properties."""
    if "xmlns:w" not in xml:
        xml = xml.replace("<w:p>", f'<w:p xmlns:w="{W_NS}">', 1)
    el = parse_xml(xml)
    body = doc.element.body
    body.insert(len(body) - 1, el)


def _p(text: str, num: tuple[int, int] | None = None, style: str | None = None) -> str:
    ppr = ""
    if num or style:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else "") + "</w:pPr>"
    return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, suff: str | None = "nothing", extra: str = "") -> str:
    s = f'<w:suff w:val="{suff}"/>' if suff else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{s}'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def _numbering(abstracts: dict[int, str], nums: dict[int, str]) -> bytes:
    body = "".join(f'<w:abstractNum w:abstractNumId="{a}">{lv}</w:abstractNum>' for a, lv in abstracts.items())
    body += "".join(f'<w:num w:numId="{n}">{inner}</w:num>' for n, inner in nums.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}">{body}</w:numbering>'.encode()


def _texts(data: bytes) -> list[str]:
    return [b.text for b in extract(data, "t.docx").lines()]


# ---------------------------------------------------------------- list numbering

def test_numbering_rebuilt_with_levels_restart_and_formats():
    doc = docx.Document()
    numbering = _numbering(
        {1: _lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")
         + _lvl(2, "decimal", "%3.") + _lvl(3, "decimalEnclosedCircle", "%4"),
         2: _lvl(0, "chineseCounting", "%1、", start=10),
         3: _lvl(0, "decimal", "%1.", suff=None)},  # no w:suff: a tab follows the number
        {1: '<w:abstractNumId w:val="1"/>',
         2: '<w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride>',
         3: '<w:abstractNumId w:val="2"/>', 4: '<w:abstractNumId w:val="3"/>'})
    for text, num in [("总体要求", (1, 0)), ("甲", (1, 1)), ("a", (1, 2)), ("b", (1, 2)), ("乙", (1, 1)),
                      ("c", (1, 2)), ("d", (1, 3)), ("e", (1, 3)), ("重点任务", (1, 0)), ("丙", (1, 1)),
                      ("f", (1, 2)), ("g", (1, 2)), ("重新编号", (2, 2)), ("h", (2, 2)), ("十", (3, 0)),
                      ("十一", (3, 0)), ("x", (4, 0)), ("未编号", None)]:
        _add(doc, _p(text, num))
    got = _texts(_save(doc, {"word/numbering.xml": numbering}))
    assert got == ["一、总体要求", "（一）甲", "1.a", "2.b", "（二）乙", "1.c", "①d", "②e", "二、重点任务", "（一）丙",
                   "1.f", "2.g", "1.重新编号", "2.h", "十、十", "十一、十一", "1. x", "未编号"]


def test_numbering_inherited_from_paragraph_style():
    doc = docx.Document()  # python-docx's template: "List Number" carries numPr in the style
    for t in ["甲", "乙"]:
        doc.add_paragraph(t, style="List Number")
    doc.add_paragraph("正文")
    doc.add_paragraph("丙", style="List Number")
    assert _texts(_save(doc)) == ["1. 甲", "2. 乙", "正文", "3. 丙"]


def test_lone_list_number_counts_but_is_not_a_line():
    doc = docx.Document()
    numbering = _numbering({1: _lvl(0, "decimal", "%1.")}, {1: '<w:abstractNumId w:val="1"/>'})
    _add(doc, _p("甲", (1, 0)))
    _add(doc, f'<w:p xmlns:w="{W_NS}"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>')
    _add(doc, _p("丙", (1, 0)))
    assert _texts(_save(doc, {"word/numbering.xml": numbering})) == ["1.甲", "3.丙"]


@pytest.mark.parametrize("n, fmt, want", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (105, "chineseCountingThousand", "一百零五"),
    (3, "ideographTraditional", "丙"), (3, "decimalEnclosedCircle", "③"), (12, "decimalFullWidth", "１２"),
    (4, "lowerRoman", "iv"), (28, "upperLetter", "BB"), (7, "decimal", "7"), (7, "somethingNew", "7"),
    # Word prints ideographDigital digit by digit with 〇 (as the .doc reader always did): 10 -> 一〇, not 一零
    (10, "ideographDigital", "一〇"), (105, "ideographDigital", "一〇五"),
], ids=lambda v: str(v))
def test_number_formats(n, fmt, want):
    assert format_number(n, fmt) == want


# ---------------------------------------------------------------- bold and 黑体

def _bold_styles(doc):
    base = doc.styles.add_style("LeadBase", WD_STYLE_TYPE.PARAGRAPH)
    base.font.bold = True
    child = doc.styles.add_style("LeadChild", WD_STYLE_TYPE.PARAGRAPH)
    child.base_style = base  # bold only through basedOn
    strong = doc.styles.add_style("StrongRun", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    return child, strong


def test_bold_through_style_chain_and_character_style():
    doc = docx.Document()
    child, strong = _bold_styles(doc)
    doc.add_paragraph("一、总体要求", style=child)
    p = doc.add_paragraph("牵头单位：")
    p.add_run("区发展改革局", style=strong)
    p.add_run("，区财政局")
    q = doc.add_paragraph("", style=child)
    q.add_run("不加粗").bold = False  # direct formatting beats the style
    lines = extract(_save(doc), None).lines()
    assert (lines[0].text, lines[0].bold) == ("一、总体要求", True)
    assert lines[1].bold is False and lines[1].bold_spans == ((5, 11),)
    assert lines[1].text[5:11] == "区发展改革局"
    assert lines[2].bold is False and lines[2].bold_spans == ()


def test_bold_is_a_toggle_between_paragraph_and_character_styles():
    doc = docx.Document()
    child, strong = _bold_styles(doc)
    p = doc.add_paragraph("", style=child)
    p.add_run("加粗段落中")
    p.add_run("强调", style=strong)  # ECMA-376 17.7.3: bold style on bold style reads as not bold
    line = extract(_save(doc), None).lines()[0]
    assert line.text == "加粗段落中强调" and line.bold is False and line.bold_spans == ((0, 5),)


def _ea(run, name: str | None = None, theme: str | None = None) -> None:
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(f"{{{W_NS}}}rFonts")
    if fonts is None:
        fonts = parse_xml(f'<w:rFonts xmlns:w="{W_NS}"/>')
        rpr.insert(0, fonts)
    if name:
        fonts.set(f"{{{W_NS}}}eastAsia", name)
    if theme:
        fonts.set(f"{{{W_NS}}}eastAsiaTheme", theme)


@pytest.mark.parametrize("face", ["黑体", "SimHei", "方正黑体_GBK"], ids=["heiti", "simhei", "fangzheng-heiti"])
def test_heiti_east_asian_font_is_bold_inside_a_clause(face):
    doc = docx.Document()
    p = doc.add_paragraph()
    for text, font in [("（承办单位：", "仿宋_GB2312"), ("区卫生健康局", face), ("、大安镇）", "仿宋_GB2312")]:
        r = p.add_run(text)
        r.font.name = "Times New Roman"  # the Latin face: never the one that marks the lead
        _ea(r, font)
    line = extract(_save(doc), None).lines()[0]
    assert line.text == "（承办单位：区卫生健康局、大安镇）"
    assert line.bold is False
    assert line.bold_spans == ((6, 12),)


def test_yahei_is_not_heiti():
    doc = docx.Document()
    r = doc.add_paragraph().add_run("区卫生健康局")
    _ea(r, "Microsoft YaHei")
    assert extract(_save(doc), None).lines()[0].bold is False


def test_heiti_through_character_style_and_theme_font():
    doc = docx.Document()
    hei = doc.styles.add_style("LeadUnit", WD_STYLE_TYPE.CHARACTER)
    _ea(type("R", (), {"_r": hei.element})(), "黑体")  # w:style/w:rPr/w:rFonts eastAsia
    p = doc.add_paragraph("责任单位：")
    p.add_run("区教体局", style=hei)
    q = doc.add_paragraph("责任单位：")
    _ea(q.add_run("区民政局"), theme="majorEastAsia")
    buf = io.BytesIO()
    doc.save(buf)
    theme = zipfile.ZipFile(buf).read("word/theme/theme1.xml").decode("utf-8")
    major = theme.index("<a:majorFont>")
    hans = theme.index('<a:font script="Hans" typeface="宋体"/>', major)
    theme = theme[:hans] + '<a:font script="Hans" typeface="黑体"/>' + theme[hans + 39:]
    lines = extract(_save(doc, {"word/theme/theme1.xml": theme.encode("utf-8")}), None).lines()
    assert lines[0].bold_spans == ((5, 9),)
    assert lines[1].bold_spans == ((5, 9),)


# ---------------------------------------------------------------- text details and tables

def test_break_field_result_soft_hyphen_and_deleted_text():
    doc = docx.Document()
    _add(doc, f'<w:p xmlns:w="{W_NS}"><w:r><w:t>第一行</w:t><w:br/><w:t>第二\u00ad行</w:t></w:r>'
              '<w:r><w:t xml:space="preserve">，见第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
              '<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
              '<w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r>'
              '<w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>'
              '<w:hyperlink><w:r><w:t>（链接）</w:t></w:r></w:hyperlink></w:p>')
    assert _texts(_save(doc)) == ["第一行\n第二行，见第7页（链接）"]


def test_paragraph_numbers_and_document_order_with_tables():
    doc = docx.Document()
    doc.add_paragraph("前言")
    doc.add_paragraph("")
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "甲", "乙"
    doc.add_paragraph("结尾")
    blocks = extract(_save(doc), None).blocks
    assert [type(b).__name__ for b in blocks] == ["Line", "Table", "Line"]
    assert (blocks[0].line, blocks[1].line, blocks[2].line) == (1, 3, 5)  # empty paragraph 2 counted


def test_merged_cells_repeat_their_text():
    doc = docx.Document()
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "重点任务"  # gridSpan=2
    t.cell(0, 2).text = "责任单位"
    t.cell(1, 2).merge(t.cell(2, 2)).text = "区财政局"  # vMerge restart + continue
    for r, c, text in [(1, 0, "1"), (1, 1, "甲"), (2, 0, "2"), (2, 1, "乙")]:
        t.cell(r, c).text = text
    table = extract(_save(doc), None).blocks[0]
    assert isinstance(table, Table)
    grid = [[(c.text, c.merged) for c in row] for row in table.rows]
    assert grid == [[("重点任务", False), ("重点任务", True), ("责任单位", False)],
                    [("1", False), ("甲", False), ("区财政局", False)],
                    [("2", False), ("乙", False), ("区财政局", True)]]


def test_nested_table_text_stays_in_its_cell():
    doc = docx.Document()
    outer = doc.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"{r}{c}"
    table = extract(_save(doc), None).blocks[0]
    assert len(table.rows) == 1 and len(table.rows[0]) == 2
    assert table.rows[0][1].text.split() == ["00", "01", "10", "11"]


def test_bold_cell_text():
    doc = docx.Document()
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).paragraphs[0].add_run("牵头单位").bold = True
    p = t.cell(0, 1).paragraphs[0]
    p.add_run("区水务局").bold = True
    p.add_run("、区财政局")
    row = extract(_save(doc), None).blocks[0].rows[0]
    assert row[0].bold is True
    assert row[1].bold is False and row[1].bold_spans == ((0, 4),)


# ---------------------------------------------------------------- hostile packages

def _with_document_xml(xml: bytes) -> bytes:
    return _save(docx.Document(), {"word/document.xml": xml})


def test_zip_bomb_refused_by_declared_size():
    with pytest.raises(TooLarge):
        extract((BAD / "zip_bomb.docx").read_bytes(), "zip_bomb.docx")


def test_zip_bomb_refused_by_compression_ratio():
    filler = b"<w:p/>" * (4 * 1024 * 1024)  # 24 MiB of empty paragraphs: deflates about 1000-fold
    xml = (f'<w:document xmlns:w="{W_NS}"><w:body>'.encode() + filler + b"</w:body></w:document>")
    with pytest.raises(TooLarge) as err:
        extract(_with_document_xml(xml), "bomb.docx")
    assert "word/document.xml" in str(err.value)


def test_malformed_xml_is_corrupt():
    with pytest.raises(CorruptFile) as err:
        extract(_with_document_xml(f'<w:document xmlns:w="{W_NS}"><w:body><w:p></w:q></w:body>'.encode()), "m.docx")
    assert "m.docx" in str(err.value) and "word/document.xml" in str(err.value)


def test_billion_laughs_does_not_expand():
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [{ents}]><w:document xmlns:w="{W_NS}"><w:body>'
           '<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>').encode()
    with pytest.raises(CorruptFile):
        extract(_with_document_xml(xml), "lol.docx")


def test_external_entity_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
           f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    with pytest.raises(CorruptFile):
        extract(_with_document_xml(xml), "xxe.docx")


def test_truncated_zip_is_corrupt():
    data = _save(docx.Document())
    with pytest.raises(CorruptFile):
        extract(data[: len(data) // 2], "cut.docx")


def test_damaged_member_is_corrupt():
    data = bytearray(_save(docx.Document()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10:start + 40] = b"\xff" * 30  # garbage inside the deflate stream
    with pytest.raises(CorruptFile):
        extract(bytes(data), "bad.docx")


def _patch_headers(data: bytes, magic: bytes, offset: int, value) -> bytes:
    out = bytearray(data)
    pos = out.find(magic)
    while pos >= 0:
        old = int.from_bytes(out[pos + offset:pos + offset + 2], "little")
        out[pos + offset:pos + offset + 2] = value(old).to_bytes(2, "little")
        pos = out.find(magic, pos + 4)
    return bytes(out)


def test_zip_encrypted_parts_are_encrypted():
    data = _patch_headers(_save(docx.Document()), b"PK\x01\x02", 8, lambda v: v | 1)  # central directory flags
    data = _patch_headers(data, b"PK\x03\x04", 6, lambda v: v | 1)  # local header flags
    with pytest.raises(EncryptedFile):
        extract(data, "locked.docx")


def test_zip_needing_a_newer_version_is_unsupported():
    data = _patch_headers(_save(docx.Document()), b"PK\x01\x02", 6, lambda v: 255)  # version needed 25.5
    with pytest.raises(UnsupportedFormat):
        extract(data, "new.docx")


# ---------------------------------------------------------------- the seed as a .docx

def _seed_docx(tmp_path: Path) -> Path:
    doc = docx.Document()
    for line in SEED_004.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    path = tmp_path / "seed004.docx"
    doc.save(path)
    return path


def test_seed_004_text_survives_a_docx_round_trip(tmp_path):
    want = [ln.strip() for ln in SEED_004.read_text(encoding="utf-8").splitlines() if ln.strip()]
    got = [ln.text.strip() for ln in extract(_seed_docx(tmp_path).read_bytes(), None).lines() if ln.text.strip()]
    assert got == want


def test_seed_004_docx_gives_its_66_tasks(tmp_path):
    path = _seed_docx(tmp_path)
    result = taskparse.parse_bytes(path.read_bytes(), str(path))
    assert result.source.format == "docx"
    assert len(result.tasks) == 66


def test_sniffed_and_dispatched(tmp_path):
    doc = extract_bytes(_seed_docx(tmp_path).read_bytes(), "x.bin")
    assert doc.format == "docx" and doc.has_bold and doc.sha256


def test_table_too_wide_for_a_grid_becomes_lines():
    cells = "".join(f"<w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc>" for i in range(300))
    doc = docx.Document()
    _add(doc, f'<w:tbl xmlns:w="{W_NS}"><w:tr>{cells}</w:tr>'
              '<w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    blocks = extract(_save(doc), None).blocks
    assert [type(b).__name__ for b in blocks] == ["Line", "Line"]
    assert blocks[0].text.split("\t") == [str(i) for i in range(300)] and blocks[1].text == "甲"


def test_no_text_is_empty_and_only_pictures_need_ocr():
    doc = docx.Document()
    doc.add_paragraph("")
    with pytest.raises(EmptyDocument):
        extract(_save(doc), "blank.docx")
    with pytest.raises(NeedsOCR):
        extract(_save(doc, {"word/media/image1.png": b"\x89PNG\r\n\x1a\n"}), "scan.docx")


def test_bulleted_list_paragraphs_start_with_one_bullet_and_are_items():
    """python-docx's "List Bullet" style is a bulleted list (numFmt bullet, a symbol-font glyph): the
    paragraph reads as "●…", and under a numbered heading each bullet is a task of its own."""
    d = docx.Document()
    d.add_paragraph("一、经济发展")
    d.add_paragraph("推进工业发展。", style="List Bullet")
    d.add_paragraph("责任单位：县工信局")
    d.add_paragraph("做好农业。（责任单位：县农业农村局）", style="List Bullet")
    doc = extract(_save(d), "bullets.docx")
    assert [b.text for b in doc.blocks][:4] == ["一、经济发展", "● 推进工业发展。", "责任单位：县工信局",
                                                "● 做好农业。（责任单位：县农业农村局）"]
    r = taskparse.parse_document(doc)
    assert [(t.id, t.text, t.units) for t in r.tasks] == [
        ("一.p1", "推进工业发展。", ["县工信局"]), ("一.p2", "做好农业。", ["县农业农村局"])]
