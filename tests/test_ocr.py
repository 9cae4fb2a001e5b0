"""OCR of scans with the taskparse[ocr] extra: tests/fixtures/pdf/notice.pdf (two pages whose lines
are hand-checked in test_extract_pdf.py) scanned three ways by scripts/make_scans.py --fixtures —
an image-only PDF of JPEG pages rotated 0.8° and blurred, a black-and-white multi-page TIFF rotated
0.5°, and page 2 as a JPEG.  The tests marked ``ocr`` are skipped when the extra is missing; the
others check what happens without it and need nothing."""
from __future__ import annotations

import socket
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import taskparse
from taskparse.cli import main
from taskparse.document import Table
from taskparse.errors import CorruptFile, NeedsOCR, TooLarge
from taskparse.extractors import extract, extract_bytes, ocr
from taskparse.sniff import sniff

SCANS = Path(__file__).parent / "fixtures" / "scan"
TEXT_PDF = Path(__file__).parent / "fixtures" / "pdf" / "notice.pdf"

needs_extra = pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed "
                                                             "(pip install -e '.[test,ocr]')")

# what the text PDF gives (test_extract_pdf.NOTICE_PAGE1/2), as the scans must give it; the OCR
# reads the full-width ． of 1．/3．/8． as "." and loses the letter-spaced "．" and "，" of item 4
# (a line stretched to the margin before a soft break), so those four lines are compared as read
SCAN_PAGE1 = [
    "关于分解落实重点工作任务的通知",
    "各乡镇人民政府，县政府各部门：",
    "现将重点工作任务分解如下，请认真抓好落实。",
    "一、稳定经济增长",
    "1．扩大有效投资，加快重点项目建设。（牵头领导：张三。责任单位：县发展改革局、县财政局。黑体为主办单位，其他为协办单位，下同）",
    "2．促进消费升级，培育新型消费。（牵头领导：李四。责任单位：县商务局、县市场监管局）",
    "3．详见附件链接，完善项目储备。",
    "二、保障改善民生",
    "（一）稳定就业",
    "8．加强社会保障。（牵头领导：王五。责任单位：县医保局）",
]
SCAN_PAGE2 = ["9．做好第二页的任务。（责任单位：县民政局）", "县人民政府", "2024年1月5日"]
TABLE = [["序号", "任务", "责任单位"], ["5", "开展职业技能培训", "县人社局"], ["6", "落实稳岗返还政策", "县人社局"],
         ["7", "做好高校毕业生就业", "县教育局"]]


def _fold(text: str) -> str:
    return text.replace("．", ".")


def _body(doc) -> list[str]:
    """The lines, item 4 left out (see above), with ． and . taken as one."""
    return [_fold(ln.text) for ln in doc.lines() if not ln.text.startswith(("4", "深化放管服"))]


# ------------------------------------------------------------------ with the extra

@pytest.fixture(scope="module")
def scanned_pdf():
    if not ocr.available():
        pytest.skip("the OCR extra is not installed")
    import os

    old = os.environ.get(ocr.MODE_ENV)
    os.environ[ocr.MODE_ENV] = "auto"
    try:
        return extract(SCANS / "notice_scan.pdf")
    finally:
        if old is None:
            del os.environ[ocr.MODE_ENV]
        else:
            os.environ[ocr.MODE_ENV] = old


@pytest.mark.ocr
@needs_extra
def test_scanned_pdf_gives_the_text_pdf_lines(scanned_pdf):
    assert scanned_pdf.format == "pdf" and scanned_pdf.warnings == []
    assert _body(scanned_pdf) == [_fold(t) for t in SCAN_PAGE1 + SCAN_PAGE2]
    assert [ln.page for ln in scanned_pdf.lines() if ln.text.startswith("9")] == [2]
    assert scanned_pdf.has_bold is False  # recognised text carries no bold


