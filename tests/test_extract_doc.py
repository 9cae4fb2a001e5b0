"""The Word 97-2003 (.doc/.wps) extractor on files written by LibreOffice (tests/fixtures/make_fixtures.py)
and on damaged copies of them."""
from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest

from taskparse.document import Table
from taskparse.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from taskparse.extractors import extract, extract_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "doc"
NOTICE = FIXTURES / "notice.doc"
SEED004 = FIXTURES / "seed004.doc"
SEEDS = Path(__file__).resolve().parents[1] / "samples"  # the seed notices, bundled

# the body paragraphs of notice.doc, as tests/fixtures/make_fixtures.py writes them
NOTICE_LINES = [
    "关于分解落实重点工作任务的通知",
    "各乡镇人民政府，县政府各部门：",
    "现将重点工作任务分解如下，请认真抓好落实。",
    "一、稳定经济增长",
    "1．扩大有效投资，加快重点项目建设。（牵头领导：张三。责任单位：县发展改革局、县财政局。黑体为主办单位，其他为协办单位，下同）",
    "2．促进消费升级，培育新型消费。（牵头领导：李四。责任单位：县商务局、县市场监管局）",
    "3．详见附件链接，完善项目储备。",
    "4．优化营商环境，\n深化放管服改革。（责任单位：县政务服务中心）",
    "二、保障改善民生",
    "（一）稳定就业",
    "8．加强社会保障。（牵头领导：王五。责任单位：县医保局）",
    "9．做好第二页的任务。（责任单位：县民政局）",
    "县人民政府",
    "2024年1月5日",
]


@pytest.fixture(scope="module")
def notice():
    return extract(NOTICE)


def _line(doc, start: str):
    return next(ln for ln in doc.lines() if ln.text.startswith(start))


def _bold_parts(line) -> list[str]:
    return [line.text[a:b] for a, b in line.bold_spans]


def test_notice_paragraph_texts(notice):
    assert notice.format == "doc"
    assert notice.has_bold is True
    assert [ln.text for ln in notice.lines()] == NOTICE_LINES


def test_field_code_dropped_result_kept(notice):
    texts = " ".join(ln.text for ln in notice.lines())
    assert "HYPERLINK" not in texts and "example.invalid" not in texts
    assert _line(notice, "3．").text == "3．详见附件链接，完善项目储备。"


def test_hei_run_is_a_bold_span(notice):
    line = _line(notice, "1．")
    assert _bold_parts(line) == ["县发展改革局"]
    assert line.bold is False


def test_real_bold_run_is_a_bold_span(notice):
    assert _bold_parts(_line(notice, "2．")) == ["县商务局"]


def test_whole_line_bold_from_hei_font_and_from_bold_style(notice):
    assert _line(notice, "一、稳定经济增长").bold is True  # set in 黑体
    assert _line(notice, "二、保障改善民生").bold is True  # paragraph style 要点 is bold
    assert _line(notice, "（一）稳定就业").bold is False
    assert _line(notice, "8．").bold_spans == ()


def test_paragraph_numbers_count_every_paragraph(notice):
    numbers = [ln.line for ln in notice.lines()]
    assert numbers[:10] == list(range(1, 11))
    assert numbers == sorted(numbers)
    table = next(b for b in notice.blocks if isinstance(b, Table))
    assert table.line == 11
    assert _line(notice, "8．").line > table.line + 12  # 12 cells + 4 row marks lie between


def test_table_rows_cells_and_vertical_merge(notice):
    tables = [b for b in notice.blocks if isinstance(b, Table)]
    assert len(tables) == 1
    rows = [[c.text for c in row] for row in tables[0].rows]
    assert rows == [["序号", "任务", "责任单位"],
                    ["5", "开展职业技能培训", "县人社局"],
                    ["6", "落实稳岗返还政策", "县人社局"],
                    ["7", "做好高校毕业生就业", "县教育局"]]
    merged = [[c.merged for c in row] for row in tables[0].rows]
    assert merged[2] == [False, False, True]
    assert sum(map(sum, merged)) == 1
    assert all(c.bold for c in tables[0].rows[0])  # header row set in 黑体
    assert not any(c.bold for c in tables[0].rows[1])


def test_table_sits_between_its_neighbours(notice):
    kinds = [type(b).__name__ + (":" + b.text[:4] if hasattr(b, "text") else "") for b in notice.blocks]
    i = kinds.index("Table")
    assert kinds[i - 1] == "Line:（一）稳" and kinds[i + 1] == "Line:8．加强"


