"""The PDF extractor on files written by LibreOffice and qpdf (tests/fixtures/make_fixtures.py), on a
hand-written image-only PDF, and its line-building rules on synthetic characters."""
from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest

from taskparse.document import Cell, Line, Table
from taskparse.errors import CorruptFile, EncryptedFile, NeedsOCR, TooLarge
from taskparse.extractors import extract, extract_bytes
from taskparse.extractors import pdf as pdf_extractor
from taskparse.extractors._layout import Char as _Char, Page as _Page, VLine as _VLine
from taskparse.extractors._layout import _drop_furniture, _join, _join_split_tables, _paragraphs

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
SEEDS = Path(__file__).resolve().parents[1] / "samples"  # the seed notices, bundled

# notice.pdf as tests/fixtures/make_fixtures.py lays it out: one Line per paragraph, wrapped lines
# joined (the line before the soft break in item 4 is stretched to the margin, so it is joined too);
# the ruled table becomes a Table block between （一） and 8．
NOTICE_PAGE1 = [
    "关于分解落实重点工作任务的通知",
    "各乡镇人民政府，县政府各部门：",
    "现将重点工作任务分解如下，请认真抓好落实。",
    "一、稳定经济增长",
    "1．扩大有效投资，加快重点项目建设。（牵头领导：张三。责任单位：县发展改革局、县财政局。黑体为主办单位，其他为协办单位，下同）",
    "2．促进消费升级，培育新型消费。（牵头领导：李四。责任单位：县商务局、县市场监管局）",
    "3．详见附件链接，完善项目储备。",
    "4．优化营商环境，深化放管服改革。（责任单位：县政务服务中心）",
    "二、保障改善民生",
    "（一）稳定就业",
    "8．加强社会保障。（牵头领导：王五。责任单位：县医保局）",
]
NOTICE_PAGE2 = ["9．做好第二页的任务。（责任单位：县民政局）", "县人民政府", "2024年1月5日"]


@pytest.fixture(scope="module")
def notice():
    return extract(FIXTURES / "notice.pdf")


def _line(doc, start: str):
    return next(ln for ln in doc.lines() if ln.text.startswith(start))


def _bold_parts(line) -> list[str]:
    return [line.text[a:b] for a, b in line.bold_spans]


def test_notice_lines(notice):
    assert notice.format == "pdf" and notice.has_bold is True
    assert [ln.text for ln in notice.lines()] == NOTICE_PAGE1 + NOTICE_PAGE2
    assert [ln.page for ln in notice.lines()] == [1] * len(NOTICE_PAGE1) + [2] * len(NOTICE_PAGE2)
    assert notice.warnings == []


NOTICE_TABLE = [["序号", "任务", "责任单位"], ["5", "开展职业技能培训", "县人社局"],
                ["6", "落实稳岗返还政策", "县人社局"], ["7", "做好高校毕业生就业", "县教育局"]]
TABLE_ROWS = [  # tests/fixtures/make_fixtures.py TABLE_ROWS; the cells wrap over up to 8 lines
    ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
    ["1", "加快推进新材料产业园基础设施建设，完善园区污水处理、集中供热等配套设施，提升园区承载能力。",
     "县经济开发区", "县发展改革局、县住房城乡建设局、县生态环境分局", "2024年12月底"],
    ["2", "深化“放管服”改革，推行政务服务事项“一网通办”。", "县行政审批局", "县直各部门", "持续推进"],
    ["3", "实施城乡居民增收行动，落实就业创业扶持政策，多渠道增加群众收入，确保居民收入增长与经济增长同步。",
     "县人社局", "县财政局、县农业农村局、各镇街", "2024年12月底"],
]


def _tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


@pytest.mark.parametrize("name", ["notice.pdf", "rotated90.pdf", "rotated270.pdf"])
def test_ruled_table_becomes_a_table(name):
    doc = extract(FIXTURES / name)
    (table,) = _tables(doc)
    assert [[c.text for c in row] for row in table.rows] == NOTICE_TABLE
    assert [[c.merged for c in row] for row in table.rows] == [[False] * 3, [False] * 3, [False, False, True],
                                                             [False] * 3]
    assert all(c.bold for c in table.rows[0]) and not any(c.bold for c in table.rows[1])
    assert table.page == 1 and table.row_pages == (1, 1, 1, 1)
    kinds = [type(b).__name__ for b in doc.blocks]
    at = kinds.index("Table")
    assert doc.blocks[at - 1].text == "（一）稳定就业" and doc.blocks[at + 1].text.startswith("8．")
    assert doc.blocks[at - 1].line < table.line < doc.blocks[at + 1].line


