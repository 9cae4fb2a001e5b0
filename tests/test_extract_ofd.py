"""The OFD reader on a file written by hand from the structure of GB/T 33190
(scripts/make_ofd.py --handmade), on crafted and damaged packages, and its DeltaX rules."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import taskparse
from taskparse.document import Table
from taskparse.errors import CorruptFile, NeedsOCR, TooLarge, UnsupportedFormat
from taskparse.extractors import extract, extract_bytes
from taskparse.extractors.ofd import _deltas
from taskparse.sniff import sniff

HANDMADE = Path(__file__).parent / "fixtures" / "ofd" / "handmade.ofd"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'


@pytest.fixture(scope="module")
def handmade():
    return extract(HANDMADE)


def test_handmade_lines_in_reading_order(handmade):
    assert handmade.format == "ofd" and handmade.has_bold
    texts = [b.text for b in handmade.lines()]
    # the running head of the page template and the page numbers are page furniture
    assert texts == [
        "某政办发〔2024〕1号",  # DeltaX given per character, digits half as wide
        "关于分解落实重点工作任务的通知",  # a CTM scales the text object by 0.5
        "各乡镇人民政府，县政府各部门：",
        "现将重点工作任务分解如下，请认真抓好落实。",
        "一、稳定经济增长",
        "1．扩大投资，加快重点项目建设。（牵头领导：张三。责任单位：县发展改革局、县财政局。"
        "黑体为主办单位，其他为协办单位，下同）",  # two TextCodes, then a wrapped line rejoined
        "2．促进消费升级，培育新型消费。（牵头领导：李四。责任单位：县商务局、县市场监管局）",
        "二、保障改善民生",
        "5．加强社会保障，健全社保体系。（牵头领导：王五。责任单位：县医保局）",
        "6．做好第二页的任务。（责任单位：县民政局）",
        "县人民政府",
        "2024年1月5日",
    ]
    assert [b.page for b in handmade.lines()] == [1] * 8 + [2] * 4


def test_handmade_bold_from_font_weight_and_stroke(handmade):
    by_start = {b.text[:2]: b for b in handmade.lines()}
    heading = by_start["一、"]
    assert heading.bold is True  # 黑体
    item1 = by_start["1．"]
    assert [item1.text[a:b] for a, b in item1.bold_spans] == ["县发展改革局"]  # 黑体 run inside the line
    item2 = by_start["2．"]
    assert [item2.text[a:b] for a, b in item2.bold_spans] == ["县商务局"]  # Weight="700"
    item6 = by_start["6．"]
    assert [item6.text[a:b] for a, b in item6.bold_spans] == ["县民政局"]  # Stroke="true": filled and stroked
    assert by_start["5．"].bold_spans == ()


def test_handmade_ruled_table_from_path_objects(handmade):
    (table,) = [b for b in handmade.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [
        ["序号", "任务", "责任单位"], ["3", "开展职业技能培训", "县人社局"], ["4", "做好高校毕业生就业", "县教育局"]]
    assert table.page == 1


def test_handmade_tasks():
    result = taskparse.parse_file(HANDMADE)
    assert result.source.format == "ofd"
    assert result.notice.doc_number == "某政办发〔2024〕1号"
    assert result.notice.date == "2024-01-05"
    got = [(t.number, t.leaders, t.lead_units, t.units, t.location.page) for t in result.tasks]
    assert got == [
        ("1", ["张三"], ["县发展改革局"], ["县财政局"], 1),
        ("2", ["李四"], ["县商务局"], ["县市场监管局"], 1),
        ("3", [], [], ["县人社局"], 1),
        ("4", [], [], ["县教育局"], 1),
        ("5", ["王五"], [], ["县医保局"], 2),
        ("6", [], ["县民政局"], [], 2),
    ]


def test_annotations_and_signatures_ignored(handmade):
    assert not any("批注" in b.text for b in handmade.lines())


@pytest.mark.parametrize("value, need, want", [
    ("g 3 5.6", 3, [5.6, 5.6, 5.6]),
    ("5.6 g 2 2.8 5.6", 4, [5.6, 2.8, 2.8, 5.6]),
    ("g 10 1", 2, [1.0, 1.0]),  # more than needed: cut
    ("3", 3, [3.0, 3.0, 3.0]),  # too few: the last spacing goes on
    ("g x 1 2", 2, [2.0, 2.0]),  # a broken g group is skipped
    (None, 2, []),
])
def test_delta_x_expansion(value, need, want):
    assert _deltas(value, need) == want


# ------------------------------------------------------------------ packages built here

def _ofd(content_body: str, extra: dict[str, bytes] | None = None, page_box: str = "0 0 210 297") -> bytes:
    parts = {
        "OFD.xml": f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>',
        "Doc_0/Document.xml": f'<ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>{page_box}'
                              f'</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
                              f'</ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                              f'</ofd:Pages></ofd:Document>',
        "Doc_0/PublicRes.xml": f'<ofd:Res {NS}><ofd:Fonts><ofd:Font ID="3" FontName="宋体"/></ofd:Fonts></ofd:Res>',
        "Doc_0/Pages/Page_0/Content.xml": f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="2">{content_body}'
                                          f'</ofd:Layer></ofd:Content></ofd:Page>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _text_object(oid: int, x: float, y: float, text: str, delta: str) -> str:
    return (f'<ofd:TextObject ID="{oid}" Boundary="{x} {y} 180 8" Font="3" Size="5">'
            f'<ofd:TextCode X="0" Y="5" DeltaX="{delta}">{text}</ofd:TextCode></ofd:TextObject>')


def test_sniffed_by_content_not_name():
    data = _ofd(_text_object(5, 20, 20, "通知正文", "g 3 5"))
    assert sniff(data, "notice.zip") == "ofd"
    assert extract_bytes(data, "notice.zip").format == "ofd"


def test_spans_drawn_over_each_other_are_laid_end_to_end():
    # a converter that puts every span of a line at the line's start, spread over the line's width
    body = (_text_object(5, 20, 20, "落实", "g 1 40") + _text_object(6, 20, 20, "2021", "g 3 20")
            + _text_object(7, 20, 20, "年任务", "g 2 30"))
    doc = extract_bytes(_ofd(body), "stacked.ofd")
    assert [b.text for b in doc.lines()] == ["落实2021年任务"]


def test_fake_bold_copy_is_not_laid_end_to_end():
    body = _text_object(5, 20, 20, "县财政局", "g 3 5") + _text_object(6, 20.1, 20, "县财政局", "g 3 5")
    doc = extract_bytes(_ofd(body), "fakebold.ofd")
    (line,) = doc.lines()
    assert line.text == "县财政局" and line.bold is True


def test_image_only_ofd_needs_ocr():
    body = '<ofd:ImageObject ID="5" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="9"/>'
    with pytest.raises(NeedsOCR):
        extract_bytes(_ofd(body), "scan.ofd")


def test_no_text_at_all_is_empty():
    with pytest.raises(taskparse.EmptyDocument):
        extract_bytes(_ofd(""), "blank.ofd")


def test_dtd_refused():
    data = _ofd("")  # its page is replaced below by one that declares entities
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="2">&lol2;</ofd:Layer></ofd:Content></ofd:Page>')
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as zf:
        for name in src.namelist():
            zf.writestr(name, bomb if name.endswith("Page_0/Content.xml") else src.read(name))
    with pytest.raises(CorruptFile, match="DTD"):
        extract_bytes(buf.getvalue(), "dtd.ofd")


def test_zip_bomb_refused():
    data = _ofd(_text_object(5, 20, 20, "正文", "5"), extra={"Doc_0/Res/big.bin": b"\0" * (40 * 1024 * 1024)})
    with pytest.raises(TooLarge):
        extract_bytes(data, "bomb.ofd")


def test_missing_document_is_corrupt():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", f'<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                               f'</ofd:DocBody></ofd:OFD>')
    with pytest.raises(CorruptFile, match="missing"):
        extract_bytes(buf.getvalue(), "broken.ofd")


def test_zip_without_ofd_xml_is_still_unsupported():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedFormat):
        extract_bytes(buf.getvalue(), "other.zip")


def test_cli_reads_ofd(tmp_path):
    from click.testing import CliRunner

    from taskparse.cli import main

    out = tmp_path / "tasks.csv"
    res = CliRunner().invoke(main, [str(HANDMADE), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "县发展改革局" in out.read_text(encoding="utf-8-sig")


def test_parts_are_inflated_a_chunk_at_a_time(monkeypatch):
    """OFD parts go through the same capped, chunked inflation as .docx parts: no read asks zipfile for a
    whole member (which inflates up to 2 GiB in one call, whatever size the headers declare)."""
    import zipfile

    from taskparse.extractors import extract_bytes
    from taskparse.extractors._zip import INFLATE_CHUNK

    asked: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def spy(self, n=-1):
        asked.append(n)
        return real_read(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", spy)
    extract_bytes(HANDMADE.read_bytes(), "handmade.ofd")
    assert asked and all(0 < n <= INFLATE_CHUNK for n in asked), sorted(set(asked))


# ------------------------------------------------------------------ scanned pages, budget

SCAN_JPEG = Path(__file__).parent / "fixtures" / "scan" / "notice_page2.jpg"  # page 2 of notice.pdf, 150 dpi


def _make_ofd_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_ofd", Path(__file__).parents[1] / "scripts" / "make_ofd.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _zip(parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def _scanned_ofd(**kwargs) -> bytes:
    return _zip(_make_ofd_script().scanned_parts([SCAN_JPEG.read_bytes()], **kwargs))


def test_scanned_ofd_never_mode_needs_ocr(monkeypatch):
    from taskparse.extractors import ocr

    monkeypatch.setenv(ocr.MODE_ENV, "never")
    with pytest.raises(NeedsOCR, match="images without text"):
        extract_bytes(_scanned_ofd(), "scan.ofd")


def test_scanned_ofd_without_the_extra_names_the_install_command(monkeypatch):
    from taskparse.errors import OCRNotInstalled
    from taskparse.extractors import ocr

    monkeypatch.setenv(ocr.MODE_ENV, "auto")
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(OCRNotInstalled, match=r"taskparse\[ocr\]"):
        extract_bytes(_scanned_ofd(), "scan.ofd")


def test_scanned_ofd_image_drawn_where_the_page_places_it(monkeypatch):
    """The page given to the recogniser is the page at 200 dpi with the image where its Boundary
    and CTM put it (here: the lower right quarter of an A4 page), white elsewhere."""
    import numpy as np

    from taskparse.extractors import ocr
    from taskparse.extractors._layout import Page

    seen = []

    def fake(image, number, dpi, path=None, budget=None):
        seen.append((image, number, dpi))
        return Page(number=number, height=image.height * 72 / dpi, empty=True)

    monkeypatch.setenv(ocr.MODE_ENV, "auto")
    monkeypatch.setattr(ocr, "available", lambda: True)
    monkeypatch.setattr(ocr, "recognise", fake)
    with pytest.raises(taskparse.EmptyDocument):  # the fake recogniser finds nothing
        extract_bytes(_scanned_ofd(places=[(105, 148.5, 105, 148.5)]), "quarter.ofd")
    ((image, number, dpi),) = seen
    assert number == 1 and dpi == ocr.RENDER_DPI
    assert image.size == (round(210 / 25.4 * 200), round(297 / 25.4 * 200))
    ink = np.argwhere(np.asarray(image) < 128)
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    # the scan's text (in its upper half) lands in the lower right quarter of the page
    assert left >= image.width // 2 and top >= image.height // 2
    assert right < image.width and bottom < image.height


@pytest.mark.ocr
def test_scanned_ofd_page_recognised_like_the_image():
    from taskparse.extractors import ocr

    if not ocr.available():
        pytest.skip("the OCR extra is not installed")
    # hand-checked: page 2 of tests/fixtures/pdf/notice.pdf (test_ocr.SCAN_PAGE2)
    want = ["9．做好第二页的任务。（责任单位：县民政局）", "县人民政府", "2024年1月5日"]
    doc = extract_bytes(_scanned_ofd(), "scan.ofd")
    assert doc.format == "ofd" and doc.has_bold is False and doc.warnings == []
    assert [ln.text for ln in doc.lines()] == want
    # a text page first, then the scanned page: both read, bold still known from the text page's fonts
    text_page = _text_object(5, 26, 40, "一、第一页的正文", "g 7 5")
    doc = extract_bytes(_zip(_make_ofd_script().scanned_parts([SCAN_JPEG.read_bytes()], text_page=text_page)),
                        "mixed.ofd")
    assert doc.has_bold is True
    assert [(ln.page, ln.text) for ln in doc.lines()] == [(1, "一、第一页的正文")] + [(2, t) for t in want]
    result = taskparse.parse_bytes(_scanned_ofd(), "scan.ofd")
    assert [(t.number, t.lead_units, t.units) for t in result.tasks] == [("9", [], ["县民政局"])]


def test_text_charged_to_the_file_budget(monkeypatch):
    """The characters of TextCodes are charged to the per-file budget as they are read."""
    from taskparse.extractors import _common

    from taskparse.extractors import ofd

    monkeypatch.setattr(_common, "MIN_CHAR_BUDGET", 1000)
    monkeypatch.setattr(_common, "CHARS_PER_INPUT_BYTE", 0)
    real = ofd._to_chars
    monkeypatch.setattr(ofd, "_to_chars", lambda *a: (_ for _ in ()).throw(AssertionError("laid out before charged")))
    body = "".join(_text_object(5 + i, 20, 20 + i * 8, "任务" * 100, "g 199 1") for i in range(6))
    with pytest.raises(TooLarge, match="1,000 characters"):
        extract_bytes(_ofd(body), "long.ofd")
    monkeypatch.setattr(ofd, "_to_chars", real)
    extract_bytes(_ofd(_text_object(5, 20, 20, "任务" * 100, "g 199 1")), "short.ofd")  # 200 characters: fine


def test_scanned_ofd_with_a_damaged_image_is_corrupt(monkeypatch):
    from taskparse.extractors import ocr

    monkeypatch.setenv(ocr.MODE_ENV, "auto")
    monkeypatch.setattr(ocr, "available", lambda: True)
    data = _zip(_make_ofd_script().scanned_parts([SCAN_JPEG.read_bytes()[:2000]]))  # cut short
    with pytest.raises(CorruptFile, match="damaged image on page 1"):
        extract_bytes(data, "cut.ofd")
