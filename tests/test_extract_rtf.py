"""The RTF reader on documents written here: code pages, Unicode escapes, bold and 黑体 faces,
skipped destinations, tables with merged cells, and hostile nesting."""
from __future__ import annotations


import pytest

import taskparse
from conftest import SAMPLES
from taskparse.document import Line, Table
from taskparse.errors import EmptyDocument
from taskparse.extractors import extract_bytes
from taskparse.extractors.rtf import extract

FONTS = (r"{\fonttbl{\f0\fnil\fcharset134 " + "".join(f"\\'{b:02x}" for b in "仿宋".encode("gbk")) + r";}"
         r"{\f1\fnil\fcharset134 " + "".join(f"\\'{b:02x}" for b in "黑体".encode("gbk")) + r";}"
         r"{\f2\fswiss\fcharset0 Arial;}{\f3\fnil\fcharset0 SimHei;}{\f4\fnil\fcharset0 Microsoft YaHei;}}")


def _gbk(text: str) -> str:
    """Text as Word writes it in an \\ansicpg936 file: every GBK byte as \\'xx."""
    return "".join(f"\\'{b:02x}" for b in text.encode("gbk"))


def _u(text: str) -> str:
    """Text as \\uN escapes (signed 16-bit) each followed by a one-byte '?' fallback."""
    out = []
    for ch in text:
        n = ord(ch)
        out.append(f"\\u{n - 65536 if n > 32767 else n}?")
    return "".join(out)


def _rtf(body: str, header: str = r"\ansi\ansicpg936\deff0") -> bytes:
    return ("{\\rtf1" + header + FONTS + r"{\colortbl;\red0\green0\blue0;}"
            r"{\stylesheet{\s0 Normal;}}{\info{\title Notice}{\author Someone}}"
            + body + "}").encode("ascii")


def _lines(body: str, header: str = r"\ansi\ansicpg936\deff0") -> list[Line]:
    return extract(_rtf(body, header), "t.rtf").lines()


def test_ansicpg936_bytes_decode_as_gbk():
    doc = extract(_rtf(r"\pard\f0 " + _gbk("一、总体要求") + r"\par " + _gbk("朱镕基") + r"\par"), None)
    assert [b.text for b in doc.lines()] == ["一、总体要求", "朱镕基"]
    assert doc.encoding == "gbk" and doc.format == "rtf" and doc.has_bold


def test_font_charset_decides_over_the_document_code_page():
    # a cp1252 document whose text sits in a \fcharset134 (GBK) font
    assert [b.text for b in _lines(r"\pard\f0 " + _gbk("责任单位") + r"\par\f2 caf\'e9\par", r"\ansi\deff2")] == [
        "责任单位", "café"]


def test_unicode_escapes_skip_their_fallback():
    body = (r"\pard\uc1 " + _u("（牵头单位：区财政局）") + r"\par"
            r"\uc2\u21306\'c7\'f8\u21439\'cf\'d8\par"  # 区县 with two-byte GBK fallbacks
            r"\uc0\u-248\u-247\par")  # （） as negative numbers, no fallback
    assert [b.text for b in _lines(body)] == ["（牵头单位：区财政局）", "区县", "（）"]


def test_surrogate_pairs_join():
    assert [b.text for b in _lines(r"\pard\u-10179?\u-8704?\par")] == ["\U0001f600"]


def test_bold_and_heiti_spans():
    body = (r"\pard\f0 " + _gbk("（承办单位：") + r"{\f1 " + _gbk("区卫生健康局") + "}" + _gbk("、大安镇）") + r"\par"
            r"\pard\f0 " + _gbk("牵头单位：") + r"\b " + _gbk("区水务局") + r"\b0 " + _gbk("，区财政局") + r"\par"
            r"\pard{\b " + _gbk("一、总体要求") + r"}\par"
            r"\pard\f4 " + _u("区民政局") + r"\par"  # Microsoft YaHei is not 黑体
            r"\pard\plain\dbch\af3\loch\f2 " + _u("区教体局") + r"\par")  # East-Asian face via \dbch\af
    lines = _lines(body)
    assert lines[0].text == "（承办单位：区卫生健康局、大安镇）"
    assert lines[0].bold is False and lines[0].bold_spans == ((6, 12),)
    assert lines[1].text == "牵头单位：区水务局，区财政局" and lines[1].bold_spans == ((5, 9),)
    assert lines[2].bold is True
    assert lines[3].bold is False
    assert lines[4].bold is True


def test_plain_resets_bold_and_groups_restore_it():
    body = r"\pard\b " + _u("甲") + r"{\b0 " + _u("乙") + "}" + _u("丙") + r"\plain " + _u("丁") + r"\par"
    line = _lines(body)[0]
    assert line.text == "甲乙丙丁" and line.bold_spans == ((0, 1), (2, 3))