def test_wrapped_cells_are_read_whole():
    doc = extract(FIXTURES / "table.pdf")
    (table,) = _tables(doc)
    assert [[c.text for c in row] for row in table.rows] == TABLE_ROWS
    assert [ln.text for ln in doc.lines()] == ["附件", "2024年重点工作任务分解表", "以上任务请各单位认真落实。"]


def test_borderless_table_cells_from_text_positions():
    # the same table with every border removed: cells come from the column gaps, rows from the
    # 序号 column, and the paragraphs around it stay paragraphs
    doc = extract(FIXTURES / "table_noborder.pdf")
    (table,) = _tables(doc)
    assert [[c.text for c in row] for row in table.rows] == TABLE_ROWS
    assert [ln.text for ln in doc.lines()] == ["附件", "2024年重点工作任务分解表", "以上任务请各单位认真落实。"]


def test_page_numbers_removed(notice):
    assert not any(re.search(r"—\s*\d\s*—", ln.text) for ln in notice.lines())


def test_wrapped_paragraph_keeps_first_line_position(notice):
    one, two = _line(notice, "1．"), _line(notice, "2．")
    assert one.page == 1 and one.line == 5
    assert two.line == 8  # item 1 took visual lines 5-7


def test_hei_font_run_is_a_bold_span(notice):
    line = _line(notice, "1．")
    assert _bold_parts(line) == ["县发展改革局"]
    assert line.bold is False


def test_synthetic_bold_run_is_a_bold_span(notice):
    # the body face (Droid Sans Fallback standing in for 仿宋) has no bold: LibreOffice draws the
    # bold run filled and stroked, as office programs do with Chinese fonts
    assert _bold_parts(_line(notice, "2．")) == ["县商务局"]


def test_whole_line_bold(notice):
    assert _line(notice, "一、稳定经济增长").bold is True
    assert _line(notice, "二、保障改善民生").bold is True
    assert _line(notice, "（一）稳定就业").bold is False
    assert _line(notice, "8．").bold_spans == ()


def test_owner_password_only_opens():
    doc = extract(FIXTURES / "owner_only.pdf")
    assert [ln.text for ln in doc.lines()] == NOTICE_PAGE1 + NOTICE_PAGE2


@pytest.mark.parametrize("rotation", [90, 180, 270], ids=lambda r: f"rotate{r}")
def test_rotated_page_reads_as_displayed(rotation):
    doc = extract(FIXTURES / f"rotated{rotation}.pdf")
    assert [ln.text for ln in doc.lines()] == NOTICE_PAGE1
    assert _bold_parts(_line(doc, "1．")) == ["县发展改革局"]


def test_image_page_in_between_warns_and_keeps_text():
    doc = extract(FIXTURES / "mixed_scan.pdf")
    assert [ln.text for ln in doc.lines()] == NOTICE_PAGE1 + NOTICE_PAGE2
    assert _line(doc, "9．").page == 3
    assert doc.warnings == [("needs_ocr", "page 2 has no text layer", None, 2)]


@pytest.mark.parametrize("name,error,message", [
    ("encrypted.pdf", EncryptedFile, "password"),
    ("scanned.pdf", NeedsOCR, "no text layer"),
    ("pua.pdf", NeedsOCR, "Unicode"),
    ("cid.pdf", NeedsOCR, "Unicode"),
], ids=["user-password", "image-only", "private-use-text", "cid-font-without-tounicode"])
def test_bad_pdfs(name, error, message):
    with pytest.raises(error, match=message) as err:
        extract(FIXTURES / name)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("keep", [600, 0.5, -300], ids=["600B", "half", "all-but-300B"])