@pytest.mark.ocr
@needs_extra
def test_ruled_table_found_in_the_scan(scanned_pdf):
    (table,) = [b for b in scanned_pdf.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == TABLE


@pytest.mark.ocr
@needs_extra
def test_scan_and_text_pdf_give_the_same_tasks(scanned_pdf):
    def key(result):  # a scan has no bold: its 黑体 lead unit is one of the units
        return {t.number: (t.leaders, sorted(t.lead_units + t.units), t.deadline) for t in result.tasks}

    want = key(taskparse.parse_file(TEXT_PDF))
    got = key(taskparse.parse_document(scanned_pdf))
    # item 4's number lost its "．" (see above), so its text and clause go with item 3
    assert sorted(got) == sorted(set(want) - {"4"})
    assert got["3"] == want["4"]
    assert {n: v for n, v in got.items() if n != "3"} == {n: v for n, v in want.items() if n not in ("3", "4")}


@pytest.mark.ocr
@needs_extra
def test_black_and_white_multipage_tiff():
    doc = extract(SCANS / "notice_fax.tif")
    assert doc.format == "image" and sniff((SCANS / "notice_fax.tif").read_bytes()) == "image"
    assert _body(doc) == [_fold(t) for t in SCAN_PAGE1 + SCAN_PAGE2]
    assert sorted({ln.page for ln in doc.lines()}) == [1, 2]


@pytest.mark.ocr
@needs_extra
def test_jpeg_page_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ocr._engine.cache_clear()  # load the models again, with the network refused
    doc = extract_bytes((SCANS / "notice_page2.jpg").read_bytes(), "notice_page2.jpg")
    assert [ln.text for ln in doc.lines()] == SCAN_PAGE2


@pytest.mark.ocr
@needs_extra
def test_mixed_pdf_recognises_only_the_page_without_text(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(TEXT_PDF)), [0])
    mixed.import_pages(pdfium.PdfDocument(str(SCANS / "notice_scan.pdf")), [1])
    path = tmp_path / "mixed.pdf"
    mixed.save(str(path))
    calls = []
    real = ocr.recognise
    monkeypatch.setattr(ocr, "recognise", lambda image, number, dpi, p=None: calls.append(number) or real(
        image, number, dpi, p))
    doc = extract(path)
    assert calls == [2]
    assert doc.has_bold is True  # page 1 keeps its fonts
    assert [ln.text for ln in doc.lines()][-3:] == SCAN_PAGE2
    assert doc.warnings == []
    monkeypatch.setenv(ocr.MODE_ENV, "never")
    assert extract(path).warnings == [("needs_ocr", "page 2 has no text layer", None, 2)]