def test_destinations_and_fields():
    body = (r"{\header\pard Header\par}{\footer\pard - 1 -\par}{\*\generator Writer;}"
            r"{\*\bkmkstart x}{\pict\pngblip\picw10 89504e47}"
            r"\pard " + _u("见第") + r"{\field{\*\fldinst PAGE}{\fldrslt 7}}" + _u("页") + r"\line "
            + _u("第二行") + r"\par"
            r"{\pict\bin6 }{{}}\'ff}" + _u("后") + r"\par")
    assert [b.text for b in _lines(body)] == ["见第7页\n第二行", "后"]


def test_control_symbols():
    body = r"\pard A\~B\_C\-D\{E\}F\\G\tab H\emdash I\par"
    assert [b.text for b in _lines(body)] == ["A B-CD{E}F\\G\tH—I"]


def test_paragraph_numbers():
    lines = _lines(r"\pard " + _u("甲") + r"\par\par\pard " + _u("乙") + r"\par")
    assert [(b.text, b.line) for b in lines] == [("甲", 1), ("乙", 3)]


def test_list_text_is_kept():
    body = r"{\listtext\pard\plain 1.\tab}\pard " + _u("加强管理") + r"\par"
    assert [b.text for b in _lines(body)] == ["1.\t加强管理"]


def test_table_with_merged_cells():
    body = (r"\pard " + _u("前文") + r"\par"
            r"\trowd\cellx2000\clmgf\cellx4000\clmrg\cellx6000\cellx8000"
            r"\pard\intbl " + _u("序号") + r"\cell " + _u("重点任务") + r"\cell\cell " + _u("责任单位") + r"\cell\row"
            r"\trowd\cellx2000\cellx4000\cellx6000\clvmgf\cellx8000"
            r"\pard\intbl 1\cell " + _u("甲") + r"\cell " + _u("子") + r"\cell{\b " + _u("区财政局") + r"}\cell\row"
            r"\trowd\cellx2000\cellx6000\clvmrg\cellx8000"
            r"\pard\intbl 2\cell " + _u("乙") + r"\par " + _u("丑") + r"\cell\cell\row"
            r"\pard " + _u("后文") + r"\par")
    blocks = extract(_rtf(body), None).blocks
    assert [type(b).__name__ for b in blocks] == ["Line", "Table", "Line"]
    table = blocks[1]
    assert isinstance(table, Table)
    grid = [[(c.text, c.merged) for c in row] for row in table.rows]
    assert grid == [[("序号", False), ("重点任务", False), ("重点任务", True), ("责任单位", False)],
                    [("1", False), ("甲", False), ("子", False), ("区财政局", False)],
                    [("2", False), ("乙\n丑", False), ("乙\n丑", True), ("区财政局", True)]]
    assert table.rows[1][3].bold is True


def test_table_columns_come_from_every_cell_boundary():
    """A row whose cells and \\cellx agree stands on the table's columns, all of them, even when a
    boundary only another row (one with more \\cellx than cells, laid out in order) defines lies
    beyond its last cell."""
    body = (r"\trowd\cellx1000\cellx2000\cellx3000\pard\intbl " + _u("序号") + r"\cell " + _u("任务") + r"\cell\row"
            r"\trowd\cellx1000\cellx2000\pard\intbl 1\cell " + _u("甲") + r"\cell\row\pard " + _u("后文") + r"\par")
    table = extract(_rtf(body), None).blocks[0]
    assert isinstance(table, Table)
    assert [[c.text for c in row] for row in table.rows] == [["序号", "任务", ""], ["1", "甲", ""]]


def test_deep_nesting_and_stray_braces_do_not_crash():
    data = b"{\\rtf1\\ansi " + b"{" * 200_000 + _u("甲").encode() + b"}" * 200_000 + b"}}}\\par}"
    assert [b.text for b in extract(data, None).lines()] == ["甲"]


def test_truncated_file_keeps_what_it_has():
    data = _rtf(r"\pard " + _u("一、总体要求") + r"\par\pard " + _u("1.加强"))
    assert [b.text for b in extract(data[:-1], None).lines()] == ["一、总体要求", "1.加强"]


def test_seed_004_as_rtf_gives_its_66_tasks():
    text = (SAMPLES / "004_4ed748fdf1ac17b6.txt").read_text(encoding="utf-8")
    body = "".join(r"\pard\f0 " + _gbk(ln.strip()) + r"\par" + "\n" for ln in text.splitlines() if ln.strip())
    doc = extract_bytes(_rtf(body), "seed004.doc")  # RTF under a .doc name, as sites serve it
    want = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert doc.format == "rtf" and [b.text for b in doc.lines()] == want
    assert len(taskparse.parse_document(doc).tasks) == 66


@pytest.mark.parametrize("data", [b"{\\rtf1", b"{\\rtf1\\ansi\\u", b"{\\rtf1\\bin999999 x}",
                                  b"{\\rtf1{\\fonttbl{\\f0 Arial;}}{\\header x\\par}\\par\\par}"],
                         ids=["header-only", "cut-escape", "bin-past-end", "only-destinations"])
def test_files_without_body_text_are_empty(data):
    with pytest.raises(EmptyDocument):
        extract(data, "x.rtf")


def test_bad_hex_escape_is_kept_as_text():
    assert [b.text for b in extract(b"{\\rtf1 A\\'zzB\\par}", None).lines()] == ["AzzB"]