def test_truncated_is_corrupt(keep):
    data = (FIXTURES / "notice.pdf").read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep if keep > 0 else len(data) + keep
    with pytest.raises(CorruptFile):
        extract_bytes(data[:cut], "cut.pdf")


def test_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_extractor, "MAX_PDF_PAGES", 1)
    with pytest.raises(TooLarge, match="2 pages"):
        extract(FIXTURES / "notice.pdf")


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_cycle_collector_paused_while_reading_and_left_as_found(monkeypatch, enabled):
    seen = []
    lay_out = pdf_extractor.visual_lines

    def spy(*args):
        seen.append(gc.isenabled())
        return lay_out(*args)

    monkeypatch.setattr(pdf_extractor, "visual_lines", spy)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        extract(FIXTURES / "notice.pdf")
        assert gc.isenabled() is enabled
        monkeypatch.setattr(pdf_extractor, "MAX_PDF_CHARS", 10)
        with pytest.raises(TooLarge):  # a read that stops with an error leaves it as found too
            extract(FIXTURES / "notice.pdf")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]  # notice.pdf has two pages, each laid out with the collector paused


def test_seed004_text_parity():
    seed = (SEEDS / "004_4ed748fdf1ac17b6.txt").read_text(encoding="utf-8")
    doc = extract(FIXTURES / "seed004.pdf")
    assert re.sub(r"\s", "", "".join(ln.text for ln in doc.lines())) == re.sub(r"\s", "", seed)
    paragraphs = [s.strip() for s in seed.splitlines() if s.strip()]
    got = [ln.text for ln in doc.lines()]
    # every seed paragraph comes back whole, except the last one, which the layout spreads over
    # two lines with a wide gap (a table-like line is never joined)
    assert got[:-2] == paragraphs[:-1]
    assert re.sub(r"\s", "", "".join(got[-2:])) == re.sub(r"\s", "", paragraphs[-1])


def test_seed004_gives_66_tasks():
    import taskparse

    assert len(taskparse.parse_file(FIXTURES / "seed004.pdf").tasks) == 66


# ---------------------------------------------------------------- line building on synthetic characters

def _chars(text: str, x: float = 100.0, y: float = 700.0, advance: float = 16.0, size: float = 16.0,
           bold: bool = False) -> list[_Char]:
    out = []
    for ch in text:
        if ch != " ":
            out.append(_Char(ch, x, x + advance * 0.9, y, size, bold))
        x += advance
    return out


def test_justified_cjk_gets_no_spaces():
    line = _join(_chars("责任单位", advance=22.0), page=1, number=1)
    assert line.text == "责任单位"


def test_latin_word_gap_becomes_one_space():
    line = _join(_chars("PM2.5 index", advance=8.0, size=16.0), page=1, number=1)
    assert line.text == "PM2.5 index"


def test_fake_bold_duplicate_dropped_and_marked_bold():
    chars = _chars("县财政局") + [_Char("财", 116.4, 131.0, 700.2, 16.0, False)]
    line = _join(chars, page=1, number=1)
    assert line.text == "县财政局"
    assert line.bold == [False, True, False, False]


def test_wide_gap_between_cjk_becomes_space_and_marks_tabular():
    chars = _chars("序号", x=80) + _chars("任务", x=200)
    line = _join(chars, page=1, number=1)
    assert line.text == "序号 任务" and line.tabular


@pytest.mark.parametrize("text,dropped", [
    ("— 3 —", True), ("－3－", True), ("-3-", True), ("第3页", True), ("第3页共12页", True),
    ("12", True), ("2021年", False), ("3．加强管理", False), ("— 附件 —", False),
], ids=lambda v: str(v))
def test_page_number_lines(text, dropped):
    body = _VLine(1, 1, 700, 80, 500, 16, "正文第一行内容", [False] * 7)
    foot = _VLine(1, 2, 40, 280, 320, 14, text, [False] * len(text), band="bottom")
    page = _Page(1, 842, [body, foot])
    _drop_furniture([page])
    assert (foot not in page.lines) is dropped