@pytest.mark.parametrize("name", ["x.wps", "x.doc", None], ids=["wps-suffix", "doc-suffix", "no-name"])
def test_sniffed_by_content_whatever_the_name(name):
    doc = extract_bytes(NOTICE.read_bytes(), name)
    assert doc.format == "doc" and len(doc.lines()) == len(NOTICE_LINES)


def test_seed004_text_parity():
    seed = (SEEDS / "004_4ed748fdf1ac17b6.txt").read_text(encoding="utf-8")
    doc = extract(SEED004)
    assert re.sub(r"\s", "", "".join(ln.text for ln in doc.lines())) == re.sub(r"\s", "", seed)
    assert [ln.text for ln in doc.lines()] == [s.strip() for s in seed.splitlines() if s.strip()]


def test_seed004_gives_66_tasks():
    import taskparse

    assert len(taskparse.parse_file(SEED004).tasks) == 66


# ---------------------------------------------------------------- damaged and foreign files

def _word_stream_offset(data: bytes) -> int:
    """Offset of the FIB: the sector-aligned 0xA5EC signature that starts the WordDocument stream."""
    for m in re.finditer(re.escape(b"\xec\xa5"), data):
        if m.start() % 512 == 0:
            return m.start()
    raise AssertionError("no FIB found in the fixture")


def _rename_stream(data: bytes, old: str, new: str) -> bytes:
    """Rename a directory entry in place (the name field is 64 bytes of UTF-16 + a u16 length)."""
    raw_old = old.encode("utf-16-le")
    at = data.index(raw_old + b"\x00\x00")
    assert at % 128 == 0  # directory entries are 128 bytes, name first
    name = new.encode("utf-16-le") + b"\x00\x00"
    out = bytearray(data)
    out[at:at + 64] = name.ljust(64, b"\x00")
    struct.pack_into("<H", out, at + 64, len(name))
    return bytes(out)


def test_word95_is_unsupported():
    data = bytearray(NOTICE.read_bytes())
    struct.pack_into("<HH", data, _word_stream_offset(data), 0xA5DC, 0x0065)
    with pytest.raises(UnsupportedFormat, match="Word 95 or older") as err:
        extract_bytes(bytes(data), "old.doc")
    assert "re-save as .docx" in str(err.value)


def test_fencrypted_flag_is_encrypted():
    data = bytearray(NOTICE.read_bytes())
    fib = _word_stream_offset(data)
    flags = struct.unpack_from("<H", data, fib + 0x0A)[0]
    struct.pack_into("<H", data, fib + 0x0A, flags | 0x0100)
    with pytest.raises(EncryptedFile, match="remove the password"):
        extract_bytes(bytes(data), "locked.doc")


def test_ole_with_encrypted_package_is_encrypted_docx():
    data = _rename_stream(NOTICE.read_bytes(), "WordDocument", "EncryptedPackage")
    with pytest.raises(EncryptedFile):
        extract_bytes(data, "locked.docx")


def test_ole_without_word_stream_is_unsupported():
    data = _rename_stream(NOTICE.read_bytes(), "WordDocument", "Workbook")
    with pytest.raises(UnsupportedFormat, match="Excel"):
        extract_bytes(data, "sheet.xls")


@pytest.mark.parametrize("keep", [600, 5000, 0.5, -300], ids=["600B", "5KB", "half", "all-but-300B"])
def test_truncated_is_corrupt(keep):
    data = NOTICE.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep if keep > 0 else len(data) + keep
    with pytest.raises(CorruptFile) as err:
        extract_bytes(data[:cut], "cut.doc")
    assert "\n" not in str(err.value)


def test_ole_header_then_garbage_is_corrupt():
    data = NOTICE.read_bytes()[:8] + bytes(range(256)) * 8
    with pytest.raises(CorruptFile):
        extract_bytes(data, "junk.doc")


def test_short_final_sector_is_tolerated():
    data = NOTICE.read_bytes()
    short = data.rstrip(b"\x00")  # WPS stops writing at the last byte in use
    assert len(short) % 512 != 0
    assert [ln.text for ln in extract_bytes(short, "wps.wps").lines()] == NOTICE_LINES


def test_word_stream_cut_short_is_corrupt():
    data = bytearray(NOTICE.read_bytes())
    at = data.index("WordDocument".encode("utf-16-le") + b"\x00\x00")
    size = struct.unpack_from("<I", data, at + 120)[0]
    assert size > 4096
    struct.pack_into("<I", data, at + 120, 4096)  # stream size in the directory entry: FIB kept, text cut
    with pytest.raises(CorruptFile, match="truncated|damaged"):
        extract_bytes(bytes(data), "short.doc")