@pytest.mark.ocr
@needs_extra
def test_cli_ocr_always_reads_a_text_pdf_from_its_pixels(tmp_path):
    out = tmp_path / "tasks.csv"
    res = CliRunner().invoke(main, [str(TEXT_PDF), "--ocr", "always", "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8-sig")
    assert "县发展改革局" in text and "县民政局" in text


# ------------------------------------------------------------------ without the extra (always run)

def test_scan_without_the_extra_names_the_install_command(monkeypatch):
    monkeypatch.setenv(ocr.MODE_ENV, "auto")
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(NeedsOCR) as info:
        extract(SCANS / "notice_scan.pdf")
    assert "pip install 'taskparse[ocr]'" in str(info.value)
    with pytest.raises(NeedsOCR, match=r"taskparse\[ocr\]"):
        extract(SCANS / "notice_page2.jpg")


def test_cli_scan_without_the_extra_is_one_line_exit_7(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    res = CliRunner().invoke(main, [str(SCANS / "notice_scan.pdf"), "--ocr", "auto"])
    assert res.exit_code == 7
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "notice_scan.pdf" in lines[0] and "taskparse[ocr]" in lines[0]


def test_ocr_never_keeps_scans_an_error():
    res = CliRunner().invoke(main, [str(SCANS / "notice_page2.jpg"), "--ocr", "never"])
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert res.exit_code == 7 and len(lines) == 1 and "notice_page2.jpg" in lines[0]
    with pytest.raises(NeedsOCR, match="--ocr auto"):  # the library's own words say how to turn it on
        extract(SCANS / "notice_page2.jpg")


@pytest.mark.parametrize("name", ["notice_scan.pdf", "notice_fax.tif", "notice_page2.jpg"])
def test_scans_sniffed_by_content(name):
    want = "pdf" if name.endswith(".pdf") else "image"
    assert sniff((SCANS / name).read_bytes(), "renamed.txt") == want


@pytest.mark.parametrize("raw, want", [
    ("济兖政发[2021]1号", "济兖政发〔2021〕1号"),
    ("济兖政发(2021) 1号", "济兖政发〔2021〕1号"),
    ("一2一", "—2—"),
    ("(牵头领导:张三)", "（牵头领导：张三）"),
    ("增长6%(预期)", "增长6%（预期）"),
    ("PM2.5 (index): 35", "PM2.5 (index): 35"),  # Latin text keeps its half-width marks
    ("2021年(第1季度)", "2021年（第1季度）"),
    ("建成长三角引[才工作站", "建成长三角引才工作站"),  # read on the 000 and 003 scans
    ("全年力争招引[5000万元以上", "全年力争招引5000万元以上"),
    ("见[附件]说明", "见[附件]说明"),  # a pair stays
])
def test_cleanup_of_recognised_text(raw, want):
    assert ocr.clean(raw) == want


@pytest.mark.ocr
@needs_extra
def test_damaged_image_is_corrupt():
    data = (SCANS / "notice_page2.jpg").read_bytes()[:3000]
    with pytest.raises(CorruptFile):
        extract_bytes(data, "cut.jpg")


@pytest.mark.ocr
@needs_extra
def test_oversized_image_refused_before_decoding():
    ihdr = struct.pack(">IIBBBBB", 30000, 30000, 8, 0, 0, 0, 0)  # a PNG header claiming 30000 x 30000 pixels
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b"")
    with pytest.raises(TooLarge):
        extract_bytes(png, "huge.png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.mark.ocr
@needs_extra
def test_recognised_text_charged_to_the_file_budget(monkeypatch):
    """An image's recognised characters are charged to the per-file budget page by page, before the
    pages are laid out as a document."""
    from taskparse.extractors import _common, image

    monkeypatch.setattr(_common, "MIN_CHAR_BUDGET", 20)
    monkeypatch.setattr(_common, "CHARS_PER_INPUT_BYTE", 0)
    monkeypatch.setattr(image, "assemble", lambda pages: (_ for _ in ()).throw(AssertionError("not charged")))
    with pytest.raises(TooLarge, match="over 20 characters"):
        extract(SCANS / "notice_page2.jpg")  # 9．做好第二页的任务。（责任单位：县民政局）… is more than 20


@pytest.mark.parametrize("first, second, want", [
    # the pieces show a mark the whole line lost: it is added where the pieces have it
    ("76.学习推广“枫桥经验”进一步发挥", "76.学习推广“枫桥经验”，进一步发挥", "76.学习推广“枫桥经验”，进一步发挥"),
    ("落实“群长+链长”九个一”等", "落实“群长+链长”“九个一”等", "落实“群长+链长”“九个一”等"),
    # a mark the pieces lost (at a piece's edge) stays: the second read never removes
    ("加快打造企业“雁阵”，年内确保", "加快打造企业“雁阵”年内确保", "加快打造企业“雁阵”，年内确保"),
    # characters are never replaced or added, only marks
    ("南部王丕街道加快", "南部王不街道加快", "南部王丕街道加快"),
    ("提升沟渠公里", "提升沟渠557公里", "提升沟渠公里"),
    ("同样的文字", "同样的文字", "同样的文字"),
])
def test_second_read_only_adds_marks(first, second, want):
    assert ocr.add_marks(first, second) == want


@pytest.mark.parametrize("text, read_again", [
    ("学习推广“枫桥经验”进一步", True),  # ” then a character: a mark may be missing
    ("围绕“四个一批”“一链一策”突破", True),
    ("学习推广“枫桥经验”，进一步", False),
    ("“四园四业四所”。", False),
    ("没有引号的一行文字", False),
])
def test_second_read_only_where_a_closing_quote_is_bare(text, read_again):
    assert bool(ocr._BARE_CLOSE_QUOTE.search(text)) is read_again


def test_recogniser_out_of_memory_is_one_clear_error(monkeypatch):
    """onnxruntime reports a failed allocation (a folder run's per-worker memory budget) as its
    own error; it becomes TooLarge naming --memory, not a 'damaged file'."""
    from PIL import Image

    class Fail(Exception):
        pass

    def engine(*args, **kwargs):
        raise Fail("[ONNXRuntimeError] : 1 : FAIL : std::bad_alloc")

    monkeypatch.setattr(ocr, "_engine", lambda: engine)
    with pytest.raises(TooLarge, match="--memory"):
        ocr.recognise(Image.new("L", (200, 280), 255), 1, 200, "scan.pdf")

    def other(*args, **kwargs):
        raise Fail("something else")

    monkeypatch.setattr(ocr, "_engine", lambda: other)
    with pytest.raises(Fail):  # other failures are not called memory
        ocr.recognise(Image.new("L", (200, 280), 255), 1, 200, "scan.pdf")