def test_repeating_header_dropped_but_unique_band_line_kept():
    pages = []
    for n in range(1, 4):
        header = _VLine(n, 1, 800, 80, 300, 10, f"某县人民政府文件 第{n}期", [False] * 12, band="top")
        body = _VLine(n, 2, 700, 80, 500, 16, f"正文{n}", [False] * 3)
        pages.append(_Page(n, 842, [header, body]))
    pages[0].lines.insert(0, _VLine(1, 0, 820, 80, 200, 10, "此件公开发布", [False] * 6, band="top"))
    _drop_furniture(pages)
    assert [[ln.text for ln in p.lines] for p in pages] == [["此件公开发布", "正文1"], ["正文2"], ["正文3"]]


def _vl(text: str, x0: float, x1: float, y: float, page: int = 1, number: int = 1) -> _VLine:
    return _VLine(page, number, y, x0, x1, 16.0, text, [False] * len(text))


def test_paragraph_rejoining_rules():
    lines = [
        _vl("一、总体要求", 112, 208, 700, number=1),  # indented, short: own paragraph
        _vl("为切实把各项任务目标落到实处，经研究，决定将任务目标进行分解，明确", 112, 520, 672, number=2),
        _vl("牵头领导、责任单位。", 80, 240, 644, number=3),  # continues (prev reached the margin)
        _vl("全区经济社会发展主要预期目标为：地区生产总值增长6%以上，一般公共预", 112, 520, 616, number=4),
        _vl("算收入增长3%以上，规模以上工业增加值增长8%以上，固定资产投资增长", 80, 520, 588, number=5),
        _vl("2.5%以内。", 80, 160, 560, number=6),  # a decimal, not an item number: continues
        _vl("1、坚持外防输入、内防反弹，控好源头、守住防线。严格实行境外人员闭环", 112, 520, 532, number=7),
        _vl("2、健全突发公共卫生事件监测预警、预防控制、医疗救治等机制，加快建设", 80, 520, 504, number=8),
        _vl("提高公共卫生治理能力和水平。", 80, 300, 40, page=1, number=9),
        _vl("（一）聚焦产业发展", 80, 240, 760, page=2, number=1),
    ]
    got = [(ln.text, ln.line, ln.page) for ln in _paragraphs(lines)]
    assert got == [
        ("一、总体要求", 1, 1),
        ("为切实把各项任务目标落到实处，经研究，决定将任务目标进行分解，明确牵头领导、责任单位。", 2, 1),
        ("全区经济社会发展主要预期目标为：地区生产总值增长6%以上，一般公共预算收入增长3%以上，"
         "规模以上工业增加值增长8%以上，固定资产投资增长2.5%以内。", 4, 1),
        ("1、坚持外防输入、内防反弹，控好源头、守住防线。严格实行境外人员闭环", 7, 1),
        ("2、健全突发公共卫生事件监测预警、预防控制、医疗救治等机制，加快建设", 8, 1),
        ("提高公共卫生治理能力和水平。", 9, 1),  # a big vertical gap on the page
        ("（一）聚焦产业发展", 1, 2),
    ]


def test_list_numbers_drawn_on_the_page():
    doc = extract(FIXTURES / "numbered.pdf")
    assert [ln.text for ln in doc.lines()] == [
        "一、总体要求", "（一）稳定经济增长", "1.扩大有效投资。（责任单位：县发展改革局）",
        "2.促进消费升级。（责任单位：县商务局）", "①培育新型消费", "②发展夜间经济", "（二）保障改善民生",
        "1.做好就业工作。（责任单位：县人社局）", "二、组织保障"]


@pytest.mark.parametrize("stem", ["notice", "table", "numbered", "seed004"])
def test_doc_and_pdf_give_the_same_tasks(stem):
    import taskparse

    def tasks(path):
        return [(t.number, re.sub(r"\s", "", t.text), t.lead_units, t.units, t.deadline)
                for t in taskparse.parse_file(path).tasks]

    from_pdf = tasks(FIXTURES / f"{stem}.pdf")
    assert from_pdf, "no tasks found"
    assert from_pdf == tasks(FIXTURES.parent / "doc" / f"{stem}.doc")


# ---------------------------------------------------------------- tables cut by page breaks

def _t(page: int, *rows: list[str], merged: set[tuple[int, int]] = frozenset()) -> Table:
    cells = tuple(tuple(Cell(text, merged=(r, c) in merged) for c, text in enumerate(row))
                  for r, row in enumerate(rows))
    return Table(rows=cells, line=1, page=page, row_pages=(page,) * len(rows))