# ---------------------------------------------------------------- automatic list numbers

NUMBERED_LINES = [  # tests/fixtures/make_fixtures.py NUMBERED_ITEMS with Word's list numbers in front
    "一、总体要求",
    "（一）稳定经济增长",
    "1. 扩大有效投资。（责任单位：县发展改革局）",
    "2. 促进消费升级。（责任单位：县商务局）",
    "①培育新型消费",
    "②发展夜间经济",
    "（二）保障改善民生",
    "1. 做好就业工作。（责任单位：县人社局）",  # level 3 restarts under a new level-2 item
    "二、组织保障",
]


def test_list_numbers_are_rebuilt():
    doc = extract(FIXTURES / "numbered.doc")
    assert [ln.text for ln in doc.lines()] == NUMBERED_LINES


@pytest.mark.parametrize("n,nfc,expected", [
    (1, 0, "1"), (12, 0, "12"), (3, 37, "三"), (10, 37, "十"), (11, 35, "十一"), (20, 37, "二十"),
    (105, 37, "一百零五"), (110, 39, "一百一十"), (2, 18, "②"), (3, 27, "⑶"), (4, 29, "㈣"), (5, 14, "５"),
    (4, 1, "IV"), (3, 4, "c"), (7, 22, "07"), (10, 10, "一〇"), (3, 38, "叁"), (2, 30, "乙"),
], ids=lambda v: str(v))
def test_number_formats(n, nfc, expected):
    from taskparse.extractors._numbering import format_msonfc

    assert format_msonfc(n, nfc) == expected


def test_wrapped_table_cells():
    doc = extract(FIXTURES / "table.doc")
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows][0] == ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]
    assert [c.text for c in table.rows[2]] == ["2", "深化“放管服”改革，推行政务服务事项“一网通办”。", "县行政审批局",
                                                "县直各部门", "持续推进"]
    assert len(table.rows) == 4 and all(len(r) == 5 for r in table.rows)


# ---------------------------------------------------------------- the sample notices (samples/)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
_INDEX = json.loads((SAMPLES / "expected" / "index.json").read_text(encoding="utf-8")) \
    if (SAMPLES / "expected" / "index.json").exists() else {}
# Word 97 files only: the samples also hold HTML and RTF saved under .doc, read by other extractors
DOC_SAMPLES = sorted(name for name, exp in _INDEX.items()
                     if name.endswith((".doc", ".wps")) and isinstance(exp, str)
                     and (SAMPLES / name).read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


@pytest.mark.parametrize("name", DOC_SAMPLES)
def test_sample_docs_give_the_expected_tasks(name):
    import taskparse
    from conftest import task_diffs

    want = json.loads((SAMPLES / "expected" / _INDEX[name]).read_text(encoding="utf-8"))["tasks"]
    got = [t.model_dump() for t in taskparse.parse_file(SAMPLES / name).tasks]
    assert task_diffs(got, want) == []


def test_wide_table_rows_end_where_their_properties_sit_in_the_data_stream():
    # regression: LibreOffice moves the row-end properties of a 7-column table (sprmPHugePapx)
    # out of the FKP page; without them every row of a section ran into one
    doc = extract(SAMPLES / "003_605f38698d05405f_table_progress.doc")
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [c.text for c in table.rows[0]] == ["序号", "重点任务", "牵头领导", "牵头单位", "责任单位", "完成时限", "进展情况"]
    assert len(table.rows) > 60 and {len(r) for r in table.rows} == {7}


BAD = Path(__file__).parent / "bad_inputs"
_MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8")) if (BAD / "MANIFEST.json").exists() else {}


@pytest.mark.parametrize("name", sorted(n for n in _MANIFEST.get("errors", {}) if n.endswith(".doc")))
def test_bad_inputs_give_their_error(name):
    from taskparse.errors import TaskparseError

    with pytest.raises(TaskparseError) as err:
        extract(BAD / name)
    assert err.value.kind == _MANIFEST["errors"][name]


def test_seed000_numbered_only_by_word_lists():
    # every 一、/（一）/1. of seed 000 comes from list numbering, one list running across sections
    import taskparse
    from conftest import task_diffs

    want = json.loads((SAMPLES / "expected" / "000_2795aed58e8eed1f.json").read_text(encoding="utf-8"))["tasks"]
    got = [t.model_dump() for t in taskparse.parse_file(FIXTURES / "autonum000.doc").tasks]
    assert task_diffs(got, want) == []