def test_table_continued_on_next_page_is_one_table():
    a = _t(1, ["序号", "任务", "牵头领导"], ["1", "加快推进", "张三"])
    b = _t(2, ["2", "深化改革", "李四"])
    (table,) = _join_split_tables([a, b])
    assert [[c.text for c in r] for r in table.rows] == [["序号", "任务", "牵头领导"], ["1", "加快推进", "张三"],
                                                        ["2", "深化改革", "李四"]]
    assert table.row_pages == (1, 1, 2) and table.page == 1


def test_repeated_header_dropped_and_cut_row_rejoined():
    a = _t(3, ["序号", "任务", "牵头领导"], ["7", "完善工业技师学院职业教育管理机制，深化与山东理工", "孙恒民"])
    b = _t(4, ["序号", "任务", "牵头领导"], ["", "职业学院合作", ""], ["8", "抓好金融", ""], merged={(1, 2), (2, 2)})
    (table,) = _join_split_tables([a, b])
    rows = [[c.text for c in r] for r in table.rows]
    assert rows == [["序号", "任务", "牵头领导"],
                    ["7", "完善工业技师学院职业教育管理机制，深化与山东理工职业学院合作", "孙恒民"],
                    ["8", "抓好金融", "孙恒民"]]  # the leader cell was merged down across the cut
    assert table.row_pages == (3, 3, 4)


def test_vertical_merge_carried_over_only_where_visible():
    a = _t(1, ["序号", "任务", "牵头领导", "责任单位"], ["1", "甲", "张三", "县财政局"], ["2", "乙", "张三", "县商务局"],
           merged={(2, 2)})
    b = _t(2, ["3", "丙", "", ""], ["4", "丁", "李四", "县民政局"])
    (table,) = _join_split_tables([a, b])
    rows = [[c.text for c in r] for r in table.rows]
    assert rows[3] == ["3", "丙", "张三", ""]  # 张三 spans rows 1-2 above the break; 责任单位 was just empty
    assert table.rows[3][2].merged


def test_tables_on_pages_apart_or_of_other_widths_stay_apart():
    a = _t(1, ["1", "甲", "张三"])
    assert len(_join_split_tables([a, _t(3, ["2", "乙", "李四"])])) == 2
    assert len(_join_split_tables([a, _t(2, ["2", "乙"])])) == 2
    assert len(_join_split_tables([a, Line("正文", 1, 2), _t(2, ["2", "乙", "李四"])])) == 3


# ---------------------------------------------------------------- the sample notices (samples/)

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
_INDEX = json.loads((SAMPLES / "expected" / "index.json").read_text(encoding="utf-8")) \
    if (SAMPLES / "expected" / "index.json").exists() else {}
PDF_SAMPLES = sorted(name for name, exp in _INDEX.items() if name.endswith(".pdf") and isinstance(exp, str))


@pytest.mark.parametrize("name", PDF_SAMPLES)
def test_sample_pdfs_give_the_expected_tasks(name):
    import taskparse
    from conftest import task_diffs

    want = json.loads((SAMPLES / "expected" / _INDEX[name]).read_text(encoding="utf-8"))["tasks"]
    got = [t.model_dump() for t in taskparse.parse_file(SAMPLES / name).tasks]
    assert task_diffs(got, want) == []


BAD = Path(__file__).parent / "bad_inputs"
_MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8")) if (BAD / "MANIFEST.json").exists() else {}


@pytest.mark.parametrize("name", sorted(n for n in _MANIFEST.get("errors", {}) if n.endswith(".pdf")))
def test_bad_inputs_give_their_error(name):
    from taskparse.errors import TaskparseError

    with pytest.raises(TaskparseError) as err:
        extract(BAD / name)
    assert err.value.kind == _MANIFEST["errors"][name]


def test_broken_xref_is_recovered():
    doc = extract(BAD / "broken_xref.pdf")
    assert doc.lines()[0].text == "新密政办〔2021〕6号"
    assert any("任务落实的通知" in ln.text for ln in doc.lines())
